"""What the demo centre contains: pure, deterministic data for ``seed_demo``.

Nothing here touches the database. `registry_plan` turns a seed and a reference month into
households of persons with their incomes; ``services`` then writes them through the people
services, as a social worker would. Keeping generation apart from writing lets a test compare
two generations of one seed without a second database.

Every date is computed from the reference month (the first day of the current month), so the
data stay current: the same seed in the same month gives the same data.
"""

import random
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from faker import Faker

from gops.people.rules import normalize_name

DEMO_PASSWORD = "Demo-GOPS-2025"
DEFAULT_PERSONS = 300
DEFAULT_SEED = 2025
# The acceptance test registers this PESEL through the API; no demo person may hold it.
RESERVED_PESELS = frozenset({"44051401359"})

GROSZ = Decimal("0.01")
ZERO = Decimal("0.00")


# --- Centre and staff -----------------------------------------------------------------------


@dataclass(frozen=True)
class CentreSpec:
    name: str
    name_genitive: str
    municipality: str
    mayor_title: str
    teryt: str
    street: str
    postal_code: str
    city: str
    phone: str
    email: str
    head_name: str
    bank_account: str


# A fictional rural gmina: TERYT in the lubelskie voivodeship (06), gmina number 99, type 2
# (gmina wiejska). The TERYT identifies the demo centre, so a second run finds it again.
CENTRE = CentreSpec(
    name="Gminny Ośrodek Pomocy Społecznej w Lipowcu",
    name_genitive="Gminnego Ośrodka Pomocy Społecznej w Lipowcu",
    municipality="Lipowiec",
    mayor_title="wojt",
    teryt="0611992",
    street="ul. Kościelna 4",
    postal_code="24-345",
    city="Lipowiec",
    phone="81 820 40 15",
    email="sekretariat@gops-lipowiec.example",
    head_name="Małgorzata Nowicka",
    # A made-up account; its check digits computed with stdnum.iban.calc_check_digits.
    bank_account="PL30871700092001000024157730",
)


@dataclass(frozen=True)
class DistrictSpec:
    name: str
    description: str


DISTRICTS = (
    DistrictSpec("Rejon 1 – Lipowiec", "Lipowiec (wszystkie ulice), Zalesie, Brzozówka"),
    DistrictSpec("Rejon 2 – wsie", "Dąbrowa, Olszynka, Kamionka, Wola Lipowska, Nowiny"),
)


@dataclass(frozen=True)
class StaffSpec:
    username: str
    role: str  # a code of gops.accounts.roles
    first_name: str
    last_name: str
    position: str
    district: int | None = None  # index into DISTRICTS
    may_sign_decisions: bool = False
    is_staff: bool = False  # Django admin, for the administrator only


STAFF = (
    StaffSpec(
        "kierownik",
        "head",
        "Małgorzata",
        "Nowicka",
        "Kierownik Gminnego Ośrodka Pomocy Społecznej",
        may_sign_decisions=True,
    ),
    StaffSpec(
        "pracownik1", "social_worker", "Katarzyna", "Wiśniewska", "Starszy pracownik socjalny", 0
    ),
    StaffSpec("pracownik2", "social_worker", "Tomasz", "Zieliński", "Pracownik socjalny", 1),
    StaffSpec("asystent", "family_assistant", "Agnieszka", "Lewandowska", "Asystent rodziny"),
    StaffSpec("ksiegowa", "finance", "Elżbieta", "Kamińska", "Główna księgowa"),
    StaffSpec(
        "schronisko",
        "shelter_coordinator",
        "Marek",
        "Dąbrowski",
        "Koordynator ds. przeciwdziałania bezdomności",
    ),
    StaffSpec("zajecia", "activities_organiser", "Joanna", "Kaczmarek", "Animator kultury"),
    StaffSpec("iod", "data_protection_officer", "Piotr", "Mazur", "Inspektor ochrony danych"),
    StaffSpec(
        "admin",
        "administrator",
        "Paweł",
        "Krawczyk",
        "Informatyk, administrator systemu",
        is_staff=True,
    ),
)

# The social worker who registers the persons of each district.
DISTRICT_WORKERS = ("pracownik1", "pracownik2")
FAMILY_ASSISTANT = "asystent"
# Assigns family assistants to households.
HEAD_OF_CENTRE = "kierownik"


