"""Pure rules of payment schedules: which months a decision pays and when. No Django here."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class PlannedPayment:
    month: date  # first day of the month the benefit is for
    due_on: date
    amount: Decimal


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """First days of every month from `start`'s month to `end`'s month, both included."""
    months, current = [], first_of_month(start)
    while current <= first_of_month(end):
        months.append(current)
        current = next_month(current)
    return months


def monthly_plan(
    *,
    period_from: date,
    period_until: date | None,
    amount: Decimal,
    payment_day: int,
    issued_on: date,
    horizon: date,
) -> list[PlannedPayment]:
    """Monthly items of a periodic or permanent allowance.

    One item per month of the period, due on the centre's payment day of that month, or on
    the day of issue when that day has already passed. An open-ended period (zasiłek stały
    without an end) is planned up to `horizon`.
    """
    end = min(period_until, horizon) if period_until else horizon
    plan = []
    for month in months_between(period_from, end):
        due = max(month.replace(day=payment_day), issued_on)
        plan.append(PlannedPayment(month=month, due_on=due, amount=amount))
    return plan


def one_off_plan(*, amount: Decimal, issued_on: date, period_from: date | None) -> PlannedPayment:
    """A purpose allowance is paid once, as soon as it is decided."""
    day = max(period_from or issued_on, issued_on)
    return PlannedPayment(month=first_of_month(day), due_on=day, amount=amount)


def difference_owed(*, paid: Decimal, now_due: Decimal) -> Decimal:
    """What the centre still owes (positive) or was overpaid (negative) for a paid month
    after a change: recorded, never silently netted."""
    return now_due - paid
