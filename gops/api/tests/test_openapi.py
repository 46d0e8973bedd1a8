"""The OpenAPI document at /api/v1/openapi.json: one component per schema class, the error
answers of every operation, the Idempotency-Key header where the API honours it, and the
bounds of ids and the format of dates as validated."""

import pytest
from ninja import Schema

from gops.api.api import api
from gops.api.fields import MAX_ID

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def _schema_classes():
    """Every Schema class the API reads or answers, nested ones included."""
    found, todo = set(), []
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                todo += list(operation.models) + list(operation.response_models.values())
    while todo:
        model = todo.pop()
        if not isinstance(model, type) or model in found:
            continue
        found.add(model)
        for field in getattr(model, "model_fields", {}).values():
            todo += _classes_in(field.annotation)
    return {model for model in found if issubclass(model, Schema)}


def _classes_in(annotation):
    if isinstance(annotation, type):
        return [annotation]
    return [c for arg in getattr(annotation, "__args__", ()) for c in _classes_in(arg)]


def test_no_two_schema_classes_share_a_component_name():
    # The document names components by class name: a second class of the same name replaced
    # the first, so the referral outcome was documented with the payment outcome's fields and
    # a household's members with a Blue Card's.
    by_name = {}
    for model in _schema_classes():
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    assert {name: classes for name, classes in by_name.items() if len(classes) > 1} == {}


def test_each_operation_documents_the_body_it_reads(document):
    schemas = document["components"]["schemas"]

    def body(path):
        ref = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        return schemas[ref["schema"]["$ref"].rsplit("/", 1)[-1]]

    assert "state" in body("/api/v1/referrals/{referral_id}/outcome")["required"]
    assert "outcome" in body("/api/v1/payments/{payment_id}/outcome")["required"]
    assert set(schemas["MemberOut"]["properties"]) >= {"person_id", "relation", "joined_on"}
    assert "institution" in schemas["BlueCardMemberOut"]["properties"]


def test_every_operation_documents_its_error_answers(document):
    for name, operation in _operations(document):
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), name
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            assert "404" in responses, name
        if operation.get("parameters") or "requestBody" in operation:
            assert "422" in responses, name
        if "requestBody" in operation:
            assert "400" in responses, name
        for status in ("400", "401", "403", "404", "422"):
            if status in responses and status != "409":
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (name, status)
    error = document["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail", "errors"]


def test_a_conflict_is_documented_where_the_services_raise_one(document):
    paths = document["paths"]
    for path in ("/api/v1/persons", "/api/v1/shelter/placements"):
        conflict = paths[path]["post"]["responses"]["409"]["content"]["application/json"]
        assert conflict["schema"] == {"$ref": "#/components/schemas/ConflictOut"}
    assert "409" not in paths["/api/v1/applications"]["post"]["responses"]


def test_the_idempotency_key_is_documented_on_the_posts_that_honour_it(document):
    honouring = {"POST /api/v1/payrolls", "POST /api/v1/shelter/placements"}
    for name, operation in _operations(document):
        headers = [p for p in operation.get("parameters", []) if p["name"] == "Idempotency-Key"]
        if name not in honouring:
            assert headers == [], name
            continue
        (header,) = headers
        assert header["in"] == "header"
        assert header["required"] is False
        assert header["schema"]["maxLength"] == 100
        assert "replays" in header["description"]
        assert "different request is refused with 422" in header["description"]
        created = operation["responses"]["201"]
        assert "Idempotent-Replayed" in created["headers"]
        assert "409" in operation["responses"]


def test_ids_are_bounded_and_dates_are_iso_in_the_document(document):
    plan = document["paths"]["/api/v1/families/{household_id}/plan"]["get"]
    (household_id,) = plan["parameters"]
    assert household_id["schema"]["minimum"] == 1
    assert household_id["schema"]["maximum"] == MAX_ID
    night = next(
        p
        for p in document["paths"]["/api/v1/shelter/availability"]["get"]["parameters"]
        if p["name"] == "night"
    )
    assert {"format": "date", "type": "string"} in night["schema"]["anyOf"]
