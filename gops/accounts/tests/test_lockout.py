"""Lockout after failed sign-ins, unlocking by an administrator, and passwords set by one."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import views as auth_views
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from gops.accounts.models import User
from gops.audit.models import AuditEntry

from .factories import TEST_PASSWORD
from .signin import LOGIN, PASSWORD_CHANGE, PROFILE, sign_in

TEMPORARY = "Tymczasowe-Haslo-77"
OWN = "Moje-Wlasne-Haslo-2026"


def _entries(user, key: str) -> list:
    return [
        e
        for e in AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        if key in e.changes
    ]


def _lock(client, username: str, limit: int, **headers) -> object:
    response = None
    for _ in range(limit):
        response = sign_in(client, username, password="wrong-password", **headers)
    return response


def test_the_lockout_page_says_to_contact_the_administrator(
    client, worker_a, settings, english_messages
):
    settings.AXES_FAILURE_LIMIT = 3
    assert sign_in(client, worker_a.username, password="wrong").status_code == 200
    locked = _lock(client, worker_a.username, 2, HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Account locked" in html
    assert "blocked for 30 minutes" in html
    assert "contact the administrator of GOPS" in html
    # The right password does not help while the lock lasts.
    assert sign_in(client, worker_a.username).status_code == 429


def test_an_administrator_unlocks_sign_in_from_the_users_admin_page(
    client, worker_a, administrator, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    user_client = type(client)()
    assert _lock(user_client, worker_a.username, 3).status_code == 429
    assert AccessAttempt.objects.filter(username=worker_a.username).exists()

    client.force_login(administrator)
    changelist = client.get("/admin/accounts/user/").content.decode()
    assert 'value="unlock_sign_in"' in changelist
    response = client.post(
        "/admin/accounts/user/",
        {"action": "unlock_sign_in", "_selected_action": [worker_a.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=worker_a.username).exists()
    [entry] = _entries(worker_a, "failed_sign_ins")
    assert entry.changes == {"failed_sign_ins": [3, 0]}
    assert entry.actor_username == administrator.username

    assert sign_in(user_client, worker_a.username).status_code == 302
    assert user_client.get("/osoby/").status_code == 200


def test_a_worker_without_the_users_permission_cannot_unlock(client, worker_a, worker_b):
    worker_b.is_staff = True
    worker_b.save()
    client.force_login(worker_b)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "unlock_sign_in", "_selected_action": [worker_a.pk]},
    )
    assert response.status_code == 403
    assert not _entries(worker_a, "failed_sign_ins")


# --- Passwords: no self-service reset; temporary passwords from the administrator --------


def _views(resolver: URLResolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern)
        elif isinstance(pattern, URLPattern):
            yield getattr(pattern.callback, "view_class", pattern.callback)


def test_no_self_service_password_reset_is_routed(client):
    reset_views = {
        auth_views.PasswordResetView,
        auth_views.PasswordResetDoneView,
        auth_views.PasswordResetConfirmView,
        auth_views.PasswordResetCompleteView,
    }
    routed = set(_views(get_resolver()))
    assert not [v for v in routed if isinstance(v, type) and issubclass(v, tuple(reset_views))]
    for name in ["password_reset", "admin_password_reset", "accounts:password_reset"]:
        with pytest.raises(NoReverseMatch):
            reverse(name)
    assert client.get("/konto/haslo/reset/").status_code == 404


def test_a_password_set_by_the_administrator_must_be_changed_at_sign_in(
    client, worker_a, administrator
):
    admin_client = type(client)()
    admin_client.force_login(administrator)
    response = admin_client.post(
        f"/admin/accounts/user/{worker_a.pk}/password/",
        {"password1": TEMPORARY, "password2": TEMPORARY, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    worker_a.refresh_from_db()
    assert worker_a.must_change_password
    assert worker_a.check_password(TEMPORARY)
    [entry] = _entries(worker_a, "must_change_password")
    assert entry.changes["must_change_password"] == [False, True]
    assert entry.changes["password"] == ["***", "***"]
    assert entry.actor_username == administrator.username

    signed_in = sign_in(client, worker_a.username, password=TEMPORARY, next_url="/osoby/")
    assert signed_in.status_code == 302
    for path in ["/osoby/", "/", PROFILE, "/konto/weryfikacja/wlacz/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(PASSWORD_CHANGE), (path, response.url)
    form = client.get(f"{PASSWORD_CHANGE}?next=/osoby/")
    assert form.status_code == 200

    same = client.post(
        PASSWORD_CHANGE,
        {"old_password": TEMPORARY, "new_password1": TEMPORARY, "new_password2": TEMPORARY},
    )
    assert same.status_code == 200
    worker_a.refresh_from_db()
    assert worker_a.must_change_password

    changed = client.post(
        PASSWORD_CHANGE,
        {"old_password": TEMPORARY, "new_password1": OWN, "new_password2": OWN, "next": "/osoby/"},
    )
    assert changed.status_code == 302
    assert changed.url == "/osoby/"
    worker_a.refresh_from_db()
    assert not worker_a.must_change_password
    assert worker_a.check_password(OWN)
    assert client.get("/osoby/").status_code == 200  # the session survived the change
    # Newest first: the user's own change ended the temporary password.
    flags = [e.changes["must_change_password"] for e in _entries(worker_a, "must_change_password")]
    assert flags == [[True, False], [False, True]]


def test_a_required_role_gives_the_code_before_changing_a_temporary_password(client, head):
    head.must_change_password = True
    head.save()
    sign_in(client, head.username)
    assert client.get("/osoby/").url.startswith("/konto/weryfikacja/wlacz/")
    assert client.get(PASSWORD_CHANGE).url.startswith("/konto/weryfikacja/wlacz/")


def test_an_administrator_setting_their_own_password_is_not_asked_to_change_it(
    client, administrator
):
    client.force_login(administrator)
    response = client.post(
        f"/admin/accounts/user/{administrator.pk}/password/",
        {"password1": OWN, "password2": OWN, "usable_password": "true"},
    )
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert not administrator.must_change_password


def test_a_user_added_in_the_admin_changes_the_first_password_at_sign_in(
    client, administrator, centre
):
    client.force_login(administrator)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "nowa",
            "password1": TEMPORARY,
            "password2": TEMPORARY,
            "usable_password": "true",
            "centre": centre.pk,
            "position": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="nowa").must_change_password
    assert sign_in(type(client)(), "nowa", password=TEMPORARY).status_code == 302


def test_changing_my_password_without_a_temporary_one_goes_back_to_the_profile(client, worker_a):
    sign_in(client, worker_a.username)
    response = client.post(
        PASSWORD_CHANGE,
        {"old_password": TEST_PASSWORD, "new_password1": OWN, "new_password2": OWN},
    )
    assert response.url == PROFILE
    assert client.get(LOGIN).status_code == 302  # still signed in
