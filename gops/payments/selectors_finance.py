"""Reads of finance: the budget (planned, committed, paid, remaining), debts of undue benefits
and their balance at a date, and the health contributions of permanent-allowance recipients.

The arithmetic is in rules.py; here only the figures are fetched.
"""

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import chain, groupby
from operator import attrgetter

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gops.accounts.models import Centre
from gops.benefits.models import Decision, DecisionKind, DecisionStatus
from gops.benefits.services import CASH, MONTHLY, PURPOSE
from gops.cases.models import BenefitKind
from gops.people.models import Person

from . import rules
from .models import (
    Budget,
    Debt,
    DebtSettlement,
    Funding,
    ItemStatus,
    Payment,
    PaymentStatus,
    ScheduleItem,
    SettlementKind,
)

ZERO = Decimal("0.00")
CHANGES = (DecisionKind.AMENDING, DecisionKind.REVOKING, DecisionKind.SUSPENDING)
PLANNERS = (DecisionKind.GRANTING, DecisionKind.AMENDING)
# Payments that did not happen: their set-offs settle nothing.
NOT_PAID_OUT = (PaymentStatus.RETURNED, PaymentStatus.NOT_COLLECTED)


# --- Budget ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundingLine:
    budget_id: int
    funding: str
    funding_label: str
    planned: Decimal
    closed: bool
    note: str


@dataclass(frozen=True)
class BudgetRow:
    """The budget of one benefit in a year: its lines by funding and the figures of all.

    Decisions do not say which money pays them, so committed and paid belong to the benefit;
    a benefit planned from two sources shows both lines and one set of figures.
    """

    benefit: str
    benefit_label: str
    lines: tuple[FundingLine, ...]
    figures: rules.BudgetFigures

    @property
    def closed(self) -> bool:
        return any(line.closed for line in self.lines)


def _zl(value: Decimal) -> str:
    """Money in a message, in the user's language's format (1013,00 in Polish)."""
    return number_format(value, decimal_pos=2)


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def committed_by_month(
    *, centre: Centre, year: int, benefit: str | None = None
) -> dict[str, dict[int, Decimal]]:
    """What issued decisions commit in each month of `year`, per benefit.

    A month counts the schedule item of a decision when there is one (not cancelled), and
    otherwise the decision's amount for each month it will still pay: the schedule is planned
    only a couple of months ahead (payments.services.HORIZON_MONTHS), while the budget needs
    the whole year. A month after a later change took effect counts only if it was already
    paid or put on a payroll.
    """
    first, last = _year_bounds(year)
    benefits = [benefit] if benefit else list(CASH)
    issued = Decision.objects.filter(
        centre=centre, status=DecisionStatus.ISSUED, benefit__in=benefits
    )
    changes = list(
        issued.filter(kind__in=CHANGES).values_list("pk", "changes_decision_id", "period_from")
    )
    parents = {pk: target for pk, target, _from in changes}
    stops = rules.stop_months(parents=parents, changes=changes)

    monthly = issued.filter(
        kind__in=PLANNERS,
        benefit__in=MONTHLY,
        amount__isnull=False,
        period_from__lte=last,
    ).filter(Q(period_until__isnull=True) | Q(period_until__gte=first))
    one_off = (
        issued.filter(kind=DecisionKind.GRANTING, benefit__in=PURPOSE, amount__isnull=False)
        .filter(issued_on__lte=last)
        .filter(Q(issued_on__gte=first) | Q(period_from__gte=first))
    )

    committed: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    year_items = ScheduleItem.objects.filter(
        centre=centre, decision__benefit__in=benefits, month__gte=first, month__lte=last
    )
    # A large city's year holds 800,000 items: the database sums the items of decisions no
    # change can stop, and only the others (amendments and decisions with a change on them,
    # a superset of `stops`) are read one by one (docs/performance.md, "Large city").
    amendment = Q(decision__kind=DecisionKind.AMENDING)
    changed = Q(
        decision_id__in=issued.filter(kind__in=CHANGES, changes_decision__isnull=False).values(
            "changes_decision_id"
        )
    )
    # Written as ANDs, never an OR across the join: the database then answers each with an
    # index or a hash (anti-)join instead of testing every item of the year.
    for code, month, total in (
        year_items.exclude(amendment)
        .exclude(changed)
        .exclude(status=ItemStatus.CANCELLED)
        .values_list("decision__benefit", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        committed[code][month.month] += total
    on_payroll = Exists(
        Payment.objects.filter(item=OuterRef("pk")).exclude(status=PaymentStatus.RETURNED)
    )
    columns = ("decision_id", "decision__benefit", "month", "amount", "status", "on_payroll")
    items = chain(
        year_items.filter(amendment).annotate(on_payroll=on_payroll).values_list(*columns),
        year_items.exclude(amendment)
        .filter(changed)
        .annotate(on_payroll=on_payroll)
        .values_list(*columns),
    )
    for decision_id, code, month, amount, status, on_payroll in items:
        if status == ItemStatus.CANCELLED:
            continue
        stop = stops.get(decision_id)
        if stop is None or month < stop or on_payroll:
            committed[code][month.month] += amount
    # Months that already have an item (cancelled ones too), per decision: the item is the
    # truth for them, the decision's amount for the others.
    planned = _planned_months(year_items)

    for pk, code, start, until, amount in monthly.values_list(
        "pk", "benefit", "period_from", "period_until", "amount"
    ).iterator(chunk_size=5000):
        stop = stops.get(pk)
        for month in rules.months_in_year(start=start, end=until, year=year):
            if (stop is None or month < stop) and (pk, month) not in planned:
                committed[code][month.month] += amount

    for pk, code, start, issued_on, amount in one_off.values_list(
        "pk", "benefit", "period_from", "issued_on", "amount"
    ):
        plan = rules.one_off_plan(amount=amount, issued_on=issued_on, period_from=start)
        stop = stops.get(pk)
        if (
            plan.month.year == year
            and (pk, plan.month) not in planned
            and (stop is None or plan.month < stop)
        ):
            committed[code][plan.month.month] += amount
    return {code: dict(months) for code, months in committed.items()}


class _PlannedMonths:
    """(decision id, month) pairs that have a schedule item, kept per decision as its first
    and last month when the months between have an item each (nearly always: planning adds
    month after month), else as the set of its months."""

    def __init__(self, spans: dict[int, tuple[date, date]], gaps: set[tuple[int, date]]):
        self.spans = spans
        self.gaps = gaps

    def __contains__(self, pair: tuple[int, date]) -> bool:
        decision_id, month = pair
        span = self.spans.get(decision_id)
        if span is not None:
            return span[0] <= month <= span[1]
        return pair in self.gaps


def _planned_months(items: QuerySet[ScheduleItem]) -> _PlannedMonths:
    spans, with_gaps = {}, []
    for decision_id, first, last, count in (
        items.values("decision_id")
        .annotate(first=Min("month"), last=Max("month"), count=Count("pk"))
        .values_list("decision_id", "first", "last", "count")
        .order_by()
    ):
        # One item per month of a decision (item_one_per_month): no gap when they fill it.
        if count == (last.year - first.year) * 12 + last.month - first.month + 1:
            spans[decision_id] = (first, last)
        else:
            with_gaps.append(decision_id)
    gaps = set(items.filter(decision_id__in=with_gaps).values_list("decision_id", "month"))
    return _PlannedMonths(spans, gaps)


def paid_by_month(
    *, centre: Centre, year: int, benefit: str | None = None
) -> dict[str, dict[int, Decimal]]:
    """Payments paid in each month of `year` (by the day paid), per benefit: the whole
    benefit, including any part set off against a debt, which is a recovery, not a saving."""
    first, last = _year_bounds(year)
    qs = Payment.objects.filter(
        centre=centre, status=PaymentStatus.PAID, paid_on__gte=first, paid_on__lte=last
    )
    if benefit:
        qs = qs.filter(item__decision__benefit=benefit)
    rows = (
        qs.annotate(m=ExtractMonth("paid_on"))
        .values_list("item__decision__benefit", "m")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    paid: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for code, month, total in rows:
        paid[code][month] = paid[code].get(month, ZERO) + total
    return dict(paid)


def budget_overview(*, centre: Centre, year: int) -> list[BudgetRow]:
    """Every cash benefit the centre planned, committed or paid in `year`, with its figures."""
    lines: dict[str, list[FundingLine]] = defaultdict(list)
    for budget in Budget.objects.filter(centre=centre, year=year).order_by("benefit", "funding"):
        lines[budget.benefit].append(
            FundingLine(
                budget_id=budget.pk,
                funding=budget.funding,
                funding_label=str(Funding(budget.funding).label),
                planned=budget.planned,
                closed=budget.closed,
                note=budget.note,
            )
        )
    committed = committed_by_month(centre=centre, year=year)
    paid = paid_by_month(centre=centre, year=year)
    labels = dict(BenefitKind.choices)
    order = [code for code, _label in BenefitKind.choices]
    codes = sorted(set(lines) | set(committed) | set(paid), key=order.index)
    return [
        BudgetRow(
            benefit=code,
            benefit_label=str(labels[code]),
            lines=tuple(lines.get(code, ())),
            figures=rules.budget_figures(
                planned=sum((line.planned for line in lines.get(code, ())), ZERO),
                committed_by_month=committed.get(code, {}),
                paid_by_month=paid.get(code, {}),
            ),
        )
        for code in codes
    ]


def budget_remaining(*, centre: Centre, benefit: str, year: int) -> Decimal | None:
    """What remains of the year's budget of `benefit`; None when nothing is planned for it."""
    planned = Budget.objects.filter(centre=centre, year=year, benefit=benefit).aggregate(
        total=Sum("planned")
    )["total"]
    if planned is None:
        return None
    months = committed_by_month(centre=centre, year=year, benefit=benefit).get(benefit, {})
    return planned - sum(months.values(), ZERO)


def budget_check(*, centre: Centre, benefit: str, year: int, amount: Decimal) -> str | None:
    """A warning when committing `amount` more to `benefit` in `year` would exceed what remains
    of its budget, or its budget is closed; None when it fits or nothing is planned."""
    lines = Budget.objects.filter(centre=centre, year=year, benefit=benefit)
    if not lines.exists():
        return None
    label = str(dict(BenefitKind.choices).get(benefit, benefit))
    if lines.filter(closed=True).exists():
        return _("The budget of %(benefit)s for %(year)s is closed.") % {
            "benefit": label,
            "year": year,
        }
    remaining = budget_remaining(centre=centre, benefit=benefit, year=year)
    shortfall = rules.budget_shortfall(remaining=remaining, amount=amount)
    if shortfall <= 0:
        return None
    return _(
        "This decision commits %(amount)s zł in %(year)s, but only %(remaining)s zł remains "
        "of the budget of %(benefit)s: %(shortfall)s zł short. The head of the centre decides "
        "whether it can be issued."
    ) % {
        "amount": _zl(amount),
        "year": year,
        "remaining": _zl(remaining),
        "benefit": label,
        "shortfall": _zl(shortfall),
    }


def decision_commitment_by_year(*, decision: Decision, today: date) -> dict[int, Decimal]:
    """What a drafted decision would add to the commitments of each year it pays in.

    A grant commits its amount for each month of its period (an open-ended one to the end of
    its first year); an amendment commits the rise over the decision it changes (a cut
    commits nothing). Revoking and suspending decisions commit nothing.
    """
    if decision.amount is None or decision.benefit not in CASH:
        return {}
    if decision.kind == DecisionKind.GRANTING and decision.benefit in PURPOSE:
        plan = rules.one_off_plan(
            amount=decision.amount,
            issued_on=decision.issued_on or today,
            period_from=decision.period_from,
        )
        return {plan.month.year: decision.amount}
    if decision.kind not in PLANNERS or decision.period_from is None:
        return {}
    rise = decision.amount
    if decision.kind == DecisionKind.AMENDING:
        before = decision.changes_decision.amount if decision.changes_decision else None
        rise = decision.amount - (before or ZERO)
    if rise <= 0:
        return {}
    until = decision.period_until
    years = range(decision.period_from.year, (until or decision.period_from).year + 1)
    by_year = {}
    for year in years:
        months = rules.months_in_year(start=decision.period_from, end=until, year=year)
        if months:
            by_year[year] = rise * len(months)
    return by_year


def decision_budget_warnings(*, decision: Decision, today: date) -> list[str]:
    """The budget warnings of a drafted decision, one per year it would exceed."""
    warnings = []
    for year, amount in sorted(decision_commitment_by_year(decision=decision, today=today).items()):
        warning = budget_check(
            centre=decision.centre, benefit=decision.benefit, year=year, amount=amount
        )
        if warning:
            warnings.append(warning)
    return warnings


# --- Debts of undue benefits ----------------------------------------------------------------


def settlements_effective() -> QuerySet[DebtSettlement]:
    """Settlements that count: a set-off on a payment that was returned or not collected
    did not happen."""
    return DebtSettlement.objects.exclude(
        kind=SettlementKind.SET_OFF, payment__status__in=NOT_PAID_OUT
    )


def debt_settled(*, debt: Debt, on: date | None = None) -> Decimal:
    """Everything repaid, set off or waived on the debt, up to `on` (inclusive) or ever."""
    qs = settlements_effective().filter(debt=debt)
    if on is not None:
        qs = qs.filter(on__lte=on)
    return qs.aggregate(total=Sum("amount"))["total"] or ZERO


def debt_balance_of(*, debt: Debt, on: date | None = None) -> Decimal:
    """What the person still owes on this debt at the end of `on` (or now)."""
    if on is not None and on < debt.issued_on:
        return ZERO
    return rules.debt_balance(amount=debt.amount, settled=debt_settled(debt=debt, on=on))


def debt_balance(*, person: Person, on: date) -> Decimal:
    """What the person owes on all their undue-benefit debts at the end of `on`: the
    amounts set by repayment decisions issued by then, less what was settled by then."""
    owed = Debt.objects.filter(person=person, issued_on__lte=on).aggregate(total=Sum("amount"))[
        "total"
    ]
    settled = (
        settlements_effective()
        .filter(debt__person=person, debt__issued_on__lte=on, on__lte=on)
        .aggregate(total=Sum("amount"))["total"]
    )
    return (owed or ZERO) - (settled or ZERO)


def debt_instalments(debt: Debt) -> list[rules.Instalment]:
    return [
        rules.Instalment(due_on=due_on, amount=amount)
        for due_on, amount in debt.instalments.order_by("due_on").values_list("due_on", "amount")
    ]


def debt_queryset_for_user(*, user) -> QuerySet[Debt]:
    """The debts of the user's centre, for those who may see them."""
    if not user.is_authenticated or not user.has_perm("payments.view_debt"):
        return Debt.objects.none()
    return Debt.objects.filter(centre_id=user.centre_id)


def debt_get_for_user(*, user, debt_id: int) -> Debt:
    debt = (
        debt_queryset_for_user(user=user)
        .select_related("person", "source_decision", "created_by")
        .filter(pk=debt_id)
        .first()
    )
    if debt is None:
        raise Http404
    return debt


def debt_list(*, user, status: str | None = None) -> QuerySet[Debt]:
    """The centre's debts with what has been settled on each (annotated `settled`)."""
    settled = (
        settlements_effective()
        .filter(debt=OuterRef("pk"))
        .order_by()
        .values("debt")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    qs = debt_queryset_for_user(user=user).select_related("person", "source_decision")
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(settled=Coalesce(Subquery(settled), ZERO))


def changed_decisions_of(*, person: Person) -> QuerySet[Decision]:
    """The person's issued cash decisions that a later issued decision amended or revoked:
    the decisions a repayment of undue benefits can stem from."""
    changed = Decision.objects.filter(
        changes_decision=OuterRef("pk"),
        status=DecisionStatus.ISSUED,
        kind__in=[DecisionKind.AMENDING, DecisionKind.REVOKING],
    )
    return (
        Decision.objects.filter(
            person=person,
            status=DecisionStatus.ISSUED,
            kind__in=PLANNERS,
            benefit__in=list(CASH),
        )
        .filter(Exists(changed))
        .order_by("-issued_on", "-pk")
    )


# --- Health insurance contributions (składka zdrowotna) -------------------------------------


@dataclass(frozen=True)
class ContributionRow:
    person_id: int
    pesel: str
    surnames: str
    first_names: str
    allowance: Decimal  # the base: the permanent allowance of the month
    contribution: Decimal
    paid: bool  # False: on a payroll, not paid yet


def health_contribution_list(*, centre: Centre, month: date) -> list[ContributionRow]:
    """Permanent-allowance recipients for whom the centre pays the health insurance
    contribution for `month` (see health_contribution_rows)."""
    return list(health_contribution_rows(centre=centre, month=month))


def health_contribution_rows(*, centre: Centre, month: date) -> Iterator[ContributionRow]:
    """Permanent-allowance recipients for whom the centre pays the health insurance
    contribution for `month`: a permanent allowance of that month paid or on a payroll.
    One row per person, by surname, read from the database in chunks as they are consumed.

    The centre pays it for a person receiving zasiłek stały who is not insured on another
    ground (u.p.s. art. 37; ustawa o świadczeniach opieki zdrowotnej finansowanych ze środków
    publicznych, art. 66 ust. 1 pkt 26, art. 81) (verify). Whether someone is insured on
    another ground is not recorded here: the list is checked before it is declared.
    The base is the allowance itself, not what reached the person after a set-off.
    """
    month = rules.first_of_month(month)
    payments = (
        Payment.objects.filter(
            centre=centre,
            item__month=month,
            item__decision__benefit=BenefitKind.PERMANENT,
            status__in=[PaymentStatus.PAID, PaymentStatus.PENDING],
        )
        .select_related("person")
        .order_by("person__surnames", "person__first_names", "person_id", "pk")
    )
    # Ordered by person, so each person's payments come one after another.
    for _person_id, group in groupby(
        payments.iterator(chunk_size=2000), key=attrgetter("person_id")
    ):
        person_payments = list(group)
        person = person_payments[0].person
        allowance = sum((p.amount for p in person_payments), ZERO)
        yield ContributionRow(
            person_id=person.pk,
            pesel=person.pesel or "",
            surnames=person.surnames,
            first_names=person.first_names,
            allowance=allowance,
            contribution=rules.health_contribution(base=allowance),
            paid=all(p.status == PaymentStatus.PAID for p in person_payments),
        )


class _Line:
    """What csv.writer writes into: it hands back the line instead of keeping it."""

    def write(self, line: str) -> str:
        return line


# Lines of a CSV handed on at a time: a streamed response writes each piece it is given.
CSV_BLOCK_LINES = 500


def contributions_csv(*, centre: Centre, month: date) -> Iterator[str]:
    """The list of `month` as CSV for a spreadsheet in Polish settings: semicolons, decimal
    commas, a header row. Made in pieces of whole lines as they are consumed (a streamed
    download), in the language active when this is called."""

    def money(value: Decimal) -> str:
        return f"{value:.2f}".replace(".", ",")

    month = rules.first_of_month(month)
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    # Translated now: the lines may be consumed after the request's language is gone.
    header = [
        _("PESEL"),
        _("Surname"),
        _("First names"),
        _("Month"),
        _("Permanent allowance (base)"),
        _("Health contribution"),
        _("Paid"),
    ]
    yes, no = _("yes"), _("no")
    rows = health_contribution_rows(centre=centre, month=month)

    def blocks() -> Iterator[str]:
        block = [writer.writerow(header)]
        for row in rows:
            block.append(
                writer.writerow(
                    [
                        row.pesel,
                        row.surnames,
                        row.first_names,
                        f"{month:%Y-%m}",
                        money(row.allowance),
                        money(row.contribution),
                        yes if row.paid else no,
                    ]
                )
            )
            if len(block) >= CSV_BLOCK_LINES:
                yield "".join(block)
                block = []
        yield "".join(block)

    return blocks()
