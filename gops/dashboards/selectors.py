"""The figures of the dashboards, gathered for a user from the permission-checked selectors of
the other apps (cases, benefits, payments, shelter, activities) with aggregate queries.

Definitions (caseload, in force, attendance) are explained in docs/pulpit.md.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from gops.accounts.models import User
from gops.accounts.roles import SOCIAL_WORKER
from gops.activities.models import ActivitySession, Attendance, RegistrationStatus
from gops.activities.selectors import activity_queryset_for_user
from gops.benefits.models import Decision, DecisionKind, DecisionStatus
from gops.benefits.selectors import decision_queryset_for_user
from gops.cases import rules as case_rules
from gops.cases.models import Application
from gops.cases.selectors import Deadline, application_queryset_for_user, case_deadlines
from gops.payments.selectors_finance import budget_overview
from gops.shelter.selectors import board

from . import rules

ZERO = Decimal("0.00")
DEADLINE_KINDS = ("interview", "decision", "interview_update")
DEADLINE_STATES = ("overdue", "soon", "later")


# --- Applications and decisions per month ---------------------------------------------------


@dataclass(frozen=True)
class MonthActivity:
    month: date
    applications: int
    decisions: int


def applications_and_decisions_by_month(*, user: User, today: date) -> list[MonthActivity]:
    """Applications received and decisions issued in each of the last 12 months."""
    months = rules.last_months(today, 12)
    start = months[0]
    received = (
        application_queryset_for_user(user=user)
        .filter(received_on__gte=start, received_on__lte=today)
        .annotate(m=TruncMonth("received_on"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    issued = (
        decision_queryset_for_user(user=user)
        .filter(status=DecisionStatus.ISSUED, issued_on__gte=start, issued_on__lte=today)
        .annotate(m=TruncMonth("issued_on"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    apps = dict(rules.bucket_by_month(months, dict(received)))
    decisions = dict(rules.bucket_by_month(months, dict(issued)))
    return [MonthActivity(month=m, applications=apps[m], decisions=decisions[m]) for m in months]


# --- Budget: paid against the plan ----------------------------------------------------------


@dataclass(frozen=True)
class BudgetMonth:
    month: date
    paid: Decimal
    paid_to_date: Decimal
    committed: Decimal


@dataclass(frozen=True)
class BudgetProgress:
    year: int
    planned: Decimal
    committed: Decimal
    paid: Decimal
    months: list[BudgetMonth]

    @property
    def paid_percent(self) -> int | None:
        # Whole percent of the plan paid so far (None when nothing is planned).
        return rules.percent(int(self.paid * 100), int(self.planned * 100))


def budget_progress(*, user: User, year: int) -> BudgetProgress | None:
    """Cash benefits paid in each month of `year` and to date, against the year's plan: the
    totals of payments.selectors_finance.budget_overview over every benefit."""
    if not user.has_perm("payments.view_budget") or user.centre is None:
        return None
    rows = budget_overview(centre=user.centre, year=year)
    planned = sum((row.figures.planned for row in rows), ZERO)
    committed = sum((row.figures.committed for row in rows), ZERO)
    paid_by_month = [sum((row.figures.months[i].paid for row in rows), ZERO) for i in range(12)]
    committed_by_month = [
        sum((row.figures.months[i].committed for row in rows), ZERO) for i in range(12)
    ]
    to_date = rules.running_totals(paid_by_month)
    return BudgetProgress(
        year=year,
        planned=planned,
        committed=committed,
        paid=to_date[-1],
        months=[
            BudgetMonth(
                month=date(year, i + 1, 1),
                paid=paid_by_month[i],
                paid_to_date=to_date[i],
                committed=committed_by_month[i],
            )
            for i in range(12)
        ],
    )


# --- Caseload against the staffing norm -----------------------------------------------------


def decisions_in_force(*, on: date) -> QuerySet[Decision]:
    """Issued decisions granting (or amending) a benefit for a period that covers `on`, not
    revoked or suspended from `on` or earlier."""
    stopped = Decision.objects.filter(
        changes_decision=OuterRef("pk"),
        status=DecisionStatus.ISSUED,
        kind__in=[DecisionKind.REVOKING, DecisionKind.SUSPENDING],
        period_from__lte=on,
    )
    return (
        Decision.objects.filter(
            status=DecisionStatus.ISSUED,
            kind__in=[DecisionKind.GRANTING, DecisionKind.AMENDING],
            period_from__lte=on,
        )
        .filter(Q(period_until__isnull=True) | Q(period_until__gte=on))
        .exclude(Exists(stopped))
    )


def applications_in_social_work(*, user: User, on: date) -> QuerySet[Application]:
    """Applications (that `user` may see) keeping their household in social work on `on`:
    still open, or with a decision in force."""
    in_force = decisions_in_force(on=on).filter(application=OuterRef("pk"))
    return application_queryset_for_user(user=user).filter(
        ~Q(status__in=case_rules.CLOSED) | Q(Exists(in_force))
    )


@dataclass(frozen=True)
class WorkerLoad:
    worker: User
    households: int
    norm: int = rules.STAFFING_NORM

    @property
    def percent(self) -> int:
        return rules.norm_percent(self.households, self.norm)

    @property
    def over(self) -> bool:
        return rules.over_norm(self.households, self.norm)


@dataclass(frozen=True)
class Caseload:
    rows: list[WorkerLoad]
    households: int  # distinct households of the whole scope: a shared one counts once
    norm: int = rules.STAFFING_NORM

    @property
    def workers_needed(self) -> int:
        return rules.workers_needed(self.households, self.norm)

    @property
    def over_norm(self) -> list[WorkerLoad]:
        return [row for row in self.rows if row.over]


def caseload(*, user: User, on: date, everyone: bool = False) -> Caseload:
    """Households in social work per social worker (the application's worker) against the
    norm: the user's own, or (with ``everyone``, for the head) every worker of the centre,
    including social workers with none."""
    qs = applications_in_social_work(user=user, on=on)
    everyone = everyone and user.has_perm("cases.view_all_applications")
    if not everyone:
        qs = qs.filter(worker=user)
    per_worker = dict(
        qs.values_list("worker_id").annotate(n=Count("household_id", distinct=True)).order_by()
    )
    total = qs.aggregate(n=Count("household_id", distinct=True))["n"] or 0
    if everyone:
        workers = (
            User.objects.filter(centre_id=user.centre_id)
            .filter(Q(groups__name=SOCIAL_WORKER, is_active=True) | Q(pk__in=list(per_worker)))
            .distinct()
            .select_related("district")  # each row shows the worker's district
            .order_by("last_name", "first_name", "pk")
        )
    else:
        workers = [user]
    rows = [WorkerLoad(worker=w, households=per_worker.get(w.pk, 0)) for w in workers]
    return Caseload(rows=rows, households=total)


# --- Deadlines --------------------------------------------------------------------------------


@dataclass
class DeadlineSummary:
    """Counts of the deadlines by kind and state, and the items due soon or overdue."""

    counts: dict[str, dict[str, int]]
    urgent: list[Deadline] = field(default_factory=list)  # overdue and soon, earliest first
    later: int = 0

    @property
    def overdue(self) -> int:
        return sum(by_state["overdue"] for by_state in self.counts.values())

    def rows(self):
        """(kind, overdue, soon, later) in a fixed order, for the table and the chart."""
        return [
            (kind, *(self.counts[kind][state] for state in DEADLINE_STATES))
            for kind in DEADLINE_KINDS
        ]


def deadline_summary(*, user: User, today: date, everyone: bool = False) -> DeadlineSummary:
    """The interview, decision and interview-update deadlines of cases.selectors.case_deadlines
    (the deadlines page's own), counted."""
    items = case_deadlines(user=user, today=today, everyone=everyone)
    tally = Counter((item.kind, item.state) for item in items)
    counts = {
        kind: {state: tally[(kind, state)] for state in DEADLINE_STATES} for kind in DEADLINE_KINDS
    }
    urgent = [item for item in items if item.state in ("overdue", "soon")]
    return DeadlineSummary(counts=counts, urgent=urgent, later=len(items) - len(urgent))


# --- Shelter occupancy ----------------------------------------------------------------------


@dataclass(frozen=True)
class Occupancy:
    facility: str
    beds: int
    occupied: int

    @property
    def percent(self) -> int | None:
        return rules.percent(self.occupied, self.beds)


def shelter_occupancy(*, user: User, night: date) -> list[Occupancy] | None:
    """Beds occupied of the usable beds, per facility, on `night` (the nightly board's
    figures); None for a user who may not see the shelter."""
    if not user.has_perm("shelter.view_facility"):
        return None
    return [
        Occupancy(facility=row.facility.name, beds=row.beds, occupied=row.occupied)
        for row in board(user=user, night=night)
    ]


# --- Activity attendance --------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceMonth:
    month: date
    sessions: int
    registered: int  # places taken: registered persons summed over the month's sessions
    attended: int  # marked present at the door

    @property
    def percent(self) -> int | None:
        return rules.percent(self.attended, self.registered)


def attendance_by_month(
    *, user: User, today: date, months: int = 3
) -> list[AttendanceMonth] | None:
    """Sessions held in each of the last `months` months (up to now): places registered
    against persons who came. None for a user who may not see activities."""
    if not user.has_perm("activities.view_activity"):
        return None
    buckets = rules.last_months(today, months)
    tz = timezone.get_current_timezone()
    start = datetime.combine(buckets[0], time.min, tzinfo=tz)
    sessions = ActivitySession.objects.filter(
        activity__in=activity_queryset_for_user(user=user),
        starts_at__gte=start,
        starts_at__lte=timezone.now(),
    )
    per_month = (
        sessions.annotate(m=TruncMonth("starts_at"))
        .values_list("m")
        .annotate(
            n=Count("pk", distinct=True),
            registered=Count(
                "activity__registrations",
                filter=Q(activity__registrations__status=RegistrationStatus.REGISTERED),
            ),
        )
        .order_by()
    )
    present = (
        Attendance.objects.filter(session__in=sessions, present=True)
        .annotate(m=TruncMonth("session__starts_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )

    def month_of(value) -> date:
        # TruncMonth gives the month's start as an aware datetime in the current time zone.
        if isinstance(value, datetime):
            return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
        return value

    counts = {month_of(m): (n, registered) for m, n, registered in per_month}
    sessions_n = dict(rules.bucket_by_month(buckets, {m: v[0] for m, v in counts.items()}))
    registered_n = dict(rules.bucket_by_month(buckets, {m: v[1] for m, v in counts.items()}))
    attended_n = dict(rules.bucket_by_month(buckets, {month_of(m): n for m, n in present}))
    return [
        AttendanceMonth(
            month=m, sessions=sessions_n[m], registered=registered_n[m], attended=attended_n[m]
        )
        for m in buckets
    ]


# --- The two dashboards ---------------------------------------------------------------------


@dataclass
class HeadDashboard:
    today: date
    activity: list[MonthActivity]
    budget: BudgetProgress | None
    caseload: Caseload
    deadlines: DeadlineSummary
    shelter: list[Occupancy] | None
    attendance: list[AttendanceMonth] | None


@dataclass
class WorkerDashboard:
    today: date
    caseload: WorkerLoad
    deadlines: DeadlineSummary


def head_dashboard(*, user: User, today: date) -> HeadDashboard:
    return HeadDashboard(
        today=today,
        activity=applications_and_decisions_by_month(user=user, today=today),
        budget=budget_progress(user=user, year=today.year),
        caseload=caseload(user=user, on=today, everyone=True),
        deadlines=deadline_summary(user=user, today=today, everyone=True),
        shelter=shelter_occupancy(user=user, night=today),
        attendance=attendance_by_month(user=user, today=today),
    )


def worker_dashboard(*, user: User, today: date) -> WorkerDashboard:
    own = caseload(user=user, on=today, everyone=False)
    return WorkerDashboard(
        today=today,
        caseload=own.rows[0],
        deadlines=deadline_summary(user=user, today=today, everyone=False),
    )
