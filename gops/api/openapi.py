"""The OpenAPI document of /api/v1: every operation also lists the error answers it may give.

django-ninja documents only the statuses a view declares (``response={201: PersonOut}``); the
errors come from the handlers in ``gops.api.api`` and have one shape, ``ErrorOut``. Each
operation gets the ones that can reach it, unless it declares its own schema for that status:

* 400 when it reads a body: the body is not one JSON object;
* 401 and 403 for every operation behind the token: a missing or wrong token, a role without
  the permission;
* 404 when the path names an object (absent, or outside the user's district), or the body or
  query names one by id;
* 409 when the body names objects that may already exist or be taken (``CONFLICT_OPERATIONS``),
  and with the Idempotency-Key (a request racing another with the same key, rarely);
* 422 when the operation reads a path, query, header or body: invalid data, or a rule of law
  that refuses them (the message says which).
"""

from ninja import Field, Schema
from ninja.openapi.schema import OpenAPISchema

from .idempotency import HEADER as IDEMPOTENCY_HEADER

ERROR_DESCRIPTIONS = {
    400: "The body is not a JSON object.",
    401: "No valid bearer token.",
    403: "The user's role does not allow this.",
    404: "The object does not exist or the user may not see it.",
    409: "Conflicts with data saved already (the answer names what).",
    422: "Invalid data or a rule refusing them; `errors` names each field.",
}

# Operations whose services raise ConflictError or NeedsConfirmation (gops.core.errors).
CONFLICT_OPERATIONS = {
    "gops_people_api_person_create",  # PESEL registered, or a similar person (confirm_similar)
    "gops_shelter_api_placement_create",  # the bed is taken, or no free bed fits
}


class FieldErrorOut(Schema):
    field: str = Field(description="the field (dotted when nested); `body` for the whole request")
    message: str = Field(description="in the user's language")


class ErrorOut(Schema):
    detail: str = Field(description="what went wrong, in the user's language")
    errors: list[FieldErrorOut]


class ConflictOut(ErrorOut):
    existing_id: int | None = Field(
        None, description="the object that exists already, if the user may see it"
    )
    candidate_ids: list[int] | None = Field(
        None, description="similar persons the user may see; resend with confirm_similar"
    )


class _ErrorResponse(Schema):
    # One field: ninja documents the field's model as a component and answers a $ref to it.
    response: ErrorOut


class _ConflictResponse(Schema):
    response: ConflictOut


def _reads_input(details: dict) -> bool:
    return bool(details.get("parameters")) or "requestBody" in details


def _mentions_id(schema, definitions: dict, seen: frozenset = frozenset()) -> bool:
    """Whether a JSON schema has a property named ``*_id`` at any depth."""
    if isinstance(schema, list):
        return any(_mentions_id(item, definitions, seen) for item in schema)
    if not isinstance(schema, dict):
        return False
    ref = schema.get("$ref", "")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return name not in seen and _mentions_id(definitions.get(name), definitions, seen | {name})
    if any(key.endswith("_id") for key in schema.get("properties", {})):
        return True
    return any(_mentions_id(value, definitions, seen) for value in schema.values())


class GopsOpenAPISchema(OpenAPISchema):
    """ninja's document plus the error answers of each operation (see the module)."""

    def operation_details(self, operation) -> dict:
        details = super().operation_details(operation)
        responses = details["responses"]
        codes = set()
        if operation.auth_callbacks:
            codes |= {401, 403}
        parameters = details.get("parameters", [])
        if any(p["in"] == "path" or p["name"].endswith("_id") for p in parameters) or _mentions_id(
            details.get("requestBody"), self.schemas
        ):
            codes.add(404)
        if _reads_input(details):
            codes.add(422)
        if details["operationId"] in CONFLICT_OPERATIONS or any(
            p["name"] == IDEMPOTENCY_HEADER for p in parameters
        ):
            codes.add(409)
        if details.get("requestBody"):
            codes.add(400)
        for code in sorted(codes):
            if code in responses:
                continue
            model = _ConflictResponse if code == 409 else _ErrorResponse
            schema = self._create_schema_from_model(model, mode="serialization")[0]
            responses[code] = {
                "description": ERROR_DESCRIPTIONS[code],
                "content": {self.api.renderer.media_type: {"schema": schema}},
            }
        details["responses"] = dict(sorted(responses.items()))
        return details
