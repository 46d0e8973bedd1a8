"""API of the shelter: free beds for a night, placements and check-outs, facilities. Same
checks as the pages: the shelter coordinator places; a bed already taken is a 409."""

from datetime import date
from typing import Literal

from django.db.models import Count, Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from gops.api.fields import IsoDate, ObjectId
from gops.api.idempotency import idempotent
from gops.people.selectors import person_get_for_user

from . import selectors, services
from .models import Bed, CheckoutReason, Facility, FacilityKind, Placement

router = Router(tags=["shelter"])

Kind = Literal[tuple(FacilityKind.values)]  # type: ignore[valid-type]


class AvailabilityQuery(Schema):
    night: IsoDate | None = Field(None, description="the night, YYYY-MM-DD; default tonight")
    kind: Kind | None = Field(None, description="facility type, e.g. night_shelter")
    sex: Literal["F", "M"] | None = Field(
        None, description="only beds a woman (F) or man (M) may take"
    )
    wheelchair: bool = Field(False, description="only beds with wheelchair access")


class BedOut(Schema):
    id: int
    room: str
    label: str
    sex: str = Field(description="any, F or M")
    wheelchair_access: bool
    seasonal: bool


class AvailabilityOut(Schema):
    facility_id: int
    name: str
    kind: str
    city: str
    beds: int = Field(description="beds in use that night")
    occupied: int
    free: int = Field(description="free beds that fit the filters")
    free_beds: list[BedOut]


class FacilityOut(Schema):
    id: int
    name: str
    kind: str
    street: str
    postal_code: str
    city: str
    phone: str
    operator: str = Field(description="empty: run by the centre")
    contract_price_per_night: str | None = Field(description="zł, e.g. 45.00")
    contract_from: date | None
    contract_until: date | None
    admits: str = Field(description="any, F or M")
    wheelchair_accessible: bool
    pets_allowed: bool
    admits_intoxicated: bool
    active: bool
    beds: int = Field(description="beds not out of use, seasonal ones included")


class PlacementIn(Schema):
    person_id: ObjectId
    facility_id: ObjectId | None = Field(None, description="the first free bed that fits here")
    bed_id: ObjectId | None = Field(None, description="or this bed")
    from_: IsoDate = Field(alias="from", description="the first night, YYYY-MM-DD")
    decision_id: ObjectId | None = Field(None, description="an issued decision granting shelter")
    emergency: bool = Field(False, description="without a decision: night shelter, warming centre")
    wheelchair: bool = Field(False, description="the person needs wheelchair access")


class CheckoutIn(Schema):
    on: IsoDate = Field(description="the morning of leaving; the last night is the one before")
    reason: Literal[tuple(CheckoutReason.values)]  # type: ignore[valid-type]


class PlacementOut(Schema):
    id: int
    person_id: int
    facility_id: int
    bed_id: int
    room: str
    bed: str
    decision_id: int | None
    emergency: bool
    check_in: date
    check_out: date | None
    checkout_reason: str


def _bed_out(bed: Bed) -> dict:
    return {
        "id": bed.pk,
        "room": bed.room,
        "label": bed.label,
        "sex": bed.sex,
        "wheelchair_access": bed.wheelchair_access,
        "seasonal": bed.season_from is not None,
    }


def _placement_out(placement: Placement) -> dict:
    return {
        "id": placement.pk,
        "person_id": placement.person_id,
        "facility_id": placement.facility_id,
        "bed_id": placement.bed_id,
        "room": placement.bed.room,
        "bed": placement.bed.label,
        "decision_id": placement.decision_id,
        "emergency": placement.emergency,
        "check_in": placement.check_in,
        "check_out": placement.check_out,
        "checkout_reason": placement.checkout_reason,
    }


def _facility_out(facility: Facility) -> dict:
    price = facility.contract_price_per_night
    return {
        "id": facility.pk,
        "name": facility.name,
        "kind": facility.kind,
        "street": facility.street,
        "postal_code": facility.postal_code,
        "city": facility.city,
        "phone": facility.phone,
        "operator": facility.operator,
        "contract_price_per_night": None if price is None else f"{price:.2f}",
        "contract_from": facility.contract_from,
        "contract_until": facility.contract_until,
        "admits": facility.admits,
        "wheelchair_accessible": facility.wheelchair_accessible,
        "pets_allowed": facility.pets_allowed,
        "admits_intoxicated": facility.admits_intoxicated,
        "active": facility.active,
        "beds": facility.usable_beds,
    }


@router.get(
    "/availability",
    response=list[AvailabilityOut],
    summary="Free beds per facility for a night",
)
def availability(request, filters: Query[AvailabilityQuery]):
    rows = selectors.board(
        user=request.user,
        night=filters.night or timezone.localdate(),
        kind=filters.kind,
        sex=filters.sex,
        wheelchair=filters.wheelchair,
    )
    return [
        {
            "facility_id": row.facility.pk,
            "name": row.facility.name,
            "kind": row.facility.kind,
            "city": row.facility.city,
            "beds": row.beds,
            "occupied": row.occupied,
            "free": row.free_count,
            "free_beds": [_bed_out(bed) for bed in row.free],
        }
        for row in rows
    ]


@router.get("/facilities", response=list[FacilityOut], summary="The centre's facilities")
def facility_list(request):
    facilities = selectors.facility_queryset_for_user(user=request.user).annotate(
        usable_beds=Count("beds", filter=Q(beds__out_of_use=False))
    )
    return [_facility_out(facility) for facility in facilities]


@router.post(
    "/placements",
    response={201: PlacementOut},
    summary="Place a person in a bed; 409 when no bed fits",
)
@idempotent
def placement_create(request, payload: PlacementIn):
    user = request.user
    person = person_get_for_user(user=user, person_id=payload.person_id)
    bed = facility = decision = None
    if payload.bed_id is not None:
        bed = selectors.bed_get_for_user(user=user, bed_id=payload.bed_id)
    elif payload.facility_id is not None:
        facility = selectors.facility_get_for_user(user=user, facility_id=payload.facility_id)
    if payload.decision_id is not None:
        decision = selectors.shelter_decision_get_for_user(
            user=user, decision_id=payload.decision_id
        )
    placement = services.placement_create(
        actor=user,
        person=person,
        facility=facility,
        bed=bed,
        check_in=payload.from_,
        decision=decision,
        emergency=payload.emergency,
        wheelchair=payload.wheelchair,
    )
    return Status(201, _placement_out(placement))


@router.post(
    "/placements/{placement_id}/checkout",
    response=PlacementOut,
    summary="Check a person out with a reason; the bed is free from that night",
)
def placement_checkout(request, placement_id: ObjectId, payload: CheckoutIn):
    placement = selectors.placement_get_for_user(user=request.user, placement_id=placement_id)
    placement = services.placement_checkout(
        actor=request.user, placement=placement, on=payload.on, reason=payload.reason
    )
    return _placement_out(placement)
