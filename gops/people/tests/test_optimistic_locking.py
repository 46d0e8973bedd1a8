"""Optimistic locking of a person's data: a save over a newer version is refused, not lost."""

import pytest
from django.urls import reverse

from gops.accounts.services import api_token_create
from gops.audit.models import AuditAction, AuditEntry
from gops.people import services
from gops.people.forms import PersonForm
from gops.people.models import Person
from gops.people.tests.factories import make_person


def updates(person):
    return AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="people.person", object_id=str(person.pk)
    )


def phone_label() -> str:
    return str(Person._meta.get_field("phone").verbose_name)


# --- the service ------------------------------------------------------------------------------


def test_a_person_starts_at_version_1_and_each_change_adds_one(worker_a):
    person = make_person(actor=worker_a)
    assert person.version == 1
    person = services.person_update(
        actor=worker_a, person=person, data={"phone": "600100200"}, expected_version=1
    )
    person.refresh_from_db()
    assert person.version == 2
    # A save that changes nothing is no new version.
    services.person_update(
        actor=worker_a, person=person, data={"phone": "600100200"}, expected_version=2
    )
    person.refresh_from_db()
    assert person.version == 2
    # The version is the system's business, not an audited change of the person's data.
    assert "version" not in updates(person).get().changes


def test_a_save_over_a_newer_version_is_refused_and_writes_nothing(worker_a):
    person = make_person(actor=worker_a, phone="500000000")
    seen = {"phone": "500000000", "surnames": "Kowalski"}
    services.person_update(actor=worker_a, person=person, data={"phone": "600100200"})

    with pytest.raises(services.PersonVersionConflict) as excinfo:
        services.person_update(
            actor=worker_a,
            person=person,
            data={"surnames": "Nowak"},
            expected_version=1,
            seen=seen,
        )

    conflict = excinfo.value
    assert conflict.version == 2
    assert conflict.changes == [
        {"field": "phone", "label": phone_label(), "seen": "500000000", "saved": "600100200"}
    ]
    person.refresh_from_db()
    assert person.surnames == "Kowalski"
    assert person.phone == "600100200"
    assert person.version == 2
    assert updates(person).count() == 1


def test_without_the_values_seen_the_changes_come_from_the_audit_trail(worker_a, district_a):
    person = make_person(actor=worker_a, phone="500000000")
    services.person_update(actor=worker_a, person=person, data={"phone": "600100200"})
    services.person_update(actor=worker_a, person=person, data={"registered_city": "Nowowo"})

    with pytest.raises(services.PersonVersionConflict) as excinfo:
        services.person_update(
            actor=worker_a, person=person, data={"surnames": "Nowak"}, expected_version=2
        )
    # Only what changed after version 2, with the value of version 2.
    assert [(c["field"], c["seen"], c["saved"]) for c in excinfo.value.changes] == [
        ("registered_city", "Testowo", "Nowowo")
    ]


def test_the_right_version_is_saved(worker_a):
    person = make_person(actor=worker_a)
    services.person_update(actor=worker_a, person=person, data={"phone": "1"}, expected_version=1)
    services.person_update(actor=worker_a, person=person, data={"phone": "2"}, expected_version=2)
    person.refresh_from_db()
    assert (person.phone, person.version) == ("2", 3)


def test_without_an_expected_version_the_last_save_wins_as_before(worker_a):
    person = make_person(actor=worker_a)
    services.person_update(actor=worker_a, person=person, data={"phone": "1"})
    services.person_update(actor=worker_a, person=person, data={"phone": "2"})
    person.refresh_from_db()
    assert (person.phone, person.version) == ("2", 3)


# --- the edit page ----------------------------------------------------------------------------


def loaded_form(person: Person, user) -> dict:
    """The POST data of the edit form as the browser holds it right after loading the page."""
    form = PersonForm(instance=Person.objects.get(pk=person.pk), user=user, creating=False)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.disabled:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
        if field.show_hidden_initial:
            data[form.add_initial_prefix(name)] = "" if value is None else str(value)
    return data


def test_the_edit_form_carries_the_version_and_the_values_loaded(client, worker_a):
    person = make_person(actor=worker_a, phone="500000000")
    client.force_login(worker_a)
    html = client.get(reverse("people:person_edit", args=[person.pk])).content.decode()
    assert 'name="version" value="1"' in html
    assert 'name="initial-phone" value="500000000"' in html


def test_two_users_edit_the_same_person_and_the_second_gets_a_conflict(client, worker_a, head):
    person = make_person(actor=worker_a, phone="500000000")
    url = reverse("people:person_edit", args=[person.pk])
    first = loaded_form(person, worker_a)
    second = loaded_form(person, head)

    client.force_login(worker_a)
    response = client.post(url, {**first, "phone": "600100200"})
    assert response.status_code == 302

    client.force_login(head)
    response = client.post(url, {**second, "surnames": "Nowak"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="version-conflict"' in html
    assert "Someone else has changed this person" in html
    assert f"{phone_label().capitalize()}</strong>: 500000000 → 600100200" in html
    # The second user's entry is kept, over the new version and the values saved now.
    form = response.context["form"]
    assert form["surnames"].value() == "Nowak"
    # A field the second user left alone shows the value saved now, not the stale one.
    assert form["phone"].value() == "600100200"
    assert form.data["version"] == "2"
    assert form.data["initial-phone"] == "600100200"
    person.refresh_from_db()
    assert (person.surnames, person.phone, person.version) == ("Kowalski", "600100200", 2)

    # Saving again is deliberate: it applies the entry over the version now shown.
    again = {k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"}
    assert client.post(url, again).status_code == 302
    person.refresh_from_db()
    assert (person.surnames, person.version) == ("Nowak", 3)


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def call(client):
    def _call(user, method, path, body=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)}"}
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(
            f"/api/v1{path}", body, REMOTE_ADDR="10.20.30.40", **headers, **kwargs, **extra
        )

    return _call


def test_the_api_shows_the_version_and_refuses_a_stale_patch_with_409(call, worker_a):
    person = make_person(actor=worker_a, phone="500000000")
    path = f"/persons/{person.pk}"
    assert call(worker_a, "get", path).json()["version"] == 1

    ok = call(worker_a, "patch", path, {"phone": "600100200"}, HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 2

    stale = call(worker_a, "patch", path, {"surnames": "Nowak"}, HTTP_IF_MATCH="1")
    assert stale.status_code == 409
    body = stale.json()
    assert body["version"] == 2
    assert [(c["field"], c["seen"], c["saved"]) for c in body["changed"]] == [
        ("phone", "500000000", "600100200")
    ]
    assert body["errors"][0]["field"] == "phone"

    stale_field = call(worker_a, "patch", path, {"surnames": "Nowak", "version": 1})
    assert stale_field.status_code == 409
    person.refresh_from_db()
    assert (person.surnames, person.version) == ("Kowalski", 2)

    fresh = call(worker_a, "patch", path, {"surnames": "Nowak", "version": 2})
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 3


def test_a_malformed_if_match_is_422(call, worker_a):
    person = make_person(actor=worker_a)
    response = call(worker_a, "patch", f"/persons/{person.pk}", {"phone": "1"}, HTTP_IF_MATCH="x")
    assert response.status_code == 422


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language (root conftest)."""
