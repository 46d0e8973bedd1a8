"""API of advice and referrals: the institution directory, referrals (422 without the
person's consent) and their outcomes. Same checks as the pages."""

from datetime import date
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from gops.api.fields import IsoDate, ObjectId
from gops.cases.selectors import contract_get_for_user
from gops.people.selectors import person_get_for_user

from . import selectors, services
from .models import Institution, InstitutionKind, OutcomeKind, Referral, ReferralKind

router = Router(tags=["referrals"])

Kind = Literal[tuple(InstitutionKind.values)]  # type: ignore[valid-type]


class InstitutionQuery(Schema):
    q: str = Field("", description="words in the name, services, eligibility, address")
    kind: Kind | None = Field(None, description="institution type, e.g. labour_office")


class InstitutionIn(Schema):
    name: str
    kind: Kind
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    opening_hours: str = ""
    services: str = ""
    eligibility: str = ""
    languages: str = ""


class InstitutionOut(InstitutionIn):
    id: int


class ReferralIn(Schema):
    person_id: ObjectId
    institution_id: ObjectId
    kind: Literal[tuple(ReferralKind.values)] = ReferralKind.SERVICE  # type: ignore[valid-type]
    purpose: str
    consent_given: bool = Field(description="the person consents to passing their data")
    consent_on: IsoDate | None = Field(None, description="default today")
    follow_up_on: IsoDate | None = None
    social_contract_id: ObjectId | None = None


class ReferralOutcomeIn(Schema):
    state: Literal["accepted", "refused", "done"]
    outcome: str = ""
    outcome_kind: Literal[tuple(OutcomeKind.values)] | None = Field(  # type: ignore[valid-type]
        None, description="work and training referrals that end"
    )
    outcome_on: IsoDate | None = None
    follow_up_on: IsoDate | None = None


class ReferralOut(Schema):
    id: int
    person_id: int
    institution_id: int
    kind: str
    purpose: str
    consent_on: date
    state: str
    outcome: str
    outcome_kind: str
    outcome_on: date | None
    follow_up_on: date | None
    social_contract_id: int | None


def _institution_out(institution: Institution) -> dict:
    return {
        "id": institution.pk,
        **{f: getattr(institution, f) for f in services.INSTITUTION_FIELDS},
    }


def _referral_out(referral: Referral) -> dict:
    return {
        f: getattr(referral, f)
        for f in (
            "person_id",
            "institution_id",
            "kind",
            "purpose",
            "consent_on",
            "state",
            "outcome",
            "outcome_kind",
            "outcome_on",
            "follow_up_on",
            "social_contract_id",
        )
    } | {"id": referral.pk}


@router.get("/institutions", response=list[InstitutionOut], summary="Search the directory")
def institution_list(request, filters: Query[InstitutionQuery]):
    found = selectors.institution_search(user=request.user, query=filters.q, kind=filters.kind)
    return [_institution_out(i) for i in found]


@router.post(
    "/institutions", response={201: InstitutionOut}, summary="Add an institution to the directory"
)
def institution_create(request, payload: InstitutionIn):
    institution = services.institution_save(
        actor=request.user, institution=Institution(**payload.dict())
    )
    return Status(201, _institution_out(institution))


@router.post(
    "/referrals",
    response={201: ReferralOut},
    summary="Refer a person to an institution; 422 without the person's consent",
)
def referral_create(request, payload: ReferralIn):
    user = request.user
    person = person_get_for_user(user=user, person_id=payload.person_id, for_write=True)
    institution = selectors.institution_get_for_user(
        user=user, institution_id=payload.institution_id
    )
    contract = None
    if payload.social_contract_id is not None:
        contract = contract_get_for_user(user=user, contract_id=payload.social_contract_id)
    referral = services.referral_create(
        actor=user,
        person=person,
        institution=institution,
        kind=payload.kind,
        purpose=payload.purpose,
        consent_given=payload.consent_given,
        consent_on=payload.consent_on,
        follow_up_on=payload.follow_up_on,
        social_contract=contract,
    )
    return Status(201, _referral_out(referral))


@router.post(
    "/referrals/{referral_id}/outcome",
    response=ReferralOut,
    summary="Record a referral's new state and outcome (sent → accepted/refused → done)",
)
def referral_outcome(request, referral_id: ObjectId, payload: ReferralOutcomeIn):
    referral = selectors.referral_get_for_user(user=request.user, referral_id=referral_id)
    referral = services.referral_outcome_record(
        actor=request.user,
        referral=referral,
        state=payload.state,
        outcome=payload.outcome,
        outcome_kind=payload.outcome_kind or "",
        outcome_on=payload.outcome_on,
        follow_up_on=payload.follow_up_on,
    )
    return _referral_out(referral)
