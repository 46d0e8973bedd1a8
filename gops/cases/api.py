"""API of case handling: applications and their interview."""

from datetime import date

from django.db import transaction
from ninja import Field, Router, Schema, Status

from gops.api.fields import IsoDate, ObjectId
from gops.audit.services import audit_record_view
from gops.people.selectors import household_get_for_user, person_get_for_user

from . import selectors, services
from .models import Application, CommunityInterview

router = Router(tags=["cases"])


class ApplicationIn(Schema):
    household_id: ObjectId
    applicant_id: ObjectId
    received_on: IsoDate
    benefits_requested: list[str] = Field(description="codes of u.p.s. art. 36, e.g. permanent")
    reasons: list[str] = Field(description="codes of u.p.s. art. 7, e.g. poverty, or other")
    reason_other: str = ""
    description: str = ""
    urgent: bool = False
    particularly_complicated: bool = False
    ex_officio: bool = False


class InterviewIn(Schema):
    conducted_on: IsoDate
    needs: str = Field("", description="part H")
    diagnosis: str = Field("", description="part I")
    help_plan: str = Field("", description="part J")
    material_situation: str = ""
    health: str = ""
    work_and_education: str = ""
    housing: str = ""
    refused: bool = False


class InterviewOut(Schema):
    id: int
    kind: str
    status: str
    due_on: date
    conducted_on: date | None
    conducted_by_id: int | None
    snapshot: dict
    needs: str
    diagnosis: str
    help_plan: str


class EventOut(Schema):
    at: str
    code: str
    actor: str | None
    details: dict


class ApplicationOut(Schema):
    id: int
    number: str
    status: str
    household_id: int
    applicant_id: int
    received_on: date
    benefits_requested: list[str]
    reasons: list[str]
    reason_other: str
    urgent: bool
    particularly_complicated: bool
    ex_officio: bool
    worker_id: int
    interview_due_on: date
    decision_due_on: date
    interviews: list[InterviewOut]
    events: list[EventOut]


def _interview_out(interview: CommunityInterview) -> dict:
    return {
        "id": interview.pk,
        "kind": interview.kind,
        "status": interview.status,
        "due_on": interview.due_on,
        "conducted_on": interview.conducted_on,
        "conducted_by_id": interview.conducted_by_id,
        "snapshot": interview.snapshot,
        "needs": interview.needs,
        "diagnosis": interview.diagnosis,
        "help_plan": interview.help_plan,
    }


def application_out(application: Application) -> dict:
    return {
        **{
            name: getattr(application, name)
            for name in (
                "number",
                "status",
                "household_id",
                "applicant_id",
                "received_on",
                "benefits_requested",
                "reasons",
                "reason_other",
                "urgent",
                "particularly_complicated",
                "ex_officio",
                "worker_id",
                "interview_due_on",
                "decision_due_on",
            )
        },
        "id": application.pk,
        "interviews": [_interview_out(i) for i in application.interviews.all()],
        "events": [
            {
                "at": e.at.isoformat(),
                "code": e.code,
                "actor": e.actor.username if e.actor else None,
                "details": e.details,
            }
            for e in application.events.select_related("actor")
        ],
    }


@router.post("/applications", response={201: ApplicationOut}, summary="Register an application")
def application_create(request, payload: ApplicationIn):
    data = payload.dict()
    with transaction.atomic():
        household = household_get_for_user(user=request.user, household_id=data.pop("household_id"))
        applicant = person_get_for_user(user=request.user, person_id=data.pop("applicant_id"))
        application = services.application_register(
            actor=request.user, household=household, applicant=applicant, **data
        )
    return Status(201, application_out(application))


@router.get("/applications/{application_id}", response=ApplicationOut, summary="An application")
def application_detail(request, application_id: ObjectId):
    application = selectors.application_get_for_user(
        user=request.user, application_id=application_id
    )
    audit_record_view(
        actor=request.user,
        instance=application,
        person_id=application.applicant_id,
        household_id=application.household_id,
    )
    return application_out(application)


@router.post(
    "/applications/{application_id}/interview",
    response=ApplicationOut,
    summary="Record the family community interview",
)
def interview_record(request, application_id: ObjectId, payload: InterviewIn):
    application = selectors.application_get_for_user(
        user=request.user, application_id=application_id, for_write=True
    )
    interview = application.interviews.filter(status="scheduled").first()
    if interview is None:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("This application has no scheduled interview."))
    services.interview_record(actor=request.user, interview=interview, **payload.dict())
    application.refresh_from_db()
    return application_out(application)
