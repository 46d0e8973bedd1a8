"""Pages of cultural activities: the list and the month calendar, creating an activity, its
registrations and waitlist (register a person or their household members, cancel), attendance
at the door with a printable list, a person's participation panel and the public iCal feed."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gops.audit.services import audit_record_search
from gops.core.forms import form_add_validation_error
from gops.people.selectors import (
    person_get_for_user,
    person_household_membership,
    person_queryset_for_user,
    person_search,
)

from . import ical, selectors, services
from .forms import ActivityForm, PersonSearchForm
from .models import RegistrationStatus

SEARCH_LIMIT = 20


def _month(value: str | None) -> date:
    try:
        return datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
@permission_required("activities.view_activity", raise_exception=True)
def activity_list(request):
    include_past = request.GET.get("past") == "1"
    activities = selectors.activity_list(user=request.user, include_past=include_past)
    return render(
        request,
        "activities/activity_list.html",
        {"activities": activities, "include_past": include_past},
    )


@login_required
@permission_required("activities.view_activity", raise_exception=True)
def activity_calendar(request):
    month = _month(request.GET.get("month"))
    weeks = selectors.calendar_month(user=request.user, year=month.year, month=month.month)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "activities/calendar.html",
        {
            "month": month,
            "weeks": weeks,
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
        },
    )


@login_required
@permission_required("activities.add_activity", raise_exception=True)
@require_http_methods(["GET", "POST"])
def activity_create(request):
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        sessions = []
        for week in range(data["weeks"]):
            day = data["first_date"] + timedelta(weeks=week)
            sessions.append(
                (
                    datetime.combine(day, data["starts"], tzinfo=tz),
                    datetime.combine(day, data["ends"], tzinfo=tz),
                )
            )
        try:
            activity = services.activity_create(actor=request.user, data=data, sessions=sessions)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                # The service speaks of sessions; the form has a date and times.
                renamed = {"starts_at": "first_date", "ends_at": "ends", "sessions": "first_date"}
                exc = ValidationError({renamed.get(k, k): v for k, v in exc.error_dict.items()})
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The activity has been created."))
            return redirect(activity)
    return render(request, "activities/activity_form.html", {"form": form})


def _household_members(user, person) -> list:
    membership = person_household_membership(person=person)
    if membership is None:
        return []
    ids = membership.household.memberships.filter(left_on__isnull=True).values("person_id")
    return list(
        person_queryset_for_user(user=user)
        .filter(pk__in=ids)
        .exclude(pk=person.pk)
        .order_by("birth_date")
    )


@login_required
@permission_required("activities.view_activity", raise_exception=True)
@require_http_methods(["GET", "POST"])
def activity_detail(request, pk: int):
    """The activity with its registrations and waitlist; a POST with `q` searches for a person
    to register (no PESEL in the URL), listing their household members too."""
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    may_view = request.user.has_perm("activities.view_registration")
    registrations = list(selectors.registration_list(activity=activity)) if may_view else []
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    candidates = None
    if form.is_bound and form.is_valid() and request.user.has_perm("activities.add_registration"):
        query = form.cleaned_data["q"]
        found = list(person_search(user=request.user, query=query)[:SEARCH_LIMIT])
        audit_record_search(
            actor=request.user, query=query, result_count=len(found), scope="activities"
        )
        taken = {r.person_id for r in registrations}
        candidates = [
            {
                "person": p,
                "registered": p.pk in taken,
                "household": [
                    {"person": m, "registered": m.pk in taken}
                    for m in _household_members(request.user, p)
                ],
            }
            for p in found
        ]
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "registered": [r for r in registrations if r.status == RegistrationStatus.REGISTERED],
            "waitlist": [r for r in registrations if r.status == RegistrationStatus.WAITLISTED],
            "form": form,
            "candidates": candidates,
            "may_register": request.user.has_perm("activities.add_registration"),
            "may_cancel": request.user.has_perm("activities.change_registration"),
            "may_take_attendance": request.user.has_perm("activities.add_attendance"),
        },
    )


@login_required
@permission_required("activities.add_registration", raise_exception=True)
@require_POST
def registration_create(request, pk: int):
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    person = person_get_for_user(user=request.user, person_id=request.POST.get("person"))
    try:
        registration = services.registration_create(
            actor=request.user, activity=activity, person=person
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, _("%(person)s is registered.") % {"person": person})
        else:
            messages.warning(
                request,
                _("The activity is full: %(person)s is on the waitlist.") % {"person": person},
            )
    return redirect(activity)


@login_required
@permission_required("activities.change_registration", raise_exception=True)
@require_POST
def registration_cancel(request, pk: int, registration_pk: int):
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    registration = selectors.registration_get_for_user(
        user=request.user, activity=activity, registration_id=registration_pk
    )
    try:
        result = services.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The registration of %(person)s has been cancelled.")
            % {"person": result.registration.person},
        )
        if result.promoted is not None:
            messages.info(
                request,
                _("%(person)s moved from the waitlist to a place: let them know.")
                % {"person": result.promoted.person},
            )
    return redirect(activity)


@login_required
@permission_required("activities.add_attendance", raise_exception=True)
@require_http_methods(["GET", "POST"])
def attendance(request, session_pk: int):
    """Attendance at the door: a checkbox per registered person."""
    session = selectors.session_get_for_user(user=request.user, session_id=session_pk)
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            count = services.attendance_record(
                actor=request.user, session=session, present_registration_ids=present
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Attendance saved: %(count)s present.") % {"count": count})
            return redirect(session.activity)
    return render(
        request,
        "activities/attendance.html",
        {"session": session, "rows": selectors.attendance_list(session=session)},
    )


@login_required
@permission_required("activities.view_registration", raise_exception=True)
def attendance_print(request, session_pk: int):
    """The printable attendance list for a session, with room for signatures."""
    session = selectors.session_get_for_user(user=request.user, session_id=session_pk)
    return render(
        request,
        "activities/attendance_print.html",
        {"session": session, "rows": selectors.attendance_list(session=session)},
    )


@login_required
def person_panel(request, person_pk: int):
    """htmx: the person's activities and attendance, on the person's page."""
    person = person_get_for_user(user=request.user, person_id=person_pk)
    return render(
        request,
        "activities/_person_panel.html",
        {
            "person": person,
            "participation": selectors.person_participation(user=request.user, person=person),
        },
    )


def ical_feed(request):
    """The public calendar (RFC 5545): public activities only, no registrations."""
    body = ical.calendar_feed(
        sessions=selectors.public_sessions(),
        host=request.get_host().split(":")[0],
        name=_("Cultural activities"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="activities.ics"'
    return response
