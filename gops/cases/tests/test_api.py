"""The cases API keeps the same per-object checks as the pages."""

from datetime import date

import pytest
import time_machine

from gops.accounts.services import api_token_create
from gops.cases.tests.factories import make_application


@pytest.fixture
def get(client):
    def call(user, path, method="get", body=None):
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(
            f"/api/v1{path}",
            body,
            HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}",
            **kwargs,
        )

    return call


@time_machine.travel(date(2025, 6, 20))
def test_an_application_of_another_district_is_not_found(get, worker_a, worker_b, head):
    application = make_application(actor=worker_a)
    assert get(worker_a, f"/applications/{application.pk}").status_code == 200
    assert get(head, f"/applications/{application.pk}").status_code == 200
    assert get(worker_b, f"/applications/{application.pk}").status_code == 404
    response = get(
        worker_b,
        f"/applications/{application.pk}/interview",
        "post",
        {"conducted_on": "2025-06-10", "needs": "a", "diagnosis": "b", "help_plan": "c"},
    )
    assert response.status_code == 404


@time_machine.travel(date(2025, 6, 20))
def test_finance_reads_no_applications(get, worker_a, finance):
    application = make_application(actor=worker_a)
    assert get(finance, f"/applications/{application.pk}").status_code == 404


@time_machine.travel(date(2025, 6, 20))
def test_deadlines_list_the_workers_open_interviews(get, worker_a, worker_b):
    application = make_application(actor=worker_a, received_on=date(2025, 6, 2))
    mine = get(worker_a, "/deadlines").json()
    interview = [d for d in mine if d["kind"] == "interview"]
    assert interview == [
        {
            "kind": "interview",
            "label": interview[0]["label"],
            "due_on": "2025-06-23",
            "state": "soon",
            "application_id": application.pk,
            "decision_id": None,
        }
    ]
    assert get(worker_b, "/deadlines").json() == []


@time_machine.travel(date(2025, 6, 20))
def test_an_unknown_reason_code_is_a_422_naming_the_field(get, worker_a):
    application = make_application(actor=worker_a)
    response = get(
        worker_a,
        "/applications",
        "post",
        {
            "household_id": application.household_id,
            "applicant_id": application.applicant_id,
            "received_on": "2025-06-02",
            "benefits_requested": ["permanent"],
            "reasons": ["bad_luck"],
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reasons"
