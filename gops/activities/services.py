"""Writes of cultural activities: creating an activity with its sessions, registering persons
(with a waitlist that never lets capacity be exceeded), cancelling (which promotes the first
waiting person) and attendance at the door."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gops.accounts.models import User
from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change, audited_save
from gops.people.models import Person

from .models import (
    Activity,
    ActivitySession,
    Attendance,
    Registration,
    RegistrationStatus,
    TargetGroup,
)

ACTIVITY_FIELDS = [
    "title",
    "description",
    "place",
    "capacity",
    "target_groups",
    "accessibility_notes",
    "partner_institution",
    "public",
]


@dataclass(frozen=True)
class Cancellation:
    """What a cancellation did: the cancelled registration and whom it let in, if anyone."""

    registration: Registration
    promoted: Registration | None


@transaction.atomic
def activity_create(
    *, actor: User, data: dict, sessions: list[tuple[datetime, datetime]]
) -> Activity:
    """Create an activity with its sessions (one for a one-off event, several for a series).

    `data` holds the fields in ACTIVITY_FIELDS; a session that has already started is refused.
    """
    if not actor.has_perm("activities.add_activity"):
        raise PermissionDenied
    if not sessions:
        raise ValidationError({"sessions": _("Give at least one date.")})
    now = timezone.now()
    for starts_at, ends_at in sessions:
        if starts_at < now:
            raise ValidationError(
                {
                    "starts_at": _("%(start)s is in the past: a new activity needs future dates.")
                    % {"start": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")}
                }
            )
        if ends_at <= starts_at:
            raise ValidationError({"ends_at": _("An activity must end after it starts.")})
    groups = list(dict.fromkeys(data.get("target_groups") or []))
    unknown = [g for g in groups if g not in TargetGroup.values]
    if unknown:
        raise ValidationError(
            {"target_groups": _("Unknown target group: %(group)s.") % {"group": unknown[0]}}
        )
    activity = Activity(
        centre_id=actor.centre_id,
        organiser=data.get("organiser") or actor,
        **{
            name: data[name] for name in ACTIVITY_FIELDS if name in data and name != "target_groups"
        },
        target_groups=groups,
    )
    audited_save(actor=actor, instance=activity, fields=[*ACTIVITY_FIELDS, "organiser"])
    ActivitySession.objects.bulk_create(
        ActivitySession(activity=activity, starts_at=starts_at, ends_at=ends_at)
        for starts_at, ends_at in sorted(sessions)
    )
    return activity


@transaction.atomic
def registration_create(*, actor: User, activity: Activity, person: Person) -> Registration:
    """Register a person: a place if one is free, else the end of the waitlist.

    The activity row is locked before counting, so concurrent registrations queue and capacity
    is never exceeded; registering the same person twice is refused.
    """
    if not actor.has_perm("activities.add_registration"):
        raise PermissionDenied
    if person.centre_id != activity.centre_id or actor.centre_id != activity.centre_id:
        raise ValidationError({"person_id": _("Unknown person.")})
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    live = Registration.objects.filter(activity=activity).exclude(
        status=RegistrationStatus.CANCELLED
    )
    if live.filter(person=person).exists():
        raise ValidationError(
            {
                "person_id": _("%(person)s is already registered for %(activity)s.")
                % {"person": person, "activity": activity}
            }
        )
    registered = live.filter(status=RegistrationStatus.REGISTERED).count()
    status = (
        RegistrationStatus.REGISTERED
        if registered < activity.capacity
        else RegistrationStatus.WAITLISTED
    )
    last = Registration.objects.filter(activity=activity).aggregate(last=Max("position"))["last"]
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                activity=activity,
                person=person,
                status=status,
                position=(last or 0) + 1,
                registered_by=actor,
            )
    except IntegrityError:
        # Only reachable if the lock was bypassed; the constraint still holds.
        raise ValidationError(
            {"person_id": _("%(person)s has just been registered.") % {"person": person}}
        ) from None
    audit_record_change(
        actor=actor,
        instance=registration,
        action=AuditAction.CREATE,
        person_id=person.pk,
        changes={"status": [None, status], "position": [None, registration.position]},
    )
    return registration


@transaction.atomic
def registration_cancel(*, actor: User, registration: Registration) -> Cancellation:
    """Cancel a registration; a place freed goes to the first person on the waitlist."""
    if not actor.has_perm("activities.change_registration"):
        raise PermissionDenied
    activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
    registration = Registration.objects.select_related("person").get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("This registration has already been cancelled."))
    before = registration.status
    now = timezone.now()
    registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, now
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=registration,
        action=AuditAction.UPDATE,
        person_id=registration.person_id,
        changes={"status": [before, RegistrationStatus.CANCELLED]},
    )
    promoted = None
    registered = Registration.objects.filter(
        activity=activity, status=RegistrationStatus.REGISTERED
    ).count()
    if registered < activity.capacity:
        promoted = (
            Registration.objects.filter(activity=activity, status=RegistrationStatus.WAITLISTED)
            .select_related("person")
            .order_by("position")
            .first()
        )
    if promoted is not None:
        promoted.status, promoted.promoted_at = RegistrationStatus.REGISTERED, now
        promoted.save(update_fields=["status", "promoted_at", "updated_at"])
        audit_record_change(
            actor=actor,
            instance=promoted,
            action=AuditAction.UPDATE,
            person_id=promoted.person_id,
            changes={"status": [RegistrationStatus.WAITLISTED, RegistrationStatus.REGISTERED]},
        )
    return Cancellation(registration=registration, promoted=promoted)


@transaction.atomic
def attendance_record(
    *, actor: User, session: ActivitySession, present_registration_ids: set[int]
) -> int:
    """Attendance at the door: for every registered person, whether they came. Recording the
    session again replaces its marks. Returns how many were present."""
    if not actor.has_perm("activities.add_attendance"):
        raise PermissionDenied
    if session.activity.centre_id != actor.centre_id:
        raise PermissionDenied
    if timezone.localdate(session.starts_at) > timezone.localdate():
        raise ValidationError(_("Attendance is taken on the day of the session, not before."))
    registrations = Registration.objects.filter(
        activity_id=session.activity_id, status=RegistrationStatus.REGISTERED
    )
    present = 0
    for registration in registrations:
        here = registration.pk in present_registration_ids
        present += here
        Attendance.objects.update_or_create(
            session=session,
            registration=registration,
            defaults={"present": here, "recorded_by": actor},
        )
    audit_record_change(
        actor=actor,
        instance=session,
        action=AuditAction.UPDATE,
        changes={"attendance": [None, sorted(present_registration_ids)], "present": present},
    )
    return present
