"""API of cultural activities: the list, creating an activity, registering a person (201 with
"registered" or "waitlisted") and cancelling (which promotes the first person waiting)."""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status

from gops.api.fields import ObjectId
from gops.people.selectors import person_get_for_user

from . import selectors, services
from .models import Activity, Registration, TargetGroup

router = Router(tags=["activities"])

Group = Literal[tuple(TargetGroup.values)]  # type: ignore[valid-type]


class SessionIO(Schema):
    starts_at: datetime = Field(description="ISO 8601 with a time zone offset")
    ends_at: datetime


class ActivityIn(Schema):
    title: str = Field(max_length=200)
    description: str = ""
    place: str = Field(max_length=300)
    capacity: int = Field(gt=0)
    target_groups: list[Group] = []
    accessibility_notes: str = ""
    partner_institution: str = Field("", max_length=200)
    public: bool = Field(False, description="published in the iCalendar feed")
    sessions: list[SessionIO] = Field(description="one for a one-off event, more for a series")


class ActivityOut(Schema):
    id: int
    title: str
    description: str
    place: str
    capacity: int
    target_groups: list[str]
    accessibility_notes: str
    partner_institution: str
    public: bool
    organiser_id: int
    registered: int
    waitlisted: int
    sessions: list[SessionIO]


class RegistrationIn(Schema):
    person_id: ObjectId


class RegistrationOut(Schema):
    id: int
    person_id: int
    status: Literal["registered", "waitlisted", "cancelled"]
    position: int


class CancellationOut(Schema):
    id: int
    status: Literal["cancelled"]
    promoted: RegistrationOut | None = Field(description="the person who got the freed place")


def _activity_out(activity: Activity, registered: int, waitlisted: int) -> dict:
    return {
        "id": activity.pk,
        "title": activity.title,
        "description": activity.description,
        "place": activity.place,
        "capacity": activity.capacity,
        "target_groups": activity.target_groups,
        "accessibility_notes": activity.accessibility_notes,
        "partner_institution": activity.partner_institution,
        "public": activity.public,
        "organiser_id": activity.organiser_id,
        "registered": registered,
        "waitlisted": waitlisted,
        "sessions": [
            {"starts_at": s.starts_at, "ends_at": s.ends_at} for s in activity.sessions.all()
        ],
    }


def _registration_out(registration: Registration) -> dict:
    return {
        "id": registration.pk,
        "person_id": registration.person_id,
        "status": registration.status,
        "position": registration.position,
    }


@router.get("/activities", response=list[ActivityOut], summary="Activities with sessions to come")
def activity_list(request, include_past: bool = False):
    activities = selectors.activity_list(user=request.user, include_past=include_past)
    return [_activity_out(a, a.registered_count, a.waitlisted_count) for a in activities]


@router.post("/activities", response={201: ActivityOut}, summary="Create an activity")
def activity_create(request, payload: ActivityIn):
    data = payload.dict(exclude={"sessions"})
    activity = services.activity_create(
        actor=request.user,
        data=data,
        sessions=[(s.starts_at, s.ends_at) for s in payload.sessions],
    )
    return Status(201, _activity_out(activity, 0, 0))


@router.post(
    "/activities/{activity_id}/registrations",
    response={201: RegistrationOut},
    summary="Register a person: a place if one is free, else the waitlist",
)
def registration_create(request, activity_id: ObjectId, payload: RegistrationIn):
    activity = selectors.activity_get_for_user(user=request.user, activity_id=activity_id)
    person = person_get_for_user(user=request.user, person_id=payload.person_id)
    registration = services.registration_create(
        actor=request.user, activity=activity, person=person
    )
    return Status(201, _registration_out(registration))


@router.delete(
    "/activities/{activity_id}/registrations/{registration_id}",
    response=CancellationOut,
    summary="Cancel a registration; the first person waiting gets the place",
)
def registration_cancel(request, activity_id: ObjectId, registration_id: ObjectId):
    activity = selectors.activity_get_for_user(user=request.user, activity_id=activity_id)
    registration = selectors.registration_get_for_user(
        user=request.user, activity=activity, registration_id=registration_id
    )
    result = services.registration_cancel(actor=request.user, registration=registration)
    return {
        "id": result.registration.pk,
        "status": "cancelled",
        "promoted": None if result.promoted is None else _registration_out(result.promoted),
    }
