"""Importing persons from CSV: the service, the command and the page (docs/import-osob.md)."""

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.pl import pesel as stdnum_pesel

from gops.accounts.tests.factories import make_district, make_user
from gops.audit.models import AuditAction, AuditEntry
from gops.core.imports import ImportReport, csv_reader
from gops.people import imports, rules
from gops.people.models import Person
from gops.people.selectors import person_search
from gops.people.services import persons_import_csv
from gops.people.tests.factories import make_foreigner, make_person

SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "osoby-import.csv"


def pesel_of(birth: date, sex: str, serial: int = 0) -> str:
    """A valid PESEL of `birth` and `sex` ("F"/"M"), a different one for each serial < 5000."""
    century = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[birth.year // 100]
    body = f"{birth.year % 100:02d}{birth.month + century:02d}{birth.day:02d}"
    body += f"{serial // 5:03d}{2 * (serial % 5) + (1 if sex == 'M' else 0)}"
    return body + stdnum_pesel.calc_check_digit(body)


def csv_text(rows: list[dict], *, delimiter: str = ";", bom: bool = False, header=None) -> str:
    header = header or list(dict.fromkeys(name for row in rows for name in row))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return ("\ufeff" if bom else "") + out.getvalue()


def polish(n: int = 0, **overrides) -> dict:
    row = {
        "imiona": "Jan",
        "nazwisko": f"Kowalski{chr(97 + n % 26)}",
        "pesel": pesel_of(date(1960, 1, 1) + timedelta(days=n), "M", n % 5000),
        "ulica": f"ul. Polna {n + 1}",
        "kod_pocztowy": "00-001",
        "miejscowosc": "Testowo",
        "rejon": "Rejon A",
    }
    row.update(overrides)
    return row


def foreigner(n: int = 0, **overrides) -> dict:
    row = {
        "imiona": "Olena",
        "nazwisko": "Kovalenko",
        "data_urodzenia": "12.03.1990",
        "plec": "K",
        "obywatelstwo": "UA",
        "rodzaj_dokumentu": "paszport",
        "numer_dokumentu": f"FE{100000 + n}",
        "status_pobytu": "ochrona_czasowa_ua",
        "dokument_pobytowy_wazny_do": "2027-03-04",
        "rejon": "Rejon B",
    }
    row.update(overrides)
    return row


def errors_by_line(report: ImportReport) -> dict[int, str]:
    return dict(report.errors)


def nothing_written(centre) -> bool:
    return (
        not Person.objects.filter(centre=centre).exists()
        and not AuditEntry.objects.filter(object_type="people.person").exists()
    )


# --- A valid file ----------------------------------------------------------------------------


def test_a_valid_file_registers_every_person_with_a_create_audit_entry(
    head, district_a, district_b, worker_a
):
    rows = [
        polish(0, pracownik_socjalny="pracownik1"),
        polish(1, imiona="Anna", pesel=pesel_of(date(1985, 11, 2), "F", 7), plec="k"),
        foreigner(0),
    ]
    report = persons_import_csv(actor=head, text_or_stream=csv_text(rows))

    assert report.ok, report.errors
    assert report.imported == 3
    persons = {p.first_names: p for p in Person.objects.filter(centre=head.centre)}
    assert set(persons) == {"Jan", "Anna", "Olena"}
    jan, anna, olena = persons["Jan"], persons["Anna"], persons["Olena"]
    # Birth date and sex read from the PESEL, as the form does.
    assert (jan.birth_date, jan.sex) == (date(1960, 1, 1), "M")
    assert (anna.birth_date, anna.sex) == (date(1985, 11, 2), "F")
    assert jan.district == district_a
    assert olena.district == district_b
    assert jan.case_worker == worker_a
    assert anna.case_worker is None
    assert olena.pesel is None
    assert (olena.birth_date, olena.sex, olena.citizenship) == (date(1990, 3, 12), "F", "UA")
    assert olena.id_document_type == "passport"
    assert olena.residence_status == "temporary_protection_ua"
    assert all(p.created_by == head and p.updated_by == head for p in persons.values())

    entries = AuditEntry.objects.filter(object_type="people.person", action=AuditAction.CREATE)
    assert sorted(entries.values_list("person_id", flat=True)) == sorted(
        p.pk for p in persons.values()
    )
    entry = entries.get(person_id=olena.pk)
    assert entry.actor == head
    assert entry.centre_id == head.centre_id
    assert entry.object_id == str(olena.pk)
    assert entry.changes["import_line"] == [None, 4]
    assert entry.changes["id_document_number"] == [None, "FE100000"]
    assert entry.changes["residence_status"] == [None, "temporary_protection_ua"]


def test_imported_persons_have_the_search_keys_save_computes_and_are_found(head, district_a):
    rows = [
        polish(0, imiona="Łukasz", nazwisko="Wójcik-Nowak"),
        foreigner(1, numer_dokumentu="fe 12-34 56", rejon="Rejon A"),
    ]
    assert persons_import_csv(actor=head, text_or_stream=csv_text(rows)).ok
    for person in Person.objects.filter(centre=head.centre):
        stored = (
            person.surnames_search,
            person.surnames_alt_search,
            person.first_names_search,
            person.document_search,
        )
        person.set_search_keys()
        assert stored == (
            person.surnames_search,
            person.surnames_alt_search,
            person.first_names_search,
            person.document_search,
        )
    assert [p.first_names for p in person_search(user=head, query="nowak lukasz")] == ["Łukasz"]
    assert [p.first_names for p in person_search(user=head, query="FE123456")] == ["Olena"]


def test_the_sample_file_of_the_documentation_imports(head, centre):
    # The districts of the demo centre, so that the sample imports into the demo as it is.
    make_district(centre=centre, name="Rejon 1 – Lipowiec")
    make_district(centre=centre, name="Rejon 2 – wsie")
    with open(SAMPLE, encoding="utf-8", newline="") as stream:  # the BOM left in on purpose
        report = persons_import_csv(actor=head, text_or_stream=stream)
    assert report.ok, report.errors
    assert report.imported == Person.objects.filter(centre=centre).count() == 8
    wojcik = Person.objects.get(centre=centre, surnames="Wójcik")
    assert wojcik.homeless
    assert not wojcik.actual_same_as_registered
    # A PESEL of the 2000s starts with 0: kept as text, it is not cut.
    assert Person.objects.get(centre=centre, surnames="Zieliński").pesel.startswith("05")


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_semicolons_commas_tabs_and_a_byte_order_mark_all_read(head, district_a, delimiter, bom):
    rows = [polish(0, ulica="ul. Długa 5, m. 3"), polish(1)]
    report = persons_import_csv(
        actor=head, text_or_stream=csv_text(rows, delimiter=delimiter, bom=bom)
    )
    assert report.ok, report.errors
    assert set(Person.objects.values_list("registered_street", flat=True)) == {
        "ul. Długa 5, m. 3",
        "ul. Polna 2",
    }


def test_header_names_match_whatever_their_case_polish_letters_or_spaces(head, district_a):
    text = (
        "Imiona;NAZWISKO;PESEL;Płeć;Data urodzenia;Rejon\r\nJan;Kowalski;44051401359;M;;rejon a\r\n"
    )
    report = persons_import_csv(actor=head, text_or_stream=text)
    assert report.ok, report.errors
    assert Person.objects.get().district == district_a


def test_a_stream_is_read_and_written_batch_by_batch(head, district_a):
    rows = [polish(n) for n in range(7)]
    seen = []
    report = persons_import_csv(
        actor=head,
        text_or_stream=io.StringIO(csv_text(rows), newline=""),
        batch_size=3,
        progress=seen.append,
    )
    assert report.ok
    assert report.imported == 7
    assert seen == [3, 6, 7]
    assert AuditEntry.objects.filter(object_type="people.person").count() == 7


def test_polish_dates_booleans_and_choice_words_are_read(head, district_a):
    row = polish(
        0,
        pesel="",
        data_urodzenia="5.3.1980",
        plec="mężczyzna",
        rodzaj_dokumentu="Dowód osobisty",
        numer_dokumentu="ABC 123456",
        niepelnosprawnosc="Umiarkowany",
        orzeczenie_wazne_do="2030-01-31",
        tlumacz="TAK",
        jezyk_korespondencji="ukraiński",
    )
    report = persons_import_csv(actor=head, text_or_stream=csv_text([row]))
    assert report.ok, report.errors
    person = Person.objects.get()
    assert person.birth_date == date(1980, 3, 5)
    assert person.sex == "M"
    assert person.id_document_type == "id_card"
    assert person.disability_degree == "moderate"
    assert person.disability_valid_until == date(2030, 1, 31)
    assert person.needs_interpreter is True
    assert person.letter_language == "uk"


# --- Broken rows: nothing is written --------------------------------------------------------


def test_an_invalid_pesel_imports_nothing_and_names_its_line_in_polish(head, district_a):
    bad = polish(1, pesel="44051401358")  # the check digit is wrong
    report = persons_import_csv(actor=head, text_or_stream=csv_text([polish(0), bad, polish(2)]))
    assert not report.ok
    assert report.imported == 0
    assert list(errors_by_line(report)) == [3]
    assert "pesel: Nieprawidłowy numer PESEL" in report.errors[0][1]
    assert nothing_written(head.centre)


def test_a_birth_date_or_sex_contradicting_the_pesel_is_refused(head, district_a, english_messages):
    rows = [
        polish(0, data_urodzenia="1960-01-02"),
        polish(1, plec="K"),
        polish(2, data_urodzenia="1960-01-03", plec="M"),  # agrees with the PESEL
    ]
    report = persons_import_csv(actor=head, text_or_stream=csv_text(rows))
    errors = errors_by_line(report)
    assert set(errors) == {2, 3}
    assert "data_urodzenia: The date of birth 1960-01-02 contradicts the PESEL" in errors[2]
    assert "plec: The sex contradicts the PESEL" in errors[3]
    assert nothing_written(head.centre)


def test_a_pesel_repeated_in_the_file_is_refused_on_the_later_line(
    head, district_a, english_messages
):
    twice = polish(0)
    report = persons_import_csv(
        actor=head, text_or_stream=csv_text([twice, polish(1), dict(twice, imiona="Janusz")])
    )
    assert errors_by_line(report) == {4: "pesel: the PESEL repeats line 2"}
    assert nothing_written(head.centre)


def test_a_document_number_repeated_in_the_file_is_refused_whatever_its_spacing(
    head, district_a, district_b, english_messages
):
    rows = [foreigner(0, numer_dokumentu="FE 100000"), foreigner(1, numer_dokumentu="fe100000")]
    report = persons_import_csv(actor=head, text_or_stream=csv_text(rows))
    assert errors_by_line(report) == {3: "numer_dokumentu: the document number repeats line 2"}


def test_a_pesel_or_document_already_in_the_centre_is_refused(
    head, worker_a, district_a, district_b, english_messages
):
    existing = make_person(actor=worker_a, pesel=pesel_of(date(1970, 1, 1), "M", 3))
    make_foreigner(actor=worker_a, id_document_number="FE-999")
    rows = [polish(0), polish(1, pesel=existing.pesel), foreigner(0, numer_dokumentu="fe999")]
    report = persons_import_csv(actor=head, text_or_stream=csv_text(rows))
    assert errors_by_line(report) == {
        3: "pesel: A person with this PESEL is already registered.",
        4: "numer_dokumentu: A person with this document number is already registered.",
    }
    assert Person.objects.filter(centre=head.centre).count() == 2


def test_a_pesel_registered_in_another_centre_is_no_obstacle(head, district_a, other_worker):
    make_person(actor=other_worker, pesel="44051401359")
    report = persons_import_csv(
        actor=head, text_or_stream=csv_text([polish(0, pesel="44051401359")])
    )
    assert report.ok, report.errors


def test_the_registry_is_asked_once_per_batch_not_once_per_row(head, district_a):
    def queries(rows: int) -> int:
        text = csv_text([polish(n) for n in range(rows)])
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            assert persons_import_csv(actor=head, text_or_stream=text, batch_size=100).ok
            transaction.set_rollback(True)
        return len(ctx.captured_queries)

    # On SQLite Django splits a bulk INSERT by its parameter limit; count a check-only run.
    def check_queries(rows: int) -> int:
        text = csv_text([polish(n) for n in range(rows)] + [polish(0)])  # fails at the end
        with CaptureQueriesContext(connection) as ctx:
            assert not persons_import_csv(actor=head, text_or_stream=text, batch_size=100).ok
        return len(ctx.captured_queries)

    head.has_perm("people.add_person")  # the permission cache, filled once per user
    assert check_queries(5) == check_queries(60)
    if connection.vendor == "postgresql":
        assert queries(5) == queries(60)


def test_missing_names_and_a_foreigner_without_document_are_refused(
    head, district_a, district_b, english_messages
):
    rows = [
        polish(0, imiona=""),
        foreigner(1, numer_dokumentu="", rodzaj_dokumentu=""),
        foreigner(2, status_pobytu=""),
        polish(3, pesel="", data_urodzenia="", plec=""),
    ]
    report = persons_import_csv(actor=head, text_or_stream=csv_text(rows))
    errors = errors_by_line(report)
    assert set(errors) == {2, 3, 4, 5}
    assert errors[2].startswith("imiona: ")
    assert (
        "rodzaj_dokumentu: Without a PESEL, the type of identity document is required"
        in (errors[3])
    )
    assert "numer_dokumentu: Without a PESEL, the document number is required" in errors[3]
    assert "status_pobytu: For a foreigner the residence status is required" in errors[4]
    assert "data_urodzenia: The date of birth is required" in errors[5]
    assert "plec: The sex is required" in errors[5]
    assert nothing_written(head.centre)


def test_unreadable_cells_are_reported_once_each(head, district_a, english_messages):
    rows = [
        polish(0, pesel="", data_urodzenia="31.02.1980", plec="x", numer_dokumentu="A1"),
        polish(1, tlumacz="może", niepelnosprawnosc="ciężki"),
        polish(2, pesel="4405140135"),
    ]
    report = persons_import_csv(actor=head, text_or_stream=csv_text(rows))
    errors = errors_by_line(report)
    assert "data_urodzenia: the date “31.02.1980” does not exist" in errors[2]
    assert "plec: unknown value “x” (allowed: K, M)" in errors[2]
    # No second message about the missing date of birth or sex.
    assert errors[2].count("data_urodzenia") == 1
    assert errors[2].count("plec") == 1
    assert "tlumacz: write tak or nie, not “może”" in errors[3]
    assert "niepelnosprawnosc: unknown value “ciężki”" in errors[3]
    assert "leading zero" in errors[4]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("nazwisko;pesel", "column “imiona” is missing"),
        ("imiona;nazwisko;PESEL nr", "unknown column “PESEL nr”"),
        ("imiona;nazwisko;imiona", "column “imiona” appears twice"),
    ],
)
def test_a_wrong_header_is_reported_on_line_1(head, district_a, english_messages, header, expected):
    report = persons_import_csv(actor=head, text_or_stream=header + "\r\nJan;Kowalski;x\r\n")
    assert report.errors == [(1, expected)]


