from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gops.benefits import services as benefit_services
from gops.cases.tests.factories import make_application, record_interview
from gops.payments import services
from gops.payments.models import Difference, ItemStatus, Payment, ScheduleItem

pytestmark = pytest.mark.django_db

IBAN = "PL61109010140000071219812874"


def issued_periodic(worker, head, *, months=3, method="bank_transfer"):
    """A periodic allowance of 255.00 zł from July 2025 for `months` months."""
    with time_machine.travel(date(2025, 6, 20)):
        application = make_application(actor=worker, benefits_requested=["periodic"])
        from gops.people import services as people_services

        people_services.income_add(
            actor=worker,
            person=application.applicant,
            month=date(2025, 5, 1),
            source="wages",
            net_amount=Decimal("500.00"),
        )
        record_interview(actor=worker, application=application, conducted_on=date(2025, 6, 10))
        decision = benefit_services.decision_draft(
            actor=worker,
            application=application,
            benefit="periodic",
            period_from=date(2025, 7, 1),
            period_until=date(2025, 6 + months, 28) if months <= 6 else None,
            payment_method=method,
            bank_account=IBAN if method == "bank_transfer" else "",
        )
        return benefit_services.decision_issue(actor=head, decision=decision)


def test_an_issued_periodic_allowance_gets_one_item_per_month(worker_a, head, finance):
    decision = issued_periodic(worker_a, head)
    assert decision.amount == Decimal("255.00")
    services.schedules_sync(centre=decision.centre, until_month=date(2025, 12, 1))
    items = list(ScheduleItem.objects.filter(decision=decision).order_by("month"))
    assert [i.month for i in items] == [date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1)]
    assert [i.due_on for i in items] == [date(2025, 7, 10), date(2025, 8, 10), date(2025, 9, 10)]
    assert {i.amount for i in items} == {Decimal("255.00")}
    assert services.schedules_sync(centre=decision.centre, until_month=date(2025, 12, 1)) == 0


def test_payroll_is_idempotent_and_pays_each_item_once(worker_a, head, finance):
    issued_periodic(worker_a, head)
    first = services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    again = services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    assert first.pk == again.pk
    assert first.payments.count() == 1
    assert Payment.objects.count() == 1


def test_the_preparer_cannot_approve_and_finance_cannot_approve(worker_a, head, finance):
    issued_periodic(worker_a, head)
    payroll = services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    with pytest.raises(PermissionDenied):
        services.payroll_approve(actor=finance, payroll=payroll)
    approved = services.payroll_approve(actor=head, payroll=payroll)
    assert approved.status == "approved"
    with pytest.raises(ValidationError):
        services.payroll_generate(actor=finance, month=date(2025, 7, 1))


def test_a_returned_transfer_is_paid_again_on_the_next_payroll(worker_a, head, finance):
    issued_periodic(worker_a, head)
    july = services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    services.payroll_approve(actor=head, payroll=july)
    payment = july.payments.get()
    services.payment_outcome_record(
        actor=finance,
        payment=payment,
        outcome="returned",
        on=date(2025, 7, 14),
        note="rachunek zamknięty",
    )
    services.schedule_item_correct_account(
        actor=finance, item=payment.item, bank_account="PL27114020040000300201355387"
    )
    august = services.payroll_generate(actor=finance, month=date(2025, 8, 1))
    months = sorted(p.item.month for p in august.payments.all())
    assert months == [date(2025, 7, 1), date(2025, 8, 1)]
    repaid = august.payments.get(item=payment.item)
    assert repaid.bank_account == "PL27114020040000300201355387"


def test_revoking_cancels_unpaid_months_and_records_what_was_overpaid(worker_a, head, finance):
    decision = issued_periodic(worker_a, head)
    july = services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    services.payroll_approve(actor=head, payroll=july)
    services.payment_outcome_record(
        actor=finance, payment=july.payments.get(), outcome="paid", on=date(2025, 7, 10)
    )
    with time_machine.travel(date(2025, 7, 20)):
        change = benefit_services.decision_change_draft(
            actor=worker_a,
            decision=decision,
            kind="revoking",
            effective_from=date(2025, 7, 1),
            reasoning="Podjęcie pracy od lipca.",
        )
        benefit_services.decision_issue(actor=head, decision=change)
    services.schedules_sync(centre=decision.centre, until_month=date(2025, 9, 1))
    statuses = dict(ScheduleItem.objects.filter(decision=decision).values_list("month", "status"))
    assert statuses[date(2025, 7, 1)] == ItemStatus.PLANNED  # paid: never changed
    assert statuses[date(2025, 8, 1)] == ItemStatus.CANCELLED
    assert statuses[date(2025, 9, 1)] == ItemStatus.CANCELLED
    assert Difference.objects.get().amount == Decimal("-255.00")
    august = services.payroll_generate(actor=finance, month=date(2025, 8, 1))
    assert august.payments.count() == 0


