"""No personal data in the logs: what the configured handlers write is masked."""

import io
import logging

import pytest
from django.urls import include, path

from gops.core.logging import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Key (pesel)=(44051401359) already exists.", "Key (pesel)=(…) already exists."),
        ("osoba 44051401359 nie", "osoba [PESEL] nie"),
        ("konto PL61 1090 1014 0000 0712 1981 2874", "konto [IBAN]"),
        ("konto 61109010140000071219812874", "konto [IBAN]"),
        ("Failing row contains (7, Jan, Kowalski).", "Failing row contains (…)."),
        # Ids, amounts and dates stay readable.
        ("/osoby/1234/ 500 12.50 2026-11-26", "/osoby/1234/ 500 12.50 2026-11-26"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


@pytest.fixture
def console():
    """The stream of the console handler configured by settings.LOGGING."""
    handler = next(h for h in logging.getLogger("django").handlers if h.name == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_server_error_log_masks_the_pesel_in_the_message_and_the_traceback(console):
    try:
        raise ValueError('duplicate key: Key (pesel)=(44051401359), "Kowalski 90010112345"')
    except ValueError:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s (%s)", "/osoby/nowa/", "90010112345", exc_info=True
        )
    written = console.getvalue()
    assert "Internal Server Error: /osoby/nowa/ ([PESEL])" in written
    assert "ValueError" in written
    assert "Traceback" in written
    assert "44051401359" not in written
    assert "90010112345" not in written


def test_an_application_log_is_masked_too(console):
    logging.getLogger("gops.payments").warning("przelew na %s", "61109010140000071219812874")
    assert "przelew na [IBAN]" in console.getvalue()


def _failing_view(request):
    raise RuntimeError(f"boom {request.GET.get('pesel')}")


# This module doubles as a URLconf for the error-page test: the project's URLs and one that fails.
urlpatterns = [path("boom/", _failing_view), path("", include("config.urls"))]


@pytest.mark.django_db
def test_the_error_page_shows_nothing_of_the_request(client, settings):
    """A failing view answers with the generic page: no traceback, no submitted data."""
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/boom/", {"pesel": "44051401359"})
    assert response.status_code == 500
    body = response.content.decode()
    assert "44051401359" not in body
    assert "RuntimeError" not in body
    assert "<h1>" in body
    assert 'href="/"' in body
