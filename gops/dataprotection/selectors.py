"""Reads for the data protection pages: persons past the retention period."""

from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import DateField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest, TruncDate
from django.utils import timezone

from gops.accounts.models import User
from gops.people.models import Person

from .models import AnonymisationRequest, AnonymisationStatus

DEFAULT_RETENTION_YEARS = 10
# Stands for "nothing recorded" inside Greatest (NULL would swallow the other dates on SQLite).
_NEVER = date(1900, 1, 1)

RETENTION_PERMISSIONS = (
    "dataprotection.access_report",
    "dataprotection.approve_anonymisation",
)


def retention_years() -> int:
    return int(getattr(settings, "RETENTION_YEARS", DEFAULT_RETENTION_YEARS))


def retention_cutoff(today: date | None = None) -> date:
    """Activity before this date is older than the retention period."""
    today = today or timezone.localdate()
    years = retention_years()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def may_see_retention(user: User) -> bool:
    return user.is_authenticated and any(user.has_perm(p) for p in RETENTION_PERMISSIONS)


def persons_past_retention(*, user: User, today: date | None = None) -> QuerySet[Person]:
    """Persons of the user's centre whose last activity is older than RETENTION_YEARS.

    Last activity: the latest of a closed application (its last change), the end of a
    decision's period (or its issue date), the last payment, the last audited change of the
    person's file, and the person's registration. Persons with an open application or an
    open-ended benefit, and persons already anonymised, are left out.
    """
    if not may_see_retention(user):
        raise PermissionDenied
    from gops.audit.models import AuditAction, AuditEntry
    from gops.benefits.models import Decision, DecisionStatus
    from gops.cases import rules as case_rules
    from gops.cases.models import Application
    from gops.payments.models import Payment

    person = OuterRef("pk")
    decisions = Decision.objects.filter(person=person, status=DecisionStatus.ISSUED)
    payments = Payment.objects.filter(person=person, paid_on__isnull=False)
    changes = AuditEntry.objects.filter(
        person_id=person,
        action__in=[AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE],
    )

    def latest(qs, expression):
        return Coalesce(
            Subquery(qs.order_by().annotate(d=expression).values("d").order_by("-d")[:1]),
            _NEVER,
            output_field=DateField(),
        )

    last_activity = Greatest(
        latest(
            Application.objects.filter(applicant=person, status__in=case_rules.CLOSED),
            TruncDate("updated_at"),
        ),
        latest(decisions.exclude(period_until__isnull=True), Cast("period_until", DateField())),
        latest(decisions.exclude(issued_on__isnull=True), Cast("issued_on", DateField())),
        latest(payments, Cast("paid_on", DateField())),
        latest(changes, TruncDate("at")),
        Cast(TruncDate("created_at"), DateField()),
        output_field=DateField(),
    )
    # An open application of the person, or of a household they were ever a member of: two
    # EXISTS, since one over the OR of both joins tested every open application per person.
    open_apps = Application.objects.exclude(status__in=case_rules.CLOSED)
    has_open = Exists(open_apps.filter(applicant=person)) | Exists(
        open_apps.filter(household__memberships__person=person)
    )
    open_ended = decisions.filter(
        kind="granting", period_from__isnull=False, period_until__isnull=True
    )
    anonymised = AnonymisationRequest.objects.filter(person=person, status=AnonymisationStatus.DONE)
    pending = AnonymisationRequest.objects.filter(person=person, status=AnonymisationStatus.PENDING)
    cutoff = retention_cutoff(today)
    # The last activity is before the cutoff exactly when nothing happened since: said so,
    # the database answers with anti-joins over each table, instead of computing every
    # person's last activity first (a large city's million persons: 66 s; docs/performance.md).
    # Timestamps are compared from the cutoff's midnight here, as TruncDate does.
    since = timezone.make_aware(datetime.combine(cutoff, time.min))
    nothing_since = (
        Q(created_at__lt=since)
        & ~Exists(
            Application.objects.filter(
                applicant=person, status__in=case_rules.CLOSED, updated_at__gte=since
            )
        )
        & ~Exists(decisions.filter(Q(period_until__gte=cutoff) | Q(issued_on__gte=cutoff)))
        & ~Exists(payments.filter(paid_on__gte=cutoff))
        & ~Exists(changes.filter(at__gte=since))
    )
    return (
        Person.objects.filter(centre_id=user.centre_id)
        .filter(nothing_since)
        .annotate(
            last_activity=last_activity,
            has_open=has_open,
            open_ended=Exists(open_ended),
            anonymised=Exists(anonymised),
            pending_request=Exists(pending),
        )
        .filter(
            has_open=False,
            open_ended=False,
            anonymised=False,
        )
        .select_related("district")
        .order_by("last_activity", "id")
    )


def pending_requests(*, user: User) -> QuerySet[AnonymisationRequest]:
    if not may_see_retention(user):
        raise PermissionDenied
    return (
        AnonymisationRequest.objects.filter(
            centre_id=user.centre_id, status=AnonymisationStatus.PENDING
        )
        .select_related("person", "requested_by")
        .order_by("created_at")
    )
