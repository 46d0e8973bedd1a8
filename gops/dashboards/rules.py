"""Pure computations of the dashboards: months, running totals, the staffing norm.

No Django here (see docs/pulpit.md for the definitions).
"""

from collections.abc import Iterable, Mapping
from datetime import date

# u.p.s. art. 110 ust. 11: one social worker per at most 50 families and single persons in
# social work; ust. 12: at least three social workers in a centre.
STAFFING_NORM = 50
MINIMUM_WORKERS = 3


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def shift_month(month: date, months: int) -> date:
    """The first day of the month `months` after (negative: before) the month of `month`."""
    index = month.year * 12 + (month.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def last_months(today: date, count: int = 12) -> list[date]:
    """The first days of the `count` months ending with the month of `today`, oldest first."""
    if count < 1:
        raise ValueError("count must be positive")
    current = first_of_month(today)
    return [shift_month(current, offset) for offset in range(1 - count, 1)]


def bucket_by_month(months: Iterable[date], counts: Mapping[date, int]) -> list[tuple[date, int]]:
    """Each month with its count (zero when absent); counts keyed by any day of the month."""
    by_month: dict[date, int] = {}
    for day, value in counts.items():
        key = first_of_month(day)
        by_month[key] = by_month.get(key, 0) + value
    return [(month, by_month.get(month, 0)) for month in months]


def running_totals(values: Iterable):
    """The cumulative sums of `values`, in order (the type of the values is kept)."""
    totals = []
    total = None
    for value in values:
        total = value if total is None else total + value
        totals.append(total)
    return totals


def percent(part: int, whole: int) -> int | None:
    """`part` as a whole percentage of `whole`, rounded half up; None when `whole` is zero."""
    if whole <= 0:
        return None
    if part < 0:
        raise ValueError("part must not be negative")
    return (200 * part + whole) // (2 * whole)


def norm_percent(caseload: int, norm: int = STAFFING_NORM) -> int:
    """A worker's caseload as a percentage of the norm (100 = exactly 50 families)."""
    if norm <= 0:
        raise ValueError("norm must be positive")
    result = percent(caseload, norm)
    assert result is not None
    return result


def over_norm(caseload: int, norm: int = STAFFING_NORM) -> bool:
    """More families and single persons than the norm allows one worker."""
    return caseload > norm


def workers_needed(caseload: int, norm: int = STAFFING_NORM, minimum: int = MINIMUM_WORKERS) -> int:
    """Social workers the centre's caseload calls for: ⌈caseload / norm⌉, at least `minimum`."""
    if caseload < 0:
        raise ValueError("caseload must not be negative")
    return max(minimum, -(-caseload // norm))
