"""Session limits: a new key at sign-in, idle and absolute expiry, "log out everywhere"."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client

from gops.audit.models import AuditEntry

from .signin import LOGIN, PROFILE, sign_in

MORNING = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)


@pytest.fixture
def at_morning():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


def _entries(user, key: str) -> list:
    return [
        e
        for e in AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        if key in e.changes
    ]


def test_signing_in_issues_a_new_session_key(client, worker_a):
    """Session fixation: a key planted before the sign-in is worthless after it."""
    planted = SessionStore()
    planted["planted"] = True
    planted.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = planted.session_key

    assert sign_in(client, worker_a.username).status_code == 302
    issued = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert issued != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()
    assert client.get("/osoby/").status_code == 200

    attacker = Client()
    attacker.cookies[django_settings.SESSION_COOKIE_NAME] = planted.session_key
    assert attacker.get("/osoby/").url.startswith(LOGIN)


def test_a_session_ends_after_the_idle_time(client, worker_a, at_morning):
    sign_in(client, worker_a.username)
    at_morning.shift(timedelta(seconds=django_settings.SESSION_COOKIE_AGE - 60))
    assert client.get("/osoby/").status_code == 200
    at_morning.shift(timedelta(seconds=django_settings.SESSION_COOKIE_AGE + 60))
    assert client.get("/osoby/").url.startswith(LOGIN)


def test_the_idle_window_moves_at_most_once_a_minute_without_a_write_per_page(
    client, worker_a, at_morning
):
    sign_in(client, worker_a.username)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    at_morning.shift(timedelta(minutes=10))
    assert client.get("/osoby/").status_code == 200
    moved = expiry()
    assert moved == MORNING + timedelta(minutes=10, seconds=django_settings.SESSION_COOKIE_AGE)
    at_morning.shift(timedelta(seconds=30))
    assert client.get("/osoby/").status_code == 200
    assert expiry() == moved  # not saved again within the minute
    # The window opened at minute 10 still holds at 10 + idle − ½ minute, and ends after it.
    at_morning.shift(timedelta(seconds=django_settings.SESSION_COOKIE_AGE - 60))
    assert client.get("/osoby/").status_code == 200
    assert expiry() > moved
    at_morning.shift(timedelta(seconds=django_settings.SESSION_COOKIE_AGE + 1))
    assert client.get("/osoby/").url.startswith(LOGIN)


def test_a_session_ends_at_the_absolute_limit_however_busy(
    client, worker_a, at_morning, english_messages
):
    worker_a.language = "en"
    worker_a.save()
    assert django_settings.SESSION_ABSOLUTE_SECONDS == 10 * 3600
    sign_in(client, worker_a.username)
    # Busy all day: a page every 20 minutes keeps the idle window open.
    for _ in range(29):
        at_morning.shift(timedelta(minutes=20))
        assert client.get("/osoby/").status_code == 200
    at_morning.shift(timedelta(minutes=20))  # 10 h since the sign-in
    ended = client.get("/osoby/?page=2")
    assert ended.status_code == 302
    assert ended.url.startswith(LOGIN)
    assert "next=%2Fosoby%2F%3Fpage%3D2" in ended.url
    login_page = client.get(ended.url)
    assert "You were signed in for more than 10 hours" in login_page.content.decode()
    assert client.get("/osoby/").url.startswith(LOGIN)

    # A new sign-in starts a new ten hours.
    sign_in(client, worker_a.username)
    at_morning.shift(timedelta(minutes=20))
    assert client.get("/osoby/").status_code == 200


def test_the_absolute_limit_is_a_setting(client, worker_a, at_morning, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 15 * 60
    sign_in(client, worker_a.username)
    at_morning.shift(timedelta(minutes=14))
    assert client.get("/osoby/").status_code == 200
    at_morning.shift(timedelta(minutes=2))
    assert client.get("/osoby/").url.startswith(LOGIN)


def test_an_htmx_request_of_an_ended_session_reloads_the_whole_page(
    client, worker_a, at_morning, settings
):
    settings.SESSION_ABSOLUTE_SECONDS = 60
    sign_in(client, worker_a.username)
    at_morning.shift(timedelta(minutes=2))
    response = client.get("/osoby/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(LOGIN)


def test_log_out_everywhere_ends_the_sessions_on_every_computer(client, worker_a, english_messages):
    worker_a.language = "en"
    worker_a.save()
    office, home = client, Client()
    sign_in(office, worker_a.username)
    sign_in(home, worker_a.username)
    assert home.get("/osoby/").status_code == 200
    assert "Log out everywhere" in office.get(PROFILE).content.decode()

    response = office.post("/konto/wyloguj-wszedzie/")
    assert response.url.endswith(LOGIN)
    assert office.get("/osoby/").url.startswith(LOGIN)
    ended = home.get("/osoby/")
    assert ended.url.startswith(LOGIN)
    assert "signed out on all devices" in home.get(ended.url).content.decode()
    worker_a.refresh_from_db()
    assert worker_a.session_generation == 1
    [entry] = _entries(worker_a, "session_generation")
    assert entry.changes == {"session_generation": [0, 1]}
    assert entry.actor_username == worker_a.username

    # Signing in again works, on both computers.
    sign_in(home, worker_a.username)
    assert home.get("/osoby/").status_code == 200


def test_log_out_everywhere_is_a_post(client, worker_a):
    sign_in(client, worker_a.username)
    assert client.get("/konto/wyloguj-wszedzie/").status_code == 405
    assert client.get("/osoby/").status_code == 200


def test_an_administrator_logs_a_user_out_everywhere(client, worker_a, administrator):
    laptop = Client()
    sign_in(laptop, worker_a.username)
    assert laptop.get("/osoby/").status_code == 200

    client.force_login(administrator)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "log_out_everywhere", "_selected_action": [worker_a.pk]},
    )
    assert response.status_code == 302
    assert laptop.get("/osoby/").url.startswith(LOGIN)
    [entry] = _entries(worker_a, "session_generation")
    assert entry.actor_username == administrator.username
    assert client.get("/admin/").status_code == 200  # the administrator's own session goes on
