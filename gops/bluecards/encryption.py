"""The encrypted columns of the procedure and re-encrypting them under the newest key.

django-fernet-encrypted-fields derives one Fernet key per (SECRET_KEY or a fallback) × (each
of settings.SALT_KEY, i.e. FIELD_ENCRYPTION_KEYS) and encrypts with the first pair; it reads
with any of them. Rotating a key is: put the new key first, re-save every row (this module,
through ``manage.py reencrypt_blue_cards``), then drop the old key.
"""

from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import connection, transaction
from encrypted_fields.fields import EncryptedFieldMixin


def encrypted_fields() -> list[tuple[type, list]]:
    """[(model, [its encrypted fields])] of this app."""
    found = []
    for model in apps.get_app_config("bluecards").get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
        if fields:
            found.append((model, fields))
    return found


def forget_derived_keys() -> None:
    """Drop the keys the fields derived and cached, so that they follow the settings now."""
    for _model, fields in encrypted_fields():
        for f in fields:
            f.__dict__.pop("keys", None)
            f.__dict__.pop("f", None)


@dataclass
class ReencryptReport:
    rows: int = 0
    values: int = 0
    # "model.field #pk" of values no configured key can decrypt: left untouched.
    unreadable: list[str] = field(default_factory=list)


def _raw_values(model, fields, pks=None):
    """(pk, {column: stored text}) straight from the table: no decryption on the way."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"SELECT {quote(model._meta.pk.column)}, {columns} FROM {quote(model._meta.db_table)}"
    sql += f" ORDER BY {quote(model._meta.pk.column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for row in cursor.fetchall():
            yield row[0], dict(zip([f.name for f in fields], row[1:], strict=True))


@transaction.atomic
def reencrypt_all(*, dry_run: bool = False) -> ReencryptReport:
    """Decrypt every encrypted value with any configured key and write it back encrypted with
    the first one. A value no key opens is reported and left as it is (never encrypted twice).
    One transaction: all rows or none."""
    forget_derived_keys()
    report = ReencryptReport()
    for model, fields in encrypted_fields():
        for pk, stored in _raw_values(model, fields):
            new_values = {}
            for f in fields:
                token = stored[f.name]
                if not token:
                    continue
                try:
                    plain = f.f.decrypt(token.encode()).decode()
                except InvalidToken:
                    report.unreadable.append(f"{model._meta.label_lower}.{f.name} #{pk}")
                    continue
                new_values[f.name] = plain
            if new_values:
                report.rows += 1
                report.values += len(new_values)
                if not dry_run:
                    # update() encrypts through the field with the first key; no timestamps move.
                    model._default_manager.filter(pk=pk).update(**new_values)
    if report.unreadable and not dry_run:
        transaction.set_rollback(True)
    return report


def unreadable_with_first_key() -> list[str]:
    """Values the newest key alone cannot open: what must be re-encrypted before an old key
    is dropped."""
    forget_derived_keys()
    left = []
    for model, fields in encrypted_fields():
        for pk, stored in _raw_values(model, fields):
            for f in fields:
                token = stored[f.name]
                if not token:
                    continue
                first = f.f._fernets[0] if hasattr(f.f, "_fernets") else f.f
                try:
                    first.decrypt(token.encode())
                except InvalidToken:
                    left.append(f"{model._meta.label_lower}.{f.name} #{pk}")
    return left
