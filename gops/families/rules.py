"""Pure rules of family assistance: caseload and the half-yearly assessment. No Django here."""

from datetime import date

# Ustawa o wspieraniu rodziny art. 15 ust. 1 pkt 16: the family is assessed at least every
# half-year.
ASSESSMENT_EVERY_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_assessment_due(last: date) -> date:
    """When the next assessment is due: half a year after the start or the last assessment."""
    return add_months(last, ASSESSMENT_EVERY_MONTHS)


def is_overdue(*, due_on: date | None, done_on: date | None, today: date) -> bool:
    return due_on is not None and done_on is None and due_on < today


def caseload_refusal(*, current: int, limit: int) -> bool:
    """True when an assistant with `current` families may not take one more (art. 15 ust. 4)."""
    return current >= limit


def age(*, birth_date: date | None, today: date) -> int | None:
    """Full years of age on `today`."""
    if birth_date is None:
        return None
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday
