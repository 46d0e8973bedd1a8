"""Pure counting rules of the MRPiPS-03 report (LAW.md §7; docs/raporty.md). No Django here.

The input is one row per payment made in the period (selectors.py loads them); the output is
the report's figures. The same rules give the drill-down of each figure, so a drill-down page
always adds up to the figure it explains.

Definitions (a "row" of the report is one benefit type and one kind of task):

- persons: distinct persons with at least one payment of the row's benefit, paid (status
  "paid", paid_on inside the period). Returned and uncollected payments are no payments.
- benefits: monthly benefits (permanent, periodic, integration) count one benefit per paid
  month of a person (a second payment for the same month — a top-up after an amendment — is
  not a second benefit); every other benefit counts each payment.
- amount: the sum of the payments' amounts (the benefit granted, before any set-off against a
  debt, which is still a benefit paid), Decimal.
- families: distinct households of those persons, the household of the decision's application.
- persons in families: the sum of those households' sizes, each household once per row; the
  size is the number of members in the snapshot of the application's latest community
  interview (1 when there is none); a household seen with several sizes counts the largest.
- total row: each person, household and family once however many benefit types; benefits and
  amount are the sums of the rows.
- families by reason (art. 7): each household once per reason that any of its paid
  applications in the period gives; persons are the sum of those households' sizes.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

OWN = "own"  # zadania własne gminy, u.p.s. art. 17
COMMISSIONED = "commissioned"  # zadania zlecone z zakresu administracji rządowej, art. 18
TASKS = (OWN, COMMISSIONED)

# Benefits that are commissioned tasks (art. 18), with the provision. Every other benefit of
# this system is an own task of the gmina (art. 17 ust. 1), e.g. zasiłek okresowy (pkt 4),
# zasiłek celowy (pkt 6), zasiłek stały (pkt 19) (verify the point numbers).
COMMISSIONED_BENEFITS: dict[str, str] = {
    # Zasiłek celowy na pokrycie wydatków związanych z klęską żywiołową lub ekologiczną
    # (art. 40 ust. 2) is a commissioned task: u.p.s. art. 18 ust. 1 pkt 4.
    "disaster": "u.p.s. art. 18 ust. 1 pkt 4",
}
OWN_TASK_BASIS = "u.p.s. art. 17 ust. 1"

# Benefits paid month by month: one paid month is one benefit.
MONTHLY_BENEFITS = frozenset({"permanent", "periodic", "integration"})

# The order of the rows: the order of cases.BenefitKind.
BENEFIT_ORDER = (
    "permanent",
    "periodic",
    "purpose",
    "special_purpose",
    "random_event",
    "disaster",
    "shelter",
    "meals",
    "clothing",
    "care_services",
    "funeral",
    "integration",
    "in_kind",
    "other",
)
# u.p.s. art. 7 in its official order (cases.AssistanceReason); the list is open.
REASON_ORDER = (
    "poverty",
    "orphanhood",
    "homelessness",
    "unemployment",
    "disability",
    "long_illness",
    "domestic_violence",
    "trafficking",
    "maternity_large_family",
    "parenting_helplessness",
    "foreigner_integration",
    "after_prison",
    "addiction",
    "crisis_event",
    "disaster",
    "other",
)

MEASURES = ("persons", "benefits", "amount", "families", "persons_in_families")
REASON_MEASURES = ("families", "persons_in_families")


def task_of(benefit: str) -> str:
    """Own (art. 17) or commissioned (art. 18) task."""
    return COMMISSIONED if benefit in COMMISSIONED_BENEFITS else OWN


def legal_basis_of_task(benefit: str) -> str:
    return COMMISSIONED_BENEFITS.get(benefit, OWN_TASK_BASIS)


def half_year_period(year: int, half: int | None) -> tuple[date, date]:
    """The period of the report: the first (1) or second (2) half of `year`, or the year."""
    if half is None:
        return date(year, 1, 1), date(year, 12, 31)
    if half == 1:
        return date(year, 1, 1), date(year, 6, 30)
    if half == 2:
        return date(year, 7, 1), date(year, 12, 31)
    raise ValueError("half must be 1, 2 or None")


@dataclass(frozen=True)
class PaymentRow:
    """One payment made in the period, as the report sees it."""

    payment_id: int
    person_id: int
    household_id: int
    household_size: int
    benefit: str
    task: str
    amount: Decimal
    month: date  # the month the benefit is for
    paid_on: date | None = None
    reasons: tuple[str, ...] = ()
    person_name: str = ""
    decision_number: str = ""


@dataclass(frozen=True)
class ReportRow:
    benefit: str  # "" in the total row
    task: str  # "" in the total row
    persons: int
    benefits: int
    amount: Decimal
    families: int
    persons_in_families: int


@dataclass(frozen=True)
class ReasonRow:
    reason: str
    families: int
    persons_in_families: int


@dataclass(frozen=True)
class Report:
    rows: list[ReportRow]
    total: ReportRow
    reasons: list[ReasonRow]

    @property
    def total_persons(self) -> int:
        return self.total.persons


def _benefit_key(row: PaymentRow) -> tuple:
    """What one benefit is: a paid month of a person (monthly benefits) or a payment."""
    if row.benefit in MONTHLY_BENEFITS:
        return ("m", row.person_id, row.month)
    return ("p", row.payment_id)


# Month numbers from January 2000, the bit of a paid month in a person's mask.
_MONTH_BASE = 2000 * 12


@dataclass
class _Acc:
    """One row's running figures. Memory grows with distinct persons and families, never
    with payments: a person's paid months of a monthly benefit are bits of one integer."""

    persons: set = field(default_factory=set)
    # (benefit, task, person_id) -> bitmask of the months paid (one benefit per month).
    monthly: dict = field(default_factory=dict)
    one_off: int = 0  # each payment of a one-off benefit is one benefit
    amount: Decimal = Decimal("0.00")
    families: dict = field(default_factory=dict)  # household_id -> size

    def add(self, row: PaymentRow) -> None:
        self.persons.add(row.person_id)
        if row.benefit in MONTHLY_BENEFITS:
            bit = 1 << (row.month.year * 12 + row.month.month - 1 - _MONTH_BASE)
            key = (row.benefit, row.task, row.person_id)
            self.monthly[key] = self.monthly.get(key, 0) | bit
        else:
            self.one_off += 1
        self.amount += row.amount
        size = self.families.get(row.household_id, 0)
        self.families[row.household_id] = max(size, row.household_size)

    @property
    def benefits(self) -> int:
        return self.one_off + sum(mask.bit_count() for mask in self.monthly.values())

    def result(self, benefit: str, task: str) -> ReportRow:
        return ReportRow(
            benefit=benefit,
            task=task,
            persons=len(self.persons),
            benefits=self.benefits,
            amount=self.amount,
            families=len(self.families),
            persons_in_families=sum(self.families.values()),
        )


def _order(key: tuple[str, str]) -> tuple:
    benefit, task = key
    place = BENEFIT_ORDER.index(benefit) if benefit in BENEFIT_ORDER else len(BENEFIT_ORDER)
    return (place, benefit, TASKS.index(task) if task in TASKS else 9, task)


def _reason_order(reason: str) -> tuple:
    place = REASON_ORDER.index(reason) if reason in REASON_ORDER else len(REASON_ORDER)
    return (place, reason)


def mrpips03(rows: Iterable[PaymentRow]) -> Report:
    """The report's figures, in one pass over the payment rows (memory grows with distinct
    persons and families, not with payments)."""
    groups: dict[tuple[str, str], _Acc] = {}
    total = _Acc()
    family_reasons: dict[int, set[str]] = {}
    for row in rows:
        groups.setdefault((row.benefit, row.task), _Acc()).add(row)
        total.add(row)
        family_reasons.setdefault(row.household_id, set()).update(row.reasons)
    by_reason: dict[str, list[int]] = {}
    for household_id, reasons in family_reasons.items():
        for reason in reasons:
            by_reason.setdefault(reason, []).append(household_id)
    return Report(
        rows=[groups[key].result(*key) for key in sorted(groups, key=_order)],
        total=total.result("", ""),
        reasons=[
            ReasonRow(
                reason=reason,
                families=len(households),
                persons_in_families=sum(total.families[h] for h in households),
            )
            for reason, households in sorted(by_reason.items(), key=lambda i: _reason_order(i[0]))
        ],
    )


