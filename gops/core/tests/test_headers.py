"""Security headers: CSP, no-store for signed-in users, framing, referrer."""

import pytest
from django.urls import reverse

CSP_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip() for part in header.split(";"))
    return {p.split(" ", 1)[0]: p for p in parts if p}


@pytest.mark.django_db
def test_login_page_has_the_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    directives = _directives(response["Content-Security-Policy"])
    for expected in CSP_DIRECTIVES:
        assert directives[expected.split(" ", 1)[0]] == expected
    # Styles: our own sheet, plus inline <style> blocks some templates still carry.
    assert directives["style-src"].startswith("style-src 'self'")
    # No script may run inline: the policy never allows it.
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_signed_in_page_is_not_stored(client, worker_a):
    client.force_login(worker_a)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert response["Pragma"] == "no-cache"
    assert "Content-Security-Policy" in response


def test_anonymous_responses_are_left_alone(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from gops.core.middleware import NoStoreForAuthenticatedMiddleware

    request = rf.get("/")
    request.user = AnonymousUser()
    response = NoStoreForAuthenticatedMiddleware(lambda r: HttpResponse("x"))(request)
    assert "Cache-Control" not in response
    assert "Pragma" not in response


@pytest.mark.django_db
def test_a_view_that_sets_its_own_cache_control_keeps_it(rf, worker_a):
    from django.http import HttpResponse

    from gops.core.middleware import NoStoreForAuthenticatedMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "max-age=60"
        return response

    request = rf.get("/")
    request.user = worker_a
    response = NoStoreForAuthenticatedMiddleware(view)(request)
    assert response["Cache-Control"] == "max-age=60"
    assert "Pragma" not in response


@pytest.mark.django_db
def test_static_files_are_not_given_no_store(client, worker_a):
    client.force_login(worker_a)
    response = client.get("/static/js/gops.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    b"".join(response.streaming_content)


@pytest.mark.django_db
def test_frames_referrer_and_sniffing(client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_csrf_cookie_is_http_only(client):
    response = client.get(reverse("accounts:login"))
    cookie = response.cookies.get("csrftoken")
    assert cookie is not None
    assert cookie["httponly"]


@pytest.mark.django_db
def test_api_docs_page_is_left_out_of_the_policy(client):
    # django-ninja's Swagger UI loads from a CDN with an inline script.
    response = client.get("/api/v1/docs")
    assert "Content-Security-Policy" not in response
