"""Idempotency-Key on the POSTs that create money (payroll) or a placement: the same key
replays the same answer, another request under the key is 422, no key changes nothing."""

import hashlib
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from gops.accounts.services import api_token_create
from gops.accounts.tests.factories import make_user
from gops.api import idempotency
from gops.api.models import IdempotentRequest
from gops.payments.models import Payment, Payroll
from gops.payments.tests.test_exports import NOWAK, ZIELINSKA, issued_july_allowance
from gops.people.tests.factories import make_person
from gops.shelter.models import Placement
from gops.shelter.tests.factories import make_facility

pytestmark = pytest.mark.django_db

IBAN = "PL61109010140000071219812874"


@pytest.fixture(autouse=True)
def _english(english_messages):
    """The messages are read in English."""


@pytest.fixture
def api(client):
    tokens = {}

    def call(user, path, body, key=None):
        if user.pk not in tokens:
            tokens[user.pk] = api_token_create(user=user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[user.pk]}"}
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        return client.post(f"/api/v1{path}", body, content_type="application/json", **headers)

    return call


@pytest.fixture
def two_payees(worker_a, head):
    issued_july_allowance(worker_a, head, person=NOWAK, method="bank_transfer", bank_account=IBAN)
    issued_july_allowance(worker_a, head, person=ZIELINSKA, method="cash")


# --- payroll ---------------------------------------------------------------------------------


def test_the_same_payroll_post_twice_with_one_key_creates_once_and_replays(
    api, two_payees, finance
):
    first = api(finance, "/payrolls", {"month": "2025-07"}, key="payroll-july-1")
    second = api(finance, "/payrolls", {"month": "2025-07"}, key="payroll-july-1")
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    assert second.status_code == 201  # the stored answer, not "200: it existed"
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.content == first.content
    assert Payroll.objects.count() == 1
    assert Payment.objects.count() == 2
    stored = IdempotentRequest.objects.get()
    assert (stored.user, stored.key, stored.method) == (finance, "payroll-july-1", "POST")
    assert stored.path == "/api/v1/payrolls"
    assert stored.status_code == 201


def test_the_same_key_with_another_body_is_422_and_runs_nothing(api, two_payees, finance):
    assert api(finance, "/payrolls", {"month": "2025-07"}, key="k1").status_code == 201
    response = api(finance, "/payrolls", {"month": "2025-08"}, key="k1")
    assert response.status_code == 422
    assert response.json()["detail"] == "This Idempotency-Key was used for a different request."
    assert "Idempotent-Replayed" not in response.headers
    assert list(Payroll.objects.values_list("month", flat=True)) == [date(2025, 7, 1)]


def test_the_same_key_on_another_path_is_422_and_keys_are_per_user(
    api, two_payees, finance, coordinator_and_bed
):
    coordinator, person, bed = coordinator_and_bed
    assert api(finance, "/payrolls", {"month": "2025-07"}, key="shared").status_code == 201
    body = {"person_id": person.pk, "bed_id": bed.pk, "from": "2025-12-10"}
    response = api(finance, "/shelter/placements", body, key="shared")
    assert response.status_code == 422
    assert response.json()["detail"] == "This Idempotency-Key was used for a different request."
    # another user's key of the same text is another key: no replay of finance's payroll
    response = api(coordinator, "/payrolls", {"month": "2025-07"}, key="shared")
    assert response.status_code == 403
    assert "Idempotent-Replayed" not in response.headers
    assert IdempotentRequest.objects.filter(key="shared").count() == 2


