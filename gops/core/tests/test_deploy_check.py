"""`check --deploy` must be clean with the production variables README documents."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _check(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    # Another test module may allow async-unsafe ORM use for Playwright; not for this check.
    dropped = ("DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_the_documented_production_variables():
    result = _check(
        {
            "SECRET_KEY": secrets.token_urlsafe(64),
            "FIELD_ENCRYPTION_KEYS": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "gops.gmina.example",
            "SECURE_HTTPS": "1",
            "DEBUG": "0",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_without_https_settings():
    result = _check({"SECRET_KEY": secrets.token_urlsafe(64), "SECURE_HTTPS": "0"})
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_deploy_check_warns_when_the_encryption_keys_live_beside_the_database():
    result = _check(
        {
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "gops.gmina.example",
            "SECURE_HTTPS": "1",
            "DEBUG": "0",
        }
    )
    assert result.returncode != 0
    assert "gops.W001" in result.stdout + result.stderr
