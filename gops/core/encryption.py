"""The encrypted columns of the whole project, converting plain ones and rotating their keys.

Columns are encrypted with django-fernet-encrypted-fields (``EncryptedFieldMixin``: the Blue
Card texts use the library's field, the others ``gops.core.models.EncryptedTextField``). The
library derives one Fernet key per (SECRET_KEY or a fallback) × (each of settings.SALT_KEY,
i.e. FIELD_ENCRYPTION_KEYS) and encrypts with the first pair; it reads with any of them.

Rotating a key is: put the new key first, re-encrypt every value (``reencrypt_all``, through
``manage.py reencrypt_fields``), check (``unreadable_with_first_key``), then drop the old key:
docs/admin/klucze-szyfrowania.md. ``encrypt_plain_values`` is the data migration that turns a
plain column into an encrypted one; migrations use it, so keep it compatible.
"""

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps as global_apps
from django.db import connection as default_connection
from django.db import migrations, transaction
from encrypted_fields.fields import EncryptedFieldMixin

BATCH_SIZE = 500


def encrypted_fields(apps=global_apps) -> list[tuple[type, list]]:
    """[(model, [its encrypted fields])] of every installed model, from the app registry."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        # Local fields only: a parent model's columns are its own table's, listed with it.
        fields = [
            f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedFieldMixin)
        ]
        if fields:
            found.append((model, fields))
    return found


def forget_derived_keys() -> None:
    """Drop the keys the fields derived and cached, so that they follow the settings now."""
    for _model, fields in encrypted_fields():
        for f in fields:
            f.__dict__.pop("keys", None)
            f.__dict__.pop("f", None)


def is_fernet_token(value: str) -> bool:
    """Whether `value` has the shape of a Fernet token (version 0x80, timestamp, IV, AES-CBC
    blocks, HMAC). Plain text left from before a column was encrypted does not."""
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii"))
    except (UnicodeEncodeError, binascii.Error, ValueError):
        return False
    return len(raw) >= 73 and raw[0] == 0x80 and (len(raw) - 57) % 16 == 0


def _decrypt(f, token: str) -> str | None:
    """The plain text of `token` with any configured key of field `f`, None if none opens it."""
    try:
        return f.f.decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def _opens_with_first_key(f, token: str) -> bool:
    try:
        Fernet(f.keys[0]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def _raw_batches(
    model, fields, *, connection=default_connection, batch_size=BATCH_SIZE, lock=False
) -> Iterator[list[tuple[object, dict[str, str | None]]]]:
    """[(pk, {field name: stored text})] in primary-key order, `batch_size` rows at a time,
    straight from the table: no decryption on the way. With `lock` each batch is read
    FOR UPDATE (where the database has it): call inside the batch's transaction."""
    quote = connection.ops.quote_name
    pk = quote(model._meta.pk.column)
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    suffix = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    last = None
    while True:
        where, params = ("", []) if last is None else (f" WHERE {pk} > %s", [last])
        sql = f"SELECT {pk}, {columns} FROM {table}{where} ORDER BY {pk} LIMIT %s{suffix}"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, batch_size])
            rows = cursor.fetchall()
        if not rows:
            return
        yield [(row[0], dict(zip([f.name for f in fields], row[1:], strict=True))) for row in rows]
        last = rows[-1][0]


def _write_raw(model, pk, values: dict[str, str], *, connection=default_connection) -> None:
    """Store `values` ({field name: text as it goes into the column}) as they are."""
    quote = connection.ops.quote_name
    names = list(values)
    assignments = ", ".join(f"{quote(model._meta.get_field(n).column)} = %s" for n in names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
            f"WHERE {quote(model._meta.pk.column)} = %s",
            [*(values[n] for n in names), pk],
        )


@dataclass
class ReencryptReport:
    rows: int = 0
    values: int = 0
    # Values that were still plain text (a column encrypted without converting its rows).
    plain: int = 0
    # "model.field #pk" of tokens no configured key can decrypt: left untouched.
    unreadable: list[str] = field(default_factory=list)


def _unreadable(batch_size: int) -> list[str]:
    found = []
    for model, fields in encrypted_fields():
        for rows in _raw_batches(model, fields, batch_size=batch_size):
            for pk, stored in rows:
                for f in fields:
                    token = stored[f.name]
                    if token and is_fernet_token(token) and _decrypt(f, token) is None:
                        found.append(f"{model._meta.label_lower}.{f.name} #{pk}")
    return found


