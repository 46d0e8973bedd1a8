"""API of family assistance: assigning a family assistant (422 over the caseload limit) and
the plan of work with the family. Same selectors and services as the pages: whoever may not
see the family gets 404."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from gops.accounts.models import User
from gops.api.fields import IsoDate, ObjectId
from gops.people.selectors import household_get_for_user

from . import rules, selectors, services
from .models import FamilySupport, FamilyWorkPlan, PlanStep

router = Router(tags=["families"])


class AssignIn(Schema):
    assistant_id: ObjectId = Field(description="the family assistant (a user of the centre)")
    social_worker_id: ObjectId | None = Field(None, description="the family's social worker")
    started_on: IsoDate | None = Field(None, description="default today")
    reason: str = ""


class SupportOut(Schema):
    id: int
    household_id: int
    assistant_id: int
    social_worker_id: int | None
    started_on: date
    status: str
    assistant_caseload: int = Field(description="the assistant's active families after this")
    caseload_limit: int


class PlanStepIn(Schema):
    goal: str
    action: str
    deadline: IsoDate | None = Field(None, description="required: a step without one is a 422")
    expected_effect: str
    responsible: str = ""


class PlanSettingsIn(Schema):
    agreed_on: IsoDate | None = None
    agreed_with_family: bool = False
    agreed_with_social_worker: bool = False
    notes: str = ""


class PlanIn(Schema):
    plan: PlanSettingsIn | None = Field(
        None, description="sets the plan's agreement and notes (replaces them)"
    )
    step: PlanStepIn | None = Field(None, description="adds one step to the plan")


class PlanStepOut(Schema):
    id: int
    goal: str
    action: str
    responsible: str
    deadline: date
    expected_effect: str
    status: str
    completed_on: date | None
    outcome: str
    overdue: bool


class PlanOut(Schema):
    support_id: int
    household_id: int
    status: str
    assistant_id: int
    social_worker_id: int | None
    started_on: date
    agreed_on: date | None
    agreed_with_family: bool
    agreed_with_social_worker: bool
    notes: str
    next_assessment_due: date | None
    assessment_overdue: bool
    steps: list[PlanStepOut]


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's error with its fields named as the request names them."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {names.get(field, field): messages for field, messages in exc.message_dict.items()}
    )


def _staff(user: User, user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    found = User.objects.filter(pk=user_id, centre_id=user.centre_id).first()
    if found is None:
        raise ValidationError({field: _("Unknown user.")})
    return found


def _plan_out(support: FamilySupport) -> dict:
    today = timezone.localdate()
    plan = FamilyWorkPlan.objects.filter(support=support).first()
    steps = list(PlanStep.objects.filter(plan=plan)) if plan else []
    pending = selectors.pending_assessment(support=support)
    return {
        "support_id": support.pk,
        "household_id": support.household_id,
        "status": support.status,
        "assistant_id": support.assistant_id,
        "social_worker_id": support.social_worker_id,
        "started_on": support.started_on,
        "agreed_on": plan.agreed_on if plan else None,
        "agreed_with_family": plan.agreed_with_family if plan else False,
        "agreed_with_social_worker": plan.agreed_with_social_worker if plan else False,
        "notes": plan.notes if plan else "",
        "next_assessment_due": pending.due_on if pending else None,
        "assessment_overdue": pending is not None
        and rules.is_overdue(due_on=pending.due_on, done_on=None, today=today),
        "steps": [
            {
                **{f: getattr(s, f) for f in services.STEP_FIELDS},
                "id": s.pk,
                "overdue": s.status in selectors.OPEN_STEP_STATUSES and s.deadline < today,
            }
            for s in steps
        ],
    }


def _current(user: User, household_id: int) -> FamilySupport:
    support = selectors.family_support_current(user=user, household_id=household_id)
    if support is None:
        raise Http404
    return support


@router.post(
    "/families/{household_id}/assistant",
    response={201: SupportOut},
    summary="Assign a family assistant to a household (the head only)",
    description=(
        "Starts the family's assistance: an empty plan of work and the first half-yearly "
        "assessment, due 6 months after `started_on`. Refused with 422 (field `assistant_id`, "
        "naming the assistant, their current caseload and the limit) when the assistant "
        "already works with `FAMILY_ASSISTANT_CASELOAD_LIMIT` families (default 15, ustawa o "
        "wspieraniu rodziny art. 15 ust. 4); families in monitoring after closure do not "
        "count. 422 (field `household`) when the family already has an active assistant. "
        "404 for anyone but the head."
    ),
)
def assistant_assign(request, household_id: ObjectId, payload: AssignIn):
    user = request.user
    if not user.has_perm("families.add_familysupport"):
        raise Http404
    household = household_get_for_user(user=user, household_id=household_id)
    names = {"assistant": "assistant_id", "social_worker": "social_worker_id"}
    try:
        support = services.family_support_assign(
            actor=user,
            household=household,
            assistant=_staff(user, payload.assistant_id, "assistant"),
            social_worker=_staff(user, payload.social_worker_id, "social_worker"),
            started_on=payload.started_on,
            reason=payload.reason,
        )
    except ValidationError as exc:
        raise _renamed(exc, names) from exc
    return Status(
        201,
        {
            "id": support.pk,
            "household_id": support.household_id,
            "assistant_id": support.assistant_id,
            "social_worker_id": support.social_worker_id,
            "started_on": support.started_on,
            "status": support.status,
            "assistant_caseload": selectors.assistant_caseload(assistant=support.assistant),
            "caseload_limit": services.caseload_limit(),
        },
    )


@router.get(
    "/families/{household_id}/plan",
    response=PlanOut,
    summary="The plan of work with the family, with its steps",
    description=(
        "The plan of the household's current assistance (active, or in monitoring after "
        "closure), its steps with `overdue` (open past the deadline) and the next assessment. "
        "404 unless the user is the family's assistant, its social worker or the head."
    ),
)
def plan_get(request, household_id: ObjectId):
    return _plan_out(_current(request.user, household_id))


@router.post(
    "/families/{household_id}/plan",
    response=PlanOut,
    summary="Set the plan's agreement and notes and/or add a step",
    description=(
        "Body: `plan` (optional) replaces the plan's agreement — `agreed_on`, "
        "`agreed_with_family`, `agreed_with_social_worker` — and `notes` (the family's assistant, "
        "its social worker or the head); `step` (optional) adds one step with `goal`, `action`, "
        "`deadline`, `expected_effect` and `responsible` (the assistant or the head). At least "
        "one of them. Both in one request are written together or not at all. A step without "
        "a deadline is refused with 422 on field `step.deadline`. Only an active assistance's "
        "plan can change. Returns the plan as GET does."
    ),
)
def plan_post(request, household_id: ObjectId, payload: PlanIn):
    user = request.user
    support = _current(user, household_id)
    if payload.plan is None and payload.step is None:
        raise ValidationError({"body": _("Send a plan, a step or both.")})
    with transaction.atomic():
        if payload.plan is not None:
            try:
                services.work_plan_update(actor=user, support=support, **payload.plan.dict())
            except ValidationError as exc:
                raise _renamed(exc, {f: f"plan.{f}" for f in services.PLAN_FIELDS}) from exc
        if payload.step is not None:
            try:
                services.plan_step_add(actor=user, support=support, **payload.step.dict())
            except ValidationError as exc:
                raise _renamed(
                    exc, {f: f"step.{f}" for f in [*services.STEP_FIELDS, "__all__"]}
                ) from exc
    support.refresh_from_db()
    return _plan_out(support)
