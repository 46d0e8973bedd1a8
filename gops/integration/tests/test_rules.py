"""The integration benefit per LAW.md §6 and the programme's dates; no database."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gops.integration import rules

BASE = Decimal("1335.00")


@pytest.mark.parametrize(
    ("size", "first", "later"),
    [
        (1, "1335.00", "1201.50"),
        (2, "1869.00", "1682.10"),  # 2 × 70 % × 1335 = 2 × 934.50
        (3, "2403.00", "2162.70"),  # 3 × 60 % × 1335 = 3 × 801.00
        (4, "2670.00", "2403.00"),  # 4 × 50 %
        (5, "3337.50", "3003.75"),  # 5 × 50 % × 1335 = 5 × 667.50
    ],
)
def test_worked_examples_of_law_section_6(size, first, later):
    benefit = rules.integration_benefit(single_amount=BASE, family_size=size)
    assert benefit.months_1_6 == Decimal(first)
    assert benefit.months_7_12 == Decimal(later)


amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("10000"), places=2)
sizes = st.integers(min_value=1, max_value=15)


@given(amount=amounts, size=sizes)
def test_months_7_to_12_are_90_percent_of_months_1_to_6(amount, size):
    benefit = rules.integration_benefit(single_amount=amount, family_size=size)
    expected = (benefit.months_1_6 * Decimal("0.9")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert benefit.months_7_12 == expected
    assert abs(benefit.months_7_12 - expected) <= Decimal("0.01")
    assert benefit.months_7_12 <= benefit.months_1_6


@given(amount=amounts, size=sizes)
def test_the_family_amount_is_the_per_person_share_times_the_persons(amount, size):
    percent = {1: 100, 2: 70, 3: 60}.get(size, 50)
    per_person = (amount * percent / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    benefit = rules.integration_benefit(single_amount=amount, family_size=size)
    assert benefit.months_1_6 == per_person * size
    assert benefit.months_1_6.as_tuple().exponent == -2


@given(amount=amounts.filter(lambda a: a > 0), size=st.integers(min_value=4, max_value=14))
def test_a_bigger_family_of_four_or_more_gets_more(amount, size):
    smaller = rules.integration_benefit(single_amount=amount, family_size=size)
    bigger = rules.integration_benefit(single_amount=amount, family_size=size + 1)
    assert bigger.months_1_6 >= smaller.months_1_6


def test_family_size_below_one_is_refused():
    with pytest.raises(ValueError, match="family_size"):
        rules.integration_benefit(single_amount=BASE, family_size=0)


@given(start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_twelve_months_end_a_day_before_the_same_day_a_year_later(start):
    end = rules.latest_end(start)
    assert not rules.too_long(starts_on=start, ends_on=end)
    assert rules.too_long(starts_on=start, ends_on=end + timedelta(days=1))
    assert 364 <= (end - start).days <= 365


def test_the_twelve_month_limit_on_examples():
    assert rules.latest_end(date(2025, 6, 1)) == date(2026, 5, 31)
    assert rules.too_long(starts_on=date(2025, 6, 1), ends_on=date(2026, 6, 1))


def test_sixty_days_after_the_grant_is_in_time_and_sixty_one_is_late():
    granted = date(2025, 3, 1)
    assert not rules.application_late(
        protection_granted_on=granted, applied_on=granted + timedelta(days=60)
    )
    assert rules.application_late(
        protection_granted_on=granted, applied_on=granted + timedelta(days=61)
    )


def test_a_start_on_the_29th_of_february_runs_until_the_28th_of_february():
    # k.p.a. art. 57 § 3: no such day in the last month, so its last day.
    assert rules.latest_end(date(2024, 2, 29)) == date(2025, 2, 28)
    assert rules.latest_end(date(2026, 1, 31)) == date(2027, 1, 30)