def reencrypt_all(*, dry_run: bool = False, batch_size: int = BATCH_SIZE) -> ReencryptReport:
    """Write every encrypted value again encrypted with the first key; encrypt plain text.

    First every value is read: if a token no configured key opens exists, nothing is written
    and the report lists it (a key is missing). Then the rows are rewritten `batch_size` at a
    time, each batch in its own transaction with its rows locked, so that the application can
    keep running and an interrupted run is resumed by running it again. Values the first key
    already opens are left as they are: a second run changes nothing.
    """
    forget_derived_keys()
    report = ReencryptReport()
    report.unreadable = _unreadable(batch_size)
    if report.unreadable:
        return report
    for model, fields in encrypted_fields():
        batches = _raw_batches(model, fields, batch_size=batch_size, lock=not dry_run)
        while True:
            with transaction.atomic():
                rows = next(batches, None)
                if rows is None:
                    break
                for pk, stored in rows:
                    new_values = {}
                    for f in fields:
                        value = stored[f.name]
                        if not value:
                            continue
                        if is_fernet_token(value):
                            if _opens_with_first_key(f, value):
                                continue
                            plain = _decrypt(f, value)
                            if plain is None:  # written after the first reading
                                report.unreadable.append(
                                    f"{model._meta.label_lower}.{f.name} #{pk}"
                                )
                                continue
                        else:
                            plain = value
                            report.plain += 1
                        new_values[f.name] = f.get_prep_value(plain)
                    if new_values:
                        report.rows += 1
                        report.values += len(new_values)
                        if not dry_run:
                            _write_raw(model, pk, new_values)
    return report


def unreadable_with_first_key(*, batch_size: int = BATCH_SIZE) -> list[str]:
    """Values the newest key alone cannot open (plain text included): what must be
    re-encrypted before an old key is dropped."""
    forget_derived_keys()
    left = []
    for model, fields in encrypted_fields():
        for rows in _raw_batches(model, fields, batch_size=batch_size):
            for pk, stored in rows:
                for f in fields:
                    token = stored[f.name]
                    if token and not (is_fernet_token(token) and _opens_with_first_key(f, token)):
                        left.append(f"{model._meta.label_lower}.{f.name} #{pk}")
    return left


# --- Data migrations ----------------------------------------------------------------------


def encrypt_plain_values(model_name: str, field_names: list[str]) -> migrations.RunPython:
    """A reversible data migration for `field_names` of `model_name` ("app_label.Model"),
    run right after the AlterFields that made them encrypted.

    Forwards: every plain value is stored encrypted with the first key; a value that already
    decrypts is left alone. Backwards (before the AlterFields are undone): every value is
    stored decrypted again; a token no configured key opens stops the migration.
    """
    app_label, name = model_name.split(".")

    def _model_and_fields(apps):
        model = apps.get_model(app_label, name)
        return model, [model._meta.get_field(n) for n in field_names]

    def forwards(apps, schema_editor):
        model, fields = _model_and_fields(apps)
        connection = schema_editor.connection
        for rows in _raw_batches(model, fields, connection=connection):
            for pk, stored in rows:
                new_values = {
                    f.name: f.get_prep_value(value)
                    for f in fields
                    if (value := stored[f.name])
                    and not (is_fernet_token(value) and _decrypt(f, value) is not None)
                }
                if new_values:
                    _write_raw(model, pk, new_values, connection=connection)

    def backwards(apps, schema_editor):
        model, fields = _model_and_fields(apps)
        connection = schema_editor.connection
        for rows in _raw_batches(model, fields, connection=connection):
            for pk, stored in rows:
                new_values = {}
                for f in fields:
                    value = stored[f.name]
                    if not value or not is_fernet_token(value):
                        continue
                    plain = _decrypt(f, value)
                    if plain is None:
                        raise RuntimeError(
                            f"{model._meta.label_lower}.{f.name} #{pk} cannot be decrypted "
                            "with any configured key; is a key missing from "
                            "FIELD_ENCRYPTION_KEYS?"
                        )
                    new_values[f.name] = plain
                if new_values:
                    _write_raw(model, pk, new_values, connection=connection)

    return migrations.RunPython(forwards, backwards)
