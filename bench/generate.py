"""Large-city data generator (issue 10 §1): one city's social welfare centre in PostgreSQL.

    .venv/bin/python bench/generate.py --persons 1000000 --seed 1     # make bench-generate
    .venv/bin/python bench/generate.py --persons 20000 --fresh --check

Fills the database of ``--database-url`` (else BENCH_DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/gops_city) — created and migrated when missing, dropped
first with ``--fresh`` (only when it holds nothing but a generated city) — with one large city
centre: 40 districts, about 120 staff in their role groups, and ``--persons`` persons in
households, with ten years of client history up to today: incomes, applications, community
interviews, decisions, payment schedules, monthly payrolls with their payments, and the audit
trail of it all. See docs/performance.md, "Large city data set".

How the rows are made, and why the application accepts them:

- Persons: names from Faker's pl_PL lists (and the demo's common surnames), sampled with one
  seeded ``random.Random`` — the same seed and day give the same city. Every Polish citizen has
  a valid PESEL that encodes the birth date and sex (unique by construction); 10 % are
  foreigners without PESEL, with a unique document number and a residence status. The folded
  search columns are computed by the same functions ``Person.save()`` calls.
- Amounts: allowances (permanent, periodic, purpose, special purpose) are computed by
  ``benefits.rules`` from the household and incomes the interview's snapshot records, with the
  legal parameters in force; a household the rules find ineligible gets a refusing decision.
  Schedules come from ``payments.rules`` (as ``schedules_sync`` plans them); every month whose
  payroll was prepared before today has an approved payroll paying its due items.
- Interview narratives are encrypted: a small pool of texts per field is encrypted once with
  the project's key (the field's ``get_prep_value``) and the tokens are reused, so the columns
  hold real Fernet tokens at no cost per row. They open only with this checkout's keys
  (SECRET_KEY / FIELD_ENCRYPTION_KEYS).
- Decisions carry no PDF (it is rendered at issue; 15 KB × every decision would dominate the
  database); application and decision numbers are unique per year but not in date order.
  There are no case timeline events, social contracts, appeals or in-kind help.

Rows are streamed with ``COPY … FROM STDIN`` (psycopg 3) in chunks of ``--chunk`` households,
each chunk committed on its own, with every constraint and foreign key checked by the
database; memory stays flat. The small tables (centre, districts, staff, payrolls) go through
the ORM. Afterwards the sequences are set past the ids used, and ANALYZE runs. Prints the
time of each phase and the rows of each table; the last two lines are ``persons: N`` and
``seconds: S`` (the generation, without --check). ``--check`` then signs in through the login
form with Django's test client, as a generated social worker (a person's file, searches, the
household, a case, a decision, another district's person: 404) and as finance staff (a search
of the whole city, the payrolls, the latest payroll, a beneficiary's payments), timing each.
"""

import argparse
import json
import os
import random
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (str(HERE), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from faker.providers.address.pl_PL import Provider as _FakerAddress  # noqa: E402
from faker.providers.person.pl_PL import Provider as _FakerPerson  # noqa: E402
from stdnum import iban as stdnum_iban  # noqa: E402
from stdnum.pl import pesel as stdnum_pesel  # noqa: E402

from gops.benefits import rules as benefit_rules  # noqa: E402
from gops.cases import rules as case_rules  # noqa: E402
from gops.demo.generate import FOREIGN_NAMES, SURNAMES, feminine_surname, wage_deductions  # noqa: E402
from gops.payments import rules as payment_rules  # noqa: E402
from gops.people.rules import (  # noqa: E402
    net_income,
    normalize_document_number,
    normalize_name,
    rotate_name_parts,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gops_city"
# Identifies the generated centre: --fresh drops only a database holding nothing else.
TERYT = "3299011"
CITY = "Wielkogród"
CITY_LOCATIVE = "Wielkogrodzie"
POSTAL_PREFIX = "93"
DISTRICTS = 40
WORKERS_PER_DISTRICT = 2
HISTORY_MONTHS = 120  # ten years of client history and monthly payments
FOREIGN_SHARE = 0.10
HOMELESS_SHARE = 0.02
BENEFICIARY_SHARE = 0.15  # of persons: parties of monthly allowances at some time
PASSWORD = "Miasto-GOPS-2025"  # of every generated account (docs/performance.md)
# payments.services.HORIZON_MONTHS: open-ended allowances are planned this far ahead.
HORIZON_MONTHS = 2
# A payroll is prepared this many days before the centre's payment day.
PAYROLL_LEAD_DAYS = 3
APPEAL_DAYS = 14  # k.p.a. art. 129 § 2 (benefits.services.APPEAL_DAYS)

FIRST_NAMES = {"F": _FakerPerson.first_names_female, "M": _FakerPerson.first_names_male}
FAKER_SURNAMES = tuple(_FakerPerson.male_last_names) + tuple(_FakerPerson.unisex_last_names)
STREETS = tuple(_FakerAddress.streets)
OTHER_CITIES = tuple(c for c in _FakerAddress.cities if c != CITY)
BANKS = ("10901014", "10203219", "11402004", "10501012", "12401037", "11602202", "19401076")

BENEFIT_PL = {
    "permanent": "zasiłek stały",
    "periodic": "zasiłek okresowy",
    "purpose": "zasiłek celowy",
    "special_purpose": "specjalny zasiłek celowy",
}
MONTHLY = frozenset({"permanent", "periodic"})
INTERVIEW_KIND_PL = {"initial": "wywiad środowiskowy", "update": "aktualizacja wywiadu"}
DESCRIPTIONS = (
    "Prośba o pomoc finansową na bieżące utrzymanie.",
    "Prośba o zasiłek na zakup żywności i leków.",
    "Prośba o pomoc w opłaceniu rachunków za energię i ogrzewanie.",
    "Prośba o pomoc w zakupie opału na zimę.",
    "Prośba o wsparcie po utracie pracy.",
    "Prośba o pomoc w zakupie wyprawki szkolnej dla dzieci.",
    "Prośba o pomoc w związku z długotrwałą chorobą.",
)
PURPOSE_NEEDS = (
    "zakup opału",
    "zakup leków",
    "zakup żywności",
    "wyprawka szkolna",
    "naprawa pieca",
    "opłata za energię elektryczną",
    "zakup odzieży zimowej",
)
NARRATIVES = {
    "needs": (
        "Strona oczekuje pomocy finansowej na zakup żywności i leków.",
        "Rodzina potrzebuje wsparcia w opłaceniu bieżących rachunków.",
        "Osoba oczekuje pomocy w znalezieniu pracy i zasiłku na czas poszukiwań.",
        "Potrzebny opał na zimę oraz pomoc w zakupie odzieży dla dzieci.",
        "Strona prosi o stałe wsparcie finansowe ze względu na wiek i stan zdrowia.",
    ),
    "diagnosis": (
        "Dochód gospodarstwa nie wystarcza na zaspokojenie podstawowych potrzeb.",
        "Długotrwałe bezrobocie głowy rodziny; brak oszczędności.",
        "Osoba samotna, niezdolna do pracy, utrzymuje się z niewielkich dochodów.",
        "Rodzina wielodzietna, jeden dochód z pracy dorywczej.",
        "Sytuacja mieszkaniowa trudna, zaległości w opłatach.",
    ),
    "help_plan": (
        "Przyznanie zasiłku okresowego, praca socjalna, skierowanie do urzędu pracy.",
        "Przyznanie zasiłku stałego, monitorowanie sytuacji zdrowotnej.",
        "Zasiłek celowy na zakup opału; konsultacja z doradcą zawodowym.",
        "Praca socjalna, pomoc w uzyskaniu dodatku mieszkaniowego.",
        "Zasiłek celowy na leki; wsparcie asystenta rodziny.",
    ),
    "material_situation": (
        "Mieszkanie komunalne, zaległości czynszowe niewielkie.",
        "Brak oszczędności; dochód z renty i prac dorywczych.",
        "Sytuacja materialna trudna, zadłużenie w opłatach za media.",
    ),
    "health": (
        "Choroby przewlekłe, stałe leczenie w poradni.",
        "Stan zdrowia dobry.",
        "Orzeczony stopień niepełnosprawności; wymaga leków.",
    ),
    "work_and_education": (
        "Wykształcenie zawodowe; zarejestrowany w urzędzie pracy.",
        "Emerytka, nie pracuje.",
        "Praca dorywcza bez umowy; poszukuje stałego zatrudnienia.",
    ),
    "housing": (
        "Dwa pokoje z kuchnią, ogrzewanie piecowe.",
        "Mieszkanie w bloku, centralne ogrzewanie.",
        "Jeden pokój w kamienicy, wspólna łazienka.",
    ),
}
INTERVIEW_TEXT_FIELDS = tuple(NARRATIVES)

# --- The tables and the columns the generator writes ---------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "people_person": (
        "id", "created_at", "updated_at", "centre_id", "district_id", "case_worker_id",
        "first_names", "surnames", "pesel", "birth_date", "sex", "id_document_type",
        "id_document_number", "citizenship", "residence_status",
        "residence_document_valid_until", "languages_spoken", "letter_language",
        "needs_interpreter", "registered_street", "registered_postal_code", "registered_city",
        "actual_same_as_registered", "actual_street", "actual_postal_code", "actual_city",
        "homeless", "phone", "email", "disability_degree", "disability_valid_until",
        "restricted_notes", "surnames_search", "surnames_alt_search", "first_names_search",
        "document_search", "version", "created_by_id", "updated_by_id",
    ),
    "people_household": (
        "id", "created_at", "updated_at", "centre_id", "district_id", "family_assistant_id",
        "notes", "created_by_id", "version",
    ),
    "people_householdmembership": (
        "id", "created_at", "updated_at", "household_id", "person_id", "relation", "joined_on",
        "left_on",
    ),
    "people_income": (
        "id", "created_at", "updated_at", "person_id", "month", "source", "gross_amount",
        "income_tax", "health_insurance", "social_insurance", "alimony_paid", "net_amount",
        "farm_hectares", "counts_as_income", "note", "created_by_id",
    ),
    "cases_application": (
        "id", "created_at", "updated_at", "centre_id", "number", "year", "sequence",
        "household_id", "applicant_id", "ex_officio", "received_on", "benefits_requested",
        "reasons", "reason_other", "description", "urgent", "particularly_complicated",
        "status", "closed_reason", "worker_id", "interview_due_on", "decision_due_on",
        "created_by_id",
    ),
    "cases_communityinterview": (
        "id", "created_at", "updated_at", "centre_id", "application_id", "household_id", "kind",
        "status", "due_on", "planned_on", "conducted_on", "conducted_by_id", "snapshot",
        *INTERVIEW_TEXT_FIELDS,
    ),
    "benefits_decision": (
        "id", "created_at", "updated_at", "centre_id", "application_id", "changes_decision_id",
        "kind", "benefit", "status", "person_id", "number", "year", "sequence",
        "legal_parameters_id", "computed_amount", "amount", "amount_change_reason",
        "assessment", "period_from", "period_until", "payment_method", "bank_account",
        "payee_name", "quantity", "supplier", "care_hours_per_week", "care_fee_percent",
        "care_hourly_cost", "shelter_fee_per_night", "legal_basis", "ruling", "reasoning",
        "drafted_by_id", "signed_by_id", "signer_name", "signer_post", "issued_on", "pdf",
        "pdf_sha256", "served_on", "appeal_deadline", "final_on", "version",
    ),
    "payments_scheduleitem": (
        "id", "created_at", "updated_at", "centre_id", "decision_id", "person_id", "month",
        "due_on", "amount", "method", "bank_account", "payee_name", "invoice_number", "urgent",
        "status", "cancelled_by_id",
    ),
    "payments_payment": (
        "id", "created_at", "updated_at", "centre_id", "item_id", "payroll_id", "person_id",
        "amount", "method", "bank_account", "payee_name", "status", "paid_on", "outcome_note",
        "recorded_by_id", "deduction",
    ),
    "audit_auditentry": (
        "id", "at", "actor_id", "actor_username", "centre_id", "action", "object_type",
        "object_id", "object_repr", "person_id", "household_id", "changes", "ip", "channel",
    ),
}  # fmt: skip
# In this order: each table's foreign keys point at tables before it (or at the staff).
TABLES = tuple(COLUMNS)
MODELS = {
    "people_person": "people.Person",
    "people_household": "people.Household",
    "people_householdmembership": "people.HouseholdMembership",
    "people_income": "people.Income",
    "cases_application": "cases.Application",
    "cases_communityinterview": "cases.CommunityInterview",
    "benefits_decision": "benefits.Decision",
    "payments_scheduleitem": "payments.ScheduleItem",
    "payments_payment": "payments.Payment",
    "audit_auditentry": "audit.AuditEntry",
}


