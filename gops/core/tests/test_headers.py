"""Security headers: CSP, no-store for signed-in users, framing, referrer."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

CSP_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
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
    # Neither a script nor a style may come inline: the policy never allows it.
    assert "unsafe-inline" not in response["Content-Security-Policy"]
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


# Templates rendered only into PDFs (WeasyPrint) never reach a browser, so the policy does
# not apply to them and they keep their own <style> blocks.
PDF_ONLY = re.compile(r"(_pdf\.html$|/integration/letters/)")
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=", re.IGNORECASE)


def test_no_page_template_carries_an_inline_style():
    """style-src 'self' blocks inline styles; a template that had one would render unstyled."""
    offenders = []
    for template in sorted(settings.BASE_DIR.glob("**/templates/**/*.html")):
        relative = template.relative_to(settings.BASE_DIR).as_posix()
        if relative.startswith((".venv/", "node_modules/")) or PDF_ONLY.search(relative):
            continue
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            if INLINE_STYLE.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "move these styles to static/css/gops.css:\n" + "\n".join(offenders)
