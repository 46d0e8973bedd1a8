"""What changed in a record since the version a user loaded: the list an optimistic-locking
conflict (gops.core.errors.VersionConflict) shows, so that nobody saves over a newer version
blindly.

A record under optimistic locking has a `version` that its update service raises by one with
every UPDATE audit entry it writes; the audit trail therefore holds the changes between any
two versions.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from encrypted_fields.fields import EncryptedFieldMixin

from .models import AuditAction, AuditEntry
from .services import _plain


def _field_of(model: type[models.Model], name: str) -> models.Field | None:
    for field in model._meta.concrete_fields:
        if field.attname == name or field.name == name:
            return field
    return None


def _display(field: models.Field, value: Any) -> str:
    """A stored value as a person reads it: choices by label, references by name."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.is_relation:
        target = field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _values_before(
    *, instance: models.Model, expected_version: int, seen: dict[str, Any] | None
) -> dict[str, Any]:
    """The values of the version the user loaded, by attname, as the audit stores them."""
    model = type(instance)
    was: dict[str, Any] = {}
    if seen is not None:
        for name, value in seen.items():
            field = _field_of(model, name)
            if field is not None:
                was[field.attname] = _plain(value)
        return was
    newer = max(instance.version - expected_version, 0)
    entries = list(
        AuditEntry.objects.filter(
            object_type=model._meta.label_lower,
            object_id=str(instance.pk),
            action=AuditAction.UPDATE,
        ).order_by("-pk")[:newer]
    )
    # The oldest entry since the loaded version holds the loaded value of each field.
    for entry in reversed(entries):
        for attname, pair in entry.changes.items():
            if isinstance(pair, list) and len(pair) == 2:
                was.setdefault(attname, pair[0])
    return was


def changes_since(
    *,
    instance: models.Model,
    now: dict[str, Any],
    expected_version: int,
    seen: dict[str, Any] | None = None,
    hidden: Iterable[str] = (),
) -> list[dict[str, str]]:
    """What changed between the version of `instance` the user loaded and the row saved now.

    `now` is the audited snapshot of the row saved now (gops.audit.services.snapshot); only its
    fields are compared. With `seen` (the values the user's form was loaded with, by field
    name) those are compared with the row; without it (the API) the audit entries of the
    updates since `expected_version` are read. Fields named in `hidden` are listed with their
    values left out ("…"), for users who may not read them.
    """
    was = _values_before(instance=instance, expected_version=expected_version, seen=seen)
    hidden = set(hidden)
    changes = []
    for field in type(instance)._meta.concrete_fields:
        if field.attname not in was or field.attname not in now:
            continue
        before, after = was[field.attname], now[field.attname]
        if (before in (None, "") and after in (None, "")) or before == after:
            continue
        secret = field.name in hidden
        # The audit keeps no text of an encrypted field, only that it changed.
        unknown = seen is None and isinstance(field, EncryptedFieldMixin) and before
        changes.append(
            {
                "field": field.name,
                "label": str(field.verbose_name),
                "seen": "…" if secret or unknown else _display(field, before),
                "saved": "…" if secret else _display(field, after),
            }
        )
    return changes
