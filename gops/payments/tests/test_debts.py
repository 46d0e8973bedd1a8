"""Undue benefits (u.p.s. art. 98, 104): the repayment decision with its instalments, set-off
against the payroll, repayments, waiver and the balance at any date."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from gops.audit.models import AuditEntry
from gops.payments import rules, selectors_finance, services
from gops.payments.models import Debt, DebtSettlement, Difference, Payment
from gops.payments.tests.finance_factories import (
    FINANCE_PERMS,
    URLCONF,
    grant,
    issued_permanent,
    issued_purpose,
    revoke,
)

money = st.decimals(
    min_value=Decimal("0.01"), max_value=10**6, places=2, allow_nan=False, allow_infinity=False
)

# --- Pure arithmetic ------------------------------------------------------------------------


def test_equal_instalments_put_the_remainder_on_the_last():
    plan = rules.equal_instalments(amount=Decimal("100.00"), count=3, first_due=date(2025, 1, 31))
    assert [(i.due_on, i.amount) for i in plan] == [
        (date(2025, 1, 31), Decimal("33.33")),
        (date(2025, 2, 28), Decimal("33.33")),
        (date(2025, 3, 31), Decimal("33.34")),
    ]


@given(amount=money, count=st.integers(1, 36), first=st.dates(date(2020, 1, 1), date(2030, 1, 1)))
def test_equal_instalments_always_add_up_to_the_amount(amount, count, first):
    if amount < count * Decimal("0.01"):
        with pytest.raises(ValueError, match="too many instalments"):
            rules.equal_instalments(amount=amount, count=count, first_due=first)
        return
    plan = rules.equal_instalments(amount=amount, count=count, first_due=first)
    assert len(plan) == count
    assert sum(i.amount for i in plan) == amount
    assert all(i.amount > 0 for i in plan)
    assert [i.due_on for i in plan] == sorted({i.due_on for i in plan})
    assert rules.instalments_problems(amount=amount, issued_on=first, instalments=plan) == []


def test_a_plan_that_does_not_add_up_is_wrong():
    plan = [
        rules.Instalment(date(2025, 9, 15), Decimal("200.00")),
        rules.Instalment(date(2025, 9, 15), Decimal("150.00")),
    ]
    assert rules.instalments_problems(
        amount=Decimal("400.00"), issued_on=date(2025, 9, 20), instalments=plan
    ) == ["before_issue", "same_day", "sum"]


def test_arrears_are_the_instalments_due_less_what_was_settled():
    plan = [
        rules.Instalment(date(2025, 9, 15), Decimal("200.00")),
        rules.Instalment(date(2025, 10, 15), Decimal("200.00")),
    ]
    amount = Decimal("400.00")

    def arrears(settled, on):
        return rules.arrears(instalments=plan, settled=Decimal(settled), amount=amount, on=on)

    assert arrears("0", date(2025, 9, 14)) == 0
    assert arrears("0", date(2025, 9, 30)) == Decimal("200.00")
    assert arrears("200.00", date(2025, 9, 30)) == 0
    assert arrears("50.00", date(2025, 10, 31)) == Decimal("350.00")
    assert arrears("399.00", date(2025, 12, 31)) == Decimal("1.00")


@given(
    amounts=st.lists(money, min_size=1, max_size=6),
    settled_share=st.fractions(0, 1),
    days=st.integers(0, 400),
)
def test_arrears_never_fall_below_zero_nor_exceed_the_balance(amounts, settled_share, days):
    start = date(2025, 1, 1)
    plan = [rules.Instalment(rules.add_months(start, i), a) for i, a in enumerate(amounts)]
    amount = sum(amounts)
    settled = (amount * Decimal(settled_share.numerator) / settled_share.denominator).quantize(
        rules.CENT, rounding="ROUND_DOWN"
    )
    on = date.fromordinal(start.toordinal() + days)
    due = rules.arrears(instalments=plan, settled=settled, amount=amount, on=on)
    assert 0 <= due <= rules.debt_balance(amount=amount, settled=settled)
    assert due <= rules.due_by(instalments=plan, on=on)


@given(arrears=money, available=st.lists(money, max_size=5))
def test_a_set_off_takes_no_more_than_is_due_or_than_each_payment_has(arrears, available):
    taken = rules.set_off_split(arrears=arrears, available=available)
    assert len(taken) == len(available)
    assert all(0 <= t <= room for t, room in zip(taken, available, strict=True))
    assert sum(taken, Decimal(0)) == min(arrears, sum(available, Decimal(0)))


# --- A worked example: a purpose allowance revoked, set off against the permanent one ---------


@pytest.fixture
def staff(head, finance):
    return grant(head, *FINANCE_PERMS), grant(finance, *FINANCE_PERMS)


@pytest.fixture
def undue(worker_a, staff):
    """Halina Nowak-1 gets a permanent allowance of 1013.00 zł from July 2025, paid in cash,
    and a purpose allowance of 400.00 zł for fuel paid on 20 June 2025, revoked on 10 July
    because the information behind it was false: 400.00 zł is undue."""
    head, finance = staff
    permanent = issued_permanent(worker_a, head, number=1)
    purpose = issued_purpose(worker_a, head, application=permanent.application)
    services.urgent_payment_make(actor=finance, decision=purpose, on=date(2025, 6, 20))
    revoke(worker_a, head, purpose, effective_from=date(2025, 6, 20), on=date(2025, 7, 10))
    services.schedules_sync(centre=purpose.centre, until_month=date(2025, 7, 1))
    return permanent, purpose


def _debt(finance, undue, *, set_off=True, instalments=None, number="ZW/1/2025", amount="400.00"):
    permanent, purpose = undue
    with time_machine.travel(date(2025, 8, 20)):
        return services.debt_create(
            actor=finance,
            person=permanent.person,
            source_decision=purpose,
            amount=Decimal(amount),
            reason="Nieprawdziwe informacje o sytuacji (art. 6 pkt 16 u.p.s.).",
            decision_number=number,
            issued_on=date(2025, 8, 20),
            instalments=instalments
            or [
                (date(2025, 9, 15), Decimal("200.00")),
                (date(2025, 10, 15), Decimal("200.00")),
            ],
            set_off=set_off,
            differences=list(Difference.objects.filter(person=permanent.person)),
        )


def _payroll(finance, month: date):
    """The payroll of `month`, after those of the months since July (each pays its month)."""
    current = date(2025, 7, 1)
    while current < month:
        services.payroll_generate(actor=finance, month=current)
        current = rules.next_month(current)
    return services.payroll_generate(actor=finance, month=month)


def test_the_repayment_decision_records_the_debt_with_its_overpaid_month(staff, undue):
    _head, finance = staff
    debt = _debt(finance, undue)
    assert debt.status == "open"
    assert debt.due_on == date(2025, 10, 15)
    assert [d.amount for d in debt.differences.all()] == [Decimal("-400.00")]
    assert [(i.due_on, i.amount) for i in debt.instalments.all()] == [
        (date(2025, 9, 15), Decimal("200.00")),
        (date(2025, 10, 15), Decimal("200.00")),
    ]
    entry = AuditEntry.objects.get(object_type="payments.debt", action="create")
    assert entry.person_id == debt.person_id
    assert entry.changes["amount"] == [None, "400.00"]


def test_set_off_deducts_exactly_the_instalment_and_regenerating_deducts_nothing_more(staff, undue):
    head, finance = staff
    debt = _debt(finance, undue)
    _payroll(finance, date(2025, 7, 1))
    august = _payroll(finance, date(2025, 8, 1))
    assert august.payments.get().deduction == 0  # nothing due before 15 September

    september = _payroll(finance, date(2025, 9, 1))
    payment = september.payments.get()
    assert payment.amount == Decimal("1013.00")
    assert payment.deduction == Decimal("200.00")
    assert payment.net_amount == Decimal("813.00")
    settlement = DebtSettlement.objects.get(payment=payment)
    assert (settlement.kind, settlement.amount, settlement.on) == (
        "set_off",
        Decimal("200.00"),
        date(2025, 9, 10),
    )

    again = _payroll(finance, date(2025, 9, 1))
    assert again.pk == september.pk
    assert Payment.objects.get(pk=payment.pk).deduction == Decimal("200.00")
    assert DebtSettlement.objects.count() == 1

    october = _payroll(finance, date(2025, 10, 1)).payments.get()
    assert october.deduction == Decimal("200.00")
    november = _payroll(finance, date(2025, 11, 1)).payments.get()
    assert november.deduction == 0
    debt.refresh_from_db()
    assert debt.status == "repaid"


def test_balance_at_any_date(staff, undue):
    _head, finance = staff
    debt = _debt(finance, undue)
    for month in (7, 8, 9, 10):
        _payroll(finance, date(2025, month, 1))
    person = debt.person
    expected = {
        date(2025, 8, 19): "0.00",  # before the repayment decision
        date(2025, 8, 20): "400.00",
        date(2025, 9, 9): "400.00",
        date(2025, 9, 10): "200.00",  # the September benefit, less 200.00
        date(2025, 10, 10): "0.00",
    }
    for on, balance in expected.items():
        assert services.debt_balance(person=person, on=on) == Decimal(balance), on


def test_a_debt_without_set_off_is_not_deducted(staff, undue):
    _head, finance = staff
    _debt(finance, undue, set_off=False)
    september = _payroll(finance, date(2025, 9, 1))
    assert september.payments.get().deduction == 0
    assert not DebtSettlement.objects.exists()


def test_a_set_off_never_takes_a_payment_below_zero(staff, undue):
    _head, finance = staff
    _debt(
        finance,
        undue,
        amount="1500.00",
        instalments=[(date(2025, 9, 15), Decimal("1500.00"))],
    )
    september = _payroll(finance, date(2025, 9, 1)).payments.get()
    assert (september.deduction, september.net_amount) == (Decimal("1013.00"), Decimal("0.00"))
    october = _payroll(finance, date(2025, 10, 1)).payments.get()
    assert (october.deduction, october.net_amount) == (Decimal("487.00"), Decimal("526.00"))


def test_a_set_off_on_a_returned_transfer_is_undone_and_taken_again(worker_a, staff):
    head, finance = staff
    permanent = issued_permanent(worker_a, head, number=2, method="bank_transfer")
    purpose = issued_purpose(worker_a, head, application=permanent.application)
    services.urgent_payment_make(actor=finance, decision=purpose, on=date(2025, 6, 20))
    revoke(worker_a, head, purpose, effective_from=date(2025, 6, 20), on=date(2025, 7, 10))
    debt = _debt(finance, (permanent, purpose))
    september = _payroll(finance, date(2025, 9, 1))
    services.payroll_approve(actor=head, payroll=september)
    with time_machine.travel(date(2025, 9, 12)):
        services.payment_outcome_record(
            actor=finance,
            payment=september.payments.get(),
            outcome="returned",
            on=date(2025, 9, 12),
        )
    assert services.debt_balance(person=debt.person, on=date(2025, 9, 30)) == Decimal("400.00")
    october = services.payroll_generate(actor=finance, month=date(2025, 10, 1))
    # The September benefit is paid again with October's: both instalments are due by then.
    deductions = list(october.payments.order_by("pk").values_list("item__month", "deduction"))
    assert deductions == [(date(2025, 9, 1), Decimal("400.00")), (date(2025, 10, 1), Decimal(0))]
    assert services.debt_balance(person=debt.person, on=date(2025, 10, 31)) == 0


def test_repayments_and_a_waiver_by_decision(staff, undue):
    _head, finance = staff
    debt = _debt(finance, undue)
    with time_machine.travel(date(2025, 9, 5)):
        services.debt_repayment_record(
            actor=finance, debt=debt, amount=Decimal("100.00"), on=date(2025, 9, 5), kind="cash"
        )
        with pytest.raises(ValidationError) as exc:
            services.debt_repayment_record(
                actor=finance, debt=debt, amount=Decimal("300.01"), on=date(2025, 9, 5)
            )
        assert "amount" in exc.value.message_dict
    with time_machine.travel(date(2025, 9, 20)):
        waiver = services.debt_waive(
            actor=finance,
            debt=debt,
            reason="Szczególnie uzasadniony przypadek: ciężka choroba.",
            decision_number="UM/3/2025",
            on=date(2025, 9, 20),
        )
    assert waiver.amount == Decimal("300.00")
    debt.refresh_from_db()
    assert debt.status == "waived"
    person = debt.person
    assert services.debt_balance(person=person, on=date(2025, 9, 4)) == Decimal("400.00")
    assert services.debt_balance(person=person, on=date(2025, 9, 5)) == Decimal("300.00")
    assert services.debt_balance(person=person, on=date(2025, 9, 20)) == 0
    # A waived debt is not set off.
    assert _payroll(finance, date(2025, 9, 1)).payments.get().deduction == 0


def test_a_partial_waiver_leaves_the_debt_open(staff, undue):
    _head, finance = staff
    debt = _debt(finance, undue)
    with time_machine.travel(date(2025, 9, 1)):
        services.debt_waive(
            actor=finance,
            debt=debt,
            reason="Umorzenie części należności.",
            decision_number="UM/4/2025",
            on=date(2025, 9, 1),
            amount=Decimal("150.00"),
        )
    debt.refresh_from_db()
    assert debt.status == "open"
    assert selectors_finance.debt_balance_of(debt=debt) == Decimal("250.00")


def test_instalments_must_add_up_to_the_amount(staff, undue):
    _head, finance = staff
    with pytest.raises(ValidationError) as exc:
        _debt(finance, undue, instalments=[(date(2025, 9, 15), Decimal("399.99"))])
    assert len(exc.value.message_dict["instalments"]) == 1
    assert not Debt.objects.exists()


def test_only_a_changed_or_revoked_decision_gives_rise_to_a_debt(worker_a, staff, undue):
    _head, finance = staff
    permanent, _purpose = undue
    with time_machine.travel(date(2025, 8, 20)), pytest.raises(ValidationError) as exc:
        services.debt_create(
            actor=finance,
            person=permanent.person,
            source_decision=permanent,
            amount=Decimal("100.00"),
            reason="?",
            decision_number="ZW/2/2025",
            issued_on=date(2025, 8, 20),
            instalments=[(date(2025, 9, 15), Decimal("100.00"))],
        )
    assert "source_decision" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        _debt(worker_a, undue)


def test_one_repayment_decision_is_recorded_once(staff, undue):
    _head, finance = staff
    _debt(finance, undue)
    with pytest.raises(ValidationError) as exc:
        _debt(finance, undue)
    assert "decision_number" in exc.value.message_dict


# --- Pages ----------------------------------------------------------------------------------


@pytest.mark.urls(URLCONF)
def test_finance_records_a_repayment_decision_and_a_repayment_on_the_pages(client, staff, undue):
    _head, finance = staff
    permanent, purpose = undue
    client.force_login(finance)
    url = reverse("finance:debt_create", args=[permanent.person_id])
    with time_machine.travel(date(2025, 8, 20)):
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "source_decision": purpose.pk,
                "differences": [Difference.objects.get().pk],
                "amount": "400.00",
                "reason": "Nieprawdziwe informacje.",
                "decision_number": "ZW/7/2025",
                "issued_on": "2025-08-20",
                "instalment_count": "4",
                "first_due_on": "2025-09-15",
                "set_off": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()
    debt = Debt.objects.get()
    assert debt.set_off
    assert [i.amount for i in debt.instalments.all()] == [Decimal("100.00")] * 4
    with time_machine.travel(date(2025, 9, 1)):
        client.force_login(finance)  # the session of 20 August has expired by now
        response = client.post(
            reverse("finance:debt_repayment", args=[debt.pk]),
            {"kind": "transfer", "amount": "100.00", "on": "2025-09-01"},
        )
        assert response.status_code == 302
        page = client.get(debt.get_absolute_url())
        listing = client.get(reverse("finance:debt_list"))
    assert "300,00" in page.content.decode()
    assert AuditEntry.objects.filter(object_type="payments.debt", action="view").exists()
    assert "ZW/7/2025" in listing.content.decode()


@pytest.mark.urls(URLCONF)
def test_debts_are_not_shown_to_a_social_worker(client, worker_a, staff, undue):
    _head, finance = staff
    debt = _debt(finance, undue)
    client.force_login(worker_a)
    assert client.get(reverse("finance:debt_list")).status_code == 403
    assert client.get(debt.get_absolute_url()).status_code == 404
