"""Optimistic locking of a household's data: a save over a newer version is refused, not lost."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gops.accounts.services import api_token_create
from gops.audit.models import AuditAction, AuditEntry
from gops.core.errors import VersionConflict
from gops.people import services
from gops.people.forms import HouseholdForm
from gops.people.models import Household
from gops.people.tests.factories import make_person


@pytest.fixture
def household(worker_a) -> Household:
    person = make_person(actor=worker_a)
    return services.household_create(actor=worker_a, members=[(person, "head")], notes="Pierwsza")


def updates(household):
    return AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="people.household", object_id=str(household.pk)
    )


def label(name: str) -> str:
    return str(Household._meta.get_field(name).verbose_name)


# --- the service ------------------------------------------------------------------------------


def test_a_household_starts_at_version_1_and_each_change_adds_one(worker_a, household):
    assert household.version == 1
    services.household_update(
        actor=worker_a, household=household, data={"notes": "Druga"}, expected_version=1
    )
    household.refresh_from_db()
    assert (household.notes, household.version) == ("Druga", 2)
    # A save that changes nothing is no new version.
    services.household_update(
        actor=worker_a, household=household, data={"notes": "Druga"}, expected_version=2
    )
    household.refresh_from_db()
    assert household.version == 2
    entry = updates(household).get()
    assert entry.changes == {"notes": ["Pierwsza", "Druga"]}
    assert entry.household_id == household.pk


def test_a_save_over_a_newer_version_is_refused_and_writes_nothing(worker_a, household):
    services.household_update(actor=worker_a, household=household, data={"notes": "Druga"})

    with pytest.raises(VersionConflict) as excinfo:
        services.household_update(
            actor=worker_a,
            household=household,
            data={"notes": "Moja"},
            expected_version=1,
            seen={"notes": "Pierwsza"},
        )

    conflict = excinfo.value
    assert conflict.version == 2
    assert "household" in conflict.message
    assert conflict.changes == [
        {"field": "notes", "label": label("notes"), "seen": "Pierwsza", "saved": "Druga"}
    ]
    household.refresh_from_db()
    assert (household.notes, household.version) == ("Druga", 2)
    assert updates(household).count() == 1


def test_without_the_values_seen_the_changes_come_from_the_audit_trail(
    worker_a, head, household, district_b
):
    services.household_update(actor=worker_a, household=household, data={"notes": "Druga"})
    services.household_update(actor=head, household=household, data={"district": district_b})

    with pytest.raises(VersionConflict) as excinfo:
        services.household_update(
            actor=head, household=household, data={"notes": "Moja"}, expected_version=2
        )
    # Only what changed after version 2, with the value of version 2, named as people read it.
    assert [(c["field"], c["seen"], c["saved"]) for c in excinfo.value.changes] == [
        ("district", "Rejon A", "Rejon B")
    ]


def test_assigning_a_family_assistant_is_a_new_version_too(head, assistant, household):
    services.household_assign_family_assistant(actor=head, household=household, assistant=assistant)
    household.refresh_from_db()
    assert household.version == 2

    with pytest.raises(VersionConflict) as excinfo:
        services.household_update(
            actor=head, household=household, data={"notes": "Moja"}, expected_version=1
        )
    assert [(c["field"], c["seen"], c["saved"]) for c in excinfo.value.changes] == [
        ("family_assistant", "—", str(assistant))
    ]


def test_only_the_head_moves_a_household_to_another_district(worker_a, head, household, district_b):
    with pytest.raises(ValidationError) as excinfo:
        services.household_update(
            actor=worker_a, household=household, data={"district": district_b}
        )
    assert "district" in excinfo.value.message_dict
    services.household_update(actor=head, household=household, data={"district": district_b})
    household.refresh_from_db()
    assert household.district == district_b


def test_a_worker_of_another_district_cannot_change_the_household(worker_b, household):
    with pytest.raises(PermissionDenied):
        services.household_update(actor=worker_b, household=household, data={"notes": "x"})
    household.refresh_from_db()
    assert household.notes == "Pierwsza"


def test_only_the_households_own_fields_can_be_changed(worker_a, household):
    with pytest.raises(ValidationError):
        services.household_update(actor=worker_a, household=household, data={"centre": None})


# --- the edit page ----------------------------------------------------------------------------


def loaded_form(household: Household, user) -> dict:
    """The POST data of the edit form as the browser holds it right after loading the page."""
    form = HouseholdForm(instance=Household.objects.get(pk=household.pk), user=user)
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        data[name] = "" if value is None else str(value)
        if field.show_hidden_initial:
            data[form.add_initial_prefix(name)] = data[name]
    return data


def test_the_household_page_links_to_the_edit_form_that_carries_the_version(
    client, worker_a, household
):
    client.force_login(worker_a)
    detail = client.get(household.get_absolute_url()).content.decode()
    url = reverse("people:household_edit", args=[household.pk])
    assert url in detail
    assert "Pierwsza" in detail
    html = client.get(url).content.decode()
    assert 'name="version" value="1"' in html
    assert 'name="initial-notes" value="Pierwsza"' in html


def test_another_districts_worker_gets_404_on_the_edit_form(client, worker_b, household):
    client.force_login(worker_b)
    url = reverse("people:household_edit", args=[household.pk])
    assert client.get(url).status_code == 404


def test_two_users_edit_the_same_household_and_the_second_gets_a_conflict(
    client, worker_a, head, household, district_b
):
    url = reverse("people:household_edit", args=[household.pk])
    first = loaded_form(household, worker_a)
    second = loaded_form(household, head)

    client.force_login(worker_a)
    response = client.post(url, {**first, "notes": "Notatka pracownika"})
    assert response.status_code == 302

    client.force_login(head)
    response = client.post(url, {**second, "district": str(district_b.pk)})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="version-conflict"' in html
    assert "Someone else has changed this household" in html
    assert f"{label('notes').capitalize()}</strong>: Pierwsza → Notatka pracownika" in html
    # The second user's entry is kept; the field they left alone shows the value saved now.
    form = response.context["form"]
    assert form["district"].value() == str(district_b.pk)
    assert form["notes"].value() == "Notatka pracownika"
    assert form.data["version"] == "2"
    household.refresh_from_db()
    assert (household.notes, household.district_id, household.version) == (
        "Notatka pracownika",
        worker_a.district_id,
        2,
    )

    # Saving again is deliberate: it applies the entry over the version now shown, and keeps
    # the first user's notes.
    again = {k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"}
    assert client.post(url, again).status_code == 302
    household.refresh_from_db()
    assert (household.notes, household.district, household.version) == (
        "Notatka pracownika",
        district_b,
        3,
    )


def test_a_field_the_second_user_left_alone_takes_the_value_saved_now(client, worker_a, household):
    url = reverse("people:household_edit", args=[household.pk])
    first = loaded_form(household, worker_a)
    second = loaded_form(household, worker_a)
    client.force_login(worker_a)
    assert client.post(url, {**first, "notes": "Druga"}).status_code == 302

    response = client.post(url, second)  # saved unchanged, over version 1

    assert 'id="version-conflict"' in response.content.decode()
    form = response.context["form"]
    assert form["notes"].value() == "Druga"
    assert form.data["initial-notes"] == "Druga"


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def call(client):
    def _call(user, method, path, body=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)}"}
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/api/v1{path}", body, **headers, **kwargs, **extra)

    return _call


def test_the_api_shows_the_version_and_refuses_a_stale_patch_with_409(call, worker_a, household):
    path = f"/households/{household.pk}"
    assert call(worker_a, "get", path).json()["version"] == 1

    ok = call(worker_a, "patch", path, {"notes": "Druga"}, HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200, ok.content
    assert (ok.json()["version"], ok.json()["notes"]) == (2, "Druga")

    stale = call(worker_a, "patch", path, {"notes": "Moja"}, HTTP_IF_MATCH='W/"1"')
    assert stale.status_code == 409
    body = stale.json()
    assert body["version"] == 2
    assert [(c["field"], c["seen"], c["saved"]) for c in body["changed"]] == [
        ("notes", "Pierwsza", "Druga")
    ]
    assert body["errors"] == [{"field": "notes", "message": f"{label('notes')}: Pierwsza → Druga"}]

    stale_field = call(worker_a, "patch", path, {"notes": "Moja", "version": 1})
    assert stale_field.status_code == 409
    household.refresh_from_db()
    assert (household.notes, household.version) == ("Druga", 2)

    fresh = call(worker_a, "patch", path, {"notes": "Moja", "version": 2})
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 3


def test_the_api_refuses_a_malformed_if_match_and_hides_other_districts(
    call, worker_a, worker_b, household
):
    path = f"/households/{household.pk}"
    assert call(worker_a, "patch", path, {"notes": "x"}, HTTP_IF_MATCH="x").status_code == 422
    assert call(worker_b, "patch", path, {"notes": "x"}).status_code == 404
    household.refresh_from_db()
    assert household.notes == "Pierwsza"


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language (root conftest)."""
