"""What changed since the version a user loaded (gops.audit.versioning.changes_since): from the
values the form was loaded with, or from the audit trail."""

import pytest
from encrypted_fields.fields import EncryptedFieldMixin

from gops.audit.services import snapshot
from gops.audit.versioning import changes_since
from gops.people import services
from gops.people.models import Person
from gops.people.tests.factories import make_person


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language (root conftest)."""


def test_loaded_values_are_compared_with_the_row_and_shown_as_people_read_them(
    worker_a, district_a, district_b
):
    person = make_person(actor=worker_a, phone="500", letter_language="pl", homeless=False)
    person.phone, person.letter_language, person.homeless = "600", "uk", True
    person.district = district_b
    seen = {
        "phone": "500",
        "letter_language": "pl",
        "homeless": False,
        "district": district_a,
        "email": None,  # empty either way: no change
        "no_such_field": "x",
    }
    changes = changes_since(instance=person, now=snapshot(person), expected_version=1, seen=seen)
    shown = {c["field"]: (c["seen"], c["saved"]) for c in changes}
    assert shown == {
        "letter_language": ("Polish", "Ukrainian"),
        "homeless": ("no", "yes"),
        "phone": ("500", "600"),
        "district": ("Rejon A", "Rejon B"),
    }


def test_without_loaded_values_the_audit_entries_since_the_version_are_read(worker_a):
    person = make_person(actor=worker_a, phone="500", email="")
    services.person_update(actor=worker_a, person=person, data={"phone": "600"})
    services.person_update(actor=worker_a, person=person, data={"phone": "700"})
    services.person_update(actor=worker_a, person=person, data={"email": "a@example.org"})
    person.refresh_from_db()
    assert person.version == 4

    def since(version):
        found = changes_since(instance=person, now=snapshot(person), expected_version=version)
        return [(c["field"], c["seen"], c["saved"]) for c in found]

    # The oldest entry since the version gives the value of that version.
    assert since(1) == [("phone", "500", "700"), ("email", "—", "a@example.org")]
    assert since(3) == [("email", "—", "a@example.org")]
    assert since(4) == []


def test_hidden_fields_are_named_without_their_values(worker_a):
    person = make_person(actor=worker_a, restricted_notes="Stara notatka")
    services.person_update(actor=worker_a, person=person, data={"restricted_notes": "Nowa notatka"})
    person.refresh_from_db()
    changes = changes_since(
        instance=person, now=snapshot(person), expected_version=1, hidden=["restricted_notes"]
    )
    assert [(c["field"], c["seen"], c["saved"]) for c in changes] == [
        ("restricted_notes", "…", "…")
    ]


def test_the_audit_trail_gives_no_old_text_of_an_encrypted_field(worker_a):
    person = make_person(actor=worker_a, restricted_notes="Stara notatka")
    services.person_update(actor=worker_a, person=person, data={"restricted_notes": "Nowa notatka"})
    person.refresh_from_db()
    changes = changes_since(instance=person, now=snapshot(person), expected_version=1)
    encrypted = isinstance(Person._meta.get_field("restricted_notes"), EncryptedFieldMixin)
    assert [(c["field"], c["seen"], c["saved"]) for c in changes] == [
        ("restricted_notes", "…" if encrypted else "Stara notatka", "Nowa notatka")
    ]
