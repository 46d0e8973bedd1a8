"""Deployment check: the keys of the encrypted columns must not live beside the database."""

import os

from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def field_encryption_keys_from_environment(app_configs, **kwargs):
    """gops.W001: the keys of every encrypted column (gops.core.encryption) come from the
    environment, not from var/ (docs/admin/klucze-szyfrowania.md)."""
    if os.environ.get("FIELD_ENCRYPTION_KEYS", "").strip():
        return []
    return [
        Warning(
            "FIELD_ENCRYPTION_KEYS is not set: the key of the encrypted texts (case notes, "
            "community interviews, restricted notes, Blue Cards, ...) is generated into var/, "
            "beside the SQLite database, so a copy of var/ holds both.",
            hint="Set FIELD_ENCRYPTION_KEYS (and SECRET_KEY) in the environment and keep them "
            "apart from the backups: docs/admin/klucze-szyfrowania.md.",
            id="gops.W001",
        )
    ]
