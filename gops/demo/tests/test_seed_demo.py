"""seed_demo: the demo centre, its staff, and a registry written through the people services."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from stdnum import iban
from stdnum.pl import pesel as stdnum_pesel

from gops.accounts.models import Centre, District, User
from gops.audit.models import AuditAction, AuditEntry
from gops.demo import generate
from gops.demo.imported import IMPORTED_PERSONS
from gops.demo.services import demo_centre_seed
from gops.people import rules
from gops.people.models import Household, HouseholdMembership, Income, Person
from gops.people.selectors import person_queryset_for_user, person_search

TODAY = date(2026, 11, 26)
REFERENCE = date(2026, 11, 1)
INCOME_MONTHS = {date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)}
PERSONS = 40
SEED = 7

EXPECTED_ROLES = {
    "kierownik": "head",
    "pracownik1": "social_worker",
    "pracownik2": "social_worker",
    "asystent": "family_assistant",
    "ksiegowa": "finance",
    "schronisko": "shelter_coordinator",
    "zajecia": "activities_organiser",
    "iod": "data_protection_officer",
    "admin": "administrator",
}


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    """One demo seeded for the whole module and rolled back at its end.

    Seeding goes through every people service, so it is not free. Each test still runs in a
    savepoint of its own (pytest-django's ``db``), so a test may write without the others
    seeing it.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield demo_centre_seed(persons=PERSONS, seed=SEED, today=TODAY)
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded_demo, db):
    """The seeded demo, inside the test's own savepoint."""
    return seeded_demo


def _counts(centre: Centre) -> dict[str, int]:
    return {
        "centres": Centre.objects.count(),
        "districts": District.objects.filter(centre=centre).count(),
        "users": User.objects.count(),
        "persons": Person.objects.filter(centre=centre).count(),
        "households": Household.objects.filter(centre=centre).count(),
        "memberships": HouseholdMembership.objects.filter(person__centre=centre).count(),
        "incomes": Income.objects.filter(person__centre=centre).count(),
        "audit_writes": AuditEntry.objects.exclude(action=AuditAction.VIEW).count(),
    }


def _registry(centre: Centre):
    """The persons of the generated registry: all but those the head imported from CSV."""
    return Person.objects.filter(centre=centre).exclude(created_by__username="kierownik")


def _members(plan) -> list[generate.PersonPlan]:
    return [member for household in plan for member in household.members]


# --- Centre and staff -----------------------------------------------------------------------


def test_every_demo_login_exists_with_exactly_its_role_and_the_demo_password(demo):
    users = {u.username: u for u in User.objects.filter(username__in=EXPECTED_ROLES)}
    assert set(users) == set(EXPECTED_ROLES)
    for username, role in EXPECTED_ROLES.items():
        user = users[username]
        assert list(user.groups.values_list("name", flat=True)) == [role], username
        assert user.centre == demo.centre
        assert user.check_password(generate.DEMO_PASSWORD)
        assert user.first_name
        assert user.last_name
        assert user.position
        assert not user.is_superuser
    assert [u.username for u in users.values() if u.is_staff] == ["admin"]
    assert [u.username for u in users.values() if u.may_sign_decisions] == ["kierownik"]
    assert [login.username for login in demo.logins] == list(EXPECTED_ROLES)


def test_the_demo_password_passes_the_password_validators():
    validate_password(generate.DEMO_PASSWORD)


def test_the_two_social_workers_work_in_different_districts_of_the_demo_centre(demo):
    worker1 = User.objects.get(username="pracownik1")
    worker2 = User.objects.get(username="pracownik2")
    assert worker1.district is not None
    assert worker2.district is not None
    assert worker1.district != worker2.district
    assert set(District.objects.filter(centre=demo.centre)) == {worker1.district, worker2.district}


def test_the_centre_has_a_valid_teryt_and_bank_account(demo):
    demo.centre.full_clean()
    assert re.fullmatch(r"[0-9]{7}", demo.centre.teryt)
    assert iban.is_valid(demo.centre.bank_account)
    assert demo.centre.bank_account.startswith("PL")
    assert demo.centre.head_name == "Małgorzata Nowicka"


# --- Registry ------------------------------------------------------------------------------


def test_persons_have_valid_pesels_that_agree_with_birth_date_and_sex(demo):
    persons = list(Person.objects.filter(centre=demo.centre))
    assert len(persons) == PERSONS + IMPORTED_PERSONS == demo.persons
    with_pesel = [p for p in persons if p.pesel]
    assert with_pesel
    for person in with_pesel:
        assert stdnum_pesel.is_valid(person.pesel), person.pesel
        derived = rules.pesel_data(person.pesel)
        assert (derived.birth_date, derived.sex) == (person.birth_date, person.sex)
    children = [p for p in with_pesel if (TODAY - p.birth_date).days < 18 * 365]
    assert children, "children get a PESEL too"
    assert all(p.pesel not in generate.RESERVED_PESELS for p in persons)