def test_without_a_key_nothing_changes(api, two_payees, finance):
    first = api(finance, "/payrolls", {"month": "2025-07"})
    again = api(finance, "/payrolls", {"month": "2025-07"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert "Idempotent-Replayed" not in again.headers
    assert not IdempotentRequest.objects.exists()


def test_a_4xx_answer_is_stored_and_replayed(api, worker_a):
    first = api(worker_a, "/payrolls", {"month": "2025-07"}, key="not-allowed")
    second = api(worker_a, "/payrolls", {"month": "2025-07"}, key="not-allowed")
    assert first.status_code == second.status_code == 403
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.content == first.content


def test_a_schema_error_is_not_stored(api, finance):
    response = api(finance, "/payrolls", {}, key="bad")
    assert response.status_code == 422
    assert not IdempotentRequest.objects.exists()


def test_a_key_too_long_or_blank_is_422(api, two_payees, finance):
    for key in ("x" * 101, "   "):
        response = api(finance, "/payrolls", {"month": "2025-07"}, key=key)
        assert response.status_code == 422
        assert "Idempotency-Key" in response.json()["detail"]
    assert not Payroll.objects.exists()


def test_a_key_older_than_24_hours_may_be_reused(api, two_payees, finance):
    assert api(finance, "/payrolls", {"month": "2025-07"}, key="daily").status_code == 201
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        response = api(finance, "/payrolls", {"month": "2025-08"}, key="daily")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert Payroll.objects.count() == 2
    assert IdempotentRequest.objects.get(key="daily").body_hash  # the new answer replaced it
    assert IdempotentRequest.objects.count() == 1


def test_losing_a_race_for_the_key_rolls_back_and_replays_the_winner(
    api, two_payees, finance, monkeypatch
):
    """Another request with the key commits its answer after this one looked and found none:
    the unique (user, key) constraint refuses this one's row, its payroll is rolled back and
    the winner's answer comes back."""
    raw = '{"month": "2025-07"}'
    IdempotentRequest.objects.create(
        user=finance,
        key="race",
        method="POST",
        path="/api/v1/payrolls",
        body_hash=hashlib.sha256(raw.encode()).hexdigest(),
        status_code=201,
        response_body='{"id": 999}',
    )
    real_find = idempotency._find
    lookups = []

    def find(user, key):
        lookups.append(key)
        return None if len(lookups) == 1 else real_find(user, key)  # the first one was early

    monkeypatch.setattr(idempotency, "_find", find)
    response = api(finance, "/payrolls", raw, key="race")
    assert response.status_code == 201
    assert response.json() == {"id": 999}
    assert response.headers["Idempotent-Replayed"] == "true"
    assert not Payroll.objects.exists()  # this request's work was rolled back
    assert IdempotentRequest.objects.count() == 1
    assert lookups == ["race", "race"]  # looked before running, and again after the refusal


# --- placement -------------------------------------------------------------------------------


@pytest.fixture
def coordinator_and_bed(centre, district_a):
    coordinator = make_user("koordynator", role="shelter_coordinator", centre=centre)
    person = make_person(actor=coordinator, district=district_a, homeless=True)
    bed = make_facility(centre=centre, beds=2).beds.first()
    return coordinator, person, bed


@time_machine.travel(date(2025, 12, 10))
def test_the_same_placement_post_twice_with_one_key_places_once(api, coordinator_and_bed):
    coordinator, person, bed = coordinator_and_bed
    body = {"person_id": person.pk, "bed_id": bed.pk, "from": "2025-12-10", "emergency": True}
    first = api(coordinator, "/shelter/placements", body, key="place-1")
    second = api(coordinator, "/shelter/placements", body, key="place-1")
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second.headers["Idempotent-Replayed"] == "true"
    assert Placement.objects.count() == 1

    response = api(coordinator, "/shelter/placements", body | {"emergency": False}, key="place-1")
    assert response.status_code == 422
    assert response.json()["detail"] == "This Idempotency-Key was used for a different request."
    assert Placement.objects.count() == 1


@time_machine.travel(date(2025, 12, 10))
def test_a_placement_without_a_key_is_unchanged(api, coordinator_and_bed):
    coordinator, person, bed = coordinator_and_bed
    body = {"person_id": person.pk, "bed_id": bed.pk, "from": "2025-12-10", "emergency": True}
    assert api(coordinator, "/shelter/placements", body).status_code == 201
    again = api(coordinator, "/shelter/placements", body)
    assert again.status_code in (409, 422)  # the bed or the person is taken: nothing replayed
    assert "Idempotent-Replayed" not in again.headers
    assert Placement.objects.count() == 1
