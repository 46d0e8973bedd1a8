"""API of the registry: persons, incomes, households. Same checks as the pages."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.db import transaction
from django.db.models import OuterRef, Subquery
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from gops.accounts.models import District, User
from gops.api.fields import IsoDate, ObjectId
from gops.api.versioning import (
    UPDATE_DESCRIPTION,
    VERSION_DESCRIPTION,
    VersionConflictOut,
    conflict_response,
    expected_version,
)
from gops.audit.services import audit_record_search, audit_record_view
from gops.core.errors import VersionConflict

from . import selectors, services
from .models import Household, HouseholdMembership, Income, Person

router = Router(tags=["registry"])


class PersonIn(Schema):
    first_names: str = Field(max_length=100)
    surnames: str = Field(max_length=100)
    pesel: str | None = Field(None, max_length=11)
    birth_date: IsoDate | None = None
    sex: Literal["F", "M"] | None = None
    id_document_type: str = ""
    id_document_number: str = Field("", max_length=30)
    citizenship: str = Field("PL", max_length=2)
    residence_status: str = ""
    residence_document_valid_until: IsoDate | None = None
    languages_spoken: str = Field("", max_length=100)
    letter_language: Literal["pl", "uk", "en"] = "pl"
    needs_interpreter: bool = False
    registered_street: str = ""
    registered_postal_code: str = Field("", max_length=6)
    registered_city: str = ""
    actual_same_as_registered: bool = True
    actual_street: str = ""
    actual_postal_code: str = Field("", max_length=6)
    actual_city: str = ""
    homeless: bool = False
    phone: str = ""
    email: str = ""
    disability_degree: str = "none"
    disability_valid_until: IsoDate | None = None
    restricted_notes: str = ""
    district_id: ObjectId | None = None
    case_worker_id: ObjectId | None = None
    confirm_similar: bool = False


class PersonPatch(Schema):
    first_names: str | None = Field(None, max_length=100)
    surnames: str | None = Field(None, max_length=100)
    pesel: str | None = Field(None, max_length=11)
    birth_date: IsoDate | None = None
    sex: Literal["F", "M"] | None = None
    id_document_type: str | None = None
    id_document_number: str | None = Field(None, max_length=30)
    citizenship: str | None = Field(None, max_length=2)
    residence_status: str | None = None
    residence_document_valid_until: IsoDate | None = None
    languages_spoken: str | None = Field(None, max_length=100)
    letter_language: Literal["pl", "uk", "en"] | None = None
    needs_interpreter: bool | None = None
    registered_street: str | None = None
    registered_postal_code: str | None = Field(None, max_length=6)
    registered_city: str | None = None
    actual_same_as_registered: bool | None = None
    actual_street: str | None = None
    actual_postal_code: str | None = Field(None, max_length=6)
    actual_city: str | None = None
    homeless: bool | None = None
    phone: str | None = None
    email: str | None = None
    disability_degree: str | None = None
    disability_valid_until: IsoDate | None = None
    restricted_notes: str | None = None
    district_id: ObjectId | None = None
    case_worker_id: ObjectId | None = None
    version: int | None = Field(None, ge=1, description=VERSION_DESCRIPTION)


class PersonOut(Schema):
    id: int
    version: int
    first_names: str
    surnames: str
    pesel: str | None
    birth_date: date
    sex: str
    id_document_type: str
    id_document_number: str
    citizenship: str
    residence_status: str
    residence_document_valid_until: date | None
    languages_spoken: str
    letter_language: str
    needs_interpreter: bool
    registered_street: str
    registered_postal_code: str
    registered_city: str
    actual_same_as_registered: bool
    actual_street: str
    actual_postal_code: str
    actual_city: str
    homeless: bool
    phone: str
    email: str
    disability_degree: str
    disability_valid_until: date | None
    district_id: int
    case_worker_id: int | None
    household_id: int | None = None
    # Present only for users allowed to read restricted notes.
    restricted_notes: str | None = None


class PersonList(Schema):
    items: list[PersonOut]
    count: int


class IncomeIn(Schema):
    month: IsoDate = Field(description="any day of the month; stored as its first day")
    source: str
    net_amount: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    gross_amount: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    income_tax: Decimal = Field(Decimal(0), max_digits=12, decimal_places=2)
    health_insurance: Decimal = Field(Decimal(0), max_digits=12, decimal_places=2)
    social_insurance: Decimal = Field(Decimal(0), max_digits=12, decimal_places=2)
    alimony_paid: Decimal = Field(Decimal(0), max_digits=12, decimal_places=2)
    farm_hectares: Decimal | None = Field(None, max_digits=8, decimal_places=4)
    counts_as_income: bool | None = None
    note: str = Field("", max_length=200)


class IncomeOut(Schema):
    id: int
    person_id: int
    month: date
    source: str
    net_amount: str
    gross_amount: str | None
    farm_hectares: str | None
    counts_as_income: bool
    note: str


class MemberIn(Schema):
    person_id: ObjectId
    relation: str


class HouseholdIn(Schema):
    members: list[MemberIn]
    joined_on: IsoDate | None = None
    notes: str = ""


class MemberOut(Schema):
    person_id: int
    first_names: str
    surnames: str
    relation: str
    joined_on: date
    left_on: date | None


class HouseholdPatch(Schema):
    notes: str | None = None
    district_id: ObjectId | None = None
    version: int | None = Field(None, ge=1, description=VERSION_DESCRIPTION)


class HouseholdOut(Schema):
    id: int
    version: int
    district_id: int
    family_assistant_id: int | None
    members: list[MemberOut]
    notes: str


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _person_out(person: Person, user: User) -> dict:
    data = {name: getattr(person, name) for name in PersonOut.model_fields if hasattr(person, name)}
    data["id"] = person.pk
    data["district_id"] = person.district_id
    data["case_worker_id"] = person.case_worker_id
    if hasattr(person, "active_household_id"):  # annotated by _person_page
        data["household_id"] = person.active_household_id
    else:
        membership = selectors.person_household_membership(person=person)
        data["household_id"] = membership.household_id if membership else None
    data["restricted_notes"] = (
        person.restricted_notes if user.has_perm("people.view_restricted_notes") else None
    )
    return data


def _income_out(income: Income) -> dict:
    return {
        "id": income.pk,
        "person_id": income.person_id,
        "month": income.month,
        "source": income.source,
        "net_amount": _money(income.net_amount),
        "gross_amount": _money(income.gross_amount),
        "farm_hectares": None if income.farm_hectares is None else str(income.farm_hectares),
        "counts_as_income": income.counts_as_income,
        "note": income.note,
    }


def _household_out(household: Household) -> dict:
    return {
        "id": household.pk,
        "version": household.version,
        "district_id": household.district_id,
        "family_assistant_id": household.family_assistant_id,
        "notes": household.notes,
        "members": [
            {
                "person_id": m.person_id,
                "first_names": m.person.first_names,
                "surnames": m.person.surnames,
                "relation": m.relation,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
            }
            for m in household.memberships.all()
        ],
    }


def _references(user: User, payload: dict) -> dict:
    """Turn district_id / case_worker_id into objects of the user's centre (else 422)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    data = dict(payload)
    if "district_id" in data:
        district_id = data.pop("district_id")
        data["district"] = None
        if district_id is not None:
            data["district"] = District.objects.filter(
                pk=district_id, centre_id=user.centre_id
            ).first()
            if data["district"] is None:
                raise ValidationError({"district_id": _("Unknown district.")})
    if "case_worker_id" in data:
        worker_id = data.pop("case_worker_id")
        data["case_worker"] = None
        if worker_id is not None:
            data["case_worker"] = User.objects.filter(
                pk=worker_id, centre_id=user.centre_id, is_active=True
            ).first()
            if data["case_worker"] is None:
                raise ValidationError({"case_worker_id": _("Unknown worker.")})
    return data