@pytest.mark.parametrize("text", ["", "\r\n", "imiona;nazwisko\r\n", "imiona;nazwisko\r\n;\r\n"])
def test_an_empty_file_or_one_without_persons_is_an_error(head, text):
    report = persons_import_csv(actor=head, text_or_stream=text)
    assert [line for line, _reason in report.errors] == [1]


def test_a_row_with_more_fields_than_the_header_is_refused(head, district_a, english_messages):
    text = "imiona;nazwisko;pesel\r\nJan;Kowalski;44051401359;oops\r\n"
    report = persons_import_csv(actor=head, text_or_stream=text)
    assert "the row has 4 fields but the header names 3 columns" in report.errors[0][1]


def test_a_broken_last_batch_rolls_back_the_batches_written_before_it(head, district_a):
    rows = [polish(n) for n in range(9)] + [polish(9, pesel="123")]
    report = persons_import_csv(actor=head, text_or_stream=csv_text(rows), batch_size=2)
    assert list(errors_by_line(report)) == [11]
    assert nothing_written(head.centre)


def test_a_pesel_registered_meanwhile_by_someone_else_imports_nothing(
    head, district_a, monkeypatch, english_messages
):
    from django.db import IntegrityError
    from django.db.models import QuerySet

    def racing(self, objs, *args, **kwargs):
        raise IntegrityError('duplicate key value violates "person_unique_pesel_per_centre"')

    monkeypatch.setattr(QuerySet, "bulk_create", racing)
    report = persons_import_csv(actor=head, text_or_stream=csv_text([polish(0)]))
    assert report.imported == 0
    assert report.errors == [
        (
            1,
            "A PESEL of the file was registered by someone else during the import. "
            "Nothing has been imported: import the file again.",
        )
    ]


