from datetime import date

from gops.families import rules


def test_the_first_assessment_is_due_half_a_year_after_the_start():
    assert rules.next_assessment_due(date(2025, 1, 15)) == date(2025, 7, 15)


def test_a_due_date_past_the_end_of_a_short_month_falls_on_its_last_day():
    assert rules.next_assessment_due(date(2025, 8, 31)) == date(2026, 2, 28)


def test_an_assessment_is_overdue_only_when_past_due_and_not_done():
    assert rules.is_overdue(due_on=date(2025, 6, 1), done_on=None, today=date(2025, 6, 2))
    assert not rules.is_overdue(due_on=date(2025, 6, 1), done_on=None, today=date(2025, 6, 1))
    assert not rules.is_overdue(
        due_on=date(2025, 6, 1), done_on=date(2025, 6, 3), today=date(2025, 6, 9)
    )


def test_the_caseload_limit_refuses_only_when_full():
    assert not rules.caseload_refusal(current=14, limit=15)
    assert rules.caseload_refusal(current=15, limit=15)


def test_age_counts_full_years():
    assert rules.age(birth_date=date(2014, 6, 11), today=date(2025, 6, 10)) == 10
    assert rules.age(birth_date=date(2014, 6, 10), today=date(2025, 6, 10)) == 11
