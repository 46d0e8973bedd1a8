"""Reads of cultural activities: the list and the month calendar, an activity's registrations
and waitlist, attendance for a session, a person's participation and the public feed."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gops.accounts.models import User
from gops.people.models import Person

from .models import Activity, ActivitySession, Attendance, Registration, RegistrationStatus


def activity_queryset_for_user(*, user: User) -> QuerySet[Activity]:
    if not user.is_authenticated or not user.has_perm("activities.view_activity"):
        return Activity.objects.none()
    return Activity.objects.filter(centre_id=user.centre_id)


def activity_get_for_user(*, user: User, activity_id: int) -> Activity:
    activity = (
        activity_queryset_for_user(user=user)
        .select_related("organiser")
        .prefetch_related("sessions")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def _with_counts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    )


def activity_list(*, user: User, include_past: bool = False) -> QuerySet[Activity]:
    """Activities of the user's centre with their counts, the next (or first) session first;
    without `include_past`, only those with a session still to come."""
    qs = _with_counts(activity_queryset_for_user(user=user)).select_related("organiser")
    now = timezone.now()
    if include_past:
        qs = qs.annotate(next_start=Min("sessions__starts_at"))
    else:
        qs = qs.annotate(
            next_start=Min("sessions__starts_at", filter=Q(sessions__ends_at__gte=now))
        ).filter(next_start__isnull=False)
    return qs.prefetch_related("sessions").order_by("next_start", "title", "id")


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    sessions: list[ActivitySession] = field(default_factory=list)


def calendar_month(*, user: User, year: int, month: int) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first) of days, each with its sessions in order."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    by_day: dict[date, list[ActivitySession]] = {}
    sessions = (
        ActivitySession.objects.filter(
            activity__in=activity_queryset_for_user(user=user),
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("activity")
        .order_by("starts_at", "id")
    )
    for session in sessions:
        by_day.setdefault(timezone.localdate(session.starts_at), []).append(session)
    return [
        [CalendarDay(day=d, in_month=d.month == month, sessions=by_day.get(d, [])) for d in week]
        for week in weeks
    ]


def registration_list(*, activity: Activity) -> QuerySet[Registration]:
    """Live registrations: those with a place first, then the waitlist, each by position."""
    return (
        Registration.objects.filter(activity=activity)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("person", "registered_by")
        .order_by("status", "position")
    )


def registration_get_for_user(
    *, user: User, activity: Activity, registration_id: int
) -> Registration:
    if not user.has_perm("activities.view_registration"):
        raise Http404
    registration = (
        Registration.objects.filter(activity=activity, pk=registration_id)
        .select_related("person")
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def session_get_for_user(*, user: User, session_id: int) -> ActivitySession:
    session = (
        ActivitySession.objects.filter(
            activity__in=activity_queryset_for_user(user=user), pk=session_id
        )
        .select_related("activity")
        .first()
    )
    if session is None:
        raise Http404
    return session


@dataclass(frozen=True)
class AttendanceRow:
    registration: Registration
    present: bool | None  # None: not taken yet


def attendance_list(*, session: ActivitySession) -> list[AttendanceRow]:
    """Registered persons of the session's activity, by surname, with their mark if taken."""
    marks = dict(
        Attendance.objects.filter(session=session).values_list("registration_id", "present")
    )
    registrations = (
        Registration.objects.filter(
            activity_id=session.activity_id, status=RegistrationStatus.REGISTERED
        )
        .select_related("person")
        .order_by("person__surnames", "person__first_names", "position")
    )
    return [AttendanceRow(registration=r, present=marks.get(r.pk)) for r in registrations]


@dataclass(frozen=True)
class Participation:
    registration: Registration
    sessions: int
    attended: int


def person_participation(*, user: User, person: Person) -> list[Participation]:
    """The person's registrations (newest first) with how many sessions they attended."""
    registrations = (
        Registration.objects.filter(
            person=person, activity__in=activity_queryset_for_user(user=user)
        )
        .select_related("activity")
        .prefetch_related(
            Prefetch("activity__sessions", queryset=ActivitySession.objects.order_by("starts_at"))
        )
        .annotate(attended=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("-created_at", "-id")
    )
    return [
        Participation(registration=r, sessions=len(r.activity.sessions.all()), attended=r.attended)
        for r in registrations
    ]


def public_sessions(*, centre_id: int | None = None) -> QuerySet[ActivitySession]:
    """Sessions of public activities, for the iCalendar feed: no personal data."""
    qs = ActivitySession.objects.filter(activity__public=True).select_related("activity")
    if centre_id is not None:
        qs = qs.filter(activity__centre_id=centre_id)
    return qs.order_by("starts_at", "id")
