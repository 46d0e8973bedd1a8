"""Two application servers against one database serve the same session and the same data
(issue 10 §4): nothing a user needs lives in one server's memory.

Sessions, the lockout counters (django-axes), two-factor state and background jobs are in the
database (or Redis); uploaded and generated files in MEDIA_ROOT, which several servers share
as one volume. Both servers here are real gunicorn processes (the fault test's `Server`).
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from gops.people.models import Person

from .test_faults import Browser, Server

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

PASSWORD = "Dwa-serwery-2026"


class FormDefaults(HTMLParser):
    """What a browser would send of a page's main form if the user typed nothing."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            else:
                self.values[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in self.values:
                self.values[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def defaults(html: str) -> dict[str, str]:
    parser = FormDefaults()
    parser.feed(html[html.index("<main") :])
    return parser.values


def test_a_session_opened_on_one_server_works_on_the_other(tmp_path, worker_a):
    # The servers run the production hashers; the test process has a fast one configured.
    worker_a.password = PBKDF2PasswordHasher().encode(PASSWORD, "twoservers")
    worker_a.save(update_fields=["password"])

    with Server(tmp_path / "one.log") as one, Server(tmp_path / "two.log") as two:
        assert one.port != two.port
        first = Browser(one, session_id="")
        first.cookies.pop("sessionid")
        status, location, _ = first.submit(
            "/konto/logowanie/", {"username": "pracownik1", "password": PASSWORD}
        )
        assert (status, location) == (302, "/")
        session_id = first.cookies["sessionid"]

        # The same browser, now sent to the other server by the load balancer.
        second = Browser(two, session_id=session_id)
        second.cookies = dict(first.cookies)
        status, _, html = second.request("GET", "/osoby/")
        assert status == 200
        assert "Rejestr osób" in html

        # A person registered through the second server ...
        status, _, html = second.request("GET", "/osoby/nowa/")
        assert status == 200
        status, location, html = second.request(
            "POST",
            "/osoby/nowa/",
            {
                **defaults(html),
                "first_names": "Zofia",
                "surnames": "Dwuserwerowa",
                "pesel": "44051401359",
                "registered_city": "Testowo",
            },
        )
        assert status == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
        person = Person.objects.get(surnames="Dwuserwerowa")
        assert location == f"/osoby/{person.pk}/"
        # ... is read through the first, with the same session.
        status, _, html = first.request("GET", location)
        assert status == 200
        assert re.search(r"<h1[^>]*>\s*Dwuserwerowa Zofia", html)

        # Logging out on one server ends the session on both.
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
        status, _, _ = second.request("POST", "/konto/wyloguj/", {"csrfmiddlewaretoken": token})
        assert status == 302
        status, location, _ = first.request("GET", "/osoby/")
        assert status == 302
        assert location.startswith("/konto/logowanie/")
