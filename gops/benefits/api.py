"""API of decisions: draft from an application, issue, PDF, service, appeal; deadlines;
hours of care services delivered each month."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from gops.api.fields import IsoDate, ObjectId
from gops.api.versioning import (
    UPDATE_DESCRIPTION,
    VERSION_DESCRIPTION,
    VersionConflictOut,
    conflict_response,
    expected_version,
)
from gops.audit.services import audit_record_view
from gops.cases.selectors import application_get_for_user, case_deadlines
from gops.core.errors import VersionConflict

from . import selectors, services
from .forms import parse_month
from .models import CareServiceMonth, Decision

router = Router(tags=["decisions"])


class DecisionIn(Schema):
    benefit: str = Field(description="a code of the application's requested benefits")
    kind: str | None = Field(None, description="granting or refusing; default: as computed")
    period_from: IsoDate | None = None
    period_until: IsoDate | None = None
    amount: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    amount_change_reason: str = ""
    guaranteed_percent: Decimal = Field(Decimal(50), ge=50, le=100)
    payment_method: str = ""
    bank_account: str = ""
    payee_name: str = ""
    quantity: str = ""
    supplier: str = ""
    care_hours_per_week: Decimal | None = Field(None, max_digits=5, decimal_places=1)
    shelter_fee_per_night: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    reasoning: str = ""


class DecisionPatch(Schema):
    payment_method: str | None = None
    bank_account: str | None = Field(None, max_length=34)
    payee_name: str | None = Field(None, max_length=200)
    quantity: str | None = Field(None, max_length=200)
    supplier: str | None = Field(None, max_length=200)
    care_hours_per_week: Decimal | None = Field(None, max_digits=5, decimal_places=1)
    shelter_fee_per_night: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    reasoning: str | None = None
    version: int | None = Field(None, ge=1, description=VERSION_DESCRIPTION)


class DecisionOut(Schema):
    id: int
    version: int
    number: str
    kind: str
    benefit: str
    status: str
    application_id: int
    person_id: int
    computed_amount: str | None
    amount: str | None
    period_from: date | None
    period_until: date | None
    payment_method: str
    legal_basis: list[str]
    ruling: str
    reasoning: str
    explanation: str
    issued_on: date | None
    signed_by_id: int | None
    served_on: date | None
    appeal_deadline: date | None
    final_on: date | None
    pdf_sha256: str


class ServeIn(Schema):
    served_on: IsoDate


class AppealIn(Schema):
    lodged_on: IsoDate
    notes: str = ""


class AppealOut(Schema):
    id: int
    decision_id: int
    lodged_on: date
    forwarded_on: date | None
    outcome: str
    notes: str


class CareHoursIn(Schema):
    month: str = Field(description="the month, YYYY-MM", examples=["2025-07"])
    hours: Decimal = Field(
        description="hours of care delivered in the month, at most one decimal place",
        examples=["40.0"],
    )


class CareMonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    hours: str = Field(description="hours delivered, e.g. 40.0")
    fee_owed: str = Field(description="the person's fee for the month in zł, e.g. 120.00")
    recorded_by_id: int
    updated_at: datetime


class DeadlineOut(Schema):
    kind: str
    label: str
    due_on: date
    state: str
    application_id: int | None
    decision_id: int | None = None


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def decision_out(d: Decision) -> dict:
    return {
        "id": d.pk,
        "version": d.version,
        "number": d.number,
        "kind": d.kind,
        "benefit": d.benefit,
        "status": d.status,
        "application_id": d.application_id,
        "person_id": d.person_id,
        "computed_amount": _money(d.computed_amount),
        "amount": _money(d.amount),
        "period_from": d.period_from,
        "period_until": d.period_until,
        "payment_method": d.payment_method,
        "legal_basis": d.legal_basis,
        "ruling": d.ruling,
        "reasoning": d.reasoning,
        "explanation": d.assessment.get("explanation", ""),
        "issued_on": d.issued_on,
        "signed_by_id": d.signed_by_id,
        "served_on": d.served_on,
        "appeal_deadline": d.appeal_deadline,
        "final_on": d.final_on,
        "pdf_sha256": d.pdf_sha256,
    }


@router.post(
    "/applications/{application_id}/decision",
    response={201: DecisionOut},
    summary="Draft a decision with the computed amount",
)
def decision_create(request, application_id: ObjectId, payload: DecisionIn):
    application = application_get_for_user(
        user=request.user, application_id=application_id, for_write=True
    )
    decision = services.decision_draft(
        actor=request.user, application=application, **payload.dict()
    )
    return Status(201, decision_out(decision))


@router.get("/decisions/{decision_id}", response=DecisionOut, summary="A decision")
def decision_detail(request, decision_id: ObjectId):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    audit_record_view(actor=request.user, instance=decision, person_id=decision.person_id)
    return decision_out(decision)


@router.patch(
    "/decisions/{decision_id}",
    response={200: DecisionOut, 409: VersionConflictOut},
    summary="Change a draft's reasoning, payment or scope of help",
    description=UPDATE_DESCRIPTION,
)
def decision_update(request, decision_id: ObjectId, payload: DecisionPatch):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    data = payload.dict(exclude_unset=True)
    expected = expected_version(request, data.pop("version", None))
    try:
        decision = services.decision_update(
            actor=request.user, decision=decision, data=data, expected_version=expected
        )
    except VersionConflict as exc:
        return conflict_response(exc)
    return decision_out(decision)


@router.post(
    "/decisions/{decision_id}/issue",
    response={200: DecisionOut, 409: VersionConflictOut},
    summary="Sign and issue",
    description="Send `If-Match` with the version of the draft you read: a draft changed since "
    "is not signed (409 with what changed).",
)
def decision_issue(request, decision_id: ObjectId):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    try:
        issued = services.decision_issue(
            actor=request.user, decision=decision, expected_version=expected_version(request, None)
        )
    except VersionConflict as exc:
        return conflict_response(exc)
    return decision_out(issued)


@router.post("/decisions/{decision_id}/serve", response=DecisionOut, summary="Record service")
def decision_serve(request, decision_id: ObjectId, payload: ServeIn):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    return decision_out(
        services.decision_serve(actor=request.user, decision=decision, served_on=payload.served_on)
    )


class DecisionChangeIn(Schema):
    kind: str = Field(description="amending, revoking or suspending")
    effective_from: IsoDate
    reasoning: str
    amount: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    period_until: IsoDate | None = None


@router.post(
    "/decisions/{decision_id}/change",
    response={201: DecisionOut},
    summary="Draft an amending, revoking or suspending decision",
)
def decision_change(request, decision_id: ObjectId, payload: DecisionChangeIn):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    change = services.decision_change_draft(actor=request.user, decision=decision, **payload.dict())
    return Status(201, decision_out(change))


@router.get(
    "/decisions/{decision_id}/pdf", summary="The issued decision as PDF", response={200: None}
)
def decision_pdf(request, decision_id: ObjectId):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    if not decision.pdf:
        from django.http import Http404

        raise Http404(_("A PDF exists only for an issued decision."))
    audit_record_view(actor=request.user, instance=decision, person_id=decision.person_id)
    response = HttpResponse(bytes(decision.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="decyzja-{decision.number.replace("/", "-")}.pdf"'
    )
    return response


@router.post(
    "/decisions/{decision_id}/appeal", response={201: AppealOut}, summary="Record an appeal"
)
def appeal_create(request, decision_id: ObjectId, payload: AppealIn):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    appeal = services.appeal_lodge(actor=request.user, decision=decision, **payload.dict())
    return Status(
        201,
        {
            "id": appeal.pk,
            "decision_id": appeal.decision_id,
            "lodged_on": appeal.lodged_on,
            "forwarded_on": appeal.forwarded_on,
            "outcome": appeal.outcome,
            "notes": appeal.notes,
        },
    )


def care_month_out(m: CareServiceMonth) -> dict:
    return {
        "month": m.month.strftime("%Y-%m"),
        "hours": f"{m.hours_delivered:.1f}",
        "fee_owed": f"{m.fee_owed:.2f}",
        "recorded_by_id": m.recorded_by_id,
        "updated_at": m.updated_at,
    }


@router.post(
    "/decisions/{decision_id}/care-hours",
    response={200: CareMonthOut, 201: CareMonthOut},
    summary="Record the hours of care delivered in a month; 201 new, 200 replaced",
)
def care_hours_record(request, decision_id: ObjectId, payload: CareHoursIn):
    """Hours × the decision's hourly cost × its fee percent gives the fee owed for the month
    (u.p.s. art. 50 ust. 6). Recording a month again replaces it."""
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    month = parse_month(payload.month)
    recorded_before = decision.care_months.filter(month=month).exists()
    record = services.care_hours_record(
        actor=request.user, decision=decision, month=month, hours=payload.hours
    )
    return Status(200 if recorded_before else 201, care_month_out(record))


@router.get(
    "/decisions/{decision_id}/care-hours",
    response=list[CareMonthOut],
    summary="The months of care delivered under a decision, with the fee owed",
)
def care_hours_list(request, decision_id: ObjectId):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    audit_record_view(actor=request.user, instance=decision, person_id=decision.person_id)
    return [care_month_out(m) for m in selectors.care_months_for_decision(decision=decision)]


@router.get("/deadlines", response=list[DeadlineOut], summary="My (or all, for the head) deadlines")
def deadlines(request, all: bool = False):  # noqa: A002 - the query parameter's public name
    today = timezone.localdate()
    everyone = all and request.user.has_perm("cases.view_all_applications")
    items = [
        {
            "kind": d.kind,
            "label": d.label,
            "due_on": d.due_on,
            "state": d.state,
            "application_id": d.application.pk if d.application else None,
        }
        for d in case_deadlines(user=request.user, today=today, everyone=everyone)
    ]
    for decision in selectors.appeal_deadlines(user=request.user, everyone=everyone):
        items.append(
            {
                "kind": "appeal",
                "label": _("Appeal period: %(number)s") % {"number": decision.number},
                "due_on": decision.appeal_deadline,
                "state": "overdue" if decision.appeal_deadline < today else "soon",
                "application_id": decision.application_id,
                "decision_id": decision.pk,
            }
        )
    return sorted(items, key=lambda i: i["due_on"])
