"""seed_demo as a command, and what it must not leave behind when it fails.

Kept apart from test_seed_demo.py, whose module-wide seeded demo would be in the way here.
"""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gops.accounts.models import Centre, User
from gops.accounts.tests.factories import make_centre, make_user
from gops.audit.models import AuditEntry
from gops.demo import generate
from gops.demo.imported import IMPORTED_PERSONS
from gops.demo.services import DemoConflictError, demo_centre_seed
from gops.people.models import Person

USERNAMES = [spec.username for spec in generate.STAFF]
SEED = 7
TODAY = date(2026, 11, 26)


def test_the_command_prints_the_logins_password_and_address(db, settings, english_messages):
    settings.PORT = 8123
    out = StringIO()
    call_command("seed_demo", persons=5, seed=SEED, stdout=out)
    text = out.getvalue()
    for username in USERNAMES:
        assert re.search(rf"^{username}\s", text, re.MULTILINE), username
    assert text.count(generate.DEMO_PASSWORD) >= len(USERNAMES)
    assert "Rejon 1 – Lipowiec" in text
    assert "http://127.0.0.1:8123" in text
    # The registry of 5, and the persons the head imported from the previous system's file.
    assert Person.objects.count() == 5 + IMPORTED_PERSONS
    assert f"{IMPORTED_PERSONS} of them imported" in text

    out = StringIO()
    call_command("seed_demo", persons=5, seed=SEED, stdout=out)
    assert Person.objects.count() == 5 + IMPORTED_PERSONS
    assert generate.DEMO_PASSWORD in out.getvalue()


@pytest.mark.parametrize("persons", [-1, 0])
def test_the_command_refuses_a_registry_without_persons(db, persons, english_messages):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_demo", persons=persons, stdout=StringIO())


# --- Failures ------------------------------------------------------------------------------


def test_a_failure_halfway_leaves_nothing_written(db, monkeypatch):
    from gops.demo import services

    real_income_add = services.income_add
    calls = []

    def failing_income_add(**kwargs):
        calls.append(kwargs)
        if len(calls) > 5:
            raise RuntimeError("disk full")
        return real_income_add(**kwargs)

    monkeypatch.setattr(services, "income_add", failing_income_add)
    with pytest.raises(RuntimeError):
        demo_centre_seed(persons=40, seed=SEED, today=TODAY)
    assert len(calls) == 6
    assert not Centre.objects.exists()
    assert not User.objects.filter(username__in=USERNAMES).exists()
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_user_of_another_centre_is_not_taken_over(db):
    other = make_centre()
    make_user("admin", role="administrator", centre=other)
    with pytest.raises(DemoConflictError):
        demo_centre_seed(persons=5, seed=SEED, today=TODAY)
    assert list(Centre.objects.all()) == [other]
    assert User.objects.get(username="admin").centre == other