@router.post("/persons", response={201: PersonOut}, summary="Register a person")
def person_create(request, payload: PersonIn):
    data = payload.dict()
    confirm = data.pop("confirm_similar")
    data = _references(request.user, data)
    person = services.person_create(actor=request.user, data=data, confirm_similar=confirm)
    return Status(201, _person_out(person, request.user))


class PersonSearchIn(Schema):
    q: str = Field(
        "", max_length=100, description="PESEL, surname and first name, or document number"
    )
    limit: StrictInt = Field(50, ge=1, le=200)
    offset: StrictInt = Field(0, ge=0)


def _person_page(user: User, q: str, limit: int, offset: int) -> dict:
    if q.strip():
        qs = selectors.person_search(user=user, query=q)
    else:
        qs = selectors.person_queryset_for_user(user=user).select_related("district")
    count = qs.count()
    # Each person's active household (at most one) in the page's query, not one per person.
    active = HouseholdMembership.objects.filter(person=OuterRef("pk"), left_on__isnull=True)
    qs = qs.annotate(active_household_id=Subquery(active.values("household_id")[:1]))
    items = list(qs[offset : offset + limit])
    if q.strip():
        audit_record_search(actor=user, query=q, result_count=count)
    return {"items": [_person_out(p, user) for p in items], "count": count}


