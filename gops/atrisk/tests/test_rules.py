"""The pure conditions of the lists: examples from the law and properties."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gops.atrisk import rules

days = st.dates(min_value=date(2019, 1, 1), max_value=date(2035, 12, 31))
amounts = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)


def test_examples_of_the_income_criterion():
    assert rules.criterion_for(persons=1, single=Decimal(1010), per_person=Decimal(823)) == 1010
    assert rules.criterion_for(persons=3, single=Decimal(1010), per_person=Decimal(823)) == 823
    assert rules.income_per_person(total=Decimal("2469"), persons=3) == Decimal("823.00")
    # Art. 8 ust. 1: "nie przekracza" — exactly the criterion still qualifies.
    assert rules.within_income_criterion(per_person_income=Decimal(823), criterion=Decimal(823))
    assert not rules.within_income_criterion(
        per_person_income=Decimal("823.01"), criterion=Decimal(823)
    )


@given(total=amounts, persons=st.integers(min_value=1, max_value=12))
def test_income_per_person_times_persons_is_the_total_within_rounding(total, persons):
    per_person = rules.income_per_person(total=total, persons=persons)
    assert abs(per_person * persons - total) <= Decimal("0.005") * persons


def test_help_examples():
    today = date(2026, 1, 15)
    assert rules.payment_window_start(today) == date(2025, 10, 15)
    assert not rules.gets_no_help(has_decision_in_force=True, last_payment_on=None, today=today)
    assert not rules.gets_no_help(
        has_decision_in_force=False, last_payment_on=date(2025, 10, 15), today=today
    )
    assert rules.gets_no_help(
        has_decision_in_force=False, last_payment_on=date(2025, 10, 14), today=today
    )
    assert rules.gets_no_help(has_decision_in_force=False, last_payment_on=None, today=today)


@given(today=days, start=days, length=st.integers(min_value=0, max_value=800))
def test_a_decision_is_in_force_exactly_within_its_period(today, start, length):
    until = start + timedelta(days=length)
    in_force = rules.decision_in_force(
        period_from=start, period_until=until, issued_on=start, today=today
    )
    assert in_force == (start <= today <= until)


def test_a_one_off_decision_counts_for_three_months_after_issue():
    today = date(2026, 1, 15)
    one_off = dict(period_from=None, period_until=None, today=today)
    assert rules.decision_in_force(issued_on=date(2025, 11, 1), **one_off)
    assert not rules.decision_in_force(issued_on=date(2025, 9, 1), **one_off)
    assert not rules.decision_in_force(issued_on=None, **one_off)


def test_interview_update_examples():
    today = date(2026, 1, 15)
    # Last interview 2025-07-20: update due 2026-01-20, within 30 days.
    assert rules.interview_update_listed(last_interview_on=date(2025, 7, 20), today=today) == (
        True,
        date(2026, 1, 20),
    )
    # Due 2026-02-15 is 31 days away: not yet.
    assert rules.interview_update_listed(last_interview_on=date(2025, 8, 15), today=today) == (
        False,
        date(2026, 2, 15),
    )
    assert rules.interview_update_listed(last_interview_on=None, today=today) == (True, None)
    overdue = rules.interview_update_reason(
        last_interview_on=date(2025, 5, 1), due=date(2025, 11, 1), today=today
    )
    assert "zaległa od 01.11.2025" in overdue


@given(last=days, today=days)
def test_listed_for_the_interview_exactly_when_due_within_30_days(last, today):
    listed, due = rules.interview_update_listed(last_interview_on=last, today=today)
    assert due is not None
    assert due > last
    assert listed == ((due - today).days <= 30)


@given(valid_until=st.one_of(st.none(), days), today=days, alert=st.integers(0, 365))
def test_documents_listed_when_expired_or_expiring_within_the_alert(valid_until, today, alert):
    listed = rules.document_listed(valid_until=valid_until, today=today, alert_days=alert)
    assert listed == (valid_until is not None and (valid_until - today).days <= alert)


def test_document_reason_examples():
    today = date(2026, 1, 15)
    text = rules.documents_reason(
        disability_until=date(2026, 2, 14), residence_until=date(2026, 1, 1), today=today
    )
    assert "Orzeczenie o niepełnosprawności traci ważność 14.02.2026 (za 30 dni)" in text
    assert "Dokument pobytowy stracił(o) ważność 01.01.2026" in text


def test_winter_is_november_to_march():
    assert [m for m in range(1, 13) if rules.is_winter(date(2026, m, 1))] == [1, 2, 3, 11, 12]


@given(today=days, nights=st.integers(1, 14), gap=st.one_of(st.none(), st.integers(1, 60)))
def test_homeless_unseen_exactly_when_no_night_in_the_window_in_winter(today, nights, gap):
    last = None if gap is None else today - timedelta(days=gap)
    unseen = rules.homeless_unseen(last_seen_night=last, today=today, nights=nights)
    expected = rules.is_winter(today) and (gap is None or gap > nights)
    assert unseen == expected


def test_homeless_examples():
    today = date(2026, 1, 15)
    assert rules.homeless_unseen(last_seen_night=date(2026, 1, 11), today=today, nights=3)
    assert not rules.homeless_unseen(last_seen_night=date(2026, 1, 12), today=today, nights=3)
    assert not rules.homeless_unseen(last_seen_night=None, today=date(2026, 6, 1), nights=3)


def test_child_examples():
    today = date(2026, 1, 15)
    assert rules.is_child(birth_date=date(2008, 1, 16), today=today)
    assert not rules.is_child(birth_date=date(2008, 1, 15), today=today)  # 18 today
    assert not rules.is_child(birth_date=None, today=today)
    assert rules.child_blue_card_listed(
        birth_date=date(2015, 1, 1), today=today, open_blue_card=True, active_family_support=False
    )
    assert not rules.child_blue_card_listed(
        birth_date=date(2015, 1, 1), today=today, open_blue_card=True, active_family_support=True
    )


@given(birth=days, today=days)
def test_age_agrees_with_the_birthday(birth, today):
    if birth > today:
        assert not rules.is_child(birth_date=birth, today=today)
        return
    age = rules.age_on(birth_date=birth, today=today)
    assert age >= 0
    assert rules.is_child(birth_date=birth, today=today) == (age < 18)