def test_the_report_lists_the_first_broken_rows_and_counts_them_all(head, district_a):
    rows = [polish(n, pesel="1") for n in range(12)]
    report = persons_import_csv(
        actor=head, text_or_stream=csv_text(rows), max_listed_errors=5, batch_size=4
    )
    assert [line for line, _reason in report.errors] == [2, 3, 4, 5, 6]
    assert report.error_count == 12
    assert report.unlisted == 7


def test_a_file_that_is_not_utf8_stops_with_the_line_reached(head, district_a, tmp_path):
    path = tmp_path / "osoby.csv"
    path.write_bytes(
        csv_text([polish(0)]).encode() + "Józef;Kowalski;44051401359\r\n".encode("cp1250")
    )
    with open(path, encoding="utf-8", newline="") as stream:
        report = persons_import_csv(actor=head, text_or_stream=stream)
    assert not report.ok
    assert nothing_written(head.centre)


# --- Districts, case workers, who may import ------------------------------------------------


def test_a_worker_imports_into_their_own_district_and_no_other(
    worker_a, district_a, district_b, english_messages
):
    rows = [polish(0, rejon=""), polish(1, rejon="Rejon A"), polish(2, rejon="Rejon B")]
    report = persons_import_csv(actor=worker_a, text_or_stream=csv_text(rows))
    assert errors_by_line(report) == {
        4: "rejon: only the head of the centre may register a person in another district"
    }
    report = persons_import_csv(actor=worker_a, text_or_stream=csv_text(rows[:2]))
    assert report.ok
    assert set(Person.objects.values_list("district", flat=True)) == {district_a.pk}


