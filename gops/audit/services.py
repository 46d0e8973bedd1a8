"""Writing the audit trail. Called by every app's services inside their transaction."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from encrypted_fields.fields import EncryptedFieldMixin

from . import context
from .models import AuditAction, AuditEntry

# Written into the audit instead of the text of an encrypted field (gops.core.encryption):
# the audit trail must not keep in plain text what the column keeps encrypted.
ENCRYPTED = "[encrypted]"
# Written instead of the old value of a field cleared by anonymisation (gops.dataprotection).
ANONYMISED = "(anonymised)"
_NOT_TEXT = (None, "", ENCRYPTED, ANONYMISED)


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.as_tuple().exponent == -2 else str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Field values of `instance` (foreign keys as ids), for diffing before and after a write."""
    names = fields or [
        f.attname
        for f in instance._meta.concrete_fields
        if f.name not in ("created_at", "updated_at")
    ]
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _hide_encrypted(model: type[models.Model], changes: dict[str, Any]) -> dict[str, Any]:
    """`changes` ({"field": [old, new]}) with every non-empty value of an encrypted field of
    `model` replaced by ENCRYPTED: the entry still says that the text changed, not what it was."""
    encrypted = {
        name
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedFieldMixin)
        for name in (f.name, f.attname)
    }
    return {
        name: (
            [
                ENCRYPTED if value not in (None, "", ENCRYPTED, ANONYMISED) else value
                for value in pair
            ]
            if name in encrypted and isinstance(pair, list | tuple)
            else pair
        )
        for name, pair in changes.items()
    }


def _write(*, actor, action: str, instance=None, **fields) -> AuditEntry:
    ctx = context.current()
    if instance is not None:
        fields.setdefault("object_type", instance._meta.label_lower)
        fields.setdefault("object_id", str(instance.pk))
        fields.setdefault("object_repr", str(instance)[:200])
        fields.setdefault("centre_id", getattr(instance, "centre_id", None))
    if fields.get("centre_id") is None and actor is not None:
        fields["centre_id"] = getattr(actor, "centre_id", None)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        ip=ctx.ip,
        channel=ctx.channel,
        **fields,
    )


def audit_record_change(
    *,
    actor,
    instance: models.Model,
    action: str,
    changes: dict[str, Any] | None = None,
    person_id: int | None = None,
    household_id: int | None = None,
) -> AuditEntry:
    """Record a create, update or delete of `instance` with its field changes (old → new).

    The values of encrypted fields are not written down, only that they changed (ENCRYPTED).
    """
    assert action in (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE)
    return _write(
        actor=actor,
        action=action,
        instance=instance,
        changes=_hide_encrypted(instance._meta.model, changes or {}),
        person_id=person_id,
        household_id=household_id,
    )


def audit_record_view(
    *,
    actor,
    instance: models.Model,
    person_id: int | None = None,
    household_id: int | None = None,
) -> AuditEntry:
    """Record that `actor` opened the file of a person, household or case."""
    return _write(
        actor=actor,
        action=AuditAction.VIEW,
        instance=instance,
        person_id=person_id,
        household_id=household_id,
    )


def audit_record_search(
    *, actor, query: str, result_count: int, scope: str = "people"
) -> AuditEntry:
    """Record who searched for what (the query itself is personal data too)."""
    return _write(
        actor=actor,
        action=AuditAction.SEARCH,
        object_type=scope,
        changes={"query": query, "results": result_count},
    )


def audited_save(*, actor, instance: models.Model, fields: list[str]) -> models.Model:
    """Validate and save a settings-like record, auditing `fields` old → new (create or update).

    Call inside the caller's transaction, after its permission checks.
    """
    adding = instance._state.adding
    before = {}
    if not adding:
        current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        before = snapshot(current, fields)
    instance.full_clean()
    instance.save()
    audit_record_change(
        actor=actor,
        instance=instance,
        action=AuditAction.CREATE if adding else AuditAction.UPDATE,
        changes=diff(before, snapshot(instance, fields)),
    )
    return instance