def test_some_persons_are_foreigners_identified_by_a_document_instead_of_a_pesel(demo):
    foreigners = list(Person.objects.filter(centre=demo.centre).exclude(citizenship="PL"))
    assert foreigners
    for person in foreigners:
        assert person.pesel is None
        assert person.residence_status
        assert person.residence_document_valid_until
        assert person.id_document_type
        assert person.id_document_number
    assert not Person.objects.filter(centre=demo.centre, citizenship="PL", pesel=None).exists()


def test_each_person_is_in_exactly_one_active_household_with_one_head(demo):
    persons = _registry(demo.centre).annotate(
        active=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    )
    assert {p.active for p in persons} == {1}
    heads = Household.objects.filter(centre=demo.centre).annotate(
        heads=Count("memberships", filter=Q(memberships__relation="head"))
    )
    assert {h.heads for h in heads} == {1}


def test_incomes_are_for_the_three_months_before_the_current_one_in_grosze(demo):
    incomes = list(Income.objects.filter(person__centre=demo.centre))
    assert incomes
    assert {i.month for i in incomes} <= INCOME_MONTHS
    for income in incomes:
        assert income.net_amount == income.net_amount.quantize(Decimal("0.01"))
        assert income.net_amount >= 0
    adults = Person.objects.filter(centre=demo.centre, birth_date__lte=date(2008, 11, 1))
    assert adults.filter(incomes__isnull=False).exists()


def test_the_written_registry_is_exactly_the_generated_one(demo):
    plan = generate.registry_plan(persons=PERSONS, seed=SEED, reference=REFERENCE)
    planned = {(m.first_names, m.surnames, m.birth_date, m.pesel) for m in _members(plan)}
    written = set(
        _registry(demo.centre).values_list("first_names", "surnames", "birth_date", "pesel")
    )
    assert written == planned
    assert demo.incomes == sum(len(m.incomes) for m in _members(plan))
    assert demo.households == len(plan)


def test_everything_is_registered_by_the_districts_social_worker_and_audited(demo):
    persons = _registry(demo.centre).select_related("created_by")
    assert persons.count() == PERSONS
    for person in persons:
        assert person.created_by.username in ("pracownik1", "pracownik2")
        assert person.created_by.district_id == person.district_id
    created = AuditEntry.objects.filter(action=AuditAction.CREATE)
    assert created.filter(object_type="people.person").count() == PERSONS + IMPORTED_PERSONS
    assert created.filter(object_type="people.income").count() == demo.incomes
    assert created.filter(object_type="people.household").count() == demo.households
    registry = created.filter(object_type__startswith="people.").exclude(
        changes__has_key="import_line"
    )
    assert set(registry.values_list("actor_username", flat=True)) == {"pracownik1", "pracownik2"}
    # The council's care fee scale is the administrator's setting.
    scale = created.get(object_type="benefits.carefeescale")
    assert scale.actor_username == "admin"


def test_the_head_imported_persons_from_the_previous_system_through_the_csv_import(demo):
    imported = Person.objects.filter(centre=demo.centre, created_by__username="kierownik")
    assert imported.count() == IMPORTED_PERSONS == demo.imported
    assert imported.exclude(citizenship="PL").exists()
    assert imported.filter(homeless=True).exists()
    assert {p.district.name for p in imported} == {d.name for d in generate.DISTRICTS}
    assert imported.filter(case_worker__isnull=False).exists()
    assert not HouseholdMembership.objects.filter(person__in=imported).exists()
    entries = AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="people.person", actor_username="kierownik"
    )
    assert entries.count() == IMPORTED_PERSONS
    assert sorted(line for _none, line in entries.values_list("changes__import_line", flat=True))
    assert sorted(entries.values_list("person_id", flat=True)) == sorted(
        imported.values_list("pk", flat=True)
    )


def test_pracownik1_finds_a_wojcik_of_their_district_by_searching_wojcik(demo):
    worker = User.objects.get(username="pracownik1")
    found = list(person_search(user=worker, query="wojcik"))
    assert any(p.surnames == "Wójcik" and p.district_id == worker.district_id for p in found)


def test_the_family_assistant_has_households_to_work_with(demo):
    assistant = User.objects.get(username="asystent")
    assert Household.objects.filter(family_assistant=assistant).exists()
    assert person_queryset_for_user(user=assistant).exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="people.household", actor_username="kierownik"
    ).exists()


# --- Idempotence and the single transaction ------------------------------------------------


def test_seeding_twice_adds_nothing(demo):
    before = _counts(demo.centre)
    again = demo_centre_seed(persons=PERSONS, seed=SEED, today=TODAY)
    other_seed = demo_centre_seed(persons=10, seed=SEED + 1, today=TODAY)
    assert not again.registry_created
    assert not other_seed.registry_created
    assert again.centre == demo.centre
    assert _counts(demo.centre) == before
    assert (again.persons, again.households, again.incomes) == (
        demo.persons,
        demo.households,
        demo.incomes,
    )