# --- The registry: plans of households, persons and incomes ----------------------------------


@dataclass(frozen=True)
class IncomePlan:
    """Arguments of ``people.services.income_add`` for one source in one month."""

    month: date
    source: str
    net_amount: Decimal | None = None
    gross_amount: Decimal | None = None
    income_tax: Decimal = ZERO
    health_insurance: Decimal = ZERO
    social_insurance: Decimal = ZERO
    farm_hectares: Decimal | None = None
    note: str = ""

    def as_kwargs(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class PersonPlan:
    first_names: str
    surnames: str
    birth_date: date
    sex: str  # "F" or "M"
    relation: str  # to the head of the household (people.models.Relation)
    pesel: str | None = None
    citizenship: str = "PL"
    residence_status: str = ""
    id_document_type: str = ""
    id_document_number: str = ""
    residence_document_valid_until: date | None = None
    registered_street: str = ""
    registered_postal_code: str = ""
    registered_city: str = ""
    actual_same_as_registered: bool = True
    actual_street: str = ""
    actual_postal_code: str = ""
    actual_city: str = ""
    homeless: bool = False
    phone: str = ""
    disability_degree: str = "none"
    disability_valid_until: date | None = None
    case_worker: str | None = None  # username of the staff member leading the case
    incomes: tuple[IncomePlan, ...] = ()

    def person_data(self) -> dict:
        """The fields ``people.services.person_create`` takes (case worker still a username)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("relation", "incomes", "case_worker")
        }


@dataclass(frozen=True)
class HouseholdPlan:
    kind: str
    district: int  # index into DISTRICTS
    joined_on: date
    members: tuple[PersonPlan, ...]  # the head first
    family_assistant: bool = False
    notes: str = ""


@dataclass(frozen=True)
class _Locality:
    name: str
    postal_code: str
    district: int
    has_streets: bool
    weight: int


SEAT = _Locality("Lipowiec", "24-345", 0, True, 40)
LOCALITIES = (
    SEAT,
    _Locality("Zalesie", "24-345", 0, False, 6),
    _Locality("Brzozówka", "24-345", 0, False, 5),
    _Locality("Dąbrowa", "24-346", 1, False, 14),
    _Locality("Olszynka", "24-346", 1, False, 10),
    _Locality("Kamionka", "24-346", 1, False, 10),
    _Locality("Wola Lipowska", "24-346", 1, False, 9),
    _Locality("Nowiny", "24-346", 1, False, 6),
)


@dataclass(frozen=True)
class _Address:
    street: str
    postal_code: str
    city: str
    district: int
    rural: bool
    # Registered (zameldowanie) elsewhere, living here.
    registered: tuple[str, str, str] | None = None


# Common Polish surnames in their masculine form; the feminine one is derived.
SURNAMES = (
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
    "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
    "Kwiatkowski", "Wojciechowski", "Krawczyk", "Kaczmarek", "Piotrowski", "Grabowski", "Zając",
    "Pawłowski", "Michalski", "Król", "Wieczorek", "Jabłoński", "Wróbel", "Nowakowski",
    "Majewski", "Olszewski", "Stępień", "Malinowski", "Jaworski", "Adamczyk", "Dudek",
    "Nowicki", "Pawlak", "Górski", "Witkowski", "Walczak", "Sikora", "Baran", "Rutkowski",
    "Michalak", "Szewczyk", "Ostrowski", "Tomaszewski", "Pietrzak", "Marciniak", "Wróblewski",
    "Zalewski", "Jakubowski", "Jasiński", "Zawadzki", "Sadowski", "Bąk", "Chmielewski",
    "Włodarczyk", "Borkowski", "Czarnecki", "Sawicki", "Sokołowski", "Urbański", "Kubiak",
    "Maciejewski", "Szczepański", "Kucharski", "Wilk", "Kalinowski", "Lis", "Mazurek",
    "Wysocki", "Adamski", "Kaźmierczak", "Wasilewski", "Sobczak", "Czerwiński", "Cieślak",
    "Głowacki", "Zakrzewski", "Kołodziej", "Sikorski", "Krajewski", "Gajewski", "Szymczak",
)  # fmt: skip

# Names in the Latin spelling of Ukrainian and Belarusian passports.
FOREIGN_NAMES = {
    "UA": {
        "F": ("Olena", "Oksana", "Iryna", "Nataliia", "Tetiana", "Yuliia", "Kateryna",
              "Anastasiia", "Svitlana", "Olha", "Halyna", "Liudmyla", "Viktoriia", "Mariia"),
        "M": ("Oleksandr", "Andrii", "Dmytro", "Serhii", "Volodymyr", "Mykola", "Ivan", "Yurii",
              "Maksym", "Bohdan", "Vasyl", "Taras", "Denys", "Mykhailo"),
        "F_child": ("Sofiia", "Anna", "Zlata", "Veronika", "Polina", "Mariia", "Daryna", "Alina"),
        "M_child": ("Artem", "Maksym", "Mark", "Matvii", "Tymofii", "Davyd", "Nazar", "Illia"),
        "surnames": ("Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko",
                     "Melnyk", "Boiko", "Koval", "Shevchuk", "Polishchuk", "Lysenko", "Marchenko",
                     "Savchenko", "Rudenko", "Moroz", "Petrenko", "Klymenko", "Pavlenko",
                     "Oliinyk", "Tkachuk", "Kravchuk", "Romaniuk", "Levchenko", "Ponomarenko"),
        "passport_series": ("FA", "FB", "FC", "FE", "FF", "FH", "FK", "GA", "GB"),
    },
    "BY": {
        "F": ("Volha", "Alena", "Hanna", "Tatsiana", "Iryna", "Maryia", "Yuliya", "Natallia"),
        "M": ("Aliaksandr", "Siarhei", "Andrei", "Dzmitry", "Uladzimir", "Pavel", "Ihar",
              "Mikalai"),
        "F_child": ("Sofiya", "Darya", "Ulyana", "Alisa"),
        "M_child": ("Matvei", "Artsiom", "Maksim", "Tsimafei"),
        "surnames": ("Karpovich", "Navumenka", "Zhuk", "Novik", "Sidarenka", "Kavalenka",
                     "Bandarenka", "Tkachenka", "Kaval", "Melnik"),
        "passport_series": ("MP", "KH", "HB", "AB", "MC"),
    },
}  # fmt: skip

# Households that may run a farm in the villages.
FARMING_KINDS = frozenset(
    {"couple_with_children", "single_parent", "couple", "elderly_couple", "single_elderly"}
)

PURPOSE_NOTES = (
    "zakup opału na zimę",
    "zakup leków",
    "zakup żywności",
    "wyprawka szkolna",
    "naprawa pieca",
    "opłata za energię elektryczną",
)


def feminine_surname(surname: str) -> str:
    """Kowalski → Kowalska, Zawadzki → Zawadzka; Nowak and Wójcik do not change."""
    if surname.endswith(("ski", "cki", "dzki")):
        return surname[:-1] + "a"
    return surname


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` away from `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def reference_month(today: date) -> date:
    return today.replace(day=1)


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    """An amount in zł with grosze, uniformly between `low` and `high`."""
    return Decimal(rng.randint(round(low * 100), round(high * 100))).scaleb(-2)


def wage_deductions(gross: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Social insurance, health insurance and income-tax advance of an employee's wage.

    An approximation good enough for demo data: 13.71 % social insurance, 9 % health
    insurance of what remains, and 12 % tax after the standard costs and the monthly relief.
    """
    social = (gross * Decimal("0.1371")).quantize(GROSZ, ROUND_HALF_UP)
    health = ((gross - social) * Decimal("0.09")).quantize(GROSZ, ROUND_HALF_UP)
    tax = ((gross - social - 250) * Decimal("0.12") - 300).quantize(Decimal(1), ROUND_HALF_UP)
    return social, health, max(tax, Decimal(0)).quantize(GROSZ)


@dataclass
class _Taken:
    """Identifiers already given out, so that none repeats within one registry."""

    pesels: set[str] = field(default_factory=lambda: set(RESERVED_PESELS))
    documents: set[str] = field(default_factory=set)
    identities: set[tuple[str, str, date]] = field(default_factory=set)


class _RegistryGenerator:
    """Builds households one by one from a seeded random generator and Faker."""

    def __init__(self, *, seed: int, reference: date):
        self.rng = random.Random(seed)
        self.fake = Faker("pl_PL")
        self.fake.seed_instance(seed)
        self.reference = reference
        # Income is declared for the three full months before the reference month.
        self.months = tuple(add_months(reference, -k) for k in (3, 2, 1))
        self.taken = _Taken()
        self.foreign_households = 0

    # -- the whole registry --

    def plan(self, persons: int) -> tuple[HouseholdPlan, ...]:
        households: list[HouseholdPlan] = []
        remaining = persons

        def take(household: HouseholdPlan) -> None:
            nonlocal remaining
            households.append(household)
            remaining -= len(household.members)

        # The acceptance test searches for "wojcik" as pracownik1: a Wójcik family in Lipowiec.
        if remaining:
            take(self.wojcik_family(max_size=remaining))
        foreign_target = round(persons * 0.10)
        foreign = 0
        while remaining and foreign < foreign_target:
            household = self.foreign_household(max_size=min(remaining, foreign_target - foreign))
            foreign += len(household.members)
            take(household)
        for _ in range(max(1, round(persons * 0.02)) if persons >= 20 else 0):
            if remaining:
                take(self.homeless_person())
        kinds = {
            "single_adult": 22,
            "single_elderly": 14,
            "couple_with_children": 25,
            "single_parent": 15,
            "elderly_couple": 9,
            "couple": 6,
        }
        while remaining:
            kind = self.rng.choices(list(kinds), weights=list(kinds.values()))[0]
            take(self.polish_household(kind, max_size=remaining))
        self.rng.shuffle(households)
        return tuple(households)

    # -- households --

    def wojcik_family(self, *, max_size: int) -> HouseholdPlan:
        household = self.polish_household(
            "couple_with_children", max_size=max_size, surname="Wójcik", address=self.address(SEAT)
        )
        has_children = any(m.relation == "child" for m in household.members)
        return replace(household, family_assistant=has_children)

    def polish_household(
        self,
        kind: str,
        *,
        max_size: int,
        surname: str | None = None,
        address: _Address | None = None,
    ) -> HouseholdPlan:
        if max_size < 2 and kind not in ("single_adult", "single_elderly"):
            kind = "single_adult"
        elif max_size < 3 and kind == "couple_with_children":
            kind = "couple"
        surname = surname or self.surname()
        address = address or self.address()
        rng = self.rng
        members: list[PersonPlan] = []
        if kind in ("single_adult", "single_elderly"):
            elderly = kind == "single_elderly"
            sex = rng.choice("FFM") if elderly else rng.choice("FMM")
            low, high = (66, 92) if elderly else (19, 64)
            members.append(self.polish_person(sex, surname, "head", address, low, high))
        elif kind in ("couple", "elderly_couple"):
            low, high = (66, 88) if kind == "elderly_couple" else (24, 62)
            head = self.polish_person("M", surname, "head", address, low, high)
            members.append(head)
            members.append(self.spouse_of(head, address))
        elif kind == "couple_with_children":
            head = self.polish_person("M", surname, "head", address, 24, 52)
            members.append(head)
            spouse = self.spouse_of(head, address)
            members.append(spouse)
            children = min(max_size - 2, rng.choices((1, 2, 3, 4), weights=(35, 40, 18, 7))[0])
            members += self.children(children, surname, address, mother=spouse)
            if len(members) < max_size and rng.random() < 0.12:
                members.append(
                    self.polish_person(
                        rng.choice("FM"),
                        surname,
                        "parent",
                        address,
                        max(66, self.age(head) + 22),
                        90,
                    )
                )
        elif kind == "single_parent":
            sex = "F" if rng.random() < 0.88 else "M"
            head = self.polish_person(sex, surname, "head", address, 20, 50)
            members.append(head)
            children = min(max_size - 1, rng.choices((1, 2, 3), weights=(50, 35, 15))[0])
            members += self.children(children, surname, address, mother=head)
        else:
            raise ValueError(kind)
        members = self.with_household_incomes(kind, members, address)
        members = self.with_case_worker(members, address.district)
        return HouseholdPlan(
            kind=kind,
            district=address.district,
            joined_on=self.joined_on(members),
            members=tuple(members),
            family_assistant=(
                kind in ("couple_with_children", "single_parent") and rng.random() < 0.1
            ),
        )

    def homeless_person(self) -> HouseholdPlan:
        rng = self.rng
        sex = "M" if rng.random() < 0.8 else "F"
        person = self.polish_person(sex, self.surname(), "head", None, 35, 70, income=False)
        if rng.random() < 0.5:
            # Still registered at a former address in Lipowiec; the others are wymeldowani.
            former = self.address(SEAT)
            person = replace(
                person,
                registered_street=former.street,
                registered_postal_code=former.postal_code,
                registered_city=former.city,
            )
        incomes: list[IncomePlan] = []
        roll = rng.random()
        if roll < 0.3:
            incomes += self.monthly("disability_pension", _money(rng, 900, 1400))
        elif roll < 0.6:
            incomes += self.monthly("other", _money(rng, 200, 600), note="prace dorywcze")
        if rng.random() < 0.4:
            incomes.append(self.purpose_allowance())
        person = replace(
            person,
            homeless=True,
            actual_same_as_registered=False,
            case_worker=DISTRICT_WORKERS[0],
            incomes=tuple(incomes),
        )
        return HouseholdPlan(
            kind="homeless",
            district=SEAT.district,
            joined_on=self.joined_on([person]),
            members=(person,),
            notes="Osoba bezdomna, nocuje w noclegowni.",
        )

    def foreign_household(self, *, max_size: int) -> HouseholdPlan:
        rng = self.rng
        kinds = ("ua_parent_with_children", "by_refugee", "ua_single", "ua_family", "by_subsidiary")
        # Each kind once first, so that even a small demo shows more than one status.
        if self.foreign_households < len(kinds):
            kind = kinds[self.foreign_households]
        else:
            kind = rng.choices(kinds, weights=(45, 12, 20, 15, 8))[0]
        self.foreign_households += 1
        if max_size < 2 and kind in ("ua_parent_with_children", "ua_family"):
            kind = "ua_single"
        address = self.address(SEAT if rng.random() < 0.6 else None)
        registered = rng.random() < 0.5  # zameldowanie czasowe, else living without it
        if kind.startswith("ua"):
            country = "UA"
            status, document = {
                "ua_parent_with_children": ("temporary_protection_ua", "passport"),
                "ua_single": ("temporary_protection_ua", "passport"),
                "ua_family": ("temporary_residence", "residence_card"),
            }[kind]
        else:
            country = "BY"
            status, document = {
                "by_refugee": ("refugee_status", "residence_card"),
                "by_subsidiary": ("subsidiary_protection", "travel_document"),
            }[kind]
        names = FOREIGN_NAMES[country]
        surname = rng.choice(names["surnames"])

        def foreigner(sex: str, relation: str, low: int, high: int, *, child=False):
            first = rng.choice(names[f"{sex}_child" if child else sex])
            birth = self.unique_birth_date(first, surname, low, high)
            # Children travel on their own passports.
            doc = "passport" if child and document == "passport" else document
            return PersonPlan(
                first_names=first,
                surnames=surname,
                birth_date=birth,
                sex=sex,
                relation=relation,
                citizenship=country,
                residence_status=status,
                id_document_type=doc,
                id_document_number=self.document_number(doc, country),
                residence_document_valid_until=self.residence_valid_until(),
                **self.address_fields(address, registered=registered),
                phone=self.phone() if not child else "",
                incomes=() if child else self.adult_incomes(self.profile_foreigner()),
            )

        members: list[PersonPlan] = []
        if kind == "ua_parent_with_children":
            head = foreigner("F", "head", 24, 45)
            members.append(head)
            for _ in range(min(max_size - 1, rng.choices((1, 2, 3), weights=(50, 35, 15))[0])):
                members.append(
                    foreigner(
                        rng.choice("FM"), "child", 0, min(17, self.age(head) - 18), child=True
                    )
                )
        elif kind == "ua_family":
            members.append(foreigner("M", "head", 26, 50))
            members.append(foreigner("F", "spouse", 24, 48))
            for _ in range(min(max_size - 2, rng.choice((0, 1, 2)))):
                members.append(foreigner(rng.choice("FM"), "child", 0, 12, child=True))
        else:
            members.append(foreigner(rng.choice("FMM"), "head", 20, 60))
        members = self.with_household_incomes(kind, members, address)
        members = self.with_case_worker(members, address.district)
        return HouseholdPlan(
            kind=kind,
            district=address.district,
            joined_on=self.joined_on(members),
            members=tuple(members),
        )

    # -- persons --

    def polish_person(
        self,
        sex: str,
        surname: str,
        relation: str,
        address: _Address | None,
        low: int,
        high: int,
        *,
        income: bool = True,
        child: bool = False,
    ) -> PersonPlan:
        rng = self.rng
        first = self.fake.first_name_female() if sex == "F" else self.fake.first_name_male()
        if not child and rng.random() < 0.12:
            second = self.fake.first_name_female() if sex == "F" else self.fake.first_name_male()
            if second != first:
                first = f"{first} {second}"
        surnames = feminine_surname(surname) if sex == "F" else surname
        birth = self.unique_birth_date(first, surnames, low, high)
        age = self.age_at(birth)
        adult = age >= 18
        degree, valid_until = self.disability(age)
        profile = self.profile_polish(age, sex, degree)
        return PersonPlan(
            first_names=first,
            surnames=surnames,
            birth_date=birth,
            sex=sex,
            relation=relation,
            pesel=self.pesel(birth, sex),
            **(self.address_fields(address) if address else {}),
            phone=self.phone() if adult and rng.random() < 0.6 else "",
            disability_degree=degree,
            disability_valid_until=valid_until,
            incomes=self.adult_incomes(profile) if adult and income else (),
        )

    def spouse_of(self, head: PersonPlan, address: _Address) -> PersonPlan:
        age = self.age(head)
        spouse = self.polish_person(
            "F", head.surnames, "spouse", address, max(19, age - 8), min(95, age + 3)
        )
        if self.rng.random() < 0.08:
            # A double surname: her own first, then her husband's.
            own, married = feminine_surname(self.surname()), feminine_surname(head.surnames)
            spouse = replace(spouse, surnames=f"{own}-{married}")
        return spouse

    def children(
        self, count: int, surname: str, address: _Address, *, mother: PersonPlan
    ) -> list[PersonPlan]:
        oldest = max(0, min(17, self.age(mother) - 19))
        kids: list[PersonPlan] = []
        names: set[str] = set()
        while len(kids) < count:
            kid = self.polish_person(
                self.rng.choice("FM"), surname, "child", address, 0, oldest, child=True
            )
            if kid.first_names not in names:
                names.add(kid.first_names)
                kids.append(kid)
        return kids

    def surname(self) -> str:
        # Mostly common surnames, sometimes a rarer one from Faker (those do not inflect).
        if self.rng.random() < 0.7:
            return self.rng.choice(SURNAMES)
        return self.fake.last_name()

    def unique_birth_date(self, first: str, surnames: str, low: int, high: int) -> date:
        """A birth date at an age from `low` to `high` years, unique with the names.

        Persons are told apart by names and birth date when a PESEL is missing; the registry
        asks for confirmation when two match (compared folded), so the demo avoids such pairs.
        """
        while True:
            days = self.rng.randint(round(low * 365.25) + 1, round((high + 1) * 365.25) - 1)
            birth = self.reference - timedelta(days=days)
            key = (normalize_name(first), normalize_name(surnames), birth)
            if key not in self.taken.identities:
                self.taken.identities.add(key)
                return birth

    def age_at(self, birth: date) -> int:
        ref = self.reference
        return ref.year - birth.year - ((ref.month, ref.day) < (birth.month, birth.day))

    def age(self, person: PersonPlan) -> int:
        return self.age_at(person.birth_date)

    def pesel(self, birth: date, sex: str) -> str:
        while True:
            number = self.fake.pesel(date_of_birth=birth, sex=sex)
            if number not in self.taken.pesels:
                self.taken.pesels.add(number)
                return number

    def document_number(self, document: str, country: str) -> str:
        while True:
            digits = "".join(str(self.rng.randint(0, 9)) for _ in range(7))
            if document == "passport":
                series = self.rng.choice(FOREIGN_NAMES[country]["passport_series"])
                number = series + (digits[:6] if country == "UA" else digits)
            elif document == "residence_card":
                number = "R" + self.rng.choice("PSUW") + digits  # karta pobytu
            else:
                number = "TD" + digits  # dokument podróży dla cudzoziemca
            if number not in self.taken.documents:
                self.taken.documents.add(number)
                return number

    def residence_valid_until(self) -> date:
        # Mostly valid for months ahead; some expire within a month, to show in reminders.
        if self.rng.random() < 0.1:
            return self.reference + timedelta(days=self.rng.randint(5, 30))
        return self.reference + timedelta(days=self.rng.randint(90, 900))

    def disability(self, age: int) -> tuple[str, date | None]:
        chance = 0.0 if age < 16 else 0.25 if age >= 65 else 0.1
        if self.rng.random() >= chance:
            return "none", None
        degree = self.rng.choices(("light", "moderate", "significant"), weights=(4, 4, 2))[0]
        if self.rng.random() < 0.4:
            return degree, None  # orzeczenie na stałe
        return degree, add_months(self.reference, self.rng.randint(1, 48))

    def phone(self) -> str:
        return self.fake.phone_number()

    # -- addresses --

    def address(self, locality: _Locality | None = None) -> _Address:
        rng = self.rng
        if locality is None:
            locality = rng.choices(LOCALITIES, weights=[loc.weight for loc in LOCALITIES])[0]
        if locality.has_streets:
            street = f"ul. {self.fake.street_name()} {rng.randint(1, 60)}"
            if rng.random() < 0.5:
                street += f"/{rng.randint(1, 40)}"  # a flat in a block
        else:
            street = f"{locality.name} {rng.randint(1, 180)}"
        registered = None
        if rng.random() < 0.06:
            registered = (self.fake.street_address(), self.fake.postcode(), self.fake.city())
        return _Address(
            street=street,
            postal_code=locality.postal_code,
            city=locality.name,
            district=locality.district,
            rural=not locality.has_streets,
            registered=registered,
        )

    def address_fields(self, address: _Address, *, registered: bool = True) -> dict:
        here = {
            "registered_street": address.street,
            "registered_postal_code": address.postal_code,
            "registered_city": address.city,
        }
        if not registered or address.registered:
            elsewhere = address.registered if registered else ("", "", "")
            return {
                "registered_street": elsewhere[0],
                "registered_postal_code": elsewhere[1],
                "registered_city": elsewhere[2],
                "actual_same_as_registered": False,
                "actual_street": address.street,
                "actual_postal_code": address.postal_code,
                "actual_city": address.city,
            }
        return here

    def joined_on(self, members: list[PersonPlan]) -> date:
        registered = self.reference - timedelta(days=self.rng.randint(30, 1800))
        return max(registered, *(m.birth_date for m in members))

    # -- incomes --

    def profile_polish(self, age: int, sex: str, degree: str) -> str:
        if age >= (60 if sex == "F" else 65):
            return "old_age_pension"
        if degree == "significant" or (degree == "moderate" and self.rng.random() < 0.5):
            return "disability_pension"
        if age < 25 and self.rng.random() < 0.5:
            return "none"  # still at school or studying
        profiles = {
            "employed": 30,
            "part_time": 15,
            "unemployment_benefit": 12,
            "unemployed": 23,
            "casual": 8,
            "none": 5,
        }
        return self.rng.choices(list(profiles), weights=list(profiles.values()))[0]

    def profile_foreigner(self) -> str:
        return self.rng.choices(("employed", "part_time", "unemployed"), weights=(5, 2, 3))[0]

    def monthly(self, source: str, net: Decimal, *, note: str = "") -> list[IncomePlan]:
        return [IncomePlan(month=m, source=source, net_amount=net, note=note) for m in self.months]

    def wages(self, gross: Decimal) -> list[IncomePlan]:
        plans = []
        bonus_month = self.rng.choice(self.months) if self.rng.random() < 0.25 else None
        for month in self.months:
            amount = gross + (_money(self.rng, 200, 600) if month == bonus_month else 0)
            social, health, tax = wage_deductions(amount)
            plans.append(
                IncomePlan(
                    month=month,
                    source="wages",
                    gross_amount=amount,
                    social_insurance=social,
                    health_insurance=health,
                    income_tax=tax,
                )
            )
        return plans

    def adult_incomes(self, profile: str) -> tuple[IncomePlan, ...]:
        rng = self.rng
        if profile == "employed":
            return tuple(self.wages(Decimal(rng.randrange(4700, 6800, 50)).quantize(GROSZ)))
        if profile == "part_time":
            return tuple(self.wages(Decimal(rng.randrange(2400, 3400, 10)).quantize(GROSZ)))
        if profile == "unemployment_benefit":
            # Zasiłek dla bezrobotnych: the higher rate for the first 90 days, then the lower.
            gross = Decimal(rng.choice(("1662.10", "1305.20")))
            health = (gross * Decimal("0.09")).quantize(GROSZ, ROUND_HALF_UP)
            return tuple(
                IncomePlan(
                    month=m,
                    source="unemployment_benefit",
                    gross_amount=gross,
                    health_insurance=health,
                )
                for m in self.months
            )
        if profile == "old_age_pension":
            return tuple(self.monthly("old_age_pension", _money(rng, 1200, 3500)))
        if profile == "disability_pension":
            return tuple(self.monthly("disability_pension", _money(rng, 1300, 2200)))
        if profile == "casual":
            return tuple(
                IncomePlan(
                    month=m,
                    source="other",
                    net_amount=_money(rng, 300, 1200),
                    note="prace dorywcze",
                )
                for m in self.months
            )
        return ()

    def with_household_incomes(
        self, kind: str, members: list[PersonPlan], address: _Address
    ) -> list[PersonPlan]:
        """Add the incomes a household receives as a whole; the head receives them."""
        rng = self.rng
        extra: list[IncomePlan] = []
        children = [m for m in members if m.relation == "child"]
        if children and rng.random() < 0.6:
            # Zasiłek rodzinny by age, with the single-parent supplement (art. 11a u.ś.r.).
            amount = sum((Decimal(95) if self.age(c) < 5 else Decimal(124) for c in children), ZERO)
            if kind in ("single_parent", "ua_parent_with_children"):
                amount += Decimal(193) * min(2, len(children))
            extra += self.monthly("family_benefits", amount.quantize(GROSZ))
        if kind == "single_parent" and rng.random() < 0.5:
            alimony = _money(rng, 500, 1200)
            # Alimony is often paid irregularly: a month may be missing.
            missing = rng.choice(self.months) if rng.random() < 0.3 else None
            extra += [
                IncomePlan(month=m, source="alimony", net_amount=alimony)
                for m in self.months
                if m != missing
            ]
        if rng.random() < 0.15:
            extra += self.monthly("housing_allowance", _money(rng, 150, 480))
        if address.rural and kind in FARMING_KINDS and rng.random() < 0.2:
            hectares = Decimal(rng.randint(8000, 95000)).scaleb(-4)
            extra += [
                IncomePlan(
                    month=m, source="farm", farm_hectares=hectares, note="gospodarstwo rolne"
                )
                for m in self.months
            ]
        if rng.random() < 0.1:
            extra.append(self.purpose_allowance())
        if not extra:
            return members
        head = members[0]
        return [replace(head, incomes=head.incomes + tuple(extra)), *members[1:]]

    def with_case_worker(self, members: list[PersonPlan], district: int) -> list[PersonPlan]:
        """The district's worker leads the case of some households' heads."""
        if self.rng.random() >= 0.4:
            return members
        return [replace(members[0], case_worker=DISTRICT_WORKERS[district]), *members[1:]]

    def purpose_allowance(self) -> IncomePlan:
        # Zasiłek celowy: recorded, but not income (art. 8 ust. 4).
        return IncomePlan(
            month=self.rng.choice(self.months),
            source="purpose_allowance",
            net_amount=_money(self.rng, 250, 900),
            note=self.rng.choice(PURPOSE_NOTES),
        )


def registry_plan(*, persons: int, seed: int, reference: date) -> tuple[HouseholdPlan, ...]:
    """Households totalling exactly `persons` persons, the same for the same seed and month.

    A mix of single persons, couples with children, single parents, elderly persons and
    couples; about a tenth foreigners without PESEL; a few homeless persons; a Wójcik family
    in the first district. `reference` is the first day of the current month.
    """
    if persons < 0:
        raise ValueError("persons must not be negative")
    return _RegistryGenerator(seed=seed, reference=reference).plan(persons)