def rows_as_dicts(table: str, rows: list[tuple]) -> list[dict]:
    """The rows of `table` as {column: value}, for tests and inspection."""
    return [dict(zip(COLUMNS[table], row, strict=True)) for row in rows]


# --- What the generator needs from the database -------------------------------------------


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    name: str = ""
    post: str = ""


@dataclass(frozen=True)
class Setting:
    """The ids and parameters the rows refer to: made by main() from the database, or by a
    test by hand. Nothing in the generator reads the database."""

    centre_id: int
    payment_day: int
    districts: tuple[int, ...]  # district ids, by district number
    workers: tuple[tuple[Staff, ...], ...]  # social workers of each district
    signers: tuple[Staff, ...]  # the head and the deputies who sign decisions
    finance: tuple[Staff, ...]
    family_assistants: tuple[Staff, ...]
    payrolls: dict[date, int]  # month -> payroll id, for each month that has a payroll
    # (id, rules.Parameters) ordered by valid_from; decisions before the first have no row.
    legal: tuple[tuple[int, benefit_rules.Parameters], ...]
    narratives: dict[str, tuple[str, ...]]  # interview field -> stored values to draw from
    first_ids: dict[str, int] = field(default_factory=dict)  # table -> first id to use


# --- Pure helpers ---------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` away from `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def reference_month(today: date) -> date:
    return today.replace(day=1)


def history_start(today: date) -> date:
    return add_months(reference_month(today), -HISTORY_MONTHS)


def payroll_prepared_on(month: date, payment_day: int) -> date:
    return month.replace(day=payment_day) - timedelta(days=PAYROLL_LEAD_DAYS)


def payroll_months(today: date, payment_day: int) -> list[date]:
    """Months whose payroll was prepared before today, from the start of the history."""
    months, month = [], history_start(today)
    while payroll_prepared_on(month, payment_day) < today:
        months.append(month)
        month = add_months(month, 1)
    return months


@lru_cache(maxsize=8192)
def interview_due(received_on: date, urgent: bool) -> date:
    return case_rules.interview_due(received_on=received_on, urgent=urgent)


@lru_cache(maxsize=8192)
def decision_due(received_on: date) -> date:
    return case_rules.decision_due(received_on=received_on, particularly_complicated=False)


@lru_cache(maxsize=8192)
def appeal_deadline(served_on: date) -> date:
    """benefits.services.appeal_deadline: 14 days, moved off a Saturday or holiday."""
    return case_rules.move_off_holiday(served_on + timedelta(days=APPEAL_DAYS))


def pesel_number(birth: date, sex: str, serial: int) -> str:
    """The PESEL of a birth date and sex with `serial` 0–4999 (LAW.md §8): YYMMDD with the
    century in the month, three serial digits, a sex digit (odd for men), a check digit."""
    century = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[birth.year // 100]
    sex_digit = 2 * (serial % 5) + (1 if sex == "M" else 0)
    first = f"{birth.year % 100:02d}{birth.month + century:02d}{birth.day:02d}"
    first += f"{serial // 5:03d}{sex_digit}"
    return first + stdnum_pesel.calc_check_digit(first)


def polish_iban(bban: str) -> str:
    """A Polish IBAN of the 24-digit account number `bban`, with its check digits."""
    return "PL" + stdnum_iban.calc_check_digits("PL00" + bban) + bban


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def dmy(day: date) -> str:
    return f"{day:%d.%m.%Y}"


class _Person:
    """A person while the household is made: what later rows need to know."""

    __slots__ = (
        "id", "first_names", "surnames", "pesel", "birth", "sex", "relation", "disability",
        "ua_protection", "income_source", "base_income", "bank_account", "cash", "joined_on",
    )  # fmt: skip

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))


class _Household:
    __slots__ = ("id", "district", "members", "first_contact", "incomes", "beneficiary", "kind")

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))


# --- The generator --------------------------------------------------------------------------