def test_amending_changes_future_months(worker_a, head, finance):
    decision = issued_periodic(worker_a, head)
    with time_machine.travel(date(2025, 7, 20)):
        change = benefit_services.decision_change_draft(
            actor=worker_a,
            decision=decision,
            kind="amending",
            amount=Decimal("300.00"),
            effective_from=date(2025, 8, 1),
            reasoning="Zmiana dochodu.",
        )
        benefit_services.decision_issue(actor=head, decision=change)
    services.schedules_sync(centre=decision.centre, until_month=date(2025, 9, 1))
    # A second run must not cancel the amendment's own items.
    services.schedules_sync(centre=decision.centre, until_month=date(2025, 9, 1))
    planned = ScheduleItem.objects.filter(status="planned").order_by("month")
    assert [(i.month, i.amount) for i in planned] == [
        (date(2025, 7, 1), Decimal("255.00")),
        (date(2025, 8, 1), Decimal("300.00")),
        (date(2025, 9, 1), Decimal("300.00")),
    ]


def test_a_crash_while_generating_leaves_no_partial_payroll_and_a_rerun_completes_it(
    worker_a, head, finance, monkeypatch
):
    issued_periodic(worker_a, head)
    real_insert = services._payments_insert

    def crash(**kwargs):
        real_insert(**kwargs)
        raise RuntimeError("the process died here")

    monkeypatch.setattr(services, "_payments_insert", crash)
    with pytest.raises(RuntimeError):
        services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    from gops.payments.models import Payroll

    assert Payroll.objects.count() == 0
    assert Payment.objects.count() == 0
    monkeypatch.setattr(services, "_payments_insert", real_insert)
    payroll = services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    assert payroll.payments.count() == 1


def test_an_urgent_purpose_allowance_is_paid_once_on_the_day(worker_a, head, finance):
    with time_machine.travel(date(2025, 6, 20)):
        application = make_application(actor=worker_a, benefits_requested=["random_event"])
        record_interview(actor=worker_a, application=application, conducted_on=date(2025, 6, 10))
        decision = benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="random_event",
            amount=Decimal("800.00"),
            payment_method="cash",
        )
        decision = benefit_services.decision_issue(actor=head, decision=decision)
        payment = services.urgent_payment_make(actor=finance, decision=decision)
        assert payment.status == "paid"
        assert payment.paid_on == date(2025, 6, 20)
        assert payment.payroll is None
        with pytest.raises(ValidationError):
            services.urgent_payment_make(actor=finance, decision=decision)
    july = services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    assert july.payments.count() == 0


def test_an_amendment_of_months_already_paid_records_the_difference_and_pays_nothing_twice(
    worker_a, head, finance
):
    decision = issued_periodic(worker_a, head)
    for month in (date(2025, 7, 1), date(2025, 8, 1)):
        payroll = services.payroll_generate(actor=finance, month=month)
        services.payroll_approve(actor=head, payroll=payroll)
        for payment in payroll.payments.all():
            services.payment_outcome_record(
                actor=finance, payment=payment, outcome="paid", on=month.replace(day=10)
            )
    with time_machine.travel(date(2025, 8, 20)):
        change = benefit_services.decision_change_draft(
            actor=worker_a,
            decision=decision,
            kind="amending",
            amount=Decimal("100.00"),
            effective_from=date(2025, 7, 1),
            reasoning="Dochód był wyższy od lipca.",
        )
        benefit_services.decision_issue(actor=head, decision=change)
    september = services.payroll_generate(actor=finance, month=date(2025, 9, 1))
    paid_for = sorted((p.item.month, p.amount) for p in september.payments.all())
    assert paid_for == [(date(2025, 9, 1), Decimal("100.00"))]
    assert sorted(Difference.objects.values_list("amount", flat=True)) == [
        Decimal("-155.00"),
        Decimal("-155.00"),
    ]


def test_two_stops_of_one_decision_stop_it_from_the_earliest(worker_a, head, finance):
    decision = issued_periodic(worker_a, head, months=6)
    with time_machine.travel(date(2025, 7, 5)):
        revoke = benefit_services.decision_change_draft(
            actor=worker_a,
            decision=decision,
            kind="revoking",
            effective_from=date(2025, 12, 1),
            reasoning="Koniec okresu pomocy.",
        )
        benefit_services.decision_issue(actor=head, decision=revoke)
        suspend = benefit_services.decision_change_draft(
            actor=worker_a,
            decision=decision,
            kind="suspending",
            effective_from=date(2025, 8, 1),
            reasoning="Brak współdziałania (art. 11 ust. 2).",
        )
        benefit_services.decision_issue(actor=head, decision=suspend)
    september = services.payroll_generate(actor=finance, month=date(2025, 9, 1))
    assert sorted(p.item.month for p in september.payments.all()) == [date(2025, 7, 1)]