# --- Drill-down ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonLine:
    person_id: int
    person_name: str
    payments: int
    amount: Decimal


@dataclass(frozen=True)
class FamilyLine:
    household_id: int
    size: int
    persons: tuple[int, ...]


@dataclass(frozen=True)
class Drill:
    """What stands behind one figure, and the figure it adds up to."""

    measure: str
    payments: list[PaymentRow]  # measure "amount" and "benefits": the payments counted
    persons: list[PersonLine]  # measure "persons"
    families: list[FamilyLine]  # measures "families" and "persons_in_families"
    figure: int | Decimal


def _in_cell(row: PaymentRow, benefit: str, task: str, reason: str, reason_families) -> bool:
    if reason:
        return row.household_id in reason_families
    return (not benefit or row.benefit == benefit) and (not task or row.task == task)


def drill(
    rows: Iterable[PaymentRow],
    *,
    measure: str,
    benefit: str = "",
    task: str = "",
    reason: str = "",
) -> Drill:
    """The payments, persons or families behind the figure of `measure` in the row of
    (`benefit`, `task`) — both empty: the total row — or of the art. 7 `reason`."""
    allowed = REASON_MEASURES if reason else MEASURES
    if measure not in allowed:
        raise ValueError(f"unknown measure {measure!r}")
    rows = list(rows)
    reason_families: set[int] = set()
    if reason:
        reason_families = {r.household_id for r in rows if reason in r.reasons}
    chosen = [r for r in rows if _in_cell(r, benefit, task, reason, reason_families)]
    payments: list[PaymentRow] = []
    persons: list[PersonLine] = []
    families: list[FamilyLine] = []
    if measure == "amount":
        payments = chosen
        figure: int | Decimal = sum((r.amount for r in chosen), Decimal("0.00"))
    elif measure == "benefits":
        seen: set = set()
        for r in chosen:
            key = (r.benefit, r.task, _benefit_key(r))
            if key not in seen:
                seen.add(key)
                payments.append(r)
        figure = len(payments)
    elif measure == "persons":
        acc: dict[int, list[PaymentRow]] = {}
        for r in chosen:
            acc.setdefault(r.person_id, []).append(r)
        persons = [
            PersonLine(
                person_id=pid,
                person_name=lines[0].person_name,
                payments=len(lines),
                amount=sum((r.amount for r in lines), Decimal("0.00")),
            )
            for pid, lines in sorted(acc.items(), key=lambda i: (i[1][0].person_name, i[0]))
        ]
        figure = len(persons)
    else:
        if reason:
            # The family's size over all its payments, as in the reason rows.
            chosen = [r for r in rows if r.household_id in reason_families]
        sizes: dict[int, int] = {}
        members: dict[int, set[int]] = {}
        for r in chosen:
            sizes[r.household_id] = max(sizes.get(r.household_id, 0), r.household_size)
            members.setdefault(r.household_id, set()).add(r.person_id)
        families = [
            FamilyLine(household_id=h, size=sizes[h], persons=tuple(sorted(members[h])))
            for h in sorted(sizes)
        ]
        figure = len(families) if measure == "families" else sum(f.size for f in families)
    return Drill(
        measure=measure, payments=payments, persons=persons, families=families, figure=figure
    )