def test_a_head_without_a_district_must_name_one_that_exists(head, district_a, english_messages):
    rows = [polish(0, rejon=""), polish(1, rejon="Rejon Z"), polish(2, pracownik_socjalny="nikt")]
    errors = errors_by_line(persons_import_csv(actor=head, text_or_stream=csv_text(rows)))
    assert errors == {
        2: "rejon: Choose the district of the person.",
        3: "rejon: the centre has no district “Rejon Z”",
        4: "pracownik_socjalny: “nikt” is not an active social worker of the centre",
    }


def test_restricted_notes_are_imported_encrypted_only_by_those_who_may_read_them(
    head, district_a, centre, english_messages
):
    shelter = make_user(
        "schronisko", role="shelter_coordinator", centre=centre, district=district_a
    )
    text = csv_text([polish(0, notatki_poufne="Poufne: przemoc w rodzinie")])
    refused = persons_import_csv(actor=shelter, text_or_stream=text)
    assert refused.errors == [(1, "you may not write restricted notes (column “notatki_poufne”)")]
    assert persons_import_csv(actor=head, text_or_stream=text).ok
    person = Person.objects.get()
    assert person.restricted_notes == "Poufne: przemoc w rodzinie"
    entry = AuditEntry.objects.get(person_id=person.pk)
    assert entry.changes["restricted_notes"] == [None, "[encrypted]"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT restricted_notes FROM people_person WHERE id = %s", [person.pk])
        assert "przemoc" not in cursor.fetchone()[0]


@pytest.mark.parametrize("role", ["finance", "dpo", "administrator", "assistant"])
def test_staff_who_may_not_register_persons_may_not_import_them(request, role, district_a):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        persons_import_csv(actor=user, text_or_stream=csv_text([polish(0)]))


# --- Reading cells (no database) --------------------------------------------------------------


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2299, 12, 31)))
def test_both_date_formats_give_back_the_date(day):
    assert imports.parse_date(day.isoformat()) == day
    assert imports.parse_date(f"{day.day}.{day.month}.{day.year}") == day
    assert imports.parse_date(f"{day:%d.%m.%Y}") == day


