"""API of integration programmes: open one (with its goals and steps, all or nothing; 422
with the reasons when it is longer than 12 months, ends before it starts, was applied for too
late, the person has no refugee status or subsidiary protection, or a step has no deadline)
and read one. Same selectors and services as the pages: whoever may not see it gets 404."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from gops.accounts.models import User
from gops.api.fields import IsoDate, ObjectId
from gops.audit.services import audit_record_view
from gops.cases.selectors import application_get_for_user
from gops.people.selectors import person_get_for_user

from . import selectors, services
from .models import IntegrationArea, IntegrationProgramme, ProgrammeKind

router = Router(tags=["integration"])

Area = Literal[tuple(IntegrationArea.values)]  # type: ignore[valid-type]
Kind = Literal[tuple(ProgrammeKind.values)]  # type: ignore[valid-type]


class IntegrationStepIn(Schema):
    action: str
    deadline: IsoDate | None = Field(None, description="required: a step without one is a 422")
    done_on: IsoDate | None = None
    outcome: str = ""


class GoalIn(Schema):
    area: Area = Field(description="polish_lessons, housing, work, school, health_insurance, …")
    description: str
    steps: list[IntegrationStepIn] = []


class ProgrammeIn(Schema):
    person_id: ObjectId
    kind: Kind = Field(
        ProgrammeKind.STATUTORY,
        description="statutory (u.p.s. art. 92, with the benefit) or own (the centre's plan)",
    )
    protection_granted_on: IsoDate | None = Field(
        None, description="required for the statutory kind; the application within 60 days"
    )
    applied_on: IsoDate
    starts_on: IsoDate
    ends_on: IsoDate = Field(description="at most 12 months after the start, less a day")
    family_size: int = Field(1, description="persons covered; sets the benefit")
    coordinator_id: ObjectId | None = Field(None, description="default: the caller")
    application_id: ObjectId | None = Field(
        None, description="the person's application for the integration benefit (cases)"
    )
    goals: list[GoalIn] = []


class IntegrationStepOut(Schema):
    id: int
    action: str
    deadline: date
    done_on: date | None
    outcome: str


class GoalOut(Schema):
    id: int
    area: str
    description: str
    achieved_on: date | None
    steps: list[IntegrationStepOut]


class ReviewOut(Schema):
    id: int
    reviewed_on: date
    progress: str
    changes: str
    next_review_on: date | None


class ProgrammeOut(Schema):
    id: int
    person_id: int
    kind: str
    status: str
    protection_granted_on: date | None
    applied_on: date
    starts_on: date
    ends_on: date
    family_size: int
    coordinator_id: int
    application_id: int | None
    decision_id: int | None
    benefit_months_1_6: Decimal | None = Field(description="monthly amount, months 1–6 (zł)")
    benefit_months_7_12: Decimal | None = Field(description="monthly amount, months 7–12 (zł)")
    legal_parameters_id: int | None
    closed_on: date | None
    goals: list[GoalOut]
    reviews: list[ReviewOut]


def _programme_out(programme: IntegrationProgramme) -> dict:
    programme = selectors.programme_with_plan(programme=programme)
    data = {
        name: getattr(programme, name)
        for name in (
            "person_id",
            "kind",
            "status",
            "protection_granted_on",
            "applied_on",
            "starts_on",
            "ends_on",
            "family_size",
            "coordinator_id",
            "application_id",
            "decision_id",
            "benefit_months_1_6",
            "benefit_months_7_12",
            "legal_parameters_id",
            "closed_on",
        )
    }
    data["id"] = programme.pk
    data["goals"] = [
        {
            "id": goal.pk,
            "area": goal.area,
            "description": goal.description,
            "achieved_on": goal.achieved_on,
            "steps": [
                {
                    "id": s.pk,
                    "action": s.action,
                    "deadline": s.deadline,
                    "done_on": s.done_on,
                    "outcome": s.outcome,
                }
                for s in goal.steps.all()
            ],
        }
        for goal in programme.goals.all()
    ]
    data["reviews"] = [
        {
            "id": r.pk,
            "reviewed_on": r.reviewed_on,
            "progress": r.progress,
            "changes": r.changes,
            "next_review_on": r.next_review_on,
        }
        for r in programme.reviews.all()
    ]
    return data


@router.post(
    "/integration-programmes",
    response={201: ProgrammeOut},
    summary="Open an integration programme with its goals and steps (all or nothing)",
)
def programme_create(request, payload: ProgrammeIn):
    user = request.user
    person = person_get_for_user(user=user, person_id=payload.person_id, for_write=True)
    coordinator = None
    if payload.coordinator_id is not None:
        coordinator = User.objects.filter(
            pk=payload.coordinator_id, centre_id=user.centre_id, is_active=True
        ).first()
        if coordinator is None:
            raise ValidationError({"coordinator_id": _("Unknown coordinator.")})
    application = None
    if payload.application_id is not None:
        try:
            application = application_get_for_user(user=user, application_id=payload.application_id)
        except Http404:
            raise ValidationError({"application_id": _("Unknown application.")}) from None
    programme = services.programme_create(
        actor=user,
        person=person,
        kind=payload.kind,
        protection_granted_on=payload.protection_granted_on,
        applied_on=payload.applied_on,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        family_size=payload.family_size,
        coordinator=coordinator,
        application=application,
        goals=[
            services.GoalData(
                area=g.area,
                description=g.description,
                steps=tuple(
                    services.StepData(
                        action=s.action, deadline=s.deadline, done_on=s.done_on, outcome=s.outcome
                    )
                    for s in g.steps
                ),
            )
            for g in payload.goals
        ],
    )
    return Status(201, _programme_out(programme))


@router.get(
    "/integration-programmes/{programme_id}",
    response=ProgrammeOut,
    summary="An integration programme with its benefit, goals, steps and reviews",
)
def programme_detail(request, programme_id: ObjectId):
    programme = selectors.programme_get_for_user(user=request.user, programme_id=programme_id)
    audit_record_view(actor=request.user, instance=programme, person_id=programme.person_id)
    return _programme_out(programme)
