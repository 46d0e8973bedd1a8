"""payments.rules.monthly_plan with `after`: the months not planned yet, the same as the whole
plan's from that month on (schedules_sync plans a large city's decisions this way)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gops.payments import rules

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


@given(
    period_from=days,
    length=st.one_of(st.none(), st.integers(min_value=0, max_value=2000)),
    horizon_after=st.integers(min_value=-400, max_value=4000),
    after_offset=st.one_of(st.none(), st.integers(min_value=-800, max_value=4000)),
    later=st.booleans(),
    max_payments=st.one_of(st.none(), st.integers(min_value=1, max_value=24)),
    payment_day=st.integers(min_value=1, max_value=28),
)
def test_the_plan_after_a_month_is_the_whole_plan_after_it(
    period_from, length, horizon_after, after_offset, later, max_payments, payment_day
):
    common = {
        "period_from": period_from,
        "period_until": None if length is None else period_from + timedelta(days=length),
        "amount": Decimal("500.00"),
        "payment_day": payment_day,
        "issued_on": period_from - timedelta(days=3),
        "horizon": rules.first_of_month(period_from + timedelta(days=horizon_after)),
        "later_amount": Decimal("450.00") if later else None,
        "max_payments": max_payments,
    }
    whole = rules.monthly_plan(**common)
    after = (
        None
        if after_offset is None
        else rules.first_of_month(period_from + timedelta(days=after_offset))
    )
    expected = [p for p in whole if after is None or p.month > after]
    assert rules.monthly_plan(**common, after=after) == expected


def test_a_worked_example_the_last_two_months_of_ten_years():
    plan = rules.monthly_plan(
        period_from=date(2016, 12, 5),
        period_until=None,
        amount=Decimal("719.00"),
        payment_day=10,
        issued_on=date(2016, 12, 1),
        horizon=date(2027, 2, 1),
        after=date(2026, 12, 1),
    )
    assert [(p.month, p.due_on) for p in plan] == [
        (date(2027, 1, 1), date(2027, 1, 10)),
        (date(2027, 2, 1), date(2027, 2, 10)),
    ]
