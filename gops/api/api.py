"""The REST API (django-ninja) under /api/v1/, assembled from each app's api.py.

Tokens act with their user's permissions through the very selectors and services the pages
use. Errors are JSON with a message in the user's language:
``{"detail": "...", "errors": [{"field": "pesel", "message": "..."}]}``.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from gops.accounts.models import ApiToken
from gops.accounts.services import api_token_authenticate
from gops.core.errors import ConflictError, NeedsConfirmation

from .openapi import GopsOpenAPISchema


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = api_token_authenticate(key=token)
        if user is None:
            return None
        request.user = user
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        ApiToken.objects.filter(key_hash=ApiToken.hash(token)).update(last_used_at=timezone.now())
        return user


class JsonObjectParser(Parser):
    """Every body of this API is one JSON object. ninja would read any other JSON (a list, a
    number) as an object whose fields are all missing, so a PATCH of ``[null]`` changed nothing
    and answered 200; here it is refused (400, see ``http_error``)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return data


class GopsAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """ninja's document with each operation's error answers (gops.api.openapi)."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return GopsOpenAPISchema(self, path_prefix)


api = GopsAPI(
    title="GOPS API",
    version="1",
    description="Case management for social welfare centres. Authenticate with "
    "`Authorization: Bearer <token>` (`python manage.py api_token USERNAME`).",
    auth=BearerToken(),
    parser=JsonObjectParser(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

# Pydantic's messages are English only: each error type gets a translated message here.
_SCHEMA_MESSAGES = {
    "missing": lambda: _("This field is required."),
    "date_parsing": lambda: _("Enter a valid date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": lambda: _("Enter a valid date (YYYY-MM-DD)."),
    "date_type": lambda: _("Enter a valid date (YYYY-MM-DD)."),
    "decimal_parsing": lambda: _("Enter an amount such as 1013.00."),
    "decimal_type": lambda: _("Enter an amount such as 1013.00."),
    "decimal_max_places": lambda: _("An amount has at most two decimal places."),
    "string_too_long": lambda: _("The text is too long."),
    "string_type": lambda: _("Enter text."),
    "int_parsing": lambda: _("Enter a whole number."),
    "bool_parsing": lambda: _("Enter true or false."),
    "literal_error": lambda: _("Choose one of the allowed values."),
    "enum": lambda: _("Choose one of the allowed values."),
    "extra_forbidden": lambda: _("Unknown field."),
}


def _schema_message(err: dict) -> str:
    kind = err.get("type", "")
    limits = err.get("ctx") or {}
    if kind == "greater_than_equal" and "ge" in limits:
        return _("Enter a number of at least %(limit)s.") % {"limit": limits["ge"]}
    if kind == "less_than_equal" and "le" in limits:
        return _("Enter a number of at most %(limit)s.") % {"limit": limits["le"]}
    make = _SCHEMA_MESSAGES.get(kind)
    return make() if make else _("Invalid value.")


def _error(request, status: int, detail: str, errors: list[dict] | None = None, **extra):
    body = {"detail": detail, "errors": errors or []}
    body.update(extra)
    return api.create_response(request, body, status=status)


@api.exception_handler(SchemaValidationError)
def schema_invalid(request, exc: SchemaValidationError):
    errors = []
    for err in exc.errors:
        loc = [
            str(part)
            for part in err.get("loc", ())
            if part not in ("body", "payload", "query", "path")
        ]
        field = ".".join(loc) or "body"
        errors.append({"field": field, "message": _schema_message(err)})
    return _error(request, 422, _("The data are invalid."), errors)


@api.exception_handler(DjangoValidationError)
def domain_invalid(request, exc: DjangoValidationError):
    errors = []
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            name = "body" if field == "__all__" else field
            errors += [{"field": name, "message": m} for m in messages]
    else:
        errors = [{"field": "body", "message": m} for m in exc.messages]
    return _error(request, 422, _("The data are invalid."), errors)


@api.exception_handler(ConflictError)
def conflict(request, exc: ConflictError):
    extra = {}
    existing = exc.existing
    if existing is not None and _visible(request, existing):
        extra["existing_id"] = existing.pk
    field_errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
    return _error(request, 409, exc.message, field_errors, **extra)


@api.exception_handler(NeedsConfirmation)
def needs_confirmation(request, exc: NeedsConfirmation):
    ids = [c.pk for c in exc.candidates if _visible(request, c)]
    return _error(
        request,
        409,
        exc.message + " " + _('Send "confirm_similar": true to register anyway.'),
        candidate_ids=ids,
    )


def _visible(request, person) -> bool:
    from gops.people.selectors import person_queryset_for_user

    return person_queryset_for_user(user=request.user).filter(pk=person.pk).exists()


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, _("You are not allowed to do this."))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja raises it (400) for a body that is not JSON; its message is English only.
    if exc.status_code == 400:
        return _error(request, 400, _("The request body must be a JSON object."))
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    response = _error(request, 401, _("Authentication required: send a valid bearer token."))
    response["WWW-Authenticate"] = "Bearer"
    return response


from gops.activities.api import router as activities_router  # noqa: E402
from gops.audit.api import router as audit_router  # noqa: E402
from gops.benefits.api import router as benefits_router  # noqa: E402
from gops.bluecards.api import router as bluecards_router  # noqa: E402
from gops.cases.api import router as cases_router  # noqa: E402
from gops.families.api import router as families_router  # noqa: E402
from gops.integration.api import router as integration_router  # noqa: E402
from gops.payments.api import router as payments_router  # noqa: E402
from gops.people.api import router as people_router  # noqa: E402
from gops.referrals.api import router as referrals_router  # noqa: E402
from gops.reports.api import router as reports_router  # noqa: E402
from gops.shelter.api import router as shelter_router  # noqa: E402

api.add_router("/", people_router)
api.add_router("/", cases_router)
api.add_router("/", benefits_router)
api.add_router("/", referrals_router)
api.add_router("/", activities_router)
api.add_router("/", payments_router)
api.add_router("/audit", audit_router)
api.add_router("/shelter", shelter_router)
api.add_router("/", families_router)
api.add_router("/", bluecards_router)
api.add_router("/", integration_router)
api.add_router("/", reports_router)
