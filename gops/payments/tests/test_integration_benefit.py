"""The integration benefit (u.p.s. art. 94; LAW.md §6) from decision to payroll: months 1–6
at the computed amount, months 7–12 at 90 % of it."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gops.benefits import services as benefit_services
from gops.cases.tests.factories import make_application, record_interview
from gops.payments import services
from gops.payments.models import ScheduleItem

pytestmark = pytest.mark.django_db

IBAN = "PL61109010140000071219812874"


def integration_application(worker):
    with time_machine.travel(date(2025, 12, 20)):
        application = make_application(
            actor=worker, received_on=date(2025, 12, 1), benefits_requested=["integration"]
        )
        record_interview(actor=worker, application=application, conducted_on=date(2025, 12, 10))
    return application


def test_a_family_of_three_is_paid_2403_then_2162_70_for_twelve_months(worker_a, head, finance):
    application = integration_application(worker_a)
    with time_machine.travel(date(2025, 12, 22)):
        decision = benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="integration",
            period_from=date(2026, 1, 1),
            period_until=date(2026, 12, 31),
            payment_method="bank_transfer",
            bank_account=IBAN,
            family_size=3,
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


def test_the_default_family_size_is_the_interviewed_household(worker_a):
    application = integration_application(worker_a)
    decision = benefit_services.decision_draft(
        actor=worker_a,
        application=application,
        benefit="integration",
        period_from=date(2026, 1, 1),
        period_until=date(2026, 6, 30),
        payment_method="cash",
    )
    size = decision.assessment["family_size"]
    assert size >= 1
    expected = {1: Decimal("1335.00"), 2: Decimal("1869.00"), 3: Decimal("2403.00")}
    assert decision.amount == expected.get(size, Decimal("667.50") * size)


@pytest.mark.usefixtures("english_messages")
def test_a_programme_longer_than_twelve_months_is_refused_and_nothing_is_written(worker_a):
    application = integration_application(worker_a)
    with pytest.raises(ValidationError) as caught:
        benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="integration",
            period_from=date(2026, 1, 1),
            period_until=date(2027, 1, 1),
            payment_method="cash",
            family_size=1,
        )
    assert "at most 12 months, until 2026-12-31" in str(caught.value.message_dict["period_until"])
    assert not application.decisions.exists()


@pytest.mark.usefixtures("english_messages")
def test_a_higher_amount_than_the_law_gives_is_refused(worker_a):
    application = integration_application(worker_a)
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
            family_size=1,
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