class City:
    """Makes the rows of the city, household by household, from one seeded generator.

    ``chunks(persons, chunk)`` yields {table: [row tuples]} every `chunk` households; the
    columns of each table are COLUMNS[table]. Pure: no database, no clock (``today`` is given).
    """

    def __init__(
        self, *, seed: int, today: date, setting: Setting, beneficiaries=BENEFICIARY_SHARE
    ):
        self.rng = random.Random(seed)
        self.today = today
        self.start = history_start(today)
        self.horizon = add_months(reference_month(today), HORIZON_MONTHS)
        self.s = setting
        self.beneficiary_share = beneficiaries
        self.next_id = {t: setting.first_ids.get(t, 1) for t in TABLES}
        self.rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
        self.pesel_serials: dict[tuple[date, str], int] = {}
        self.documents = 0
        self.application_numbers: dict[int, int] = {}
        self.decision_numbers: dict[int, int] = {}
        self.persons = 0
        self.foreigners = 0
        self.homeless = 0
        self.beneficiaries = 0
        self.households = 0
        self.poor = False  # the household being made is a beneficiary's
        self.pending_persons: list[dict] = []  # person rows waiting for their household
        self.payroll_ids = setting.payrolls
        self.centre = setting.centre_id

    # -- driving --

    def chunks(self, persons: int, chunk: int = 2000) -> Iterator[dict[str, list[tuple]]]:
        pending = 0
        while self.persons < persons:
            self.household(max_size=persons - self.persons)
            pending += 1
            if pending >= chunk:
                yield self.take()
                pending = 0
        if pending:
            yield self.take()

    def take(self) -> dict[str, list[tuple]]:
        rows, self.rows = self.rows, {t: [] for t in TABLES}
        return rows

    def add(self, table: str, **values) -> None:
        """Append a row of `table`, given by column name: every column, and no other."""
        columns = COLUMNS[table]
        if len(values) != len(columns):
            raise TypeError(f"{table}: columns {sorted(set(values) ^ set(columns))}")
        self.rows[table].append(tuple([values[c] for c in columns]))

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    # -- time --

    def stamp(self, day: date) -> datetime:
        """A moment of office hours on `day` (UTC)."""
        minute = self.rng.randint(7 * 60, 15 * 60)
        return datetime.combine(day, clock(minute // 60, minute % 60, self.rng.randint(0, 59)), UTC)

    def day_between(self, low: date, high: date) -> date:
        return low + timedelta(days=self.rng.randint(0, max(0, (high - low).days)))

    # -- households --

    def household(self, *, max_size: int) -> None:
        rng = self.rng
        made = self.persons
        # Parties of monthly allowances (one per household) make up the beneficiary share of
        # persons; they are mostly single, older or disabled people (zasiłek stały).
        beneficiary = self.beneficiaries < self.beneficiary_share * (made + 1)
        self.poor = beneficiary
        if self.foreigners < FOREIGN_SHARE * (made + 1):
            members, kind = self.foreign_members(max_size), "foreign"
        elif self.homeless < HOMELESS_SHARE * (made + 1):
            members, kind = self.homeless_members(), "homeless"
        else:
            kind = rng.choices(
                (
                    "single_adult",
                    "single_elderly",
                    "couple_with_children",
                    "single_parent",
                    "elderly_couple",
                    "couple",
                ),
                weights=(30, 30, 12, 15, 8, 5) if beneficiary else (22, 14, 25, 15, 9, 6),
            )[0]
            members = self.polish_members(kind, max_size)
        head = members[0]
        # The first contact with the centre: in the ten years, the head an adult by then,
        # Ukrainians under temporary protection from March 2022.
        earliest = max(
            self.start,
            head.birth.replace(year=head.birth.year + 18)
            if (head.birth.month, head.birth.day) != (2, 29)
            else date(head.birth.year + 18, 3, 1),
        )
        if head.ua_protection:
            earliest = max(earliest, date(2022, 3, 1))
        first_contact = self.day_between(earliest, self.today - timedelta(days=1))
        hh = _Household(
            id=self.new_id("people_household"),
            district=self.address_district,
            members=members,
            first_contact=first_contact,
            incomes={},
            beneficiary=beneficiary,
            kind=kind,
        )
        if beneficiary:
            self.beneficiaries += 1
        self.persons += len(members)
        self.households += 1
        if kind == "foreign":
            self.foreigners += len(members)
        if kind == "homeless":
            self.homeless += len(members)
        self.write_household(hh)
        self.history(hh)

    def polish_members(self, kind: str, max_size: int) -> list[_Person]:
        rng = self.rng
        if max_size < 2 and kind not in ("single_adult", "single_elderly"):
            kind = "single_adult"
        elif max_size < 3 and kind == "couple_with_children":
            kind = "couple"
        surname = rng.choice(SURNAMES) if rng.random() < 0.7 else rng.choice(FAKER_SURNAMES)
        self.address()
        members = []
        if kind in ("single_adult", "single_elderly"):
            elderly = kind == "single_elderly"
            sex = rng.choice("FFM") if elderly else rng.choice("FMM")
            members.append(self.polish(sex, surname, "head", *((62, 92) if elderly else (20, 64))))
        elif kind in ("couple", "elderly_couple"):
            low, high = (62, 88) if kind == "elderly_couple" else (24, 62)
            head = self.polish("M", surname, "head", low, high)
            age = age_on(head.birth, self.today)
            members += [head, self.polish("F", surname, "spouse", max(20, age - 8), age + 3)]
        elif kind == "couple_with_children":
            head = self.polish("M", surname, "head", 26, 52)
            age = age_on(head.birth, self.today)
            mother = self.polish("F", surname, "spouse", max(22, age - 8), age + 3)
            members += [head, mother]
            count = min(max_size - 2, rng.choices((1, 2, 3, 4), weights=(35, 40, 18, 7))[0])
            members += self.children(count, surname, mother)
        else:  # single parent
            sex = "F" if rng.random() < 0.88 else "M"
            head = self.polish(sex, surname, "head", 22, 50)
            members.append(head)
            count = min(max_size - 1, rng.choices((1, 2, 3), weights=(50, 35, 15))[0])
            members += self.children(count, surname, head)
        return members

    def children(self, count: int, surname: str, mother: _Person) -> list[_Person]:
        oldest = max(0, min(17, age_on(mother.birth, self.today) - 20))
        return [
            self.polish(self.rng.choice("FM"), surname, "child", 0, oldest) for _ in range(count)
        ]

    def homeless_members(self) -> list[_Person]:
        rng = self.rng
        self.address()
        sex = "M" if rng.random() < 0.8 else "F"
        return [self.polish(sex, rng.choice(SURNAMES), "head", 30, 70, homeless=True)]

    def foreign_members(self, max_size: int) -> list[_Person]:
        rng = self.rng
        country = "UA" if rng.random() < 0.85 else "BY"
        names = FOREIGN_NAMES[country]
        surname = rng.choice(names["surnames"])
        if country == "UA":
            status, document = rng.choices(
                (
                    ("temporary_protection_ua", "passport"),
                    ("temporary_residence", "residence_card"),
                    ("permanent_residence", "residence_card"),
                ),
                weights=(70, 20, 10),
            )[0]
        else:
            status, document = rng.choice(
                (("refugee_status", "residence_card"), ("subsidiary_protection", "travel_document"))
            )
        self.address()
        size = min(max_size, rng.choices((1, 2, 3, 4), weights=(40, 30, 20, 10))[0])
        members = [
            self.foreigner(country, status, document, "head", surname, rng.choice("FFM"), 20, 60)
        ]
        if size >= 2 and rng.random() < 0.4:
            members.append(
                self.foreigner(
                    country,
                    status,
                    document,
                    "spouse",
                    surname,
                    "F" if members[0].sex == "M" else "M",
                    20,
                    58,
                )
            )
        while len(members) < size:
            members.append(
                self.foreigner(country, status, document, "child", surname, rng.choice("FM"), 0, 17)
            )
        for person in members:
            person.ua_protection = status == "temporary_protection_ua"
        return members

    # -- addresses (one per household, kept on the generator while it is being made) --

    def address(self) -> None:
        rng = self.rng
        index = rng.randrange(len(STREETS))
        self.address_district = index % DISTRICTS
        street = f"ul. {STREETS[index]} {rng.randint(1, 150)}"
        if rng.random() < 0.7:
            street += f"/{rng.randint(1, 80)}"  # a flat in a block
        postal = f"{POSTAL_PREFIX}-{100 + self.address_district * 20 + rng.randrange(20):03d}"
        self.actual = (street, postal, CITY)
        # Some live in the city while registered (zameldowani) elsewhere.
        if rng.random() < 0.06:
            other = rng.choice(OTHER_CITIES)
            self.registered = (
                f"ul. {rng.choice(STREETS)} {rng.randint(1, 90)}",
                f"{rng.randint(0, 99):02d}-{rng.randint(0, 999):03d}",
                other,
            )
        else:
            self.registered = self.actual

    # -- persons --

    def birth_between(self, low: int, high: int) -> date:
        days = self.rng.randint(round(low * 365.25) + 1, round((high + 1) * 365.25) - 1)
        return self.today - timedelta(days=days)

    def pesel(self, birth: date, sex: str) -> str:
        key = (birth, sex)
        n = self.pesel_serials.get(key, 0)
        if n >= 5000:  # every serial of that day and sex is taken: practically never
            raise OverflowError(f"no PESEL left for {birth} {sex}")
        self.pesel_serials[key] = n + 1
        # A permutation of 0–4999 per day, so serials do not simply count up.
        return pesel_number(birth, sex, (n * 2357 + birth.toordinal()) % 5000)

    def first_name(self, sex: str, *, child: bool) -> str:
        first = self.rng.choice(FIRST_NAMES[sex])
        if not child and self.rng.random() < 0.12:
            second = self.rng.choice(FIRST_NAMES[sex])
            if second != first:
                first = f"{first} {second}"
        return first

    def polish(
        self, sex: str, surname: str, relation: str, low: int, high: int, *, homeless=False
    ) -> _Person:
        rng = self.rng
        child = relation == "child"
        birth = self.birth_between(low, high)
        surnames = feminine_surname(surname) if sex == "F" else surname
        if relation == "spouse" and rng.random() < 0.08:
            own = rng.choice(SURNAMES)
            surnames = f"{feminine_surname(own)}-{surnames}"
        person = _Person(
            id=self.new_id("people_person"),
            first_names=self.first_name(sex, child=child),
            surnames=surnames,
            pesel=self.pesel(birth, sex),
            birth=birth,
            sex=sex,
            relation=relation,
        )
        age = age_on(birth, self.today)
        chance = 0.0 if age < 16 else 0.3 if age >= 60 else 0.1
        if self.poor and relation == "head":
            chance = 0.4
        degree, valid_until = "none", None
        if rng.random() < chance:
            degree = rng.choices(("light", "moderate", "significant"), weights=(2, 4, 4))[0]
            if rng.random() < 0.6:
                valid_until = add_months(self.today, rng.randint(1, 48))
        person.disability = degree
        registered, actual = self.registered, self.actual
        same = registered == actual
        if homeless:
            # Often still registered at a former address; no actual address (u.p.s. art. 6 pkt 8).
            registered = self.actual if rng.random() < 0.5 else ("", "", "")
            actual, same = ("", "", ""), False
        phone = ""
        email = ""
        if age >= 18 and rng.random() < 0.6:
            phone = self.phone()
        if age >= 18 and rng.random() < 0.15:
            login = normalize_name(person.first_names).split()[0]
            domain = rng.randint(1, 99)
            email = f"{login}.{normalize_name(surnames).replace(' ', '-')}{domain}@example.pl"
        self.person_row(
            person,
            citizenship="PL",
            registered=registered,
            actual=actual,
            same=same,
            homeless=homeless,
            phone=phone,
            email=email,
            disability_valid_until=valid_until,
        )
        return person

    def foreigner(self, country, status, document, relation, surname, sex, low, high) -> _Person:
        rng = self.rng
        child = relation == "child"
        birth = self.birth_between(low, high)
        first = rng.choice(FOREIGN_NAMES[country][f"{sex}_child" if child else sex])
        doc = "passport" if child and document == "passport" else document
        person = _Person(
            id=self.new_id("people_person"),
            first_names=first,
            surnames=surname,
            pesel=None,
            birth=birth,
            sex=sex,
            relation=relation,
            disability="none",
        )
        self.documents += 1
        number = self.document_number(doc, country, self.documents)
        registered = self.actual if rng.random() < 0.5 else ("", "", "")
        languages = {"UA": "ukraiński, rosyjski", "BY": "białoruski, rosyjski"}[country]
        self.person_row(
            person,
            citizenship=country,
            residence_status=status,
            document_type=doc,
            document_number=number,
            residence_valid_until=self.today + timedelta(days=rng.randint(-30, 900)),
            languages=languages,
            letter_language="uk" if country == "UA" and rng.random() < 0.6 else "pl",
            interpreter=rng.random() < 0.3,
            registered=registered,
            actual=self.actual,
            same=registered == self.actual,
            phone="" if child else self.phone(),
        )
        return person

    def phone(self) -> str:
        rng = self.rng
        return (
            f"+48 {rng.choice('5678')}{rng.randint(0, 99):02d} "
            f"{rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"
        )

    def document_number(self, document: str, country: str, n: int) -> str:
        """Unique by construction: the digits are a permutation of the counter `n`."""
        rng = self.rng
        seven = f"{(n * 7919 + 1234567) % 10_000_000:07d}"
        if document == "passport":
            series = rng.choice(FOREIGN_NAMES[country]["passport_series"])
            if country == "UA" and n < 1_000_000:
                return series + f"{(n * 7919 + 123457) % 1_000_000:06d}"
            return series + seven
        if document == "residence_card":
            return "R" + rng.choice("PSUW") + seven
        return "TD" + seven

    def person_row(
        self,
        person: _Person,
        *,
        citizenship: str,
        registered,
        actual,
        same: bool,
        homeless: bool = False,
        residence_status: str = "",
        document_type: str = "",
        document_number: str = "",
        residence_valid_until: date | None = None,
        languages: str = "",
        letter_language: str = "pl",
        interpreter: bool = False,
        phone: str = "",
        email: str = "",
        disability_valid_until: date | None = None,
    ) -> None:
        # Stamps, district and worker are filled in by write_household (the first contact).
        surnames_search = normalize_name(person.surnames)
        self.pending_persons.append(
            {
                "id": person.id,
                "centre_id": self.centre,
                "first_names": person.first_names,
                "surnames": person.surnames,
                "pesel": person.pesel,
                "birth_date": person.birth,
                "sex": person.sex,
                "id_document_type": document_type,
                "id_document_number": document_number,
                "citizenship": citizenship,
                "residence_status": residence_status,
                "residence_document_valid_until": residence_valid_until,
                "languages_spoken": languages,
                "letter_language": letter_language,
                "needs_interpreter": interpreter,
                "registered_street": registered[0],
                "registered_postal_code": registered[1],
                "registered_city": registered[2],
                "actual_same_as_registered": same,
                "actual_street": "" if same else actual[0],
                "actual_postal_code": "" if same else actual[1],
                "actual_city": "" if same else actual[2],
                "homeless": homeless,
                "phone": phone,
                "email": email,
                "disability_degree": person.disability,
                "disability_valid_until": (
                    disability_valid_until if person.disability != "none" else None
                ),
                "restricted_notes": "",  # encrypted when written; none here
                # As Person.save() computes them (gops.people.models).
                "surnames_search": surnames_search,
                "surnames_alt_search": rotate_name_parts(surnames_search),
                "first_names_search": normalize_name(person.first_names),
                "document_search": normalize_document_number(document_number),
                "version": 1,
                "updated_by_id": None,
            }
        )

    def write_household(self, hh: _Household) -> None:
        """The household, its memberships, and the persons with their district, worker and
        stamps (their first contact, or their birth when later)."""
        rng = self.rng
        district = self.s.districts[hh.district]
        workers = self.s.workers[hh.district]
        creator = rng.choice(workers)
        created = self.stamp(hh.first_contact)
        assistant = None
        if any(m.relation == "child" for m in hh.members) and rng.random() < 0.05:
            assistant = rng.choice(self.s.family_assistants).id
        self.add(
            "people_household",
            id=hh.id,
            created_at=created,
            updated_at=created,
            centre_id=self.centre,
            district_id=district,
            family_assistant_id=assistant,
            notes="Osoba bezdomna." if hh.kind == "homeless" else "",
            created_by_id=creator.id,
            version=1,
        )
        case_worker = rng.choice(workers).id if rng.random() < 0.25 else None
        pending, self.pending_persons = self.pending_persons, []
        for person, values in zip(hh.members, pending, strict=True):
            person.joined_on = max(hh.first_contact, person.birth)
            stamp = (
                created if person.joined_on == hh.first_contact else self.stamp(person.joined_on)
            )
            self.add(
                "people_person",
                **values,
                created_at=stamp,
                updated_at=stamp,
                district_id=district,
                case_worker_id=case_worker if person.relation == "head" else None,
                created_by_id=creator.id,
            )
            self.add(
                "people_householdmembership",
                id=self.new_id("people_householdmembership"),
                created_at=stamp,
                updated_at=stamp,
                household_id=hh.id,
                person_id=person.id,
                relation=person.relation,
                joined_on=person.joined_on,
                left_on=None,
            )
            self.audit(
                at=stamp,
                actor=creator,
                action="create",
                object_type="people.person",
                object_id=person.id,
                object_repr=f"{person.surnames} {person.first_names}",
                person_id=person.id,
                changes={
                    "first_names": [None, person.first_names],
                    "surnames": [None, person.surnames],
                    "pesel": [None, person.pesel],
                    "birth_date": [None, person.birth.isoformat()],
                    "sex": [None, person.sex],
                    "district_id": [None, district],
                },
            )

    # -- incomes --

    def income_profile(self, hh: _Household, person: _Person) -> None:
        """Set once per adult: the source of income and its usual net amount."""
        rng = self.rng
        age = age_on(person.birth, self.today)
        # Amounts of 2025 (net; wages gross); earlier months scale with the criterion.
        if hh.kind == "homeless":
            choices = (("none", 0), ("disability_pension", 900), ("other", 350))
            weights = (50, 25, 25)
        elif hh.beneficiary:
            if age >= 62:
                choices = (("none", 0), ("old_age_pension", 600), ("disability_pension", 700))
                weights = (40, 30, 30)
            else:
                choices = (("none", 0), ("other", 400), ("wages", 1800))
                weights = (50, 30, 20)
        elif age >= 62:
            choices = (
                ("old_age_pension", 950),
                ("none", 0),
                ("disability_pension", 850),
                ("old_age_pension", 1900),
            )
            weights = (50, 10, 20, 20)
        else:
            choices = (
                ("wages", 2400),
                ("none", 0),
                ("other", 600),
                ("unemployment_benefit", 1100),
                ("disability_pension", 900),
                ("wages", 4200),
            )
            weights = (35, 25, 15, 8, 7, 10)
        source, base = rng.choices(choices, weights=weights)[0]
        person.income_source = source
        person.base_income = Decimal(base)

    def income_scale(self, month: date) -> Decimal:
        """Incomes of earlier years, in proportion to the criterion then in force."""
        latest = self.s.legal[-1][1].per_person_criterion
        return self.parameters_on(month)[1].per_person_criterion / latest

    def incomes_of(self, hh: _Household, month: date, members: list[_Person]) -> dict[int, list]:
        """The incomes of `month` of the members, as [(source, net, counts)]; their Income
        rows are written the first time a month is asked for."""
        known = hh.incomes.get(month)
        if known is not None:
            return known
        rng = self.rng
        found: dict[int, list] = {}
        for person in members:
            if age_on(person.birth, month) < 18:
                continue
            if person.base_income is None:
                self.income_profile(hh, person)
            source = person.income_source
            if source == "none":
                continue
            wobble = Decimal(rng.randint(85, 115)) / 100 * self.income_scale(month)
            zero = Decimal("0.00")
            gross, tax, health, social = None, zero, zero, zero
            if source == "wages":
                # Entered as gross with the deductions of art. 8 ust. 3, like the demo's.
                gross = (person.base_income * wobble).quantize(Decimal("0.01"))
                social, health, tax = wage_deductions(gross)
                net = net_income(
                    gross=gross, income_tax=tax, health_insurance=health, social_insurance=social
                )
            else:
                net = (person.base_income * wobble).quantize(Decimal("0.01"))
            created = self.stamp(add_months(month, 1))
            self.add(
                "people_income",
                id=self.new_id("people_income"),
                created_at=created,
                updated_at=created,
                person_id=person.id,
                month=month,
                source=source,
                gross_amount=gross,
                income_tax=tax,
                health_insurance=health,
                social_insurance=social,
                alimony_paid=zero,
                net_amount=net,
                farm_hectares=None,
                counts_as_income=True,
                note="",
                created_by_id=rng.choice(self.s.workers[hh.district]).id,
            )
            found[person.id] = [(source, net, True)]
        hh.incomes[month] = found
        return found

    # -- client history --

    def history(self, hh: _Household) -> None:
        """The household's applications over the years, each with what follows from it."""
        rng = self.rng
        day = hh.first_contact
        if hh.beneficiary:
            starts = None  # a renewal's period starts after the one it renews
            while day < self.today:
                head = hh.members[0]
                member = benefit_rules.Member(
                    income=Decimal(0),
                    applicant=True,
                    age=age_on(head.birth, day),
                    sex=head.sex,
                    totally_unable_to_work=head.disability in ("moderate", "significant"),
                )
                permanent = benefit_rules.unable_to_work(member)[0]
                benefit = "permanent" if permanent else "periodic"
                extra = ["purpose"] if rng.random() < 0.15 else []
                if permanent:
                    months = None if rng.random() < 0.6 else rng.randint(12, 60)
                else:
                    months = rng.randint(3, 6)
                period_from = starts or day.replace(day=1)
                until = None if months is None else month_end(add_months(period_from, months - 1))
                self.case(hh, day, [benefit, *extra], months=months, period_from=period_from)
                if until is None:
                    break
                if permanent:
                    # Renewed, mostly: applied for before the period ends.
                    if rng.random() < 0.3:
                        break
                    day = max(day + timedelta(days=40), until - timedelta(days=rng.randint(10, 40)))
                    starts = until + timedelta(days=1)
                else:
                    if rng.random() < 0.35:
                        break
                    day = until + timedelta(days=rng.randint(30, 540))
                    starts = None
        else:
            for _n in range(rng.choices((1, 2, 3), weights=(50, 30, 20))[0]):
                if day >= self.today:
                    break
                benefit = "purpose" if rng.random() < 0.85 else "periodic"
                months = rng.randint(3, 6) if benefit == "periodic" else None
                self.case(hh, day, [benefit], months=months, period_from=day.replace(day=1))
                later = day + timedelta(days=rng.randint(60, 1200))
                if months:  # not while a periodic allowance may still run
                    later = max(later, add_months(day, months))
                day = later

    def case(
        self,
        hh: _Household,
        received: date,
        benefits: list[str],
        *,
        months: int | None,
        period_from: date,
    ) -> None:
        """One application and, as far as it got by today, its interview and decisions:
        monthly allowances for `months` months (None: open-ended) from `period_from`."""
        rng = self.rng
        s = self.s
        head = hh.members[0]
        worker = rng.choice(s.workers[hh.district])
        # The household as it was, and its incomes of the month before (the interview
        # confirms them). A child born in the month of the application is left out: the rules
        # count ages on the first day of the period, and refuse a negative one.
        members = [m for m in hh.members if m.birth < received.replace(day=1)]
        month = add_months(received, -1)
        incomes = self.incomes_of(hh, month, members)
        if benefits == ["purpose"] and rng.random() < 0.7:
            # Above the criterion, most ask for the special purpose allowance (art. 41 pkt 1).
            probe = self.assess("purpose", members, incomes, head, received, Decimal(100))
            if not probe.eligible:
                benefits = ["special_purpose"]
        urgent = benefits == ["purpose"] and rng.random() < 0.2
        year = received.year
        sequence = self.application_numbers.get(year, 0) + 1
        self.application_numbers[year] = sequence
        number = f"OPS/{sequence}/{year}"
        conducted = received + timedelta(days=rng.randint(1, 2 if urgent else 9))
        issued = conducted + timedelta(days=rng.randint(1, 12))
        served = issued + timedelta(days=rng.randint(2, 9))
        final = appeal_deadline(served) + timedelta(days=1)
        withdrawn = rng.random() < 0.02
        today = self.today
        if withdrawn:
            status = "withdrawn"
        elif conducted >= today:
            status = (
                "registered" if received >= today - timedelta(days=2) else "interview_scheduled"
            )
        elif issued >= today:
            status = "interview_done"
        elif final >= today:
            status = "decision_issued"
        else:
            status = "final"
        application_id = self.new_id("cases_application")
        created = self.stamp(received)
        updated = (
            self.stamp(min(final, today - timedelta(days=1))) if status != "registered" else created
        )
        if updated < created:
            updated = created
        reasons = self.reasons(hh, benefits)
        self.add(
            "cases_application",
            id=application_id,
            created_at=created,
            updated_at=updated,
            centre_id=self.centre,
            number=number,
            year=year,
            sequence=sequence,
            household_id=hh.id,
            applicant_id=head.id,
            ex_officio=rng.random() < 0.03,
            received_on=received,
            benefits_requested=json.dumps(benefits),
            reasons=json.dumps(reasons),
            reason_other="",
            description=rng.choice(DESCRIPTIONS),
            urgent=urgent,
            particularly_complicated=False,
            status=status,
            closed_reason="Wniosek wycofany przez stronę." if withdrawn else "",
            worker_id=worker.id,
            interview_due_on=interview_due(received, urgent),
            decision_due_on=decision_due(received),
            created_by_id=worker.id,
        )
        self.audit(
            at=created,
            actor=worker,
            action="create",
            object_type="cases.application",
            object_id=application_id,
            object_repr=number,
            person_id=head.id,
            household_id=hh.id,
            changes={
                "number": [None, number],
                "received_on": [None, received.isoformat()],
                "benefits_requested": [None, benefits],
            },
        )
        if status == "registered" or (withdrawn and conducted >= today):
            return
        if status == "interview_scheduled":
            self.interview_row(
                hh,
                application_id,
                "initial",
                "scheduled",
                due=interview_due(received, urgent),
                planned=conducted,
            )
            return
        snapshot = self.snapshot(hh, month, members, incomes)
        self.interview_row(
            hh,
            application_id,
            "initial",
            "done",
            due=interview_due(received, urgent),
            planned=conducted,
            conducted=conducted,
            worker=worker,
            snapshot=snapshot,
        )
        self.audit(
            at=self.stamp(conducted),
            actor=worker,
            action="view",
            object_type="people.person",
            object_id=head.id,
            object_repr=f"{head.surnames} {head.first_names}",
            person_id=head.id,
        )
        if status in ("withdrawn", "interview_done"):
            return
        for benefit in benefits:
            self.decision(
                hh,
                application_id,
                number,
                benefit,
                members,
                incomes,
                snapshot,
                worker,
                received=received,
                conducted=conducted,
                issued=issued,
                served=served if served < today else None,
                final=final if status == "final" else None,
                months=months,
                starts=period_from,
            )

    def reasons(self, hh: _Household, benefits: list[str]) -> list[str]:
        rng = self.rng
        head = hh.members[0]
        found = ["poverty"]
        if hh.kind == "homeless":
            found.append("homelessness")
        elif hh.kind == "foreign":
            found.append("foreigner_integration")
        if head.disability in ("moderate", "significant"):
            found.append("disability")
        if (
            head.income_source in ("none", "unemployment_benefit")
            and age_on(head.birth, self.today) < 60
        ):
            found.append("unemployment")
        if sum(1 for m in hh.members if m.relation == "child") >= 3:
            found.append("maternity_large_family")
        if rng.random() < 0.08:
            found.append("long_illness")
        if rng.random() < 0.04:
            found.append("addiction")
        return found

    def snapshot(self, hh: _Household, month: date, members: list[_Person], incomes) -> dict:
        """cases.services.household_snapshot: the members and their incomes of `month`."""
        return {
            "month": month.strftime("%Y-%m"),
            "household_id": hh.id,
            "members": [
                {
                    "person_id": p.id,
                    "first_names": p.first_names,
                    "surnames": p.surnames,
                    "pesel": p.pesel,
                    "birth_date": p.birth.isoformat(),
                    "sex": p.sex,
                    "relation": p.relation,
                    "disability_degree": p.disability,
                    "incomes": [
                        {
                            "source": source,
                            "net_amount": f"{net:.2f}",
                            "counts_as_income": counts,
                            "farm_hectares": None,
                        }
                        for source, net, counts in incomes.get(p.id, [])
                    ],
                }
                for p in members
            ],
        }

    def interview_row(
        self,
        hh,
        application_id,
        kind,
        status,
        *,
        due,
        planned=None,
        conducted=None,
        worker=None,
        snapshot=None,
    ) -> int:
        rng = self.rng
        interview_id = self.new_id("cases_communityinterview")
        created = self.stamp(min(due, self.today) - timedelta(days=14))
        updated = self.stamp(conducted) if conducted else created
        if updated < created:
            updated = created
        # Done: every part from the pool of encrypted texts; scheduled: nothing written yet.
        texts = {
            name: rng.choice(self.s.narratives[name]) if status == "done" else ""
            for name in INTERVIEW_TEXT_FIELDS
        }
        self.add(
            "cases_communityinterview",
            id=interview_id,
            created_at=created,
            updated_at=updated,
            centre_id=self.centre,
            application_id=application_id,
            household_id=hh.id,
            kind=kind,
            status=status,
            due_on=due,
            planned_on=planned,
            conducted_on=conducted,
            conducted_by_id=worker.id if worker else None,
            snapshot=json.dumps(snapshot or {}),
            **texts,
        )
        if status == "done":
            self.audit(
                at=updated,
                actor=worker,
                action="update",
                object_type="cases.communityinterview",
                object_id=interview_id,
                object_repr=f"{INTERVIEW_KIND_PL[kind]} {due:%Y-%m-%d}",
                household_id=hh.id,
                changes={
                    "status": ["scheduled", "done"],
                    "conducted_on": [None, conducted.isoformat()],
                    "needs": [None, "[encrypted]"],
                    "diagnosis": [None, "[encrypted]"],
                    "help_plan": [None, "[encrypted]"],
                },
            )
        return interview_id

    def parameters_on(self, on: date) -> tuple[int | None, benefit_rules.Parameters]:
        """The legal parameters in force on `on`; before the first row, the first row's values
        without its id (the table starts in 2018)."""
        found = None
        for pk, params in self.s.legal:
            if params.valid_from <= on:
                found = (pk, params)
        return found or (None, self.s.legal[0][1])

    def decision(
        self,
        hh,
        application_id,
        application_number,
        benefit,
        members,
        incomes,
        snapshot,
        worker,
        *,
        received,
        conducted,
        issued,
        served,
        final,
        months,
        starts,
    ) -> None:
        rng = self.rng
        head = hh.members[0]
        monthly = benefit in MONTHLY
        period_from = starts if monthly else None
        on = period_from or received
        legal_id, _params = self.parameters_on(on)
        requested = Decimal(rng.randint(15, 150) * 10) if not monthly else None
        assessment = self.assess(benefit, members, incomes, head, on, requested)
        granting = assessment.eligible
        amount = assessment.amount if granting else None
        period_until = None
        if granting and monthly and months is not None:
            period_until = month_end(add_months(period_from, months - 1))
        if not granting:
            period_from = None
        method, account = "", ""
        if granting:
            method, account = self.payment_of(head)
        signer = rng.choice(self.s.signers)
        year = issued.year
        sequence = self.decision_numbers.get(year, 0) + 1
        self.decision_numbers[year] = sequence
        number = f"DEC/{sequence}/{year}"
        who = (
            f"stronie – {head.first_names} {head.surnames}"
            + (f", PESEL {head.pesel}" if head.pesel else "")
            + " –"
        )
        label = BENEFIT_PL[benefit]
        if granting:
            ruling = (
                f"Przyznać {who} świadczenie: {label} w wysokości {benefit_rules.format_zl(amount)}"
            )
            ruling += " miesięcznie" if monthly else ""
            if period_from and period_until:
                ruling += f" na okres od {dmy(period_from)} r. do {dmy(period_until)} r."
            elif period_from:
                ruling += f" od dnia {dmy(period_from)} r."
            else:
                ruling += f" na: {rng.choice(PURPOSE_NEEDS)}."
        else:
            ruling = f"Odmówić {who} przyznania świadczenia: {label}."
        facts = (
            f"Wniosek wpłynął dnia {dmy(received)} r. (nr {application_number}). "
            f"W dniu {dmy(conducted)} r. przeprowadzono rodzinny wywiad środowiskowy, w którym "
            f"ustalono skład gospodarstwa domowego ({benefit_rules.persons_pl(len(members))}) i "
            f"dochody z miesiąca {snapshot['month']} (art. 8 ust. 3 u.p.s.). "
        )
        legal_basis = list(
            dict.fromkeys(
                [
                    *assessment.legal_basis,
                    "k.p.a. art. 104",
                    "u.p.s. art. 106 ust. 1",
                    "u.p.s. art. 110 ust. 7",
                ]
            )
        )
        decision_id = self.new_id("benefits_decision")
        drafted = self.stamp(conducted + timedelta(days=1) if conducted < issued else issued)
        signed = self.stamp(issued)
        if signed < drafted:
            signed = drafted
        deadline = appeal_deadline(served) if served else None
        self.add(
            "benefits_decision",
            id=decision_id,
            created_at=drafted,
            updated_at=signed,
            centre_id=self.centre,
            application_id=application_id,
            changes_decision_id=None,
            kind="granting" if granting else "refusing",
            benefit=benefit,
            status="issued",
            person_id=head.id,
            number=number,
            year=year,
            sequence=sequence,
            legal_parameters_id=legal_id,
            computed_amount=amount,
            amount=amount,
            amount_change_reason="",
            assessment=json.dumps(
                {
                    "eligible": granting,
                    "criterion": f"{assessment.criterion:.2f}",
                    "income": f"{assessment.income:.2f}",
                    "income_per_person": f"{assessment.income_per_person:.2f}",
                    "explanation": assessment.explanation,
                }
            ),
            period_from=period_from,
            period_until=period_until,
            payment_method=method,
            bank_account=account,
            payee_name="",
            quantity="",
            supplier="",
            care_hours_per_week=None,
            care_fee_percent=None,
            care_hourly_cost=None,
            shelter_fee_per_night=None,
            legal_basis=json.dumps(legal_basis),
            ruling=ruling,
            reasoning=facts + assessment.explanation,
            drafted_by_id=worker.id,
            signed_by_id=signer.id,
            signer_name=signer.name,
            signer_post=signer.post,
            issued_on=issued,
            pdf=None,
            pdf_sha256="",
            served_on=served,
            appeal_deadline=deadline,
            final_on=final,
            version=1,
        )
        self.audit(
            at=signed,
            actor=signer,
            action="update",
            object_type="benefits.decision",
            object_id=decision_id,
            object_repr=number,
            person_id=head.id,
            changes={
                "status": ["draft", "issued"],
                "number": ["", number],
                "issued_on": [None, issued.isoformat()],
            },
        )
        if not granting:
            return
        self.schedule(
            decision_id, head, benefit, amount, method, account, issued, period_from, period_until
        )
        if benefit == "permanent":
            self.updates(hh, application_id, conducted, period_until)

    def assess(self, benefit, members, incomes, head, on, requested) -> benefit_rules.Assessment:
        """benefits.services.assess: the pure rule on the members as the snapshot has them
        (benefits.services.members_from_snapshot), with the parameters in force on `on`."""
        params = self.parameters_on(on)[1]
        rule_members = [
            benefit_rules.Member(
                income=sum(
                    (net for _s, net, counts in incomes.get(p.id, []) if counts), Decimal("0.00")
                ),
                applicant=p.id == head.id,
                age=age_on(p.birth, on),
                sex=p.sex,
                totally_unable_to_work=p.disability in ("moderate", "significant"),
            )
            for p in members
        ]
        if benefit == "permanent":
            return benefit_rules.permanent_allowance(members=rule_members, params=params)
        if benefit == "periodic":
            return benefit_rules.periodic_allowance(members=rule_members, params=params)
        if benefit == "special_purpose":
            # At most the criterion (art. 41 pkt 1): single, or per person × the family.
            single = len(rule_members) == 1
            cap = params.single_criterion if single else params.family_criterion(len(rule_members))
            requested = min(requested, cap)
        return benefit_rules.purpose_allowance(
            members=rule_members,
            params=params,
            amount=requested,
            special=benefit == "special_purpose",
        )

    def payment_of(self, person: _Person) -> tuple[str, str]:
        """The person's way of being paid, drawn once: cash (15 %) or a valid IBAN."""
        if person.cash is None:
            rng = self.rng
            person.cash = rng.random() < 0.15
            if not person.cash:
                bban = rng.choice(BANKS) + f"{rng.randrange(10**16):016d}"
                person.bank_account = polish_iban(bban)
        return ("cash", "") if person.cash else ("bank_transfer", person.bank_account)

    def updates(self, hh: _Household, application_id: int, last: date, until: date | None) -> None:
        """Update interviews of a permanent allowance every six months (u.p.s. art. 107 ust. 4a);
        the next one not yet due is left scheduled."""
        rng = self.rng
        end = min(until or self.today, self.today)
        while True:
            due = case_rules.interview_update_due(last_interview_on=last)
            if due > end:
                if until is None or due <= until:
                    self.interview_row(hh, application_id, "update", "scheduled", due=due)
                return
            conducted = due - timedelta(days=rng.randint(0, 20))
            if conducted >= self.today:
                self.interview_row(
                    hh, application_id, "update", "scheduled", due=due, planned=conducted
                )
                return
            worker = rng.choice(self.s.workers[hh.district])
            members = [m for m in hh.members if m.birth < conducted.replace(day=1)]
            month = add_months(conducted, -1)
            incomes = self.incomes_of(hh, month, members)
            self.interview_row(
                hh,
                application_id,
                "update",
                "done",
                due=due,
                planned=conducted,
                conducted=conducted,
                worker=worker,
                snapshot=self.snapshot(hh, month, members, incomes),
            )
            head = hh.members[0]
            self.audit(
                at=self.stamp(conducted),
                actor=worker,
                action="view",
                object_type="people.person",
                object_id=head.id,
                object_repr=f"{head.surnames} {head.first_names}",
                person_id=head.id,
            )
            last = conducted

    # -- money --

    def schedule(
        self,
        decision_id,
        person,
        benefit,
        amount,
        method,
        account,
        issued,
        period_from,
        period_until,
    ):
        """The decision's schedule items as schedules_sync plans them, and the payments of
        those a payroll prepared before today took (urgent one-off items: paid on the day)."""
        day = self.s.payment_day
        if benefit in MONTHLY:
            plan = payment_rules.monthly_plan(
                period_from=period_from,
                period_until=period_until,
                amount=amount,
                payment_day=day,
                issued_on=issued,
                horizon=self.horizon,
            )
        else:
            plan = [payment_rules.one_off_plan(amount=amount, issued_on=issued, period_from=None)]
        urgent = benefit not in MONTHLY
        for planned in plan:
            item_id = self.new_id("payments_scheduleitem")
            created = self.stamp(
                max(issued, payroll_prepared_on(planned.month, day) - timedelta(days=1))
                if not urgent
                else issued
            )
            if created.date() >= self.today:
                created = self.stamp(issued)
            self.add(
                "payments_scheduleitem",
                id=item_id,
                created_at=created,
                updated_at=created,
                centre_id=self.centre,
                decision_id=decision_id,
                person_id=person.id,
                month=planned.month,
                due_on=planned.due_on,
                amount=planned.amount,
                method=method,
                bank_account=account,
                payee_name="",
                invoice_number="",
                urgent=urgent,
                status="planned",
                cancelled_by_id=None,
            )
            if urgent:
                if planned.due_on < self.today:
                    self.payment(
                        item_id, None, person, planned.amount, method, account, planned.due_on
                    )
                continue
            # The first payroll prepared after the item was due in its month and the decision
            # was issued: it takes every planned item due by the end of its month.
            month = planned.due_on.replace(day=1)
            while payroll_prepared_on(month, day) < issued:
                month = add_months(month, 1)
            self.monthly_payment(item_id, person, planned.amount, method, account, month)

    def monthly_payment(self, item_id, person, amount, method, account, month) -> None:
        """The item's payment on the payroll of `month`, if that payroll was made by today."""
        rng = self.rng
        payroll = self.payroll_ids.get(month)
        if payroll is None:
            return
        pay_day = month.replace(day=self.s.payment_day)
        roll = rng.random()
        if method == "bank_transfer" and roll < 0.003:
            # Returned by the bank; paid again on the next payroll.
            self.payment(item_id, payroll, person, amount, method, account, pay_day, "returned")
            self.monthly_payment(item_id, person, amount, method, account, add_months(month, 1))
            return
        if method == "cash" and roll < 0.01:
            self.payment(
                item_id, payroll, person, amount, method, account, pay_day, "not_collected"
            )
            return
        self.payment(item_id, payroll, person, amount, method, account, pay_day)

    def payment(self, item_id, payroll, person, amount, method, account, on, outcome=None):
        """A payment due `on` (the payroll's pay day, or the day of an urgent one): paid when
        that day has passed, unless `outcome` says otherwise; pending (not yet paid) if not."""
        status = outcome or ("paid" if on < self.today else "pending")
        notes = {
            "returned": "Zwrot z banku: rachunek zamknięty.",
            "not_collected": "Nie podjęto w kasie.",
        }
        created = self.stamp(min(on - timedelta(days=PAYROLL_LEAD_DAYS), self.today))
        updated = self.stamp(min(on, self.today - timedelta(days=1)))
        if updated < created:
            updated = created
        self.add(
            "payments_payment",
            id=self.new_id("payments_payment"),
            created_at=created,
            updated_at=updated,
            centre_id=self.centre,
            item_id=item_id,
            payroll_id=payroll,
            person_id=person.id,
            amount=amount,
            method=method,
            bank_account=account,
            payee_name="",
            status=status,
            paid_on=on if status in ("paid", "returned") else None,
            outcome_note=notes.get(status, ""),
            recorded_by_id=self.rng.choice(self.s.finance).id if status != "pending" else None,
            deduction=Decimal("0.00"),
        )

    # -- audit --

    def audit(
        self,
        *,
        at,
        actor,
        action,
        object_type,
        object_id,
        object_repr,
        person_id=None,
        household_id=None,
        changes=None,
    ) -> None:
        self.add(
            "audit_auditentry",
            id=self.new_id("audit_auditentry"),
            at=at,
            actor_id=actor.id,
            actor_username=actor.username,
            centre_id=self.centre,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:200],
            person_id=person_id,
            household_id=household_id,
            changes=json.dumps(changes or {}),
            ip=f"10.20.{actor.id % 250}.{actor.id % 200 + 10}",
            channel="web",
        )


# --- Database side --------------------------------------------------------------------------


def check_columns() -> list[str]:
    """Differences between COLUMNS and the models: columns that do not exist, and NOT NULL
    columns without a database default that the generator does not write."""
    from django.apps import apps
    from django.db import models

    problems = []
    for table, label in MODELS.items():
        model = apps.get_model(label)
        assert model._meta.db_table == table, (label, model._meta.db_table)
        written = set(COLUMNS[table])
        columns = {}
        for f in model._meta.concrete_fields:
            if isinstance(f, models.GeneratedField):
                continue
            columns[f.column] = f
        for name in written - set(columns):
            problems.append(f"{table}.{name}: no such column")
        for name, f in columns.items():
            if name not in written and not f.null and f.db_default is models.NOT_PROVIDED:
                problems.append(f"{table}.{name}: NOT NULL and not written")
    return problems


def may_drop(connection) -> str | None:
    """--fresh drops only an empty database or one holding the generated city alone."""
    tables = connection.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
    ).fetchone()[0]
    if not tables:
        return None
    has_centres = connection.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_name = 'accounts_centre'"
    ).fetchone()
    if not has_centres:
        return "it holds tables that are not GOPS's"
    others = connection.execute(
        "SELECT count(*) FROM accounts_centre WHERE teryt <> %s", [TERYT]
    ).fetchone()[0]
    return f"it holds {others} centre(s) not made by the generator" if others else None