@given(st.text(max_size=20))
def test_a_cell_is_a_date_or_a_reason_never_a_crash(text):
    reason = ""
    try:
        imports.parse_date(text)
    except ValueError as exc:
        reason = str(exc)
    assert reason or text.strip()[:1].isdigit()


@given(st.lists(st.lists(st.text(max_size=8), min_size=2, max_size=2), max_size=5))
def test_the_reader_gives_back_what_the_csv_writer_wrote(rows):
    rows = [["imiona", "nazwisko"], *rows]
    for delimiter in ";,":
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter).writerows(rows)
        assert list(csv_reader(out.getvalue())) == rows
        assert list(csv_reader("\ufeff" + out.getvalue())) == rows


def test_every_column_fills_a_person_field_and_has_a_unique_name():
    names = [rules.normalize_name(c.name) for c in imports.COLUMNS]
    assert len(names) == len(set(names))
    fields = {f.name for f in Person._meta.get_fields()}
    assert {c.field for c in imports.COLUMNS} <= fields
    assert all(c.allowed for c in imports.COLUMNS if c.kind == imports.CHOICE)


# --- Generated files (hypothesis, on the database) --------------------------------------------

PERSON_ROWS = st.lists(
    st.tuples(
        st.dates(min_value=date(1920, 1, 1), max_value=date(2024, 12, 31)),
        st.sampled_from("FM"),
        st.sampled_from(["Jan", "Łucja", "Zoë", "Anna Maria", "Jean-Luc"]),
        st.booleans(),  # a foreigner, identified by a document
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda t: (t[0], t[1]),
)


ON_DATABASE = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(ON_DATABASE, max_examples=25)
@given(
    persons=PERSON_ROWS,
    delimiter=st.sampled_from([";", ","]),
    bom=st.booleans(),
    polish_dates=st.booleans(),
)
def test_any_valid_generated_file_is_imported_exactly(
    head, district_a, persons, delimiter, bom, polish_dates
):
    rows = []
    for n, (birth, sex, first, is_foreigner) in enumerate(persons):
        written = f"{birth:%d.%m.%Y}" if polish_dates else birth.isoformat()
        if is_foreigner:
            rows.append(
                foreigner(n, imiona=first, data_urodzenia=written, plec=sex, rejon="Rejon A")
            )
        else:
            pesel = pesel_of(birth, sex, n)
            rows.append(polish(n, imiona=first, pesel=pesel, data_urodzenia=written))
    with transaction.atomic():
        report = persons_import_csv(
            actor=head, text_or_stream=csv_text(rows, delimiter=delimiter, bom=bom)
        )
        assert report.ok, report.errors
        stored = set(
            Person.objects.filter(centre=head.centre).values_list(
                "first_names", "birth_date", "sex"
            )
        )
        assert stored == {(first, birth, sex) for birth, sex, first, _f in persons}
        assert AuditEntry.objects.filter(object_type="people.person").count() == len(persons)
        transaction.set_rollback(True)


CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


@settings(ON_DATABASE, max_examples=40)
@given(cells=st.lists(CELL, min_size=6, max_size=6))
def test_any_row_is_imported_or_reported_never_a_crash(head, district_a, cells):
    header = ["imiona", "nazwisko", "pesel", "data_urodzenia", "plec", "tlumacz"]
    text = csv_text([dict(zip(header, cells, strict=True))], header=header)
    with transaction.atomic():
        report = persons_import_csv(actor=head, text_or_stream=text)
        written = Person.objects.filter(centre=head.centre).count()
        assert (report.ok, report.imported, written) in ((True, 1, 1), (False, 0, 0))
        transaction.set_rollback(True)


# --- The command ------------------------------------------------------------------------------


def test_the_command_imports_a_file_and_prints_the_count(head, district_a, tmp_path):
    path = tmp_path / "osoby.csv"
    path.write_text(csv_text([polish(0), polish(1)], bom=True), encoding="utf-8")
    out = io.StringIO()
    call_command("import_persons", str(path), user="kierownik", stdout=out, stderr=io.StringIO())
    assert Person.objects.count() == 2
    assert "2" in out.getvalue()


def test_the_command_lists_broken_rows_and_fails_with_exit_code_1(
    head, district_a, tmp_path, english_messages
):
    path = tmp_path / "osoby.csv"
    path.write_text(csv_text([polish(0), polish(1, pesel="1")]), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "import_persons", str(path), user="kierownik", stdout=io.StringIO(), stderr=err
        )
    assert excinfo.value.returncode == 1
    assert "Nothing has been imported: 1 row is broken." in str(excinfo.value)
    assert err.getvalue().startswith("line 3: pesel: ")
    assert not Person.objects.exists()


def test_the_command_names_the_first_line_that_is_not_utf8(
    head, district_a, tmp_path, english_messages
):
    path = tmp_path / "osoby.csv"
    rows = csv_text([polish(n) for n in range(30)]).encode()
    path.write_bytes(rows + "Józef;Kowalski;44051401359\r\n".encode("cp1250"))
    with pytest.raises(CommandError, match=r"not UTF-8 text \(line 32\)"):
        call_command("import_persons", str(path), user="kierownik")
    assert not Person.objects.exists()


def test_the_command_refuses_an_unknown_user_or_one_without_the_permission(
    finance, tmp_path, english_messages
):
    path = tmp_path / "osoby.csv"
    path.write_text(csv_text([polish(0)]), encoding="utf-8")
    with pytest.raises(CommandError, match="No active user"):
        call_command("import_persons", str(path), user="nikt")
    with pytest.raises(CommandError, match="may not register persons"):
        call_command("import_persons", str(path), user="ksiegowa")


# --- The page ---------------------------------------------------------------------------------


def upload(text: str, name: str = "osoby.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("head", 200),
        ("worker_a", 403),
        ("finance", 403),
        ("dpo", 403),
        ("administrator", 403),
        ("assistant", 403),
    ],
)
def test_only_the_head_opens_the_import_page(client, request, role, status, district_a):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("people:person_import")).status_code == status
    response = client.post(reverse("people:person_import"), {"file": upload(csv_text([polish(0)]))})
    assert response.status_code in ((302,) if status == 200 else (403,))


