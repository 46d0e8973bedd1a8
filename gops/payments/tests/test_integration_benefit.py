"""The integration benefit (u.p.s. art. 94; LAW.md §6) from decision to payroll: months 1–6
at the computed amount, months 7–12 at 90 % of it."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gops.benefits import services as benefit_services
from gops.cases.tests.factories import make_application, record_interview
from gops.integration.rules import latest_end
from gops.integration.services import GoalData, StepData
from gops.integration.tests.factories import make_integration_application, make_programme
from gops.payments import services
from gops.payments.models import ScheduleItem
from gops.people.tests.factories import make_foreigner

pytestmark = pytest.mark.django_db

IBAN = "PL61109010140000071219812874"


def integration_application(worker, district, *, family_size=3, starts_on=date(2026, 1, 1)):
    """A refugee's application for the benefit, its interview, and the programme it belongs
    to (the benefit is granted only from a programme)."""
    with time_machine.travel(date(2025, 12, 20)):
        person = make_foreigner(
            actor=worker,
            district=district,
            first_names="Olena",
            surnames="Kovalenko",
            sex="F",
            citizenship="UA",
            residence_status="refugee_status",
            id_document_type="residence_card",
            id_document_number="RC7654321",
        )
        application = make_integration_application(
            actor=worker, person=person, received_on=date(2025, 12, 1)
        )
        record_interview(actor=worker, application=application, conducted_on=date(2025, 12, 10))
        make_programme(
            actor=worker,
            person=person,
            application=application,
            protection_granted_on=date(2025, 11, 1),
            applied_on=date(2025, 12, 1),
            starts_on=starts_on,
            ends_on=latest_end(starts_on),
            family_size=family_size,
            goals=[
                GoalData(
                    area="polish_lessons",
                    description="Kurs A2",
                    steps=(StepData(action="Zapis", deadline=date(2026, 1, 31)),),
                )
            ],
        )
    return application


def test_a_family_of_three_is_paid_2403_then_2162_70_for_twelve_months(
    worker_a, district_a, head, finance
):
    application = integration_application(worker_a, district_a)
    with time_machine.travel(date(2025, 12, 22)):
        decision = benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="integration",
            period_from=date(2026, 1, 1),
            period_until=date(2026, 12, 31),
            payment_method="bank_transfer",
            bank_account=IBAN,
        )
        assert decision.amount == Decimal("2403.00")
        assert decision.assessment["amount_months_7_12"] == "2162.70"
        assert "2162,70" in decision.ruling
        assert "miesiącach 7–12" in decision.ruling
        decision = benefit_services.decision_issue(actor=head, decision=decision)
    services.schedules_sync(centre=decision.centre, until_month=date(2026, 12, 1))
    items = list(ScheduleItem.objects.filter(decision=decision).order_by("month"))
    assert len(items) == 12
    assert [i.amount for i in items] == [Decimal("2403.00")] * 6 + [Decimal("2162.70")] * 6
    with time_machine.travel(date(2026, 7, 2)):
        payroll = services.payroll_generate(actor=finance, month=date(2026, 7, 1))
    # Unpaid earlier months are caught up on the same payroll; July pays the lower amount.
    paid = {p.item.month: p.amount for p in payroll.payments.select_related("item")}
    assert paid[date(2026, 6, 1)] == Decimal("2403.00")
    assert paid[date(2026, 7, 1)] == Decimal("2162.70")
    assert date(2026, 8, 1) not in paid
    with time_machine.travel(date(2026, 7, 3)), pytest.raises(ValidationError) as caught:
        benefit_services.decision_change_draft(
            actor=worker_a,
            decision=decision,
            kind="amending",
            effective_from=date(2026, 8, 1),
            reasoning="x",
            amount=Decimal("5000.00"),
        )
    assert "kind" in caught.value.message_dict


@pytest.mark.usefixtures("english_messages")
def test_without_a_programme_the_benefit_is_not_granted(worker_a):
    with time_machine.travel(date(2025, 12, 20)):
        application = make_application(
            actor=worker_a, received_on=date(2025, 12, 1), benefits_requested=["integration"]
        )
        record_interview(actor=worker_a, application=application, conducted_on=date(2025, 12, 10))
    with pytest.raises(ValidationError) as caught:
        benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="integration",
            period_from=date(2026, 1, 1),
            period_until=date(2026, 12, 31),
            payment_method="cash",
        )
    assert "integration programme" in str(caught.value.message_dict["benefit"])
    assert not application.decisions.exists()


@pytest.mark.usefixtures("english_messages")
def test_a_programme_longer_than_twelve_months_is_refused_and_nothing_is_written(
    worker_a, district_a
):
    application = integration_application(worker_a, district_a)
    with pytest.raises(ValidationError) as caught:
        benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="integration",
            period_from=date(2026, 1, 1),
            period_until=date(2027, 1, 1),
            payment_method="cash",
        )
    assert "at most 12 months, until 2026-12-31" in str(caught.value.message_dict["period_until"])
    assert not application.decisions.exists()


@pytest.mark.usefixtures("english_messages")
def test_a_higher_amount_than_the_law_gives_is_refused(worker_a, district_a):
    application = integration_application(worker_a, district_a, family_size=1)
    with pytest.raises(ValidationError) as caught:
        benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="integration",
            period_from=date(2026, 1, 1),
            period_until=date(2026, 12, 31),
            amount=Decimal("1400.00"),
            amount_change_reason="more",
            payment_method="cash",
        )
    assert "at most 1335.00" in str(caught.value.message_dict["amount"])


def test_the_monthly_plan_switches_to_the_later_amount_in_the_seventh_month():
    from gops.payments import rules

    plan = rules.monthly_plan(
        period_from=date(2026, 3, 15),
        period_until=date(2027, 3, 14),
        amount=Decimal("1335.00"),
        payment_day=10,
        issued_on=date(2026, 3, 1),
        horizon=date(2027, 6, 1),
        later_amount=Decimal("1201.50"),
        max_payments=12,
    )
    # The programme's 12 months span 13 calendar months; 12 benefits are paid, March–February.
    assert len(plan) == 12
    assert plan[-1].month == date(2027, 2, 1)
    assert [p.amount for p in plan[:6]] == [Decimal("1335.00")] * 6
    assert plan[6].month == date(2026, 9, 1)
    assert plan[6].amount == Decimal("1201.50")
