from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gops.dashboards import rules

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def test_last_months_end_with_the_current_month_and_cross_the_year():
    assert rules.last_months(date(2025, 2, 17), 4) == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]


@given(days, st.integers(min_value=1, max_value=36))
def test_last_months_are_consecutive_firsts_of_months(today, count):
    months = rules.last_months(today, count)
    assert len(months) == count
    assert months[-1] == today.replace(day=1)
    assert all(m.day == 1 for m in months)
    for earlier, later in zip(months, months[1:], strict=False):
        assert rules.shift_month(earlier, 1) == later


@given(days, st.integers(min_value=-500, max_value=500))
def test_shift_month_there_and_back(day, months):
    assert rules.shift_month(rules.shift_month(day, months), -months) == day.replace(day=1)


def test_bucket_by_month_fills_missing_months_with_zero_and_ignores_others():
    months = rules.last_months(date(2025, 3, 3), 3)
    counts = {date(2025, 1, 1): 2, date(2025, 3, 15): 5, date(2024, 6, 1): 9}
    assert rules.bucket_by_month(months, counts) == [
        (date(2025, 1, 1), 2),
        (date(2025, 2, 1), 0),
        (date(2025, 3, 1), 5),
    ]


@given(st.lists(st.integers(min_value=0, max_value=10**6)))
def test_running_totals_end_with_the_sum(values):
    totals = rules.running_totals(values)
    assert len(totals) == len(values)
    if values:
        assert totals[-1] == sum(values)
        assert all(a <= b for a, b in zip(totals, totals[1:], strict=False))


def test_the_norm_is_fifty_families_per_worker():
    assert rules.STAFFING_NORM == 50
    assert rules.norm_percent(50) == 100
    assert rules.norm_percent(25) == 50
    assert rules.norm_percent(51) == 102
    assert rules.norm_percent(0) == 0
    assert not rules.over_norm(50)
    assert rules.over_norm(51)


def test_percent_rounds_half_up_and_has_no_value_for_nothing():
    assert rules.percent(1, 8) == 13  # 12.5
    assert rules.percent(1, 3) == 33
    assert rules.percent(2, 3) == 67
    assert rules.percent(3, 0) is None


@given(st.integers(min_value=0, max_value=10**5), st.integers(min_value=1, max_value=10**4))
def test_percent_is_the_rounded_ratio(part, whole):
    result = rules.percent(part, whole)
    assert abs(result - 100 * part / whole) <= 0.5


def test_workers_needed_is_at_least_three():
    assert rules.workers_needed(0) == 3
    assert rules.workers_needed(150) == 3
    assert rules.workers_needed(151) == 4
    assert rules.workers_needed(500) == 10


@given(st.integers(min_value=0, max_value=10**5))
def test_the_workers_needed_carry_the_caseload_within_the_norm(caseload):
    needed = rules.workers_needed(caseload)
    assert needed >= rules.MINIMUM_WORKERS
    assert needed * rules.STAFFING_NORM >= caseload
    if needed > rules.MINIMUM_WORKERS:
        assert (needed - 1) * rules.STAFFING_NORM < caseload


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="count"):
        rules.last_months(date(2025, 1, 1), 0)
    with pytest.raises(ValueError, match="caseload"):
        rules.workers_needed(-1)
    with pytest.raises(ValueError, match="norm"):
        rules.norm_percent(10, norm=0)
