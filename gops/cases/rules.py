"""Pure rules of case handling: statutory deadlines and the application's life cycle.

No Django here. The Polish public holidays come from the `holidays` package (country PL),
so that a new holiday in law (e.g. Christmas Eve from 2025) is a package update, not code.
"""

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

# --- Working days ---------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _polish_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("PL", years=year).keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday, except Polish public holidays (ustawa o dniach wolnych od pracy)."""
    return day.weekday() < 5 and day not in _polish_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start`, counting from the next day.

    A deadline counted in days starts on the day after the event (k.p.a. art. 57 § 1).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


# RWŚ deadlines: u.p.s. art. 107 with the regulation of 8 April 2021 (Dz.U. 2021 poz. 893), § 3.
INTERVIEW_WORKING_DAYS = 14
INTERVIEW_WORKING_DAYS_URGENT = 2


def interview_due(*, received_on: date, urgent: bool) -> date:
    """When the family community interview must be done: 14 working days, 2 when urgent."""
    days = INTERVIEW_WORKING_DAYS_URGENT if urgent else INTERVIEW_WORKING_DAYS
    return add_working_days(received_on, days)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where that day does not exist.

    A deadline in months ends on the corresponding day (k.p.a. art. 57 § 3).
    """
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def move_off_holiday(day: date) -> date:
    """A deadline ending on a Saturday or a public holiday ends the next working day
    (k.p.a. art. 57 § 4)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def decision_due(*, received_on: date, particularly_complicated: bool) -> date:
    """k.p.a. art. 35 § 3: one month, two months for a particularly complicated case."""
    return move_off_holiday(add_months(received_on, 2 if particularly_complicated else 1))


# Update interviews for permanent help: at least every 6 months (art. 107 ust. 4a).
INTERVIEW_UPDATE_MONTHS = 6


def interview_update_due(*, last_interview_on: date) -> date:
    return add_months(last_interview_on, INTERVIEW_UPDATE_MONTHS)


# --- Life cycle of an application -------------------------------------------------------------

REGISTERED = "registered"
INTERVIEW_SCHEDULED = "interview_scheduled"
INTERVIEW_DONE = "interview_done"
DECISION_DRAFTED = "decision_drafted"
DECISION_ISSUED = "decision_issued"
FINAL = "final"
WITHDRAWN = "withdrawn"
LEFT_WITHOUT_CONSIDERATION = "left_without_consideration"

CLOSED = frozenset({FINAL, WITHDRAWN, LEFT_WITHOUT_CONSIDERATION})

TRANSITIONS: dict[str, frozenset[str]] = {
    REGISTERED: frozenset({INTERVIEW_SCHEDULED, WITHDRAWN, LEFT_WITHOUT_CONSIDERATION}),
    INTERVIEW_SCHEDULED: frozenset({INTERVIEW_DONE, WITHDRAWN, LEFT_WITHOUT_CONSIDERATION}),
    # After the interview a decision is drafted; a drafted decision may be discarded.
    INTERVIEW_DONE: frozenset({DECISION_DRAFTED, WITHDRAWN, LEFT_WITHOUT_CONSIDERATION}),
    DECISION_DRAFTED: frozenset(
        {DECISION_ISSUED, INTERVIEW_DONE, WITHDRAWN, LEFT_WITHOUT_CONSIDERATION}
    ),
    DECISION_ISSUED: frozenset({FINAL, WITHDRAWN, LEFT_WITHOUT_CONSIDERATION}),
    FINAL: frozenset(),
    WITHDRAWN: frozenset(),
    LEFT_WITHOUT_CONSIDERATION: frozenset(),
}


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())