def test_seeding_again_restores_the_demo_password_and_role(demo):
    user = User.objects.get(username="kierownik")
    user.set_password("Inne-haslo-2026")
    user.save()
    user.groups.clear()
    demo_centre_seed(persons=PERSONS, seed=SEED, today=TODAY)
    user.refresh_from_db()
    assert user.check_password(generate.DEMO_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["head"]


# --- Generation (no database) --------------------------------------------------------------


def test_the_same_seed_generates_the_same_registry_and_another_seed_another():
    first = generate.registry_plan(persons=PERSONS, seed=SEED, reference=REFERENCE)
    again = generate.registry_plan(persons=PERSONS, seed=SEED, reference=REFERENCE)
    other = generate.registry_plan(persons=PERSONS, seed=SEED + 1, reference=REFERENCE)
    assert first == again
    names = [(m.first_names, m.surnames) for m in _members(first)[:5]]
    assert names == [(m.first_names, m.surnames) for m in _members(again)[:5]]
    assert names != [(m.first_names, m.surnames) for m in _members(other)[:5]]


@pytest.mark.parametrize("persons", [0, 1, 2, 3, 7, 40, 123])
def test_a_plan_has_exactly_the_requested_number_of_persons(persons):
    plan = generate.registry_plan(persons=persons, seed=SEED, reference=REFERENCE)
    members = _members(plan)
    assert len(members) == persons
    assert all(h.members[0].relation == "head" for h in plan)
    assert all(sum(m.relation == "head" for m in h.members) == 1 for h in plan)
    if persons:
        assert any(m.surnames == "Wójcik" for m in members)


def test_the_default_registry_is_a_realistic_mix():
    plan = generate.registry_plan(
        persons=generate.DEFAULT_PERSONS, seed=generate.DEFAULT_SEED, reference=REFERENCE
    )
    members = _members(plan)
    assert len(members) == 300

    kinds = {h.kind for h in plan}
    assert {"single_adult", "single_elderly", "couple_with_children", "single_parent"} <= kinds
    assert {"elderly_couple", "homeless"} <= kinds
    assert any(h.family_assistant for h in plan)
    assert {h.district for h in plan} == {0, 1}

    pesels = [m.pesel for m in members if m.pesel]
    assert len(set(pesels)) == len(pesels)
    assert all(stdnum_pesel.is_valid(p) for p in pesels)
    assert not set(pesels) & generate.RESERVED_PESELS
    foreigners = [m for m in members if m.citizenship != "PL"]
    assert 0.08 <= len(foreigners) / len(members) <= 0.15
    assert all(m.pesel is None and m.id_document_number for m in foreigners)
    statuses = {m.residence_status for m in foreigners}
    assert {"temporary_protection_ua", "refugee_status"} <= statuses
    assert all(m.residence_document_valid_until > REFERENCE for m in foreigners)

    homeless = [m for m in members if m.homeless]
    assert len(homeless) >= 3
    assert all(not m.actual_same_as_registered and not m.actual_city for m in homeless)
    disabled = [m for m in members if m.disability_degree != "none"]
    assert disabled
    assert any(m.disability_valid_until for m in disabled)
    assert any(m.case_worker for m in members)

    incomes = [i for m in members for i in m.incomes]
    assert {i.month for i in incomes} == INCOME_MONTHS
    sources = {i.source for i in incomes}
    assert {
        "wages",
        "old_age_pension",
        "unemployment_benefit",
        "family_benefits",
        "alimony",
        "housing_allowance",
        "farm",
        "purpose_allowance",
    } <= sources
    for income in incomes:
        if income.source == "farm":
            assert income.farm_hectares > 0
            assert income.net_amount is None
        for amount in (income.net_amount, income.gross_amount):
            if amount is not None:
                assert amount == amount.quantize(Decimal("0.01"))
                assert amount > 0
        if income.source == "wages":
            net = rules.net_income(
                gross=income.gross_amount,
                income_tax=income.income_tax,
                health_insurance=income.health_insurance,
                social_insurance=income.social_insurance,
            )
            assert Decimal(1500) < net < Decimal(6000)
        if income.source == "old_age_pension":
            assert Decimal(1200) <= income.net_amount <= Decimal(3500)
    children = [m for m in members if m.relation == "child"]
    assert children
    assert not any(m.incomes for m in children)


def test_surnames_take_the_feminine_form_where_polish_does():
    assert generate.feminine_surname("Kowalski") == "Kowalska"
    assert generate.feminine_surname("Zawadzki") == "Zawadzka"
    assert generate.feminine_surname("Wójcik") == "Wójcik"