@router.post("/persons/search", response=PersonList, summary="Search persons")
def person_search(request, payload: PersonSearchIn):
    """The search terms travel in the body: a PESEL or a name never appears in a URL, so not
    in the access logs of the server or of a proxy either."""
    return _person_page(request.user, payload.q, payload.limit, payload.offset)


@router.get(
    "/persons",
    response=PersonList,
    summary="List persons",
    description="Without `q`, the persons the user may see, page by page. `q` is deprecated: "
    "search with POST /persons/search so that personal data stays out of URLs and logs.",
)
def person_list(
    request,
    q: str = Query("", max_length=100, description="Deprecated: use POST /persons/search."),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
):
    return _person_page(request.user, q, limit, offset)


@router.get("/persons/{person_id}", response=PersonOut, summary="A person's data")
def person_detail(request, person_id: ObjectId):
    person = selectors.person_get_for_user(user=request.user, person_id=person_id)
    audit_record_view(actor=request.user, instance=person, person_id=person.pk)
    return _person_out(person, request.user)


@router.patch(
    "/persons/{person_id}",
    response={200: PersonOut, 409: VersionConflictOut},
    summary="Change a person's data",
    description=UPDATE_DESCRIPTION,
)
def person_update(request, person_id: ObjectId, payload: PersonPatch):
    person = selectors.person_get_for_user(user=request.user, person_id=person_id, for_write=True)
    data = payload.dict(exclude_unset=True)
    expected = expected_version(request, data.pop("version", None))
    data = _references(request.user, data)
    try:
        person = services.person_update(
            actor=request.user, person=person, data=data, expected_version=expected
        )
    except VersionConflict as exc:
        return conflict_response(exc)
    return _person_out(person, request.user)


@router.post("/persons/{person_id}/incomes", response={201: IncomeOut}, summary="Record an income")
def income_create(request, person_id: ObjectId, payload: IncomeIn):
    person = selectors.person_get_for_user(user=request.user, person_id=person_id, for_write=True)
    income = services.income_add(actor=request.user, person=person, **payload.dict())
    return Status(201, _income_out(income))


@router.get("/persons/{person_id}/incomes", response=list[IncomeOut], summary="A person's incomes")
def income_list(request, person_id: ObjectId):
    person = selectors.person_get_for_user(user=request.user, person_id=person_id)
    return [_income_out(i) for i in selectors.income_list_for_person(person=person)]


@router.post("/households", response={201: HouseholdOut}, summary="Create a household")
def household_create(request, payload: HouseholdIn):
    members = []
    with transaction.atomic():
        for member in payload.members:
            person = selectors.person_get_for_user(user=request.user, person_id=member.person_id)
            members.append((person, member.relation))
        household = services.household_create(
            actor=request.user, members=members, joined_on=payload.joined_on, notes=payload.notes
        )
    household = selectors.household_get_for_user(user=request.user, household_id=household.pk)
    return Status(201, _household_out(household))


@router.get("/households/{household_id}", response=HouseholdOut, summary="A household")
def household_detail(request, household_id: ObjectId):
    household = selectors.household_get_for_user(user=request.user, household_id=household_id)
    audit_record_view(actor=request.user, instance=household, household_id=household.pk)
    return _household_out(household)


@router.patch(
    "/households/{household_id}",
    response={200: HouseholdOut, 409: VersionConflictOut},
    summary="Change a household's notes or district",
    description=UPDATE_DESCRIPTION,
)
def household_update(request, household_id: ObjectId, payload: HouseholdPatch):
    household = selectors.household_get_for_user(
        user=request.user, household_id=household_id, for_write=True
    )
    data = payload.dict(exclude_unset=True)
    expected = expected_version(request, data.pop("version", None))
    data = _references(request.user, data)
    try:
        services.household_update(
            actor=request.user, household=household, data=data, expected_version=expected
        )
    except VersionConflict as exc:
        return conflict_response(exc)
    household = selectors.household_get_for_user(user=request.user, household_id=household_id)
    return _household_out(household)
