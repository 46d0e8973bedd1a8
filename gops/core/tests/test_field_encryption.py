"""The most sensitive free text is encrypted at rest, and one command rotates the key of all of it.

Every value is written through the services, as staff would write it, then read back from the
table with a raw SQL cursor: what is stored must be a Fernet token, never the text.
"""

from datetime import date

import pytest
import time_machine
from cryptography.fernet import InvalidToken
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from gops.audit.models import AuditEntry
from gops.cases import services as case_services
from gops.cases.models import CaseNote, CommunityInterview, ContractReview, SocialContract
from gops.cases.tests.factories import make_application
from gops.core.encryption import encrypted_fields, forget_derived_keys, is_fernet_token
from gops.families import services as family_services
from gops.families.models import ChildProfile, FamilyAssessment, FamilyContact, FamilySupport
from gops.families.selectors import household_children
from gops.families.tests.factories import make_family, make_support, pesel_for
from gops.people.models import Person
from gops.people.tests.factories import make_person

TODAY = date(2025, 6, 10)
OLD_KEY = "stary-klucz-testowy-2222222222222222222222"
NEW_KEY = "nowy-klucz-testowy-3333333333333333333333"

# (model, field) -> the text written; every text carries a word found nowhere else.
TEXTS = {
    (CaseNote, "text"): "Notatka: rozmowa o leczeniu odwykowym (kryptonotatka)",
    (CommunityInterview, "needs"): "Potrzeby: leki na nadciśnienie (kryptopotrzeby)",
    (CommunityInterview, "diagnosis"): "Diagnoza: depresja po utracie pracy (kryptodiagnoza)",
    (CommunityInterview, "help_plan"): "Plan: konsultacja psychiatryczna (kryptoplan)",
    (CommunityInterview, "material_situation"): "Zadłużenie czynszu (kryptomaterialna)",
    (CommunityInterview, "health"): "Cukrzyca typu 2, insulina (kryptozdrowie)",
    (CommunityInterview, "work_and_education"): "Bezrobotna od 2 lat (kryptopraca)",
    (CommunityInterview, "housing"): "Mieszkanie bez ogrzewania (kryptomieszkanie)",
    (SocialContract, "situation"): "Uzależnienie od alkoholu (kryptosytuacja)",
    (SocialContract, "goals"): "Utrzymanie abstynencji (kryptocele)",
    (SocialContract, "person_obligations"): "Terapia w poradni uzależnień (kryptoosoba)",
    (SocialContract, "centre_obligations"): "Konsultacje psychologa (kryptoośrodek)",
    (SocialContract, "outcome"): "Abstynencja utrzymana (kryptowynik)",
    (ContractReview, "notes"): "Uczestniczy w terapii (kryptoprzegląd)",
    (Person, "restricted_notes"): "Leczona psychiatrycznie (kryptouwagi)",
    (FamilySupport, "reason"): "Zaniedbania opiekuńcze, przemoc (kryptopowód)",
    (FamilySupport, "closing_summary"): "Rodzina samodzielna (kryptopodsumowanie)",
    (FamilyContact, "notes"): "Wizyta: ojciec nietrzeźwy (kryptowizyta)",
    (FamilyAssessment, "summary"): "Poprawa opieki nad dziećmi (kryptoocena)",
    (ChildProfile, "special_needs"): "Autyzm, orzeczenie o kształceniu (kryptopotrzeby-dziecka)",
}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture(autouse=True)
def derived_keys_follow_the_settings():
    forget_derived_keys()
    yield
    forget_derived_keys()


