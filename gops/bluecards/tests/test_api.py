"""POST /api/v1/blue-cards (form A) and GET /api/v1/blue-cards/{id}."""

from datetime import timedelta

import pytest

from gops.accounts.services import api_token_create
from gops.audit.models import AuditEntry
from gops.bluecards.models import BlueCard

from .conftest import TODAY
from .factories import CIRCUMSTANCES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language."""


@pytest.fixture
def api(client):
    tokens = {}

    def call(user, path, method="get", body=None):
        if user.pk not in tokens:
            tokens[user.pk] = api_token_create(user=user)
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(
            f"/api/v1{path}", body, HTTP_AUTHORIZATION=f"Bearer {tokens[user.pk]}", **kwargs
        )

    return call


def _body(family, **changes):
    body = {
        "opened_on": TODAY.isoformat(),
        "circumstances": CIRCUMSTANCES,
        "team_name": "ZI Testowo",
        "participants": [
            {"person_id": family["woman"].pk, "role": "experiencing"},
            {"person_id": family["man"].pk, "role": "using"},
            {"person_id": family["child"].pk, "role": "child_witness"},
        ],
    }
    body.update(changes)
    return body


def test_form_a_through_the_api_then_read_back(api, worker_a, family):
    response = api(worker_a, "/blue-cards", "post", _body(family))
    assert response.status_code == 201
    data = response.json()
    assert data["number"].startswith("NK/2025/")
    assert data["circumstances"] == CIRCUMSTANCES
    assert {p["role"] for p in data["participants"]} == {"experiencing", "using", "child_witness"}
    assert [d["code"] for d in data["deadlines"]] == ["to_team", "to_group", "first_meeting"]
    assert data["members"][0]["user_id"] == worker_a.pk

    read = api(worker_a, f"/blue-cards/{data['id']}")
    assert read.status_code == 200
    assert read.json()["number"] == data["number"]
    view = AuditEntry.objects.get(action="view")
    assert view.object_type == "bluecards.bluecard"
    assert view.channel == "api"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"opened_on": (TODAY + timedelta(days=1)).isoformat()},
            "opened_on",
            "The date cannot be in the future.",
        ),
        (
            {"sent_to_team_on": (TODAY - timedelta(days=2)).isoformat()},
            "sent_to_team_on",
            "Form A cannot be sent to the team before it was filled in.",
        ),
        (
            {"sent_to_team_on": (TODAY + timedelta(days=2)).isoformat()},
            "sent_to_team_on",
            "The date cannot be in the future.",
        ),
        ({"participants": []}, "participants", "Choose at least one person experiencing"),
        ({"opened_on": "10.06.2025"}, "opened_on", "Enter a valid date (YYYY-MM-DD)."),
    ],
)
def test_bad_form_a_is_422_naming_the_field(api, worker_a, family, changes, field, message):
    response = api(worker_a, "/blue-cards", "post", _body(family, **changes))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors
    assert not BlueCard.objects.exists()


def test_a_person_the_user_cannot_see_is_422_and_not_a_hint(api, worker_b, family):
    response = api(worker_b, "/blue-cards", "post", _body(family))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "participants", "message": "Unknown person."}]


def test_without_the_right_to_open_it_is_404(api, finance, family):
    assert api(finance, "/blue-cards", "post", _body(family)).status_code == 404


def test_a_card_of_someone_else_and_a_card_that_never_was_look_the_same(
    api, worker_a, worker_b, family
):
    card_id = api(worker_a, "/blue-cards", "post", _body(family)).json()["id"]
    foreign = api(worker_b, f"/blue-cards/{card_id}")
    missing = api(worker_b, f"/blue-cards/{card_id + 99}")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_the_head_reads_every_card(api, worker_a, head, family):
    card_id = api(worker_a, "/blue-cards", "post", _body(family)).json()["id"]
    assert api(head, f"/blue-cards/{card_id}").status_code == 200
