"""Pure rules of the individual integration programme (u.p.s. art. 91–95; LAW.md §6).

No Django here. The base amount is a legal parameter (LegalParameters.integration_benefit_single),
versioned by the date it takes effect; the percentages below are those LAW.md §6 gives.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

MAX_MONTHS = 12  # support for up to 12 months (LAW.md §6)
APPLICATION_DAYS = 60  # application within 60 days of the grant of protection (art. 92 ust. 1)
SECOND_HALF_FROM_MONTH = 7
SECOND_HALF_PERCENT = Decimal("90")
GROSZ = Decimal("0.01")


def per_person_percent(family_size: int) -> Decimal:
    """Share of the single-person amount paid per person: 100 % alone, 70 / 60 / 50 % per
    person in families of 2 / 3 / 4 or more (LAW.md §6)."""
    if family_size < 1:
        raise ValueError("family_size must be at least 1")
    return {1: Decimal("100"), 2: Decimal("70"), 3: Decimal("60")}.get(family_size, Decimal("50"))


@dataclass(frozen=True)
class IntegrationBenefit:
    months_1_6: Decimal  # monthly amount for the whole family, months 1–6
    months_7_12: Decimal  # 90 % of it, months 7–12
    explanation: str
    legal_basis: tuple[str, ...] = ("u.p.s. art. 92", "u.p.s. art. 94")


def second_half_amount(first_half: Decimal) -> Decimal:
    """Months 7–12: 90 % of the monthly amount of months 1–6, to the grosz (half up)."""
    return (first_half * SECOND_HALF_PERCENT / 100).quantize(GROSZ, ROUND_HALF_UP)


def integration_benefit(*, single_amount: Decimal, family_size: int) -> IntegrationBenefit:
    """The monthly cash benefit of a programme for `family_size` persons.

    Worked example (LAW.md §6, 1335 zł): a single person 1335.00 then 1201.50; a family of
    three 3 × 60 % × 1335 = 2403.00 then 2162.70.
    """
    if single_amount < 0:
        raise ValueError("single_amount must not be negative")
    percent = per_person_percent(family_size)
    per_person = (single_amount * percent / 100).quantize(GROSZ, ROUND_HALF_UP)
    first = per_person * family_size
    later = second_half_amount(first)
    explanation = (
        f"Osób objętych programem: {family_size}; na osobę {percent}% kwoty "
        f"{single_amount:.2f} zł = {per_person:.2f} zł; miesiące 1–6: {first:.2f} zł, "
        f"miesiące 7–12: {SECOND_HALF_PERCENT}% = {later:.2f} zł."
    )
    return IntegrationBenefit(months_1_6=first, months_7_12=later, explanation=explanation)


def latest_end(starts_on: date) -> date:
    """The last day a programme starting on `starts_on` may run: 12 months counted as in
    k.p.a. art. 57 § 3 — the day before the same day 12 months on, or the last day of that
    month when it has no such day (a start on 29 February ends on 28 February)."""
    month_index = starts_on.month - 1 + MAX_MONTHS
    year, month = starts_on.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if starts_on.day > last_day:
        return date(year, month, last_day)
    return date(year, month, starts_on.day) - timedelta(days=1)


def too_long(*, starts_on: date, ends_on: date) -> bool:
    return ends_on > latest_end(starts_on)


def application_late(*, protection_granted_on: date, applied_on: date) -> bool:
    """An application more than 60 days after the grant of protection is late."""
    return applied_on > protection_granted_on + timedelta(days=APPLICATION_DAYS)


def programme_month(*, starts_on: date, month: date) -> int:
    """The 1-based month of the programme that calendar month `month` falls in."""
    return (month.year - starts_on.year) * 12 + month.month - starts_on.month + 1