def write_everything(*, worker, head, assistant) -> None:
    """One row of every newly encrypted field, through the services."""
    text = {(model.__name__, name): value for (model, name), value in TEXTS.items()}
    application = make_application(actor=worker, received_on=date(2025, 6, 2))
    case_services.interview_record(
        actor=worker,
        interview=application.interviews.get(),
        conducted_on=date(2025, 6, 5),
        **{name: value for (model, name), value in text.items() if model == "CommunityInterview"},
    )
    case_services.case_note_add(
        actor=worker,
        person=application.applicant,
        application=application,
        text=text["CaseNote", "text"],
    )
    contract = case_services.social_contract_create(
        actor=worker,
        person=application.applicant,
        application=application,
        signed_on=date(2025, 6, 6),
        valid_from=date(2025, 6, 6),
        valid_until=date(2025, 12, 31),
        **{
            name: value
            for (model, name), value in text.items()
            if model == "SocialContract" and name != "outcome"
        },
    )
    case_services.social_contract_review(
        actor=worker, contract=contract, reviewed_on=TODAY, notes=text["ContractReview", "notes"]
    )
    case_services.social_contract_close(
        actor=worker,
        contract=contract,
        status="fulfilled",
        outcome=text["SocialContract", "outcome"],
    )
    make_person(
        actor=worker,
        first_names="Ewa",
        surnames="Szyfrowa",
        pesel=pesel_for(date(1985, 1, 1), female=True),
        restricted_notes=text["Person", "restricted_notes"],
    )

    family = make_family(actor=worker, surname="Tajna")
    support = make_support(
        head=head,
        household=family,
        assistant=assistant,
        social_worker=worker,
        started_on=date(2025, 1, 15),
        reason=text["FamilySupport", "reason"],
    )
    family_services.contact_record(
        actor=assistant,
        support=support,
        happened_on=date(2025, 6, 9),
        kind="home_visit",
        notes=text["FamilyContact", "notes"],
    )
    family_services.assessment_record(
        actor=assistant,
        support=support,
        done_on=date(2025, 6, 5),
        progress="improved",
        recommendation="continue",
        summary=text["FamilyAssessment", "summary"],
    )
    family_services.child_profile_save(
        actor=assistant,
        support=support,
        child=household_children(household=family).first(),
        education_setting="primary_school",
        special_needs=text["ChildProfile", "special_needs"],
    )
    family_services.family_support_close(
        actor=head,
        support=support,
        closed_on=TODAY,
        outcome="goals_achieved",
        closing_summary=text["FamilySupport", "closing_summary"],
    )


def raw(model, name: str) -> list[str]:
    """The non-empty stored values of a column, read past the ORM."""
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field(name).column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {quote(model._meta.db_table)} "
            f"WHERE {column} IS NOT NULL AND {column} <> ''"
        )
        return [row[0] for row in cursor.fetchall()]


def read_back(model, name: str) -> list[str]:
    return [v for v in model.objects.values_list(name, flat=True) if v]


def assert_stored_encrypted() -> None:
    for (model, name), text in TEXTS.items():
        stored = raw(model, name)
        assert len(stored) == 1, (model, name, stored)
        assert is_fernet_token(stored[0]), (model, name)
        word = text.rsplit("(", 1)[1].rstrip(")")
        assert text not in stored[0]
        assert word not in stored[0]
        assert read_back(model, name) == [text], (model, name)


@pytest.mark.django_db
def test_every_sensitive_text_is_stored_encrypted_and_read_back_in_plain(worker_a, head, assistant):
    write_everything(worker=worker_a, head=head, assistant=assistant)
    assert_stored_encrypted()


@pytest.mark.django_db
def test_the_audit_trail_records_that_the_texts_changed_but_not_the_texts(
    worker_a, head, assistant
):
    write_everything(worker=worker_a, head=head, assistant=assistant)
    dumped = str(list(AuditEntry.objects.values_list("changes", flat=True)))
    for text in TEXTS.values():
        assert text.rsplit("(", 1)[1].rstrip(")") not in dumped
    note = CaseNote.objects.get()
    entry = AuditEntry.objects.get(object_type="cases.casenote", object_id=str(note.pk))
    assert entry.changes == {"text": [None, "[encrypted]"]}
    closing = AuditEntry.objects.filter(
        object_type="families.familysupport", changes__has_key="closing_summary"
    ).get()
    assert closing.changes["closing_summary"] == ["", "[encrypted]"]


@pytest.mark.django_db
def test_every_new_encrypted_field_is_found_by_the_key_rotation():
    found = {(model, f.name) for model, fields in encrypted_fields() for f in fields}
    assert set(TEXTS) <= found


