"""Pure rules of payment schedules: which months a decision pays and when; the budget's
figures; repayment of undue benefits (instalments, set-off); health contributions.
No Django here."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal


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
    later_amount: Decimal | None = None,
    later_from_month: int = 7,
    max_payments: int | None = None,
    after: date | None = None,
) -> list[PlannedPayment]:
    """Monthly items of a periodic or permanent allowance, or of an integration benefit.

    One item per month of the period, due on the centre's payment day of that month, or on
    the day of issue when that day has already passed. An open-ended period (zasiłek stały
    without an end) is planned up to `horizon`. With `later_amount`, the months from the
    `later_from_month`-th month of the period on (counting the month of `period_from` as the
    first) pay that amount instead: the integration benefit drops to 90 % from month 7
    (u.p.s. art. 94; LAW.md §6). `max_payments` caps the count: a 12-month programme starting
    mid-month spans 13 calendar months but pays 12 monthly benefits. With `after`, only the
    months after that one (those not planned yet): the same items as the whole plan's, without
    building ten years of months to keep the last two.
    """
    end = min(period_until, horizon) if period_until else horizon
    start, first_number = first_of_month(period_from), 1
    if after is not None and after >= start:
        skipped_to = next_month(first_of_month(after))
        first_number += (skipped_to.year - start.year) * 12 + skipped_to.month - start.month
        start = skipped_to
    plan = []
    for number, month in enumerate(months_between(start, end), start=first_number):
        if max_payments is not None and number > max_payments:
            break
        due = max(month.replace(day=payment_day), issued_on)
        this = later_amount if later_amount is not None and number >= later_from_month else amount
        plan.append(PlannedPayment(month=month, due_on=due, amount=this))
    return plan


def one_off_plan(*, amount: Decimal, issued_on: date, period_from: date | None) -> PlannedPayment:
    """A purpose allowance is paid once, as soon as it is decided."""
    day = max(period_from or issued_on, issued_on)
    return PlannedPayment(month=first_of_month(day), due_on=day, amount=amount)


def difference_owed(*, paid: Decimal, now_due: Decimal) -> Decimal:
    """What the centre still owes (positive) or was overpaid (negative) for a paid month
    after a change: recorded, never silently netted."""
    return now_due - paid


# --- Budget ---------------------------------------------------------------------------------

MONTHS = range(1, 13)


@dataclass(frozen=True)
class MonthFigures:
    month: int  # 1–12
    committed: Decimal
    paid: Decimal


@dataclass(frozen=True)
class BudgetFigures:
    """One budget row of a year: planned, committed by issued decisions, paid, remaining."""

    planned: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal  # planned − committed; negative when the decisions exceed the plan
    months: tuple[MonthFigures, ...]  # always 12, January first


ZERO = Decimal("0.00")


def budget_figures(
    *,
    planned: Decimal,
    committed_by_month: dict[int, Decimal],
    paid_by_month: dict[int, Decimal],
) -> BudgetFigures:
    """Totals and the 12 months of one budget row; months missing from the maps are zero."""
    months = tuple(
        MonthFigures(
            month=m,
            committed=committed_by_month.get(m, ZERO),
            paid=paid_by_month.get(m, ZERO),
        )
        for m in MONTHS
    )
    committed = sum((m.committed for m in months), ZERO)
    paid = sum((m.paid for m in months), ZERO)
    return BudgetFigures(
        planned=planned,
        committed=committed,
        paid=paid,
        remaining=planned - committed,
        months=months,
    )


def budget_shortfall(*, remaining: Decimal, amount: Decimal) -> Decimal:
    """How much committing `amount` more would exceed what remains; zero if it fits."""
    return max(amount - remaining, ZERO)


def months_in_year(*, start: date, end: date | None, year: int) -> list[date]:
    """First days of the months from `start` to `end` (open-ended: to December) in `year`."""
    first, last = date(year, 1, 1), date(year, 12, 1)
    begin = max(first_of_month(start), first)
    finish = min(first_of_month(end), last) if end is not None else last
    return months_between(begin, finish) if begin <= finish else []


def stop_months(
    *, parents: dict[int, int | None], changes: list[tuple[int, int, date]]
) -> dict[int, date]:
    """The month from which each decision stops paying, as the schedule applies changes.

    `parents` maps an amending decision to the decision it changes; `changes` lists issued
    amending, revoking and suspending decisions as (id, changed decision id, effective day).
    A change on a decision stops that decision and every later amendment of it from its
    effective month (payments.services._apply_change), but never stops its own ancestors'
    amendments that it is part of: an amendment does not stop itself.
    """
    by_target: dict[int, list[tuple[int, date]]] = {}
    for change_id, target, effective in changes:
        by_target.setdefault(target, []).append((change_id, first_of_month(effective)))
    decisions = set(parents) | {target for _c, target, _e in changes}
    stops: dict[int, date] = {}
    for decision in decisions:
        line = []
        current: int | None = decision
        while current is not None and current not in line:
            line.append(current)
            current = parents.get(current)
        own_line = set(line)
        candidates = [
            effective
            for target in line
            for change_id, effective in by_target.get(target, [])
            if change_id not in own_line
        ]
        if candidates:
            stops[decision] = min(candidates)
    return stops


# --- Undue benefits: repayment by instalments and set-off (u.p.s. art. 98, 104) -------------


@dataclass(frozen=True)
class Instalment:
    due_on: date
    amount: Decimal


CENT = Decimal("0.01")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - date.resolution).day
    return date(year, month, min(day.day, last))


def equal_instalments(*, amount: Decimal, count: int, first_due: date) -> list[Instalment]:
    """`count` monthly instalments from `first_due`, equal to the grosz; the last one takes
    the remainder, so they always add up to `amount`."""
    if count < 1:
        raise ValueError("count must be at least 1")
    if amount <= 0:
        raise ValueError("amount must be positive")
    part = (amount / count).quantize(CENT, rounding=ROUND_DOWN)
    if part == 0:
        raise ValueError("too many instalments for the amount")
    plan = [Instalment(due_on=add_months(first_due, i), amount=part) for i in range(count - 1)]
    plan.append(
        Instalment(due_on=add_months(first_due, count - 1), amount=amount - part * (count - 1))
    )
    return plan


def instalments_problems(
    *, amount: Decimal, issued_on: date, instalments: list[Instalment]
) -> list[str]:
    """Why a repayment plan is wrong, as codes: empty, not_positive, places, before_issue,
    same_day, sum. An empty list means it is right."""
    if not instalments:
        return ["empty"]
    problems = []
    if any(i.amount <= 0 for i in instalments):
        problems.append("not_positive")
    if any(i.amount != i.amount.quantize(CENT) for i in instalments):
        problems.append("places")
    if any(i.due_on < issued_on for i in instalments):
        problems.append("before_issue")
    if len({i.due_on for i in instalments}) != len(instalments):
        problems.append("same_day")
    if sum((i.amount for i in instalments), ZERO) != amount:
        problems.append("sum")
    return problems


def due_by(*, instalments: list[Instalment], on: date) -> Decimal:
    """What the instalments due on or before `on` add up to."""
    return sum((i.amount for i in instalments if i.due_on <= on), ZERO)


def debt_balance(*, amount: Decimal, settled: Decimal) -> Decimal:
    """What is still owed: the amount less everything repaid, set off or waived."""
    return amount - settled


def arrears(
    *, instalments: list[Instalment], settled: Decimal, amount: Decimal, on: date
) -> Decimal:
    """What is due and unpaid on `on`: the instalments due by then less everything settled,
    never below zero and never above the balance. Settlements count against the earliest
    instalments first."""
    balance = debt_balance(amount=amount, settled=settled)
    return max(min(due_by(instalments=instalments, on=on) - settled, balance), ZERO)


def set_off_split(*, arrears: Decimal, available: list[Decimal]) -> list[Decimal]:
    """Deduct `arrears` from payments in order, each at most what it still has: no payment
    goes below zero. Returns the deduction from each payment (zero where nothing is taken)."""
    left = max(arrears, ZERO)
    taken = []
    for room in available:
        take = min(left, max(room, ZERO))
        taken.append(take)
        left -= take
    return taken


# --- Health insurance contributions of permanent-allowance recipients ----------------------

# Składka na ubezpieczenie zdrowotne: 9 % of the base (ustawa o świadczeniach opieki
# zdrowotnej, art. 79 ust. 1) (verify); move to LegalParameters, versioned by date.
HEALTH_CONTRIBUTION_RATE = Decimal("0.09")


def health_contribution(*, base: Decimal, rate: Decimal = HEALTH_CONTRIBUTION_RATE) -> Decimal:
    """The contribution on `base` (the permanent allowance), rounded half up to the grosz."""
    return (base * rate).quantize(CENT, rounding=ROUND_HALF_UP)