def test_an_anonymous_visitor_is_sent_to_sign_in(client, district_a):
    response = client.get(reverse("people:person_import"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    response = client.post(reverse("people:person_import"), {"file": upload(csv_text([polish(0)]))})
    assert response.status_code == 302
    assert not Person.objects.exists()


def test_the_registry_page_links_to_the_import_for_the_head_only(client, head, worker_a):
    client.force_login(head)
    assert reverse("people:person_import") in client.get(reverse("people:person_list")).text
    client.force_login(worker_a)
    assert reverse("people:person_import") not in client.get(reverse("people:person_list")).text


def test_an_upload_imports_and_returns_to_the_registry(client, head, district_a):
    client.force_login(head)
    response = client.post(
        reverse("people:person_import"),
        {"file": upload(csv_text([polish(0), polish(1)], bom=True))},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("people:person_list"), 302)]
    assert Person.objects.count() == 2
    assert AuditEntry.objects.filter(object_type="people.person", channel="web").count() == 2


def test_a_broken_upload_shows_the_rows_and_imports_nothing(
    client, english_messages, head, district_a
):
    client.force_login(head)
    rows = [polish(0), polish(1, pesel="44051401358")]
    rows += [polish(n, pesel="2") for n in range(2, 110)]
    response = client.post(reverse("people:person_import"), {"file": upload(csv_text(rows))})
    assert response.status_code == 200
    report = response.text.split('id="h-report"')[1].split("</section>")[0]
    assert "<tr><td>3</td><td>pesel: Invalid PESEL number: the check digit is wrong" in report
    # 109 broken rows: 100 listed, the rest counted.
    assert report.count("<tr><td>") == 100
    assert "… and 9 more broken rows." in report
    assert not Person.objects.exists()


def test_an_upload_too_large_or_not_utf8_is_refused_before_reading_rows(
    client, head, district_a, monkeypatch
):
    client.force_login(head)
    monkeypatch.setattr("gops.people.forms.PERSON_IMPORT_MAX_BYTES", 100)
    big = upload(csv_text([polish(n) for n in range(5)]))
    response = client.post(reverse("people:person_import"), {"file": big})
    assert response.status_code == 200
    assert "import_persons" in response.text
    monkeypatch.undo()
    latin2 = SimpleUploadedFile("o.csv", "imiona;nazwisko\r\nJózef;Żak\r\n".encode("cp1250"))
    response = client.post(reverse("people:person_import"), {"file": latin2})
    assert response.status_code == 200
    assert not Person.objects.exists()