def test_an_amended_purpose_allowance_is_paid_once_at_the_new_amount(worker_a, head, finance):
    with time_machine.travel(date(2025, 6, 20)):
        application = make_application(actor=worker_a, benefits_requested=["random_event"])
        record_interview(actor=worker_a, application=application, conducted_on=date(2025, 6, 10))
        decision = benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="random_event",
            amount=Decimal("300.00"),
            payment_method="cash",
        )
        decision = benefit_services.decision_issue(actor=head, decision=decision)
        services.schedules_sync(centre=decision.centre, until_month=date(2025, 6, 1))
        change = benefit_services.decision_change_draft(
            actor=worker_a,
            decision=decision,
            kind="amending",
            amount=Decimal("400.00"),
            effective_from=date(2025, 6, 20),
            reasoning="Wyższe koszty naprawy.",
        )
        change = benefit_services.decision_issue(actor=head, decision=change)
        with pytest.raises(ValidationError):
            services.urgent_payment_make(actor=finance, decision=decision)
        payment = services.urgent_payment_make(actor=finance, decision=change)
    assert payment.amount == Decimal("400.00")
    assert Payment.objects.count() == 1


def test_a_draft_of_a_withdrawn_application_cannot_be_issued(worker_a, head):
    from gops.cases import services as case_services

    with time_machine.travel(date(2025, 6, 20)):
        application = make_application(actor=worker_a, benefits_requested=["periodic"])
        record_interview(actor=worker_a, application=application, conducted_on=date(2025, 6, 10))
        decision = benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="periodic",
            kind="refusing",
        )
        case_services.application_close(
            actor=worker_a, application=application, status="withdrawn", reason="Wycofany."
        )
        with pytest.raises(ValidationError):
            benefit_services.decision_issue(actor=head, decision=decision)


def test_an_amended_open_ended_allowance_pays_the_new_amount_as_the_horizon_moves_on(
    worker_a, head, finance
):
    """The horizon plans a new month of the original decision each month; the amendment,
    applied after planning, cancels it: each month is paid once, at the new amount."""
    from .finance_factories import issued_permanent

    decision = issued_permanent(worker_a, head, number=1)  # open-ended, 1,013.00 zł
    assert decision.period_until is None
    with time_machine.travel(date(2025, 7, 20)):
        change = benefit_services.decision_change_draft(
            actor=worker_a,
            decision=decision,
            kind="amending",
            amount=Decimal("900.00"),
            effective_from=date(2025, 8, 1),
            reasoning="Zmiana dochodu.",
        )
        benefit_services.decision_issue(actor=head, decision=change)
    for month in (7, 8, 9, 10, 11):
        services.payroll_generate(actor=finance, month=date(2025, month, 1))
    paid = sorted((p.item.month, p.amount) for p in Payment.objects.select_related("item"))
    assert paid == [
        (date(2025, 7, 1), Decimal("1013.00")),
        *((date(2025, m, 1), Decimal("900.00")) for m in (8, 9, 10, 11)),
    ]
    original_later = ScheduleItem.objects.filter(decision=decision, month__gte=date(2025, 8, 1))
    assert original_later.exists()
    assert not original_later.filter(status=ItemStatus.PLANNED).exists()


def test_a_change_with_nothing_left_to_do_is_not_applied_again(
    worker_a, head, finance, monkeypatch
):
    decision = issued_periodic(worker_a, head)
    services.schedules_sync(centre=decision.centre, until_month=date(2025, 7, 1))
    assert ScheduleItem.objects.filter(decision=decision).count() == 3
    with time_machine.travel(date(2025, 7, 20)):
        change = benefit_services.decision_change_draft(
            actor=worker_a,
            decision=decision,
            kind="revoking",
            effective_from=date(2025, 8, 1),
            reasoning="Poprawa sytuacji.",
        )
        benefit_services.decision_issue(actor=head, decision=change)
    applied = []
    real = services._apply_change
    monkeypatch.setattr(services, "_apply_change", lambda c: applied.append(c.pk) or real(c))
    services.schedules_sync(centre=decision.centre, until_month=date(2025, 9, 1))
    assert applied == [change.pk]
    services.schedules_sync(centre=decision.centre, until_month=date(2025, 10, 1))
    assert applied == [change.pk]
    assert not ScheduleItem.objects.filter(
        decision=decision, month__gte=date(2025, 8, 1), status=ItemStatus.PLANNED
    ).exists()