def narrative_pool() -> dict[str, tuple[str, ...]]:
    """Each interview text encrypted once, as the model's field stores it."""
    from gops.cases.models import CommunityInterview

    return {
        name: tuple(CommunityInterview._meta.get_field(name).get_prep_value(text) for text in texts)
        for name, texts in NARRATIVES.items()
    }


def legal_parameters() -> tuple[tuple[int, benefit_rules.Parameters], ...]:
    from gops.benefits import selectors
    from gops.benefits.models import LegalParameters

    return tuple(
        (row.pk, selectors.legal_parameters_as_rules(row))
        for row in LegalParameters.objects.order_by("valid_from")
    )


def make_staff(rng: random.Random):
    """The centre, its districts and staff (ORM: a few hundred rows); returns the centre."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from gops.accounts import roles
    from gops.accounts.models import Centre, District, User

    password = make_password(PASSWORD)  # hashed once, shared by every generated account
    with transaction.atomic():
        centre = Centre.objects.create(
            name=f"Miejski Ośrodek Pomocy Społecznej w {CITY_LOCATIVE}",
            name_genitive=f"Miejskiego Ośrodka Pomocy Społecznej w {CITY_LOCATIVE}",
            municipality=CITY,
            mayor_title=Centre.MayorTitle.PREZYDENT,
            teryt=TERYT,
            street="ul. Piotrkowska 100",
            postal_code=f"{POSTAL_PREFIX}-001",
            city=CITY,
            phone="42 600 00 00",
            email="sekretariat@mops-wielkogrod.example",
            head_name="Barbara Wielgosz",
            bank_account=polish_iban("10203219" + "0" * 15 + "1"),
            payment_day=10,
        )
        districts = District.objects.bulk_create(
            [
                District(
                    centre=centre,
                    name=f"Rejon {n + 1:02d}",
                    description=", ".join(
                        STREETS[i] for i in range(n, len(STREETS), DISTRICTS)[:6]
                    ),
                )
                for n in range(DISTRICTS)
            ]
        )
        groups = {g.name: g for g in Group.objects.all()}
        users: list[tuple[User, str]] = []

        def add(username, role, post, *, district=None, signs=False, staff=False):
            sex = rng.choice("FM")
            first = rng.choice(FIRST_NAMES[sex])
            last = rng.choice(SURNAMES)
            users.append(
                (
                    User(
                        username=username,
                        password=password,
                        centre=centre,
                        district=district,
                        first_name=first,
                        last_name=feminine_surname(last) if sex == "F" else last,
                        position=post,
                        may_sign_decisions=signs,
                        is_staff=staff,
                    ),
                    role,
                )
            )

        add("kierownik", roles.HEAD, "Dyrektor Miejskiego Ośrodka Pomocy Społecznej", signs=True)
        add("zastepca1", roles.HEAD, "Zastępca dyrektora", signs=True)
        add("zastepca2", roles.HEAD, "Zastępca dyrektora", signs=True)
        for n, district in enumerate(districts):
            for k in range(WORKERS_PER_DISTRICT):
                add(
                    f"pracownik{n * WORKERS_PER_DISTRICT + k + 1:03d}",
                    roles.SOCIAL_WORKER,
                    "Pracownik socjalny",
                    district=district,
                )
        for n in range(20):
            add(f"asystent{n + 1:02d}", roles.FAMILY_ASSISTANT, "Asystent rodziny")
        for n in range(8):
            add(f"ksiegowa{n + 1}", roles.FINANCE, "Specjalista ds. księgowości")
        for n in range(2):
            add(f"schronisko{n + 1}", roles.SHELTER_COORDINATOR, "Koordynator ds. bezdomności")
            add(f"zajecia{n + 1}", roles.ACTIVITIES_ORGANISER, "Animator")
        add("iod", roles.DATA_PROTECTION_OFFICER, "Inspektor ochrony danych")
        add("admin", roles.ADMINISTRATOR, "Administrator systemu", staff=True)
        created = User.objects.bulk_create([u for u, _role in users])
        through = User.groups.through
        through.objects.bulk_create(
            [
                through(user_id=u.pk, group_id=groups[role].pk)
                for u, (_, role) in zip(created, users, strict=True)
            ]
        )
    return centre


def make_setting(centre, today: date, first_ids: dict[str, int]) -> Setting:
    """The generator's view of the centre: its staff by role, the legal parameters, the pool
    of encrypted texts, and the approved payroll of every month (created here)."""
    from django.db import transaction

    from gops.accounts import roles
    from gops.accounts.models import User
    from gops.payments.models import Payroll

    def staff(role):
        return [
            Staff(u.pk, u.username, u.get_full_name(), u.position)
            for u in User.objects.filter(centre=centre, groups__name=role).order_by("pk")
        ]

    districts = list(centre.districts.order_by("name"))
    workers = tuple(
        tuple(
            Staff(u.pk, u.username)
            for u in User.objects.filter(district=d, groups__name=roles.SOCIAL_WORKER).order_by(
                "pk"
            )
        )
        for d in districts
    )
    finance = staff(roles.FINANCE)
    heads = staff(roles.HEAD)
    head = heads[0]
    payrolls = {}
    with transaction.atomic():
        for month in payroll_months(today, centre.payment_day):
            prepared = payroll_prepared_on(month, centre.payment_day)
            stamp = datetime.combine(prepared, clock(8, 30), UTC)
            approved = prepared + timedelta(days=1)
            payroll = Payroll.objects.create(
                centre=centre,
                month=month,
                prepared_by_id=finance[0].id,
                status="approved" if approved < today else "prepared",
                approved_by_id=head.id if approved < today else None,
                approved_at=datetime.combine(approved, clock(10, 0), UTC)
                if approved < today
                else None,
            )
            # created_at is auto_now_add: set the historical stamps afterwards.
            Payroll.objects.filter(pk=payroll.pk).update(created_at=stamp, updated_at=stamp)
            payrolls[month] = payroll.pk
    return Setting(
        centre_id=centre.pk,
        payment_day=centre.payment_day,
        districts=tuple(d.pk for d in districts),
        workers=workers,
        signers=tuple(heads),
        finance=tuple(finance),
        family_assistants=tuple(staff(roles.FAMILY_ASSISTANT)),
        payrolls=payrolls,
        legal=legal_parameters(),
        narratives=narrative_pool(),
        first_ids=first_ids,
    )


def copy_rows(cursor, table: str, rows: list[tuple]) -> None:
    if not rows:
        return
    columns = ", ".join(COLUMNS[table])
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load(city: City, url: str, *, persons: int, chunk: int, phases: dict[str, float]) -> dict:
    """COPY the city's rows, chunk by chunk, one transaction each. The rows are made in a
    thread beside the copying: while PostgreSQL checks a chunk's foreign keys at its commit
    (Django's are deferred), the next chunk is being made. Returns the rows per table."""
    import queue
    import threading

    import common
    import psycopg

    ready: queue.Queue = queue.Queue(maxsize=2)  # at most three chunks in memory
    made = {"seconds": 0.0}

    def produce():
        try:
            chunks = city.chunks(persons, chunk)
            while True:
                started = time.perf_counter()
                rows = next(chunks, None)
                made["seconds"] += time.perf_counter() - started
                ready.put(rows)
                if rows is None:
                    return
        except BaseException as exc:  # noqa: BLE001  (handed to the copying thread)
            ready.put(exc)

    threading.Thread(target=produce, daemon=True).start()
    counts = dict.fromkeys(TABLES, 0)
    begun = time.perf_counter()

    def add(name, since):
        phases[name] = phases.get(name, 0.0) + time.perf_counter() - since
        return time.perf_counter()

    with psycopg.connect(url) as conn:
        conn.execute("SET synchronous_commit = off")
        with conn.cursor() as cursor:
            while True:
                t = time.perf_counter()
                rows = ready.get()
                t = add("waiting for rows", t)
                if isinstance(rows, BaseException):
                    raise rows
                if rows is None:
                    break
                for table in TABLES:
                    copy_rows(cursor, table, rows[table])
                    counts[table] += len(rows[table])
                    t = add(f"copy {table}", t)
                conn.commit()
                t = add("commit (deferred foreign-key checks)", t)
                common.log(
                    f"  persons {counts['people_person']:>9,}"
                    f" households {counts['people_household']:>8,} "
                    f"payments {counts['payments_payment']:>10,}"
                    f"  {time.perf_counter() - begun:6.0f} s"
                )
    phases["making rows (python thread)"] = made["seconds"]
    return counts


def smoke_check(centre_id: int) -> list[str]:
    """Sign in through the login form as a generated social worker: open a person's file,
    search the registry, open the household, a case and a decision, try another district's
    person (404). Then as finance staff: search the whole city, the payrolls, the latest
    payroll, and a long-standing beneficiary's payments. Returns `name: value` lines; exits
    on an unexpected status."""
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    from gops.accounts.models import User
    from gops.cases.models import Application
    from gops.payments.models import Payment, Payroll
    from gops.people.models import Person

    setup_test_environment()
    lines = []

    def timed(client, name, method, url, expect=200, htmx=False, **data):
        started = time.perf_counter()
        headers = {"HX-Request": "true"} if htmx else None
        response = getattr(client, method)(
            url, data or None, follow=name == "home", headers=headers
        )
        ms = (time.perf_counter() - started) * 1000
        lines.append(f"check_{name}: {response.status_code} in {ms:.0f} ms")
        if response.status_code != expect:
            raise SystemExit(f"check failed: {name} {url} gave {response.status_code}")
        return response

    def sign_in(username):
        client = Client()
        timed(client, f"login_{username}", "post", "/konto/logowanie/", expect=302,
              username=username, password=PASSWORD)  # fmt: skip
        return client

    def search(client, name, query):
        results = timed(client, name, "post", "/osoby/", htmx=True, q=query)
        count = results.context["page"].paginator.count
        lines.append(f"check_{name}_results: {count} for {query!r}")
        if count < 1:
            raise SystemExit(f"check failed: no person found by {query!r}")
        return results

    worker = User.objects.get(centre_id=centre_id, username="pracownik001")
    application = (
        Application.objects.filter(
            centre_id=centre_id, household__district=worker.district, status="final"
        )
        .order_by("-id")
        .select_related("applicant", "household")
        .first()
    )
    person = application.applicant
    client = sign_in(worker.username)
    timed(client, "home", "get", "/")
    page = timed(client, "person", "get", person.get_absolute_url())
    if person.surnames not in page.content.decode():
        raise SystemExit("check failed: the person's file does not show the name")
    # A prefix of a surname (the count and the first page), then the PESEL.
    prefix = person.surnames_search.split()[0][:5]
    search(client, "search_surname", prefix)
    if person.pesel:
        found = search(client, "search_pesel", person.pesel)
        if person.surnames not in found.content.decode():
            raise SystemExit("check failed: the search by PESEL did not find the person")
    timed(client, "registry", "get", "/osoby/")
    timed(client, "household", "get", application.household.get_absolute_url())
    timed(client, "application", "get", application.get_absolute_url())
    decision = application.decisions.order_by("pk").first()
    if decision is not None:
        timed(client, "decision", "get", decision.get_absolute_url())
    other = Person.objects.filter(centre_id=centre_id).exclude(district=worker.district).first()
    timed(client, "other_district_person", "get", other.get_absolute_url(), expect=404)

    finance = sign_in("ksiegowa1")
    search(finance, "finance_search_surname", prefix)
    timed(finance, "payroll_list", "get", "/wyplaty/")
    payroll = Payroll.objects.filter(centre_id=centre_id).order_by("-month").first()
    lines.append(f"check_payroll_payments: {payroll.payments.count()} in {payroll.month:%Y-%m}")
    timed(finance, "payroll", "get", payroll.get_absolute_url())
    paid_most = (
        Payment.objects.filter(centre_id=centre_id)
        .values("person_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    lines.append(f"check_person_payments_count: {paid_most['n']}")
    timed(finance, "person_payments", "get", f"/wyplaty/osoba/{paid_most['person_id']}/")
    return lines


def check_payroll(centre_id: int, today: date) -> list[str]:
    """Time payroll_generate of the first month without a payroll, as finance staff would run
    it (schedules_sync over every decision, then the payments), and roll it back."""
    from django.db import transaction

    from gops.accounts.models import User
    from gops.payments.models import Payroll
    from gops.payments.services import payroll_generate

    class Rollback(Exception):
        pass

    finance = User.objects.select_related("centre").get(centre_id=centre_id, username="ksiegowa1")
    last = Payroll.objects.filter(centre_id=centre_id).order_by("-month").first()
    month = add_months(last.month, 1) if last else reference_month(today)
    lines = []
    try:
        with transaction.atomic():
            started = time.perf_counter()
            payroll = payroll_generate(actor=finance, month=month)
            seconds = time.perf_counter() - started
            lines.append(f"check_payroll_generate: {payroll.payments.count()} payments")
            lines.append(f"check_payroll_generate_seconds: {seconds:.1f} (rolled back)")
            raise Rollback
    except Rollback:
        pass
    return lines


def main() -> int:
    import common

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        help="the day the history runs up to (default: today)",
    )
    parser.add_argument(
        "--beneficiaries",
        type=float,
        default=BENEFICIARY_SHARE,
        help="share of persons who are parties of monthly allowances",
    )
    parser.add_argument("--chunk", type=int, default=2000, help="households per COPY batch")
    parser.add_argument("--check", action="store_true", help="smoke-test the app afterwards")
    parser.add_argument(
        "--check-payroll",
        action="store_true",
        help="also time the next month's payroll_generate (rolled back)",
    )
    args = parser.parse_args()
    log = common.log
    started = time.perf_counter()
    phases: dict[str, float] = {}

    def phase(name, since):
        phases[name] = phases.get(name, 0.0) + time.perf_counter() - since
        return time.perf_counter()

    t = time.perf_counter()
    common.ensure_database(args.database_url, fresh=args.fresh, may_drop=may_drop)
    common.django_setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    t = phase("create_and_migrate", t)
    for line in common.machine():
        log(line)
    problems = check_columns()
    if problems:
        raise SystemExit(
            "the models changed; update bench/generate.py COLUMNS:\n" + "\n".join(problems)
        )
    from gops.accounts.models import Centre

    if Centre.objects.exists():
        raise SystemExit("the database already holds a centre: use --fresh (or another database)")
    centre = make_staff(random.Random(args.seed))
    first_ids = {
        table: common.fetchone(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")[0]
        for table in TABLES
    }
    setting = make_setting(centre, args.today, first_ids)
    t = phase("staff_and_payrolls", t)
    log(f"centre: {centre.name} (id {centre.pk}), today {args.today}, seed {args.seed}")

    import psycopg

    city = City(seed=args.seed, today=args.today, setting=setting, beneficiaries=args.beneficiaries)
    t = time.perf_counter()
    load(city, args.database_url, persons=args.persons, chunk=args.chunk, phases=phases)
    t = phase("load (wall clock)", t)
    t = time.perf_counter()
    for table in TABLES:
        common.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        )
    t = phase("setval", t)
    connection.close()
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    t = phase("analyze", t)

    log("rows:")
    for table in ("accounts_district", "accounts_user", "payments_payroll", *TABLES):
        (n,) = common.fetchone(f"SELECT count(*) FROM {table}")
        log(f"  {table}: {n:,}")
    figures = common.fetchone(
        """
        SELECT (SELECT count(*) FROM people_person WHERE pesel IS NULL),
               (SELECT count(DISTINCT person_id) FROM benefits_decision
                WHERE kind = 'granting' AND benefit IN ('permanent', 'periodic')),
               (SELECT count(*) FROM benefits_decision WHERE kind = 'refusing'),
               (SELECT min(month) FROM payments_scheduleitem),
               (SELECT sum(amount) FROM payments_payment WHERE status = 'paid'),
               pg_size_pretty(pg_database_size(current_database()))
        """
    )
    log(f"foreigners_without_pesel: {figures[0]:,} ({figures[0] / max(1, city.persons):.1%})")
    log(f"monthly_beneficiaries: {figures[1]:,} ({figures[1] / max(1, city.persons):.1%})")
    log(f"refusals: {figures[2]:,}")
    log(f"first_month_paid: {figures[3]}")
    log(f"paid_total_zl: {figures[4]}")
    log(f"database_size: {figures[5]}")
    log("phases (seconds; copy, commit and making rows run within the load):")
    for name, seconds in phases.items():
        log(f"  {name}: {seconds:.1f}")
    log(f"peak_rss_mib: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    generated = time.perf_counter() - started
    if args.check:
        t = time.perf_counter()
        for line in smoke_check(centre.pk):
            log(line)
        log(f"check_seconds: {time.perf_counter() - t:.1f}")
    if args.check_payroll:
        for line in check_payroll(centre.pk, args.today):
            log(line)
    log(f"persons: {city.persons}")
    log(f"seconds: {generated:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
