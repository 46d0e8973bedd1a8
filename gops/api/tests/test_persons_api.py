"""The acceptance scenario of the registry API, plus its error statuses."""

import pytest

from gops.accounts.services import api_token_create
from gops.audit.models import AuditEntry

PERSON = {
    "first_names": "Stanisław",
    "surnames": "Wójcik",
    "pesel": "44051401359",
    "registered_street": "ul. Lipowa 5",
    "registered_postal_code": "00-950",
    "registered_city": "Testowo",
}


@pytest.fixture
def call(client):
    def _call(user, method, path, body=None, **extra):
        headers = {}
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {api_token_create(user=user)}"
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(
            f"/api/v1{path}", body, REMOTE_ADDR="10.20.30.40", **headers, **kwargs, **extra
        )

    return _call


def test_a_pesel_with_a_wrong_check_digit_is_refused_naming_the_field(call, worker_a):
    response = call(worker_a, "post", "/persons", {**PERSON, "pesel": "44051401358"})
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["pesel"]
    assert "PESEL" in response.json()["errors"][0]["message"]


def test_a_valid_pesel_gives_birth_date_and_sex_and_a_second_one_conflicts(call, worker_a):
    response = call(worker_a, "post", "/persons", PERSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["birth_date"] == "1944-05-14"
    assert body["sex"] == "M"
    again = call(worker_a, "post", "/persons", PERSON)
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "pesel"
    assert again.json()["existing_id"] == body["id"]


def test_search_without_diacritics_finds_the_person(call, worker_a):
    created = call(worker_a, "post", "/persons", PERSON).json()
    response = call(worker_a, "post", "/persons/search", {"q": "wojcik"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == created["id"]
    assert AuditEntry.objects.filter(action="search", changes__query="wojcik").count() == 1


def test_a_worker_of_another_district_gets_404(call, worker_a, worker_b):
    created = call(worker_a, "post", "/persons", PERSON).json()
    assert call(worker_b, "get", f"/persons/{created['id']}").status_code == 404
    assert call(worker_b, "post", "/persons/search", {"q": "wojcik"}).json()["count"] == 0
    assert call(worker_b, "patch", f"/persons/{created['id']}", {"phone": "1"}).status_code == 404


def test_the_officer_sees_who_viewed_the_person_with_time_and_ip(call, worker_a, dpo):
    created = call(worker_a, "post", "/persons", PERSON).json()
    assert call(worker_a, "get", f"/persons/{created['id']}").status_code == 200
    response = call(dpo, "get", f"/audit?person_id={created['id']}")
    assert response.status_code == 200
    views = [e for e in response.json()["items"] if e["action"] == "view"]
    assert len(views) == 1
    assert views[0]["user"] == "pracownik1"
    assert views[0]["ip"] == "10.20.30.40"
    assert views[0]["at"]


def test_the_audit_log_is_closed_to_a_social_worker(call, worker_a):
    assert call(worker_a, "get", "/audit").status_code == 403


def test_no_token_or_a_wrong_token_gives_401(call, client, worker_a):
    assert call(None, "get", "/persons").status_code == 401
    response = client.get("/api/v1/persons", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_invalid_types_give_422_naming_each_field(call, worker_a):
    response = call(worker_a, "post", "/persons", {"first_names": "A", "birth_date": "14.05.1944"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"surnames", "birth_date"}


def test_messages_follow_the_users_language(call, worker_a):
    worker_a.language = "en"
    worker_a.save()
    response = call(worker_a, "post", "/persons", {**PERSON, "pesel": "44051401358"})
    assert "check digit" in response.json()["errors"][0]["message"]


def test_patch_changes_only_given_fields_and_is_audited(call, worker_a):
    created = call(worker_a, "post", "/persons", PERSON).json()
    response = call(worker_a, "patch", f"/persons/{created['id']}", {"phone": "+48 600 100 200"})
    assert response.status_code == 200
    assert response.json()["phone"] == "+48 600 100 200"
    assert response.json()["surnames"] == "Wójcik"
    entry = AuditEntry.objects.get(action="update", person_id=created["id"])
    assert entry.changes == {"phone": ["", "+48 600 100 200"]}


def test_income_money_is_a_string_with_two_decimals(call, worker_a, finance):
    created = call(worker_a, "post", "/persons", PERSON).json()
    response = call(
        worker_a,
        "post",
        f"/persons/{created['id']}/incomes",
        {"month": "2025-02-01", "source": "old_age_pension", "net_amount": "1450.5"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["net_amount"] == "1450.50"
    denied = call(
        finance,
        "post",
        f"/persons/{created['id']}/incomes",
        {"month": "2025-02-01", "source": "wages", "net_amount": "1.00"},
    )
    assert denied.status_code == 403


def test_finance_does_not_receive_restricted_notes(call, worker_a, finance):
    created = call(worker_a, "post", "/persons", {**PERSON, "restricted_notes": "tajne"}).json()
    assert created["restricted_notes"] == "tajne"
    seen = call(finance, "get", f"/persons/{created['id']}").json()
    assert seen["restricted_notes"] is None


def test_a_household_is_created_with_its_members_and_read_back(call, worker_a, worker_b):
    head = call(worker_a, "post", "/persons", PERSON).json()
    child = call(
        worker_a,
        "post",
        "/persons",
        {**PERSON, "first_names": "Ala", "pesel": "10241212342"},
    )
    assert child.status_code == 201, child.content
    response = call(
        worker_a,
        "post",
        "/households",
        {
            "members": [
                {"person_id": head["id"], "relation": "head"},
                {"person_id": child.json()["id"], "relation": "grandchild"},
            ]
        },
    )
    assert response.status_code == 201, response.content
    household_id = response.json()["id"]
    assert len(response.json()["members"]) == 2
    assert call(worker_a, "get", f"/households/{household_id}").status_code == 200
    assert call(worker_b, "get", f"/households/{household_id}").status_code == 404
    twice = call(
        worker_a,
        "post",
        "/households",
        {"members": [{"person_id": head["id"], "relation": "head"}]},
    )
    assert twice.status_code == 422


def test_the_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/persons" in response.json()["paths"]


def test_the_search_by_pesel_keeps_the_pesel_out_of_the_url(call, worker_a):
    created = call(worker_a, "post", "/persons", PERSON).json()
    response = call(worker_a, "post", "/persons/search", {"q": PERSON["pesel"], "limit": 5})
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["items"]] == [created["id"]]
    assert PERSON["pesel"] not in response.request["PATH_INFO"]
    assert not response.request.get("QUERY_STRING")
    assert call(worker_a, "post", "/persons/search", {"limit": 0}).status_code == 422


def test_the_search_by_get_is_marked_deprecated_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["paths"]["/api/v1/persons"]["get"]["parameters"][0]["description"].startswith(
        "Deprecated"
    )
    assert "post" in schema["paths"]["/api/v1/persons/search"]
