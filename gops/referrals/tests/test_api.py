"""The API: the directory, referrals (422 without consent) and their outcomes."""

from datetime import date

import pytest
import time_machine

from gops.accounts.services import api_token_create
from gops.referrals.models import Referral

from .factories import make_institution

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2025, 6, 10)):
        yield


@pytest.fixture
def api(client):
    tokens = {}

    def call(user, path, method="get", body=None):
        headers = {}
        if user is not None:
            if user.pk not in tokens:
                tokens[user.pk] = api_token_create(user=user)
            headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[user.pk]}"
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/test-api/v1{path}", body, **headers, **kwargs)

    return call


def test_without_a_token_it_is_401(api):
    assert api(None, "/institutions").status_code == 401


def test_institutions_are_listed_and_added(api, worker, centre):
    make_institution(centre=centre)
    response = api(worker, "/institutions", "post", {"name": "MOPS Kraków", "kind": "other"})
    assert response.status_code == 201
    assert response.json()["name"] == "MOPS Kraków"
    found = api(worker, "/institutions?kind=labour_office").json()
    assert [i["name"] for i in found] == ["Powiatowy Urząd Pracy w Testowie"]


def test_a_referral_without_consent_is_422(api, worker, person, centre):
    pup = make_institution(centre=centre)
    body = {
        "person_id": person.pk,
        "institution_id": pup.pk,
        "purpose": "Rejestracja",
        "consent_given": False,
    }
    response = api(worker, "/referrals", "post", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "consent_given"
    assert not Referral.objects.exists()


def test_a_referral_is_created_and_its_outcome_recorded(api, worker, person, centre):
    pup = make_institution(centre=centre)
    body = {
        "person_id": person.pk,
        "institution_id": pup.pk,
        "kind": "job_offer",
        "purpose": "Oferta pracy: magazynier",
        "consent_given": True,
        "follow_up_on": "2025-06-30",
    }
    response = api(worker, "/referrals", "post", body)
    assert response.status_code == 201
    referral_id = response.json()["id"]
    assert response.json()["state"] == "sent"
    path = f"/referrals/{referral_id}/outcome"
    assert api(worker, path, "post", {"state": "accepted"}).status_code == 200
    response = api(
        worker,
        path,
        "post",
        {"state": "done", "outcome": "Zatrudniony", "outcome_kind": "employed"},
    )
    assert response.status_code == 200
    assert response.json()["outcome_kind"] == "employed"
    assert api(worker, path, "post", {"state": "accepted"}).status_code == 422


def test_finance_cannot_refer(api, finance, worker, person, centre):
    pup = make_institution(centre=centre)
    body = {"person_id": person.pk, "institution_id": pup.pk, "purpose": "x", "consent_given": True}
    assert api(finance, "/referrals", "post", body).status_code == 403
    assert not Referral.objects.exists()
