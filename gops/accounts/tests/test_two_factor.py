"""Two-factor sign-in (TOTP): required roles, enrolment, codes, removal, throttling.

Every test signs in through the real pages with codes computed from the device's key, as an
authenticator app would; none uses force_login.
"""

import re
from base64 import b32decode
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib import admin
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django_otp import login as otp_login
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from gops.accounts.services import api_token_create, two_factor_demo_device_set
from gops.accounts.two_factor import DEMO_TOTP_KEY_BASE32, totp_code
from gops.audit.models import AuditEntry

from .factories import make_totp_device
from .signin import (
    ENROL,
    LOGIN,
    PROFILE,
    REMOVE,
    VERIFY,
    current_code,
    give_code,
    session_key,
    sign_in,
    wrong_code,
)

NOON = datetime(2026, 3, 2, 11, 0, 5, tzinfo=UTC)


@pytest.fixture
def at_noon():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def _two_factor_entries(user) -> list:
    return [
        e.changes["two_factor"]
        for e in AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        if "two_factor" in e.changes
    ]


# --- Required roles ----------------------------------------------------------------------


@pytest.mark.parametrize("role_user", ["head", "administrator", "dpo"])
def test_a_required_role_without_a_device_is_held_at_enrolment(client, role_user, request):
    user = request.getfixturevalue(role_user)
    response = sign_in(client, user.username, next_url="/osoby/")
    assert response.status_code == 302
    assert response.url == "/osoby/"
    for path in ["/osoby/", "/", PROFILE, "/admin/", "/audyt/", VERIFY]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(ENROL), (path, response.url)
    assert client.get(ENROL).status_code == 200
    assert client.post("/konto/wyloguj/").url == LOGIN
    assert client.get("/osoby/").url.startswith(LOGIN)


def test_a_required_role_sets_up_the_app_with_the_qr_code_or_the_key(client, head):
    sign_in(client, head.username)
    page = client.get(f"{ENROL}?next=/osoby/")
    html = page.content.decode()
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=head)
    assert not device.confirmed
    # The key for typing in is the device's secret in base32 (what the QR code carries).
    shown = re.search(r'<code class="totp-key"[^>]*>([A-Z2-7 ]+)</code>', html).group(1)
    assert b32decode(shown.replace(" ", "")) == device.bin_key
    assert client.get("/osoby/").status_code == 302

    refused = client.post(ENROL, {"code": wrong_code(device), "next": "/osoby/"})
    assert refused.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/osoby/").url.startswith(ENROL)

    with time_machine.travel(datetime.now(tz=UTC) + timedelta(seconds=3)):
        done = client.post(ENROL, {"code": current_code(device), "next": "/osoby/"})
    assert done.status_code == 302
    assert done.url == "/osoby/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/osoby/").status_code == 200
    assert _two_factor_entries(head) == [[False, True]]


def test_a_required_role_with_a_device_gives_a_code_before_anything_else(
    client, administrator, at_noon
):
    device = make_totp_device(administrator)
    response = sign_in(client, administrator.username, next_url="/admin/")
    assert response.url == "/admin/"
    for path in ["/admin/", "/admin/accounts/user/", "/", PROFILE, ENROL]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(VERIFY), (path, response.url)
    assert client.get(VERIFY).status_code == 200

    refused = give_code(client, wrong_code(device), next_url="/admin/")
    assert refused.status_code == 200
    assert "error" in refused.content.decode()
    assert client.get("/admin/").url.startswith(VERIFY)

    at_noon.shift(timedelta(seconds=2))  # past the one-second wait after a wrong code
    accepted = give_code(client, current_code(device), next_url="/admin/")
    assert accepted.status_code == 302
    assert accepted.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_code_is_accepted_once(client, worker_a, at_noon):
    device = make_totp_device(worker_a)
    sign_in(client, worker_a.username)
    code = current_code(device)
    assert give_code(client, code).status_code == 302
    client.post("/konto/wyloguj/")
    sign_in(client, worker_a.username)
    assert give_code(client, code).status_code == 200  # replayed: refused
    at_noon.shift(timedelta(seconds=30))
    assert give_code(client, current_code(device)).status_code == 302


def test_the_admin_site_itself_refuses_an_unverified_session(administrator):
    """Besides the middleware, the admin site checks the second factor on its own."""
    device = make_totp_device(administrator)
    request = RequestFactory().get("/admin/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = administrator
    OTPMiddleware(lambda r: None)(request)
    assert not admin.site.has_permission(request)
    otp_login(request, device)
    assert admin.site.has_permission(request)


# --- Optional roles ----------------------------------------------------------------------


def test_an_optional_role_works_without_two_factor(client, worker_a):
    assert sign_in(client, worker_a.username).status_code == 302
    assert client.get("/osoby/").status_code == 200
    assert client.get(PROFILE).status_code == 200


def test_an_optional_role_turns_it_on_from_the_profile_and_is_then_asked(
    client, worker_a, english_messages, at_noon
):
    worker_a.language = "en"
    worker_a.save()
    sign_in(client, worker_a.username)
    assert "Set up two-factor authentication" in client.get(PROFILE).content.decode()
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=worker_a)
    assert client.post(ENROL, {"code": current_code(device)}).url == PROFILE
    assert "Turn off or move to a new phone" in client.get(PROFILE).content.decode()
    client.post("/konto/wyloguj/")

    at_noon.shift(timedelta(seconds=30))
    sign_in(client, worker_a.username)
    assert client.get("/osoby/").url.startswith(VERIFY)
    assert give_code(client, current_code(device)).status_code == 302
    assert client.get("/osoby/").status_code == 200


