"""Writing the audit trail. Called by every app's services inside their transaction."""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connection, models
from encrypted_fields.fields import EncryptedFieldMixin

from . import context
from .models import AuditAction, AuditEntry

# Written into the audit instead of the text of an encrypted field (gops.core.encryption):
# the audit trail must not keep in plain text what the column keeps encrypted.
ENCRYPTED = "[encrypted]"
# Written instead of the old value of a field cleared by anonymisation (gops.dataprotection).
ANONYMISED = "(anonymised)"
_NOT_TEXT = (None, "", ENCRYPTED, ANONYMISED)


# Values that are JSON as they are: most of a snapshot, so they are let through first.
_AS_THEY_ARE = frozenset({str, int, bool, float, type(None)})


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value."""
    if type(value) in _AS_THEY_ARE:
        return value
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
    names = fields or _snapshot_names(instance._meta.concrete_model)
    return {name: _plain(getattr(instance, name)) for name in names}


@cache
def _snapshot_names(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(
        f.attname for f in model._meta.concrete_fields if f.name not in ("created_at", "updated_at")
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


@cache
def _encrypted_names(model: type[models.Model]) -> frozenset[str]:
    return frozenset(
        name
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedFieldMixin)
        for name in (f.name, f.attname)
    )


def _hide_encrypted(model: type[models.Model], changes: dict[str, Any]) -> dict[str, Any]:
    """`changes` ({"field": [old, new]}) with every non-empty value of an encrypted field of
    `model` replaced by ENCRYPTED: the entry still says that the text changed, not what it was."""
    hidden = {
        name: [ENCRYPTED if value not in _NOT_TEXT else value for value in changes[name]]
        for name in _encrypted_names(model) & changes.keys()
        if isinstance(changes[name], list | tuple)
    }
    return {**changes, **hidden}


def _entry(*, actor, action: str, ctx: context.RequestContext, instance=None, **fields):
    """An unsaved AuditEntry of `action` by `actor` on `instance`, from where `ctx` says."""
    if instance is not None:
        fields.setdefault("object_type", instance._meta.label_lower)
        fields.setdefault("object_id", str(instance.pk))
        fields.setdefault("object_repr", str(instance)[:200])
        fields.setdefault("centre_id", getattr(instance, "centre_id", None))
    if fields.get("centre_id") is None and actor is not None:
        fields["centre_id"] = getattr(actor, "centre_id", None)
    return AuditEntry(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        ip=ctx.ip,
        channel=ctx.channel,
        **fields,
    )


def _write(*, actor, action: str, instance=None, **fields) -> AuditEntry:
    entry = _entry(actor=actor, action=action, ctx=context.current(), instance=instance, **fields)
    entry.save(force_insert=True)
    return entry


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


@dataclass(frozen=True)
class Change:
    """One create, update or delete for audit_record_changes: as audit_record_change takes it."""

    instance: models.Model
    changes: dict[str, Any]
    person_id: int | None = None
    household_id: int | None = None


def audit_record_changes(
    *, actor, action: str, changes: Iterable[Change], batch_size: int = 1000
) -> int:
    """Record many creates, updates or deletes at once (a bulk import): the same entries
    audit_record_change writes one by one. Returns how many.

    On PostgreSQL they are streamed in with one COPY (a bulk INSERT of entries of a few dozen
    fields each takes four times as long); elsewhere inserted `batch_size` at a time.
    """
    assert action in (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE)
    ctx = context.current()
    entries = (
        _entry(
            actor=actor,
            action=action,
            ctx=ctx,
            instance=change.instance,
            changes=_hide_encrypted(change.instance._meta.model, change.changes),
            person_id=change.person_id,
            household_id=change.household_id,
        )
        for change in changes
    )
    if connection.vendor == "postgresql":
        from django.db.backends.postgresql.psycopg_any import is_psycopg3

        if is_psycopg3:
            return _copy_in(entries)
    written = 0
    while batch := list(itertools.islice(entries, batch_size)):
        AuditEntry.objects.bulk_create(batch)
        written += len(batch)
    return written


def _copy_in(entries: Iterable[AuditEntry]) -> int:
    """COPY unsaved `entries` into their table, each field's value prepared as save() would."""
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    statement = (
        f"COPY {connection.ops.quote_name(AuditEntry._meta.db_table)} ({columns}) FROM STDIN"
    )
    written = 0
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for entry in entries:
            values = [f.pre_save(entry, True) for f in fields]
            copy.write_row(
                [
                    None if value is None else f.get_db_prep_save(value, connection)
                    for f, value in zip(fields, values, strict=True)
                ]
            )
            written += 1
    return written


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
