"""Optimistic locking in the API: the version a change is based on, from the If-Match header or
the payload's `version` field, and the 409 answer with what changed since.

An endpoint that updates a versioned record (a person, a household, a draft decision) passes
`expected_version(request, payload_version)` to its service and turns the service's
VersionConflict into `conflict_response(exc)`.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status

from gops.core.errors import VersionConflict

VERSION_DESCRIPTION = (
    "the version the change is based on (or the If-Match header); "
    "a newer version saved meanwhile gives 409"
)
UPDATE_DESCRIPTION = (
    "Send the version you based the change on (If-Match header or the `version` field): if "
    "someone saved a newer version meanwhile, nothing is written and the answer is 409 with "
    "the fields changed since."
)


class ChangedField(Schema):
    field: str
    label: str
    seen: str
    saved: str


class VersionConflictOut(Schema):
    detail: str
    errors: list[dict]
    version: int = Field(description="the version saved now")
    changed: list[ChangedField]


def if_match_version(request) -> int | None:
    """The version in an If-Match header ("3", \"3\" or W/\"3\"), None without one."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw or raw == "*":
        return None
    value = raw.removeprefix("W/").strip('"')
    if not value.isdigit() or int(value) < 1:
        raise ValidationError({"If-Match": _("Give the version you based the change on, e.g. 3.")})
    return int(value)


def expected_version(request, payload_version: int | None) -> int | None:
    """The version the change is based on: the If-Match header, else the payload's field."""
    header = if_match_version(request)
    return header if header is not None else payload_version


def conflict_response(exc: VersionConflict) -> Status:
    """409 with the version saved now and the fields changed since, one error per field."""
    return Status(
        409,
        {
            "detail": exc.message,
            "errors": [
                {"field": c["field"], "message": f"{c['label']}: {c['seen']} → {c['saved']}"}
                for c in exc.changes
            ],
            "version": exc.version,
            "changed": exc.changes,
        },
    )
