"""Writes to the registry: validation, duplicates, households, incomes and their audit."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gops.audit.models import AuditEntry
from gops.core.errors import ConflictError, NeedsConfirmation
from gops.people import services
from gops.people.models import Household, HouseholdMembership, Income, Person, Relation
from gops.people.tests.factories import make_foreigner, make_person


def person_data(**overrides) -> dict:
    data = dict(
        first_names="Jan",
        surnames="Kowalski",
        pesel="44051401359",
        registered_street="ul. Polna 3",
        registered_postal_code="00-001",
        registered_city="Testowo",
    )
    data.update(overrides)
    return data


def without_pesel(**overrides) -> dict:
    return person_data(
        pesel=None,
        birth_date=date(1985, 3, 12),
        sex="M",
        id_document_type="id_card",
        id_document_number="ABC 123456",
        **overrides,
    )


def error_fields(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


def entries(action: str, **filters):
    return AuditEntry.objects.filter(action=action, **filters)


# --- person_create ------------------------------------------------------------------------


def test_a_person_gets_birth_date_and_sex_from_the_pesel(worker_a):
    person = services.person_create(
        actor=worker_a, data=person_data(first_names="Anna", pesel="00222945624")
    )
    person.refresh_from_db()
    assert person.birth_date == date(2000, 2, 29)
    assert person.sex == "F"


def test_a_person_is_registered_in_the_centre_and_district_of_the_worker(worker_a, district_a):
    person = services.person_create(actor=worker_a, data=person_data())
    assert person.centre_id == worker_a.centre_id
    assert person.district_id == district_a.pk
    assert person.created_by_id == worker_a.pk
    assert person.surnames_search == "kowalski"


def test_a_birth_date_contradicting_the_pesel_is_refused_on_that_field(worker_a):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=worker_a, data=person_data(birth_date=date(1944, 5, 15)))
    assert error_fields(excinfo) == {"birth_date"}
    assert "1944-05-14" in excinfo.value.message_dict["birth_date"][0]
    assert Person.objects.count() == 0


def test_a_sex_contradicting_the_pesel_is_refused_on_that_field(worker_a):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=worker_a, data=person_data(sex="F"))
    assert error_fields(excinfo) == {"sex"}
    assert Person.objects.count() == 0


def test_a_birth_date_and_sex_agreeing_with_the_pesel_are_accepted(worker_a):
    person = services.person_create(
        actor=worker_a, data=person_data(birth_date=date(1944, 5, 14), sex="M")
    )
    assert (person.birth_date, person.sex) == (date(1944, 5, 14), "M")


def test_an_invalid_pesel_is_refused_on_the_pesel_field_alone(worker_a):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=worker_a, data=person_data(pesel="44051401358"))
    assert error_fields(excinfo) == {"pesel"}
    assert Person.objects.count() == 0


def test_without_a_pesel_birth_date_sex_and_an_identity_document_are_required(worker_a):
    data = person_data(pesel=None)
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=worker_a, data=data)
    assert error_fields(excinfo) == {"birth_date", "sex", "id_document_type", "id_document_number"}


def test_an_empty_pesel_counts_as_none(worker_a):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=worker_a, data=person_data(pesel=""))
    assert "id_document_number" in error_fields(excinfo)


def test_a_person_without_a_pesel_is_identified_by_birth_date_sex_and_document(worker_a):
    person = services.person_create(actor=worker_a, data=without_pesel())
    person.refresh_from_db()
    assert person.pesel is None
    assert person.birth_date == date(1985, 3, 12)
    assert person.document_search == "ABC123456"


def test_a_foreigner_needs_a_residence_status(worker_a):
    data = without_pesel(citizenship="UA")
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=worker_a, data=data)
    assert error_fields(excinfo) == {"residence_status"}


def test_a_foreigner_with_a_residence_status_is_registered_with_the_code_in_upper_case(worker_a):
    person = services.person_create(
        actor=worker_a,
        data=without_pesel(citizenship="ua", residence_status="temporary_protection_ua"),
    )
    assert person.citizenship == "UA"
    assert person.is_foreigner


def test_a_polish_citizen_has_no_residence_status(worker_a):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            actor=worker_a, data=person_data(residence_status="temporary_residence")
        )
    assert error_fields(excinfo) == {"residence_status"}


def test_a_pesel_already_registered_is_a_conflict_naming_the_existing_person(worker_a):
    first = services.person_create(actor=worker_a, data=person_data())
    with pytest.raises(ConflictError) as excinfo:
        services.person_create(
            actor=worker_a, data=person_data(first_names="Janusz"), confirm_similar=True
        )
    assert excinfo.value.field == "pesel"
    assert excinfo.value.existing == first
    assert Person.objects.count() == 1


def test_the_same_pesel_may_be_registered_in_another_centre(worker_a, other_worker):
    services.person_create(actor=worker_a, data=person_data())
    other = services.person_create(actor=other_worker, data=person_data())
    assert other.centre_id == other_worker.centre_id
    assert Person.objects.filter(pesel="44051401359").count() == 2


def test_same_names_and_birth_date_without_diacritics_need_confirmation(worker_a):
    first = services.person_create(
        actor=worker_a,
        data=person_data(first_names="Łukasz", surnames="Wójcik", pesel="85031279072"),
    )
    data = without_pesel(first_names="lukasz", surnames="WOJCIK")
    with pytest.raises(NeedsConfirmation) as excinfo:
        services.person_create(actor=worker_a, data=data)
    assert excinfo.value.candidates == [first]
    assert Person.objects.count() == 1

    second = services.person_create(actor=worker_a, data=data, confirm_similar=True)
    assert second.pk != first.pk
    assert Person.objects.count() == 2


def test_a_person_registered_without_pesel_is_offered_when_registered_again_with_one(worker_a):
    # A refugee registered by passport who later received a PESEL.
    first = services.person_create(actor=worker_a, data=without_pesel(surnames="Wójcik"))
    with pytest.raises(NeedsConfirmation) as excinfo:
        services.person_create(
            actor=worker_a, data=person_data(surnames="Wojcik", pesel="85031279072")
        )
    assert excinfo.value.candidates == [first]


def test_persons_with_different_pesels_are_never_taken_for_the_same_one(worker_a):
    services.person_create(actor=worker_a, data=person_data(pesel="85031279072"))
    second = services.person_create(actor=worker_a, data=person_data(pesel="85031279096"))
    assert second.birth_date == date(1985, 3, 12)
    assert Person.objects.count() == 2


def test_registering_a_person_writes_one_create_entry_with_the_fields(worker_a, district_a):
    person = services.person_create(actor=worker_a, data=person_data(phone="600100200"))
    entry = entries("create", person_id=person.pk).get()
    assert entry.actor == worker_a
    assert entry.object_type == "people.person"
    assert entry.object_id == str(person.pk)
    assert entry.centre_id == worker_a.centre_id
    assert entry.changes["first_names"] == [None, "Jan"]
    assert entry.changes["surnames"] == [None, "Kowalski"]
    assert entry.changes["pesel"] == [None, "44051401359"]
    assert entry.changes["birth_date"] == [None, "1944-05-14"]
    assert entry.changes["sex"] == [None, "M"]
    assert entry.changes["phone"] == [None, "600100200"]
    assert entry.changes["district_id"] == [None, district_a.pk]
    # Derived search keys are not the person's data.
    derived = {"surnames_search", "surnames_alt_search", "first_names_search", "document_search"}
    assert not derived & set(entry.changes)


def test_a_refused_registration_leaves_no_audit_entry(worker_a):
    with pytest.raises(ValidationError):
        services.person_create(actor=worker_a, data=person_data(pesel="44051401358"))
    assert AuditEntry.objects.count() == 0


def test_finance_and_the_family_assistant_cannot_register_persons(finance, assistant):
    for actor in (finance, assistant):
        with pytest.raises(PermissionDenied):
            services.person_create(actor=actor, data=person_data())
    assert Person.objects.count() == 0


def test_an_unknown_field_is_refused(worker_a):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=worker_a, data=person_data(centre_id=99))
    assert error_fields(excinfo) == {"centre_id"}


def test_a_district_of_another_centre_is_refused(worker_a, other_district):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=worker_a, data=person_data(district=other_district))
    assert error_fields(excinfo) == {"district"}


def test_a_user_without_a_district_must_choose_one(head, district_b):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=head, data=person_data())
    assert error_fields(excinfo) == {"district"}
    person = services.person_create(actor=head, data=person_data(district=district_b))
    assert person.district == district_b


# --- person_update ------------------------------------------------------------------------


def test_an_update_audits_old_and_new_values_of_the_changed_fields_only(worker_a):
    person = make_person(actor=worker_a)
    services.person_update(
        actor=worker_a,
        person=person,
        data={"surnames": "Nowak-Kowalski", "phone": "600100200", "first_names": "Jan"},
    )
    entry = entries("update", person_id=person.pk).get()
    assert entry.actor == worker_a
    assert entry.changes == {
        "surnames": ["Kowalski", "Nowak-Kowalski"],
        "phone": ["", "600100200"],
    }
    person.refresh_from_db()
    assert person.surnames_search == "nowak kowalski"
    assert person.surnames_alt_search == "kowalski nowak"
    assert person.updated_by == worker_a


def test_an_update_that_changes_nothing_writes_no_entry(worker_a):
    person = make_person(actor=worker_a)
    before = Person.objects.get(pk=person.pk).updated_at
    services.person_update(
        actor=worker_a, person=person, data={"surnames": "Kowalski", "citizenship": "pl"}
    )
    assert entries("update").count() == 0
    assert Person.objects.get(pk=person.pk).updated_at == before


def test_a_social_worker_cannot_move_a_person_to_another_district(worker_a, district_b):
    person = make_person(actor=worker_a)
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(actor=worker_a, person=person, data={"district": district_b})
    assert error_fields(excinfo) == {"district"}
    person.refresh_from_db()
    assert person.district_id == worker_a.district_id
    assert entries("update").count() == 0


def test_the_head_moves_a_person_to_another_district(worker_a, head, district_a, district_b):
    person = make_person(actor=worker_a)
    services.person_update(actor=head, person=person, data={"district": district_b})
    person.refresh_from_db()
    assert person.district == district_b
    entry = entries("update", person_id=person.pk).get()
    assert entry.changes == {"district_id": [district_a.pk, district_b.pk]}
    assert entry.actor == head


def test_a_worker_of_another_district_cannot_change_a_person(worker_a, worker_b):
    person = make_person(actor=worker_a)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=worker_b, person=person, data={"phone": "1"})


def test_the_head_of_another_centre_cannot_change_a_person(worker_a, other_head):
    person = make_person(actor=worker_a)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=other_head, person=person, data={"phone": "1"})
    person.refresh_from_db()
    assert person.phone == ""


def test_changing_the_pesel_to_one_already_registered_is_a_conflict(worker_a):
    first = make_person(actor=worker_a)
    second = make_person(actor=worker_a, first_names="Anna", pesel="00222945624", surnames="Nowak")
    with pytest.raises(ConflictError) as excinfo:
        services.person_update(
            actor=worker_a,
            person=second,
            data={"pesel": "44051401359", "birth_date": None, "sex": ""},
        )
    assert excinfo.value.existing == first
    second.refresh_from_db()
    assert second.pesel == "00222945624"


def test_an_update_contradicting_the_pesel_is_refused(worker_a):
    person = make_person(actor=worker_a)
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(actor=worker_a, person=person, data={"sex": "F"})
    assert error_fields(excinfo) == {"sex"}


# --- Households ---------------------------------------------------------------------------


@pytest.fixture
def family(worker_a):
    """A father (head), a mother and a child of district A, not yet in a household."""
    return (
        make_person(actor=worker_a),
        make_person(actor=worker_a, first_names="Maria", pesel="75112055505"),
        make_person(actor=worker_a, first_names="Ewa", pesel="10301032114"),
    )


@pytest.fixture
def household(worker_a, family):
    father, mother, child = family
    return services.household_create(
        actor=worker_a,
        members=[(father, Relation.HEAD), (mother, Relation.SPOUSE), (child, Relation.CHILD)],
        joined_on=date(2024, 1, 1),
    )


def test_a_household_is_created_in_its_heads_district_with_its_members(
    worker_a, household, family, district_a
):
    father, mother, child = family
    assert household.district == district_a
    assert household.centre_id == worker_a.centre_id
    members = {(m.person_id, m.relation) for m in household.active_members}
    assert members == {(father.pk, "head"), (mother.pk, "spouse"), (child.pk, "child")}
    assert entries("create", object_type="people.household", household_id=household.pk).count() == 1
    membership_entries = entries("create", object_type="people.householdmembership")
    assert {e.person_id for e in membership_entries} == {father.pk, mother.pk, child.pk}
    assert {e.household_id for e in membership_entries} == {household.pk}


@pytest.mark.parametrize(
    "relations",
    [
        (Relation.SPOUSE, Relation.CHILD),
        (Relation.HEAD, Relation.HEAD),
    ],
)
def test_a_household_has_exactly_one_head(worker_a, family, relations):
    father, mother, _child = family
    with pytest.raises(ValidationError) as excinfo:
        services.household_create(
            actor=worker_a, members=[(father, relations[0]), (mother, relations[1])]
        )
    assert error_fields(excinfo) == {"members"}
    assert Household.objects.count() == 0


def test_a_person_listed_twice_is_refused(worker_a, family):
    father, _mother, _child = family
    with pytest.raises(ValidationError):
        services.household_create(
            actor=worker_a, members=[(father, Relation.HEAD), (father, Relation.CHILD)]
        )
    assert Household.objects.count() == 0


def test_a_household_with_one_bad_member_is_not_created_at_all(worker_a, family):
    father, mother, child = family
    with pytest.raises(ValidationError):
        services.household_create(
            actor=worker_a,
            members=[(father, Relation.HEAD), (mother, Relation.SPOUSE), (child, "cousin")],
        )
    assert Household.objects.count() == 0
    assert HouseholdMembership.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type__startswith="people.household").exists()


def test_a_person_is_in_at_most_one_active_household(worker_a, household, family):
    father, _mother, _child = family
    lodger = make_person(actor=worker_a, first_names="Piotr", pesel="90060101296")
    with pytest.raises(ValidationError):
        services.household_create(
            actor=worker_a, members=[(lodger, Relation.HEAD), (father, Relation.NOT_RELATED)]
        )
    assert Household.objects.count() == 1
    assert lodger.memberships.count() == 0


def test_the_database_refuses_a_second_active_membership(worker_a, household, family):
    father, _mother, _child = family
    other = Household.objects.create(centre=household.centre, district=household.district)
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMembership.objects.create(
            household=other, person=father, relation=Relation.HEAD, joined_on=date(2024, 2, 1)
        )
    assert father.memberships.count() == 1


def test_the_database_refuses_a_second_active_head(worker_a, household):
    lodger = make_person(actor=worker_a, first_names="Piotr", pesel="90060101296")
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMembership.objects.create(
            household=household, person=lodger, relation=Relation.HEAD, joined_on=date(2024, 2, 1)
        )


def test_a_member_is_added_and_audited(worker_a, household):
    lodger = make_person(actor=worker_a, first_names="Piotr", pesel="90060101296")
    membership = services.household_add_member(
        actor=worker_a,
        household=household,
        person=lodger,
        relation=Relation.NOT_RELATED,
        joined_on=date(2024, 3, 1),
    )
    assert lodger.active_membership == membership
    assert membership.household == household
    entry = entries("create", object_type="people.householdmembership", person_id=lodger.pk).get()
    assert entry.changes == {"relation": [None, "not_related"], "joined_on": [None, "2024-03-01"]}


def test_a_second_head_cannot_be_added(worker_a, household):
    lodger = make_person(actor=worker_a, first_names="Piotr", pesel="90060101296")
    with pytest.raises(ValidationError):
        services.household_add_member(
            actor=worker_a, household=household, person=lodger, relation=Relation.HEAD
        )
    assert lodger.memberships.count() == 0


def test_a_member_of_another_household_cannot_be_added(worker_a, household, family):
    _father, mother, _child = family
    lodger = make_person(actor=worker_a, first_names="Piotr", pesel="90060101296")
    other = services.household_create(actor=worker_a, members=[(lodger, Relation.HEAD)])
    with pytest.raises(ValidationError):
        services.household_add_member(
            actor=worker_a, household=other, person=mother, relation=Relation.PARTNER
        )
    assert mother.active_membership.household == household


def test_a_worker_of_another_district_cannot_add_members(worker_a, worker_b, household):
    lodger = make_person(actor=worker_b, first_names="Piotr", pesel="90060101296")
    with pytest.raises(PermissionDenied):
        services.household_add_member(
            actor=worker_b, household=household, person=lodger, relation=Relation.NOT_RELATED
        )
    assert lodger.memberships.count() == 0


def test_a_worker_cannot_add_a_person_they_may_not_change(worker_a, worker_b, household):
    stranger = make_person(actor=worker_b, first_names="Piotr", pesel="90060101296")
    with pytest.raises(PermissionDenied):
        services.household_add_member(
            actor=worker_a, household=household, person=stranger, relation=Relation.NOT_RELATED
        )
    assert stranger.memberships.count() == 0


def test_ending_a_membership_keeps_it_as_history(worker_a, household, family):
    _father, _mother, child = family
    membership = child.active_membership
    services.household_end_membership(
        actor=worker_a, membership=membership, left_on=date(2024, 6, 30)
    )
    membership.refresh_from_db()
    assert membership.left_on == date(2024, 6, 30)
    assert child.active_membership is None
    assert child.memberships.count() == 1
    assert child.pk not in {m.person_id for m in household.active_members}
    entry = entries("update", object_type="people.householdmembership").get()
    assert entry.changes == {"left_on": [None, "2024-06-30"]}
    assert (entry.person_id, entry.household_id) == (child.pk, household.pk)

    # Having left, the child may found a household of their own.
    own = services.household_create(
        actor=worker_a, members=[(child, Relation.HEAD)], joined_on=date(2024, 7, 1)
    )
    assert child.active_membership.household == own
    assert child.memberships.count() == 2


def test_the_head_cannot_leave_while_others_remain(worker_a, household, family):
    father, mother, child = family
    with pytest.raises(ValidationError):
        services.household_end_membership(actor=worker_a, membership=father.active_membership)
    assert father.active_membership is not None

    for member in (mother, child):
        services.household_end_membership(actor=worker_a, membership=member.active_membership)
    services.household_end_membership(actor=worker_a, membership=father.active_membership)
    assert household.active_members == []


def test_a_membership_cannot_end_before_it_began_or_twice(worker_a, household, family):
    _father, _mother, child = family
    membership = child.active_membership
    with pytest.raises(ValidationError) as excinfo:
        services.household_end_membership(
            actor=worker_a, membership=membership, left_on=date(2023, 12, 31)
        )
    assert error_fields(excinfo) == {"left_on"}
    services.household_end_membership(
        actor=worker_a, membership=membership, left_on=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.household_end_membership(actor=worker_a, membership=membership)


def test_a_worker_of_another_district_cannot_end_a_membership(worker_b, household, family):
    _father, _mother, child = family
    with pytest.raises(PermissionDenied):
        services.household_end_membership(actor=worker_b, membership=child.active_membership)
    assert child.active_membership is not None


def test_the_family_assistant_cannot_change_a_household(assistant, household, family):
    Household.objects.filter(pk=household.pk).update(family_assistant=assistant)
    _father, _mother, child = family
    with pytest.raises(PermissionDenied):
        services.household_end_membership(actor=assistant, membership=child.active_membership)


# --- Incomes ------------------------------------------------------------------------------


@pytest.fixture
def person(worker_a):
    return make_person(actor=worker_a)


def test_an_income_given_gross_is_stored_net_of_deductions_for_its_month(worker_a, person):
    income = services.income_add(
        actor=worker_a,
        person=person,
        month=date(2025, 3, 17),
        source="wages",
        gross_amount=Decimal("4666.00"),
        social_insurance=Decimal("639.71"),
        health_insurance=Decimal("362.37"),
        income_tax=Decimal("123.00"),
        alimony_paid=Decimal("500.00"),
    )
    income.refresh_from_db()
    assert income.net_amount == Decimal("3040.92")
    assert income.gross_amount == Decimal("4666.00")
    assert income.month == date(2025, 3, 1)
    assert income.counts_as_income is True
    entry = entries("create", object_type="people.income").get()
    assert entry.person_id == person.pk
    assert entry.changes["net_amount"] == [None, "3040.92"]
    assert entry.changes["source"] == [None, "wages"]


def test_an_income_given_net_is_stored_as_given(worker_a, person):
    income = services.income_add(
        actor=worker_a,
        person=person,
        month=date(2025, 3, 1),
        source="old_age_pension",
        net_amount=Decimal("1780.96"),
    )
    assert Income.objects.get(pk=income.pk).net_amount == Decimal("1780.96")


def test_a_farm_income_needs_its_hectares(worker_a, person):
    with pytest.raises(ValidationError) as excinfo:
        services.income_add(actor=worker_a, person=person, month=date(2025, 3, 1), source="farm")
    assert error_fields(excinfo) == {"farm_hectares"}
    income = services.income_add(
        actor=worker_a,
        person=person,
        month=date(2025, 3, 1),
        source="farm",
        farm_hectares=Decimal("2.5000"),
    )
    income.refresh_from_db()
    assert income.farm_hectares == Decimal("2.5")
    assert income.net_amount == Decimal("0.00")


def test_a_purpose_allowance_does_not_count_as_income_unless_staff_say_so(worker_a, person):
    common = dict(actor=worker_a, person=person, month=date(2025, 3, 1), net_amount=Decimal(300))
    by_default = services.income_add(source="purpose_allowance", **common)
    overridden = services.income_add(source="purpose_allowance", counts_as_income=True, **common)
    housing = services.income_add(source="housing_allowance", **common)
    assert by_default.counts_as_income is False
    assert overridden.counts_as_income is True
    assert housing.counts_as_income is True


@pytest.mark.parametrize(
    ("amounts", "field"),
    [
        ({"net_amount": Decimal("-0.01")}, "net_amount"),
        ({"gross_amount": Decimal("-100.00")}, "gross_amount"),
        ({"gross_amount": Decimal(1000), "income_tax": Decimal(-100)}, "income_tax"),
        ({"gross_amount": Decimal(1000), "health_insurance": Decimal(-1)}, "health_insurance"),
        ({"gross_amount": Decimal(1000), "social_insurance": Decimal(-1)}, "social_insurance"),
        ({"gross_amount": Decimal(1000), "alimony_paid": Decimal(-1)}, "alimony_paid"),
        ({"gross_amount": Decimal(1000), "net_amount": Decimal(900)}, "net_amount"),
        ({}, "net_amount"),
    ],
)
def test_a_negative_or_missing_amount_is_refused(worker_a, person, amounts, field):
    with pytest.raises(ValidationError) as excinfo:
        services.income_add(
            actor=worker_a, person=person, month=date(2025, 3, 1), source="wages", **amounts
        )
    assert field in error_fields(excinfo)
    assert Income.objects.count() == 0


def test_finance_cannot_record_incomes(finance, person):
    with pytest.raises(PermissionDenied):
        services.income_add(
            actor=finance, person=person, month=date(2025, 3, 1), source="wages", net_amount=1
        )
    assert Income.objects.count() == 0


def test_a_worker_of_another_district_cannot_record_incomes(worker_b, other_head, person):
    for actor in (worker_b, other_head):
        with pytest.raises(PermissionDenied):
            services.income_add(
                actor=actor, person=person, month=date(2025, 3, 1), source="wages", net_amount=1
            )
    assert Income.objects.count() == 0


def test_deleting_an_income_is_audited_with_what_it_was(worker_a, person):
    income = services.income_add(
        actor=worker_a,
        person=person,
        month=date(2025, 3, 1),
        source="wages",
        net_amount=Decimal("2500.00"),
    )
    income_id = income.pk
    services.income_delete(actor=worker_a, income=income)
    assert not Income.objects.filter(pk=income_id).exists()
    entry = entries("delete", object_type="people.income").get()
    assert entry.object_id == str(income_id)
    assert entry.person_id == person.pk
    assert entry.actor == worker_a
    assert entry.changes["net_amount"] == ["2500.00", None]
    assert entry.changes["source"] == ["wages", None]


def test_finance_cannot_delete_incomes(worker_a, finance, person):
    income = services.income_add(
        actor=worker_a, person=person, month=date(2025, 3, 1), source="wages", net_amount=1
    )
    with pytest.raises(PermissionDenied):
        services.income_delete(actor=finance, income=income)
    assert Income.objects.filter(pk=income.pk).exists()
    assert entries("delete").count() == 0


def test_a_foreigner_from_the_factory_is_found_by_document(worker_a):
    person = make_foreigner(actor=worker_a)
    assert person.pesel is None
    assert person.document_search == "FE123456"
    assert person.residence_status == "temporary_protection_ua"
