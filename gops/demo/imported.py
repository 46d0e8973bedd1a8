"""Demo: persons "przeniesieni z poprzedniego systemu" — a CSV file, as a centre moving to GOPS
exports it from its old software, imported by the head through the person import
(people.services.persons_import_csv), validated and audited like any import.

Only together with a new registry (a demo centre seeded anew): the file avoids the PESELs and
document numbers the registry holds, and a second seeding imports nothing.
"""

import csv
import io
import random
from datetime import date, timedelta

from faker import Faker

from gops.accounts.models import Centre, User
from gops.people.models import Person
from gops.people.rules import normalize_document_number
from gops.people.services import persons_import_csv

from .generate import (
    DISTRICT_WORKERS,
    DISTRICTS,
    FOREIGN_NAMES,
    HEAD_OF_CENTRE,
    LOCALITIES,
    RESERVED_PESELS,
    SURNAMES,
    feminine_surname,
)

IMPORTED_PERSONS = 20
FOREIGNERS = 4  # of IMPORTED_PERSONS
HOMELESS = 2
SEED = 11

HEADER = (
    "imiona", "nazwisko", "pesel", "data_urodzenia", "plec", "obywatelstwo",
    "rodzaj_dokumentu", "numer_dokumentu", "status_pobytu", "dokument_pobytowy_wazny_do",
    "jezyki", "jezyk_korespondencji", "tlumacz", "ulica", "kod_pocztowy", "miejscowosc",
    "mieszka_pod_adresem_zameldowania", "bezdomna", "telefon", "niepelnosprawnosc", "rejon",
    "pracownik_socjalny",
)  # fmt: skip
STREETS = ("Polna", "Lipowa", "Szkolna", "Kościelna", "Ogrodowa", "Leśna", "Krótka", "Słoneczna")


def imported_csv(
    *, today: date, taken_pesels: set[str], taken_documents: set[str], seed: int = SEED
) -> str:
    """The demo's file from the previous system: semicolons, Polish dates, as Excel saves it."""
    rng = random.Random(seed)
    fake = Faker("pl_PL")
    fake.seed_instance(seed)
    taken_pesels = set(taken_pesels) | RESERVED_PESELS
    rows = []
    for n in range(IMPORTED_PERSONS):
        locality = rng.choice(LOCALITIES)
        street = (
            f"ul. {rng.choice(STREETS)} {rng.randint(1, 60)}"
            if locality.has_streets
            else f"{locality.name} {rng.randint(1, 120)}"
        )
        row = {
            "ulica": street,
            "kod_pocztowy": locality.postal_code,
            "miejscowosc": locality.name,
            "rejon": DISTRICTS[locality.district].name,
            "telefon": f"+48 {rng.randint(500, 799)} {rng.randint(100, 999)} "
            f"{rng.randint(100, 999)}",
        }
        if n % 4 == 0:
            row["pracownik_socjalny"] = DISTRICT_WORKERS[locality.district]
        sex = rng.choice("FM")
        if n < FOREIGNERS:
            row.update(_foreigner(rng, sex=sex, today=today, taken=taken_documents))
        else:
            birth = today - timedelta(days=rng.randint(19 * 365, 88 * 365))
            while (pesel := fake.pesel(date_of_birth=birth, sex=sex)) in taken_pesels:
                pass
            taken_pesels.add(pesel)
            surname = rng.choice(SURNAMES)
            row.update(
                imiona=fake.first_name_female() if sex == "F" else fake.first_name_male(),
                nazwisko=feminine_surname(surname) if sex == "F" else surname,
                pesel=pesel,
            )
            if n < FOREIGNERS + HOMELESS:
                row.update(ulica="", kod_pocztowy="", miejscowosc="", telefon="", bezdomna="tak")
                row["mieszka_pod_adresem_zameldowania"] = "nie"
            elif rng.random() < 0.25:
                row["niepelnosprawnosc"] = rng.choice(("lekki", "umiarkowany", "znaczny"))
        rows.append(row)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([row.get(name, "") for name in HEADER] for row in rows)
    return out.getvalue()


def _foreigner(rng: random.Random, *, sex: str, today: date, taken: set[str]) -> dict:
    country = rng.choice(("UA", "UA", "UA", "BY"))
    names = FOREIGN_NAMES[country]
    passport = country == "UA"
    while True:
        digits = f"{rng.randint(0, 9_999_999):07d}"
        number = rng.choice(names["passport_series"]) + digits[:6] if passport else "RP" + digits
        if normalize_document_number(number) not in taken:
            taken.add(normalize_document_number(number))
            break
    birth = today - timedelta(days=rng.randint(20 * 365, 60 * 365))
    return {
        "imiona": rng.choice(names[sex]),
        "nazwisko": rng.choice(names["surnames"]),
        "data_urodzenia": f"{birth:%d.%m.%Y}",
        "plec": "K" if sex == "F" else "M",
        "obywatelstwo": country,
        "rodzaj_dokumentu": "paszport" if passport else "karta_pobytu",
        "numer_dokumentu": number,
        "status_pobytu": "ochrona_czasowa_ua" if passport else "status_uchodzcy",
        "dokument_pobytowy_wazny_do": f"{today + timedelta(days=rng.randint(30, 700)):%d.%m.%Y}",
        "jezyki": "ukraiński, rosyjski" if country == "UA" else "białoruski, rosyjski",
        "jezyk_korespondencji": "uk" if passport else "pl",
        "tlumacz": "tak" if rng.random() < 0.5 else "nie",
    }


def imported_seed(*, centre: Centre, staff: dict[str, User], today: date) -> int:
    """Import the demo's file as the head; the number of persons imported."""
    persons = Person.objects.filter(centre=centre)
    text = imported_csv(
        today=today,
        taken_pesels=set(persons.exclude(pesel=None).values_list("pesel", flat=True)),
        taken_documents=set(
            persons.exclude(document_search="").values_list("document_search", flat=True)
        ),
    )
    report = persons_import_csv(actor=staff[HEAD_OF_CENTRE], text_or_stream=text)
    if not report.ok:
        raise ValueError(f"the demo's import file is broken: {report.errors}")
    return report.imported
