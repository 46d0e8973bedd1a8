"""Requests the API refuses before any view runs: a body that is not one JSON object (400) and
an id no database key can have (422), each with a message in the user's language."""

import pytest

from gops.accounts.services import api_token_create
from gops.people.models import Person
from gops.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(worker_a, district_a):
    return make_person(actor=worker_a, district=district_a)


def _patch(client, user, path, raw):
    return client.patch(
        f"/api/v1{path}",
        raw,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}",
    )


@pytest.mark.parametrize("raw", ["[null, null]", "5", '"Kowalski"', "null"])
def test_a_patch_whose_body_is_not_an_object_is_400_and_changes_nothing(
    english_messages, client, worker_a, person, raw
):
    # Found by Schemathesis: ninja read a list as an object with every field missing, so the
    # PATCH changed nothing and answered 200.
    before = Person.objects.get(pk=person.pk).version
    response = _patch(client, worker_a, f"/persons/{person.pk}", raw)
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body must be a JSON object.", "errors": []}
    assert Person.objects.get(pk=person.pk).version == before


def test_a_body_that_is_not_json_is_400_in_the_api_s_error_shape(
    english_messages, client, worker_a, person
):
    # ninja's own answer was {"detail": "Cannot parse request body"}, in English only.
    response = _patch(client, worker_a, f"/persons/{person.pk}", "{first_names: Jan")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body must be a JSON object.", "errors": []}


def test_an_id_beyond_the_database_range_is_422_naming_the_parameter(
    english_messages, client, worker_a
):
    response = client.get(
        f"/api/v1/persons/{2**63}",
        HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=worker_a)}",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "person_id", "message": "Enter a number of at most 9223372036854775807."}
    ]
