"""The CSV format of the person import (people.services.persons_import_csv).

One row per person under a header row naming the columns (docs/import-osob.md). The column
names are Polish, for the centre's staff who prepare the file from their previous system's
export; a name matches whatever its case, Polish letters, spaces or underscores:
"Data urodzenia", "data_urodzenia" and "DATA URODZENIA" are one column. Only ``imiona`` and
``nazwisko`` must be there; every other column may be left out, and any cell left empty.

This module only turns the text of a cell into a value of the Person field; whether the person
is valid is decided by Person's own validation (fields and Person.clean), as for the form.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _

from .models import (
    DisabilityDegree,
    DocumentType,
    LetterLanguage,
    Person,
    ResidenceStatus,
    Sex,
)
from .rules import normalize_name

# Kinds of column: how the text of a cell becomes a value.
TEXT = "text"
DATE = "date"
BOOLEAN = "boolean"
CHOICE = "choice"
DISTRICT = "district"  # a district of the centre, by name
CASE_WORKER = "case_worker"  # a social worker of the centre, by username


@dataclass(frozen=True)
class Column:
    name: str  # as the documentation and the sample file write it
    field: str  # the Person field it fills
    kind: str = TEXT
    # CHOICE: the field's choices, and the Polish words accepted besides codes and labels.
    choices: type[TextChoices] | None = None
    aliases: tuple[tuple[str, str], ...] = ()
    # CHOICE: the values to show in the documentation and in error messages.
    allowed: str = ""
    required: bool = False  # the header must name it


COLUMNS: tuple[Column, ...] = (
    Column("imiona", "first_names", required=True),
    Column("nazwisko", "surnames", required=True),
    Column("pesel", "pesel"),
    Column("data_urodzenia", "birth_date", DATE),
    Column("plec", "sex", CHOICE, Sex, (("k", "F"), ("kobieta", "F"), ("mezczyzna", "M")), "K, M"),
    Column("obywatelstwo", "citizenship"),
    Column(
        "rodzaj_dokumentu",
        "id_document_type",
        CHOICE,
        DocumentType,
        (
            ("dowod osobisty", "id_card"),
            ("dowod", "id_card"),
            ("paszport", "passport"),
            ("karta pobytu", "residence_card"),
            ("dokument podrozy", "travel_document"),
            ("inny", "other"),
        ),
        "dowod_osobisty, paszport, karta_pobytu, dokument_podrozy, inny",
    ),
    Column("numer_dokumentu", "id_document_number"),
    Column(
        "status_pobytu",
        "residence_status",
        CHOICE,
        ResidenceStatus,
        (
            ("pobyt staly", "permanent_residence"),
            ("pobyt czasowy", "temporary_residence"),
            ("status uchodzcy", "refugee_status"),
            ("ochrona uzupelniajaca", "subsidiary_protection"),
            ("ochrona czasowa ua", "temporary_protection_ua"),
            ("ochrona czasowa", "temporary_protection_ua"),
            ("inny", "other"),
        ),
        "pobyt_staly, pobyt_czasowy, status_uchodzcy, ochrona_uzupelniajaca, "
        "ochrona_czasowa_ua, inny",
    ),
    Column("dokument_pobytowy_wazny_do", "residence_document_valid_until", DATE),
    Column("jezyki", "languages_spoken"),
    Column(
        "jezyk_korespondencji",
        "letter_language",
        CHOICE,
        LetterLanguage,
        (("polski", "pl"), ("ukrainski", "uk"), ("angielski", "en")),
        "pl, uk, en",
    ),
    Column("tlumacz", "needs_interpreter", BOOLEAN),
    Column("ulica", "registered_street"),
    Column("kod_pocztowy", "registered_postal_code"),
    Column("miejscowosc", "registered_city"),
    Column("mieszka_pod_adresem_zameldowania", "actual_same_as_registered", BOOLEAN),
    Column("ulica_zamieszkania", "actual_street"),
    Column("kod_pocztowy_zamieszkania", "actual_postal_code"),
    Column("miejscowosc_zamieszkania", "actual_city"),
    Column("bezdomna", "homeless", BOOLEAN),
    Column("telefon", "phone"),
    Column("email", "email"),
    Column(
        "niepelnosprawnosc",
        "disability_degree",
        CHOICE,
        DisabilityDegree,
        (
            ("brak", "none"),
            ("lekki", "light"),
            ("umiarkowany", "moderate"),
            ("znaczny", "significant"),
        ),
        "brak, lekki, umiarkowany, znaczny",
    ),
    Column("orzeczenie_wazne_do", "disability_valid_until", DATE),
    Column("rejon", "district", DISTRICT),
    Column("pracownik_socjalny", "case_worker", CASE_WORKER),
    Column("notatki_poufne", "restricted_notes"),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
_BY_KEY = {normalize_name(c.name): c for c in COLUMNS}

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_POLISH_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_TRUE = frozenset({"tak", "t", "1", "x", "true", "prawda", "yes", "y"})
_FALSE = frozenset({"nie", "n", "0", "false", "falsz", "no"})


def column_for_header(name: str) -> Column | None:
    """The column a header cell names, or None."""
    return _BY_KEY.get(normalize_name(name))


def parse_date(text: str) -> date:
    """RRRR-MM-DD or DD.MM.RRRR (as a Polish spreadsheet shows dates)."""
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _POLISH_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        raise ValueError(
            _("“%(value)s” is not a date: write YYYY-MM-DD or DD.MM.YYYY") % {"value": text}
        )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(_("the date “%(value)s” does not exist") % {"value": text}) from None


def parse_boolean(text: str) -> bool:
    """tak / nie (also t, n, 1, 0, x)."""
    word = text.lower()
    if word not in _TRUE and word not in _FALSE:
        word = normalize_name(text)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(_("write tak or nie, not “%(value)s”") % {"value": text})


def choice_parser(column: Column) -> Callable[[str], str]:
    """A parser of `column`'s cells: a code, a Polish word of `aliases` or the label in the
    active language, whatever its case or Polish letters. Made per import, as labels follow
    the language."""
    accepted: dict[str, str] = {}
    for code, label in column.choices.choices:
        accepted[normalize_name(code)] = code
        accepted[normalize_name(str(label))] = code
    for alias, code in column.aliases:
        accepted[alias] = code

    # A column holds a few values many times over: each is folded once.
    known: dict[str, str] = {}

    def parse(text: str) -> str:
        if (code := known.get(text)) is not None:
            return code
        try:
            code = known[text] = accepted[normalize_name(text)]
        except KeyError:
            raise ValueError(
                _("unknown value “%(value)s” (allowed: %(allowed)s)")
                % {"value": text, "allowed": column.allowed}
            ) from None
        return code

    return parse


def parsers() -> dict[str, Callable[[str], Any]]:
    """{field: parser of a non-empty cell} for the columns parsed here; the parser raises
    ValueError with the reason. Text, district and case worker cells are taken as they are."""
    made: dict[str, Callable[[str], Any]] = {}
    for column in COLUMNS:
        if column.kind == DATE:
            made[column.field] = parse_date
        elif column.kind == BOOLEAN:
            made[column.field] = parse_boolean
        elif column.kind == CHOICE:
            made[column.field] = choice_parser(column)
    return made


def column_help() -> list[dict[str, Any]]:
    """Each column with what it holds and how to write it, for the import page."""
    formats = {
        DATE: _("YYYY-MM-DD or DD.MM.YYYY"),
        BOOLEAN: _("tak or nie"),
        DISTRICT: _("the name of a district of the centre; empty: your own district"),
        CASE_WORKER: _("the username of a social worker of the centre"),
    }
    return [
        {
            "name": column.name,
            "label": Person._meta.get_field(column.field).verbose_name,
            "format": column.allowed or formats.get(column.kind, ""),
            "required": column.required,
        }
        for column in COLUMNS
    ]