def test_turning_it_off_needs_the_password(client, worker_a, at_noon):
    device = make_totp_device(worker_a)
    sign_in(client, worker_a.username)
    give_code(client, current_code(device))

    refused = client.post(REMOVE, {"password": "not-my-password"})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(user=worker_a).exists()

    assert client.post(REMOVE, {"password": "Haslo-testowe-2025"}).url == PROFILE
    assert not TOTPDevice.objects.filter(user=worker_a).exists()
    assert client.get("/osoby/").status_code == 200  # optional: works on without it
    assert _two_factor_entries(worker_a) == [[True, False]]


def test_a_required_role_that_turns_it_off_sets_up_a_new_app_at_once(client, head, at_noon):
    device = make_totp_device(head)
    sign_in(client, head.username)
    give_code(client, current_code(device))
    assert client.post(REMOVE, {"password": "Haslo-testowe-2025"}).status_code == 302
    assert client.get("/osoby/").url.startswith(ENROL)


# --- Wrong codes: throttle and lockout ---------------------------------------------------


def test_wrong_codes_slow_down_the_device_and_then_lock_the_account(
    client, head, administrator, settings, at_noon
):
    settings.AXES_FAILURE_LIMIT = 3
    device = make_totp_device(head)
    sign_in(client, head.username)

    refused = give_code(client, wrong_code(device))
    assert refused.status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Straight after a wrong code even the right one is refused (the device waits 1 s).
    throttled = give_code(client, current_code(device))
    assert throttled.status_code == 200
    assert client.get("/osoby/").url.startswith(VERIFY)

    at_noon.shift(timedelta(seconds=5))
    locked = give_code(client, wrong_code(device))  # the third failure
    assert locked.status_code == 429
    # Signed out, and the password alone no longer opens the account.
    assert client.get("/osoby/").url.startswith(LOGIN)
    assert sign_in(client, head.username).status_code == 429

    admin_client = type(client)()
    admin_client.force_login(administrator)
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "unlock_sign_in", "_selected_action": [head.pk]},
    )
    assert response.status_code == 302
    at_noon.shift(timedelta(seconds=60))
    assert sign_in(client, head.username).status_code == 302
    assert give_code(client, current_code(device)).status_code == 302
    assert client.get("/osoby/").status_code == 200


def test_the_throttle_is_on():
    from django.conf import settings

    assert settings.OTP_TOTP_THROTTLE_FACTOR >= 1


# --- Other ways in -----------------------------------------------------------------------


def test_api_tokens_do_not_ask_for_a_second_factor(client, head):
    """Tokens are issued by an administrator (manage.py api_token) and carry no session."""
    token = api_token_create(user=head)
    response = client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_force_login_counts_as_verified_in_the_other_tests(client, head):
    client.force_login(head)
    assert client.get("/osoby/").status_code == 200
    assert TOTPDevice.objects.get(user=head).confirmed


def test_giving_the_code_issues_a_new_session_key(client, head, at_noon):
    from django.contrib.sessions.models import Session

    device = make_totp_device(head)
    sign_in(client, head.username)
    after_password = session_key(client)
    give_code(client, current_code(device))
    after_code = session_key(client)
    assert after_code
    assert after_code != after_password
    assert not Session.objects.filter(session_key=after_password).exists()


# --- The demo key and totp_code ------------------------------------------------------------


def test_totp_code_prints_the_code_of_the_demo_key_only(client, head, worker_a, settings, at_noon):
    settings.DEBUG = False
    device = two_factor_demo_device_set(user=head)
    assert device.confirmed
    out = StringIO()
    call_command("totp_code", head.username, stdout=out)
    code = out.getvalue().strip()
    assert code == current_code(device) == totp_code(device)
    sign_in(client, head.username)
    assert give_code(client, code).status_code == 302

    make_totp_device(worker_a)
    with pytest.raises(CommandError, match="Refused"):
        call_command("totp_code", worker_a.username, stdout=StringIO())
    settings.DEBUG = True
    call_command("totp_code", worker_a.username, stdout=StringIO())


def test_seed_demo_prints_the_demo_key_beside_the_accounts_that_need_it(db):
    out = StringIO()
    call_command("seed_demo", persons=2, seed=3, stdout=out)
    text = out.getvalue()
    for username in ["kierownik", "admin", "iod"]:
        assert re.search(rf"^{username}\s.*{DEMO_TOTP_KEY_BASE32}$", text, re.MULTILINE)
        device = TOTPDevice.objects.get(user__username=username)
        assert device.confirmed
        assert b32decode(DEMO_TOTP_KEY_BASE32) == device.bin_key
    assert not re.search(rf"^pracownik1\s.*{DEMO_TOTP_KEY_BASE32}", text, re.MULTILINE)
    assert not TOTPDevice.objects.filter(user__username="pracownik1").exists()


def test_an_administrator_removes_a_lost_authenticator_but_not_the_heads(
    client, administrator, worker_a, head, at_noon
):
    make_totp_device(worker_a)
    make_totp_device(head)
    client.force_login(administrator)

    refused = client.post(
        "/admin/accounts/user/",
        {"action": "remove_two_factor", "_selected_action": [worker_a.pk, head.pk]},
    )
    assert refused.status_code == 302
    assert TOTPDevice.objects.filter(user__in=[worker_a, head]).count() == 2

    client.post(
        "/admin/accounts/user/",
        {"action": "remove_two_factor", "_selected_action": [worker_a.pk]},
    )
    assert not TOTPDevice.objects.filter(user=worker_a).exists()
    [entry] = AuditEntry.objects.filter(object_id=str(worker_a.pk), changes__has_key="two_factor")
    assert entry.actor_username == administrator.username
    # Without the lost phone the user signs in with the password alone (optional role).
    assert sign_in(type(client)(), worker_a.username).status_code == 302
