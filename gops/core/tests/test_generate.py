"""The large-city generator (bench/generate.py) makes rows the models would make.

It writes with COPY, past the models' save() and the services, so these tests run its
row-making part on a few households and compare the rows with what the application computes:
PESELs, the folded search columns of Person.save(), Person.clean(), the amounts of the
benefit rules read from the interview's snapshot, and the columns of every table it fills.
"""

import importlib.util
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum.pl import pesel as stdnum_pesel

from gops.benefits import rules as benefit_rules
from gops.benefits import services as benefit_services
from gops.cases.models import CommunityInterview
from gops.payments import services as payment_services
from gops.people.models import Person
from gops.people.rules import pesel_data

ROOT = Path(__file__).resolve().parents[3]
TODAY = date(2026, 11, 26)
PERSONS = 120


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _setting(*, centre_id: int = 1, district_id: int = 1):
    staff = gen.Staff
    return gen.Setting(
        centre_id=centre_id,
        payment_day=10,
        districts=(district_id,) * gen.DISTRICTS,
        workers=tuple((staff(100 + n, f"pracownik{n}"),) for n in range(gen.DISTRICTS)),
        signers=(staff(1, "kierownik", "Barbara Wielgosz", "Dyrektor"),),
        finance=(staff(2, "ksiegowa1"),),
        family_assistants=(staff(3, "asystent01"),),
        payrolls={m: n for n, m in enumerate(gen.payroll_months(TODAY, 10), start=1)},
        legal=gen.legal_parameters(),
        narratives={name: tuple(texts) for name, texts in gen.NARRATIVES.items()},
    )


def _generate(seed: int, **setting) -> dict[str, list[dict]]:
    city = gen.City(seed=seed, today=TODAY, setting=_setting(**setting))
    rows: dict[str, list[tuple]] = {table: [] for table in gen.TABLES}
    for chunk in city.chunks(PERSONS, chunk=7):
        for table, part in chunk.items():
            rows[table] += part
    return {table: gen.rows_as_dicts(table, part) for table, part in rows.items()}


@pytest.fixture
def city(db):
    return _generate(seed=2)  # a seed whose sample holds double surnames


def test_every_polish_person_has_a_valid_unique_pesel_that_gives_the_birth_date_and_sex(city):
    persons = city["people_person"]
    assert len(persons) == PERSONS
    pesels = [p["pesel"] for p in persons if p["pesel"]]
    assert len(pesels) == len(set(pesels))
    for person in persons:
        if person["pesel"] is None:
            continue
        assert stdnum_pesel.is_valid(person["pesel"]), person["pesel"]
        data = pesel_data(person["pesel"])
        assert (data.birth_date, data.sex) == (person["birth_date"], person["sex"])


def test_a_tenth_are_foreigners_without_pesel_identified_by_a_document(city):
    foreigners = [p for p in city["people_person"] if p["pesel"] is None]
    # The share is kept household by household: a foreign household of up to 4 may overshoot.
    assert PERSONS // 10 - 1 <= len(foreigners) <= PERSONS // 10 + 3
    for person in foreigners:
        assert person["citizenship"] != "PL"
        assert person["residence_status"]
        assert person["id_document_type"]
        assert person["id_document_number"]


def test_person_rows_are_what_person_save_and_clean_make_of_them(city, centre, district_a):
    rows = city["people_person"]
    # The sample has what the folding is for: double surnames, foreigners' documents.
    assert any(r["surnames_search"] != r["surnames_alt_search"] for r in rows)
    assert any(r["document_search"] for r in rows)
    for row in rows:
        fields = {
            k: v
            for k, v in row.items()
            if k not in ("id", "centre_id", "district_id", "case_worker_id", "created_by_id")
        }
        person = Person(**fields, centre=centre, district=district_a)
        # PESEL against birth date and sex, foreigners, addresses (the creator is a user id).
        person.full_clean(exclude=["created_by", "updated_by"])
        person.save()
        person.refresh_from_db()
        for column in (
            "surnames_search",
            "surnames_alt_search",
            "first_names_search",
            "document_search",
        ):
            assert getattr(person, column) == row[column], (column, row["surnames"])


def test_the_same_seed_gives_the_same_city_and_another_seed_another(db):
    first, again, other = _generate(seed=3), _generate(seed=3), _generate(seed=4)
    assert first == again
    names = [(p["first_names"], p["surnames"]) for p in first["people_person"]]
    assert names != [(p["first_names"], p["surnames"]) for p in other["people_person"]]


def test_decision_amounts_are_what_the_rules_give_for_the_interview_snapshot(city):
    interviews = {
        i["application_id"]: json.loads(i["snapshot"])
        for i in city["cases_communityinterview"]
        if i["kind"] == "initial" and i["status"] == "done"
    }
    params = dict(gen.legal_parameters())
    applications = {a["id"]: a for a in city["cases_application"]}
    checked = 0
    for decision in city["benefits_decision"]:
        if decision["benefit"] not in ("permanent", "periodic") or decision["kind"] != "granting":
            continue
        if decision["legal_parameters_id"] is None:
            continue  # before the first recorded parameters (2018)
        on = decision["period_from"]
        members = benefit_services.members_from_snapshot(
            snapshot_data=interviews[decision["application_id"]],
            applicant_id=applications[decision["application_id"]]["applicant_id"],
            on=on,
        )
        rule = (
            benefit_rules.permanent_allowance
            if decision["benefit"] == "permanent"
            else benefit_rules.periodic_allowance
        )
        expected = rule(members=members, params=params[decision["legal_parameters_id"]])
        assert decision["amount"] == expected.amount
        checked += 1
    assert checked


def test_payments_are_for_items_of_granting_decisions_and_each_item_is_paid_once(city):
    decisions = {d["id"]: d for d in city["benefits_decision"]}
    items = {i["id"]: i for i in city["payments_scheduleitem"]}
    for item in items.values():
        decision = decisions[item["decision_id"]]
        assert decision["kind"] == "granting"
        assert item["amount"] == decision["amount"] > 0
    active = [p["item_id"] for p in city["payments_payment"] if p["status"] != "returned"]
    assert len(active) == len(set(active))
    for payment in city["payments_payment"]:
        assert payment["amount"] == items[payment["item_id"]]["amount"]
        assert payment["status"] != "paid" or payment["paid_on"] is not None


def test_no_person_is_paid_a_monthly_allowance_twice_for_a_month(city):
    decisions = {d["id"]: d for d in city["benefits_decision"]}
    months = [
        (item["person_id"], item["month"])
        for item in city["payments_scheduleitem"]
        if decisions[item["decision_id"]]["benefit"] in ("permanent", "periodic")
    ]
    assert months
    assert len(months) == len(set(months))


def test_the_generator_writes_every_required_column_of_the_models():
    assert gen.check_columns() == []
    assert gen.HORIZON_MONTHS == payment_services.HORIZON_MONTHS
    assert gen.APPEAL_DAYS == benefit_services.APPEAL_DAYS


def test_interview_narratives_are_stored_as_the_encrypted_field_stores_them():
    pool = gen.narrative_pool()
    for name, tokens in pool.items():
        field = CommunityInterview._meta.get_field(name)
        assert all(token not in gen.NARRATIVES[name] for token in tokens)
        texts = tuple(field.from_db_value(token, None, None) for token in tokens)
        assert texts == gen.NARRATIVES[name]


def test_amounts_are_decimals_in_grosze(city):
    for decision in city["benefits_decision"]:
        if decision["amount"] is not None:
            assert isinstance(decision["amount"], Decimal)
            assert decision["amount"] == decision["amount"].quantize(Decimal("0.01"))
