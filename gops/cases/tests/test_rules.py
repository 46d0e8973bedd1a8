"""Statutory deadlines without a database."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gops.cases import rules


def test_interview_due_skips_weekends_and_corpus_christi():
    # Registered on Monday 2025-06-02; Corpus Christi is Thursday 2025-06-19.
    assert rules.interview_due(received_on=date(2025, 6, 2), urgent=False) == date(2025, 6, 23)


def test_urgent_interview_is_due_in_two_working_days():
    # Friday 2025-05-02 → Mon 5 May (1), Tue 6 May (2); 3 May (Saturday, a holiday) is skipped.
    assert rules.interview_due(received_on=date(2025, 5, 2), urgent=True) == date(2025, 5, 6)


def test_christmas_eve_is_a_holiday_from_2025_but_not_before():
    assert not rules.is_working_day(date(2025, 12, 24))
    assert rules.is_working_day(date(2024, 12, 24))


def test_counting_starts_on_the_next_day():
    assert rules.add_working_days(date(2025, 6, 2), 1) == date(2025, 6, 3)
    assert rules.add_working_days(date(2025, 6, 6), 1) == date(2025, 6, 9)  # Friday → Monday
    assert rules.add_working_days(date(2025, 6, 2), 0) == date(2025, 6, 2)


def test_decision_is_due_in_one_month_or_two_when_complicated():
    assert rules.decision_due(
        received_on=date(2025, 3, 10), particularly_complicated=False
    ) == date(2025, 4, 10)
    assert rules.decision_due(received_on=date(2025, 3, 10), particularly_complicated=True) == date(
        2025, 5, 12
    )  # 10 May 2025 is a Saturday → Monday


def test_a_month_after_31_january_is_the_end_of_february():
    assert rules.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert rules.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_only_allowed_transitions():
    assert rules.can_transition(rules.INTERVIEW_SCHEDULED, rules.INTERVIEW_DONE)
    assert not rules.can_transition(rules.INTERVIEW_SCHEDULED, rules.DECISION_ISSUED)
    assert not rules.can_transition(rules.FINAL, rules.WITHDRAWN)
    for state in rules.TRANSITIONS:
        if state not in rules.CLOSED:
            assert rules.can_transition(state, rules.WITHDRAWN)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=1, max_value=40),
)
def test_working_day_deadlines_land_on_working_days_and_count_exactly(start, days):
    due = rules.add_working_days(start, days)
    assert rules.is_working_day(due)
    counted = sum(
        rules.is_working_day(start + timedelta(days=i)) for i in range(1, (due - start).days + 1)
    )
    assert counted == days


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_decision_deadline_is_never_before_a_month_and_is_a_working_day(received):
    due = rules.decision_due(received_on=received, particularly_complicated=False)
    assert rules.is_working_day(due)
    assert due >= rules.add_months(received, 1)
    assert due - rules.add_months(received, 1) < timedelta(days=6)
