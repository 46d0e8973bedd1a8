"""The API: assigning (422 over the limit with the reason), the plan (GET, POST), 404s."""

import pytest

from gops.accounts.services import api_token_create
from gops.accounts.tests.factories import make_user
from gops.families.models import FamilySupport, FamilyWorkPlan, PlanStep

from .factories import make_family

pytestmark = pytest.mark.django_db


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
        return getattr(client, method)(f"/api/v1{path}", body, **headers, **kwargs)

    return call


STEP = {
    "goal": "Poprawa frekwencji szkolnej",
    "action": "Codzienny kontakt z wychowawcą",
    "deadline": "2025-09-30",
    "expected_effect": "Frekwencja powyżej 90%",
}


def test_without_a_token_it_is_401(api, family):
    assert api(None, f"/families/{family.pk}/plan").status_code == 401


def test_the_head_assigns_and_the_sixteenth_is_422_with_the_reason(
    api, head, assistant, worker_a, district_a, settings
):
    settings.FAMILY_ASSISTANT_CASELOAD_LIMIT = 2
    households = [
        make_family(actor=worker_a, district=district_a, surname=f"Api{i}") for i in range(3)
    ]
    body = {"assistant_id": assistant.pk, "social_worker_id": worker_a.pk}
    for n, household in enumerate(households[:2], start=1):
        response = api(head, f"/families/{household.pk}/assistant", "post", body)
        assert response.status_code == 201, response.json()
        assert response.json()["assistant_caseload"] == n
        assert response.json()["caseload_limit"] == 2

    refused = api(head, f"/families/{households[2].pk}/assistant", "post", body)

    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "assistant_id"
    assert str(assistant) in error["message"]
    assert "the limit is 2" in error["message"]
    assert not FamilySupport.objects.filter(household=households[2]).exists()


def test_only_the_head_assigns_others_get_404(api, assistant, worker_a, family):
    for user in (worker_a, assistant):
        response = api(
            user, f"/families/{family.pk}/assistant", "post", {"assistant_id": assistant.pk}
        )
        assert response.status_code == 404
    assert not FamilySupport.objects.exists()


def test_the_plan_is_read_and_a_step_added(api, support, assistant, family):
    empty = api(assistant, f"/families/{family.pk}/plan")
    assert empty.status_code == 200
    assert empty.json()["steps"] == []
    assert empty.json()["next_assessment_due"] == "2025-07-15"

    response = api(assistant, f"/families/{family.pk}/plan", "post", {"step": STEP})

    assert response.status_code == 200
    [step] = response.json()["steps"]
    assert step["goal"] == STEP["goal"]
    assert step["deadline"] == "2025-09-30"
    assert step["overdue"] is False
    assert PlanStep.objects.get().plan.support_id == support.pk


def test_the_social_worker_sets_the_plan_agreement(api, support, worker_a, family):
    body = {"plan": {"agreed_on": "2025-02-01", "agreed_with_social_worker": True}}
    response = api(worker_a, f"/families/{family.pk}/plan", "post", body)
    assert response.status_code == 200
    assert response.json()["agreed_with_social_worker"] is True
    assert FamilyWorkPlan.objects.get(support=support).agreed_on.isoformat() == "2025-02-01"


def test_a_step_without_a_deadline_is_422_and_nothing_is_written(api, support, assistant, family):
    body = {
        "plan": {"agreed_on": "2025-02-01", "agreed_with_family": True, "notes": "Nowe"},
        "step": {k: v for k, v in STEP.items() if k != "deadline"},
    }
    response = api(assistant, f"/families/{family.pk}/plan", "post", body)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "step.deadline"
    assert "deadline" in error["message"]
    assert not PlanStep.objects.exists()
    # The plan part of the same request was rolled back with the step.
    assert FamilyWorkPlan.objects.get(support=support).notes == ""


def test_an_empty_body_is_422(api, support, assistant, family):
    assert api(assistant, f"/families/{family.pk}/plan", "post", {}).status_code == 422


def test_outsiders_get_404_on_every_endpoint(
    api, support, family, assistant, worker_b, finance, administrator, dpo, centre
):
    organiser = make_user("zajecia", role="activities_organiser", centre=centre)
    for user in (worker_b, finance, organiser, administrator, dpo):
        assert api(user, f"/families/{family.pk}/plan").status_code == 404, user.username
        posted = api(user, f"/families/{family.pk}/plan", "post", {"step": STEP})
        assert posted.status_code == 404, user.username
        assign = api(
            user, f"/families/{family.pk}/assistant", "post", {"assistant_id": assistant.pk}
        )
        assert assign.status_code == 404, user.username
    assert not PlanStep.objects.exists()


def test_a_household_id_beyond_the_database_range_is_422_not_a_server_error(
    api, support, assistant
):
    # Found by Schemathesis: SQLite cannot compare a larger number with a key (OverflowError).
    response = api(assistant, f"/families/{2**70}/plan")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "household_id", "message": "Enter a number of at most 9223372036854775807."}
    ]
    assert api(assistant, "/families/0/plan").status_code == 422