@pytest.mark.django_db
def test_an_empty_text_stays_empty_not_null(worker_a):
    person = make_person(actor=worker_a)
    Person.objects.filter(pk=person.pk).update(restricted_notes="")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('restricted_notes')} FROM {quote(Person._meta.db_table)} "
            f"WHERE {quote('id')} = %s",
            [person.pk],
        )
        assert cursor.fetchone()[0] == ""  # the library would store NULL
    person.refresh_from_db()
    assert person.restricted_notes == ""
    # Equality with '' still works in the database: anonymisation and "has a note" rely on it.
    assert Person.objects.filter(pk=person.pk, restricted_notes="").exists()


@pytest.mark.django_db
def test_rotating_the_key_re_encrypts_every_field_of_the_project(
    worker_a, head, assistant, settings
):
    with override_settings(SALT_KEY=[OLD_KEY]):
        forget_derived_keys()
        write_everything(worker=worker_a, head=head, assistant=assistant)
        under_old = {key: raw(*key) for key in TEXTS}

    # The new key first, the old one kept: everything still reads.
    with override_settings(SALT_KEY=[NEW_KEY, OLD_KEY]):
        forget_derived_keys()
        for (model, name), text in TEXTS.items():
            assert read_back(model, name) == [text]
        with pytest.raises(CommandError, match="not encrypted with the newest key"):
            call_command("reencrypt_fields", "--check")
        call_command("reencrypt_fields", "--batch-size", "1")
        call_command("reencrypt_fields", "--check")

    with override_settings(SALT_KEY=[NEW_KEY]):
        forget_derived_keys()
        assert_stored_encrypted()
        for key, text in TEXTS.items():
            model, name = key
            token = raw(model, name)[0]
            assert token != under_old[key][0]
            assert model._meta.get_field(name).f.decrypt(token.encode()).decode() == text
    with override_settings(SALT_KEY=[OLD_KEY]):
        forget_derived_keys()
        for model, name in TEXTS:
            with pytest.raises(InvalidToken):
                model._meta.get_field(name).f.decrypt(raw(model, name)[0].encode())


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_plain_text_left_in_a_column_is_encrypted(
    worker_a, capsys
):
    person = make_person(actor=worker_a, restricted_notes="Uwagi (kryptojawne)")
    call_command("reencrypt_fields")
    capsys.readouterr()
    stored = raw(Person, "restricted_notes")
    call_command("reencrypt_fields")
    assert "0 values in 0 rows re-encrypted" in capsys.readouterr().out
    assert raw(Person, "restricted_notes") == stored

    # A row written in plain text (e.g. restored from before the migration).
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Person._meta.db_table)} SET {quote('restricted_notes')} = %s "
            f"WHERE {quote('id')} = %s",
            ["Uwagi (kryptojawne)", person.pk],
        )
    with pytest.raises(CommandError):
        call_command("reencrypt_fields", "--check")
    call_command("reencrypt_fields")
    assert "1 of them plain text" in capsys.readouterr().out
    [token] = raw(Person, "restricted_notes")
    assert is_fernet_token(token)
    assert "kryptojawne" not in token
    person.refresh_from_db()
    assert person.restricted_notes == "Uwagi (kryptojawne)"


@pytest.mark.django_db
def test_the_former_blue_card_command_rotates_every_field_too(worker_a, settings):
    make_person(actor=worker_a, restricted_notes="Uwagi (kryptoalias)")
    with override_settings(SALT_KEY=[NEW_KEY, *settings.SALT_KEY]):
        forget_derived_keys()
        call_command("reencrypt_blue_cards")
    with override_settings(SALT_KEY=[NEW_KEY]):
        forget_derived_keys()
        call_command("reencrypt_fields", "--check")
        assert Person.objects.get().restricted_notes == "Uwagi (kryptoalias)"


# --- The migrations --------------------------------------------------------------------------

# The migrations before the columns were encrypted.
BEFORE = [
    ("cases", "0001_initial"),
    ("families", "0001_initial"),
    ("people", "0004_household_version"),
]


@pytest.mark.django_db(transaction=True)
def test_the_migrations_encrypt_the_rows_written_before_and_reversing_decrypts_them(
    worker_a, head, assistant
):
    write_everything(worker=worker_a, head=head, assistant=assistant)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        forget_derived_keys()
        for (model, name), text in TEXTS.items():
            assert raw(model, name) == [text], (model, name)
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    forget_derived_keys()
    assert_stored_encrypted()
