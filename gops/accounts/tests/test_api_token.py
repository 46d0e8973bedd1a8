"""API bearer tokens: printed once by the command, stored only as a hash."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gops.accounts.models import ApiToken
from gops.accounts.services import api_token_authenticate, api_token_create


def run_command(username: str) -> str:
    out = StringIO()
    call_command("api_token", username, stdout=out)
    return out.getvalue().strip()


def test_the_command_prints_a_token_and_stores_only_its_sha256_hash(worker_a):
    key = run_command("pracownik1")
    assert len(key) >= 40
    token = ApiToken.objects.get(user=worker_a)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert key not in {token.key_hash, token.prefix}
    assert token.revoked is False


def test_the_printed_token_authenticates_its_user(worker_a):
    key = run_command("pracownik1")
    assert api_token_authenticate(key=key) == worker_a


def test_every_token_is_different(worker_a):
    assert run_command("pracownik1") != run_command("pracownik1")
    assert ApiToken.objects.filter(user=worker_a).count() == 2


def test_a_wrong_token_authenticates_nobody(worker_a):
    key = api_token_create(user=worker_a)
    assert api_token_authenticate(key=key + "x") is None
    assert api_token_authenticate(key=key[:-1]) is None
    assert api_token_authenticate(key="") is None
    # The stored hash is not a key either.
    assert api_token_authenticate(key=ApiToken.objects.get().key_hash) is None


def test_a_revoked_token_authenticates_nobody(worker_a):
    key = api_token_create(user=worker_a)
    ApiToken.objects.filter(user=worker_a).update(revoked=True)
    assert api_token_authenticate(key=key) is None


def test_the_token_of_an_inactive_user_authenticates_nobody(worker_a):
    key = api_token_create(user=worker_a)
    worker_a.is_active = False
    worker_a.save()
    assert api_token_authenticate(key=key) is None


def test_revoking_one_token_leaves_the_others_working(worker_a, worker_b):
    first = api_token_create(user=worker_a)
    second = api_token_create(user=worker_a)
    other = api_token_create(user=worker_b)
    ApiToken.objects.filter(prefix=first[:8]).update(revoked=True)
    assert api_token_authenticate(key=first) is None
    assert api_token_authenticate(key=second) == worker_a
    assert api_token_authenticate(key=other) == worker_b


def test_the_command_fails_for_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        run_command("nobody")
    assert ApiToken.objects.count() == 0


def test_the_command_fails_for_an_inactive_user(worker_a):
    worker_a.is_active = False
    worker_a.save()
    with pytest.raises(CommandError):
        run_command("pracownik1")
    assert ApiToken.objects.count() == 0
