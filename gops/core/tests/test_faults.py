"""The server killed in the middle of an operation leaves no half of it, and the operation can
be repeated (issue 9 §5).

Each test runs the real server — gunicorn with gunicorn.conf.py, one worker — as a child
process against the test database (committed data: ``transaction=True``; SQLite through its
file, PostgreSQL through the test database), in two lives:

1. with the test-only settings ``gops.core.tests.fault_settings``, whose app
   (fault_injection.py) makes the service stop after it has written part of its rows: the test
   sends the request, waits for the marker the server writes there, and kills the whole
   server with SIGKILL;
2. with the production settings, after the test has checked that nothing of the operation is
   left: the same request succeeds, once, with the expected figures.

Needs .venv/bin/gunicorn (a dependency) and a free port on 127.0.0.1; marked ``server``. A run
takes a few seconds per test, most of it the server starting.
"""

import concurrent.futures
import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from gops.accounts.tests.factories import make_user
from gops.audit.models import AuditAction, AuditEntry
from gops.payments.models import Payment, Payroll, ScheduleItem
from gops.payments.tests.test_services import issued_periodic
from gops.people.tests.factories import make_person
from gops.shelter import selectors as shelter_selectors
from gops.shelter.models import Placement
from gops.shelter.tests.factories import make_facility

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"
START_TIMEOUT = 60  # seconds for the server to answer (a loaded CI machine)
MARKER_TIMEOUT = 60  # seconds for the request to reach the point where it stops


def database_url() -> str:
    """The test database, for the child process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip("the server process needs the SQLite test database in a file")
        return f"sqlite:///{Path(name).resolve()}"
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        return (
            f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/"
            f"{db['NAME']}"
        )
    pytest.skip(f"no server process for {connection.vendor}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group; the group is killed on leaving the `with` block."""

    def __init__(self, log: Path, *, fault: str | None = None, marker: Path | None = None):
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "GUNICORN_BIND": f"{HOST}:{self.port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "1",
            "GUNICORN_ACCESS_LOG": "",
        }
        env.pop("DEBUG", None)
        if fault:
            env.update(
                {
                    "DJANGO_SETTINGS_MODULE": "gops.core.tests.fault_settings",
                    "GOPS_FAULT_AT": fault,
                    "GOPS_FAULT_MARKER": str(marker),
                }
            )
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", "gunicorn.conf.py", "config.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def __enter__(self) -> "Server":
        try:
            self._wait_ready()
        except BaseException:
            self.kill()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.kill()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited: {self.log.read_text()[-3000:]}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection_ = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection_.request("GET", "/konto/logowanie/")
                if connection_.getresponse().status == 200:
                    return
            time.sleep(0.2)
        pytest.fail(
            f"the server did not answer in {START_TIMEOUT} s: {self.log.read_text()[-3000:]}"
        )

    def kill(self) -> None:
        """SIGKILL to the master and its worker: nothing gets to clean up."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


class Browser:
    """A signed-in staff member's browser: their session cookie, the CSRF cookie and token."""

    def __init__(self, server: Server, session_id: str):
        self.port = server.port
        self.cookies = {"sessionid": session_id}

    def request(self, method: str, path: str, form: dict | None = None):
        http_connection = http.client.HTTPConnection(HOST, self.port, timeout=MARKER_TIMEOUT)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            http_connection.request(method, path, body=body, headers=headers)
            answer = http_connection.getresponse()
            text = answer.read().decode()
        finally:
            http_connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return answer.status, answer.headers.get("Location", ""), text

    def token(self, page: str) -> str:
        """Open `page` as the user would before submitting its form: its CSRF token."""
        status, _location, html = self.request("GET", page)
        assert status == 200, f"GET {page}: {status}"
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    def submit(self, page: str, form: dict, *, action: str | None = None):
        """Open `page` and POST `form` to `action` (default: the page)."""
        token = self.token(page)
        return self.request("POST", action or page, {"csrfmiddlewaretoken": token, **form})


def session_of(user) -> str:
    """A committed session of `user`, as after signing in (the password is not the point)."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def killed_in_the_middle(
    tmp_path: Path, *, fault: str, session_id: str, page: str, form: dict, action: str | None = None
) -> dict:
    """Send the request to a server that stops mid-way, kill the server there; what the
    operation had written before the kill (the marker)."""
    marker = tmp_path / f"{fault}.marker"
    with (
        Server(tmp_path / f"{fault}-killed.log", fault=fault, marker=marker) as server,
        concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool,
    ):
        browser = Browser(server, session_id)
        token = browser.token(page)
        pending = pool.submit(
            browser.request, "POST", action or page, {"csrfmiddlewaretoken": token, **form}
        )
        deadline = time.monotonic() + MARKER_TIMEOUT
        while not marker.exists():
            if pending.done():
                pytest.fail(f"the request finished without stopping: {pending.result()[:2]}")
            assert time.monotonic() < deadline, "the server never reached the point of the fault"
            time.sleep(0.05)
        server.kill()
        # The request never got an answer: the server died in the middle of it.
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            pending.result(timeout=MARKER_TIMEOUT)
    return json.loads(marker.read_text())


def test_a_payroll_killed_mid_generation_leaves_nothing_and_is_generated_again(
    tmp_path, worker_a, head, finance, legal_parameters_rows
):
    decision = issued_periodic(worker_a, head)  # 255.00 zł a month, July–September 2025
    session_id = session_of(finance)
    # September's payroll takes every item due by its end: July, August and September.
    form = {"month": "2025-09"}

    written = killed_in_the_middle(
        tmp_path, fault="payroll", session_id=session_id, page="/wyplaty/", form=form
    )

    # The transaction had written the payroll, its items and their payments ...
    assert written["payroll"]
    assert written["payments"] == 3
    assert written["schedule_items"] == 3
    # ... and none of it is left: no payroll, no payment, nothing planned, nothing audited.
    assert not Payroll.objects.exists()
    assert not Payment.objects.exists()
    assert not ScheduleItem.objects.exists()
    assert not AuditEntry.objects.filter(object_type="payments.payroll").exists()
    decision.refresh_from_db()
    assert decision.status == "issued"

    with Server(tmp_path / "payroll.log") as server:
        browser = Browser(server, session_id)
        status, location, _ = browser.submit("/wyplaty/", form)
        payroll = Payroll.objects.get()
        assert (status, location) == (302, f"/wyplaty/{payroll.pk}/")
        # Generating again gives the same payroll and pays nothing twice.
        assert browser.submit("/wyplaty/", form)[:2] == (302, f"/wyplaty/{payroll.pk}/")

    assert payroll.month == date(2025, 9, 1)
    assert payroll.status == "prepared"
    assert payroll.prepared_by == finance
    payments = Payment.objects.filter(payroll=payroll)
    assert sorted(payments.values_list("item__month", flat=True)) == [
        date(2025, 7, 1),
        date(2025, 8, 1),
        date(2025, 9, 1),
    ]
    assert payments.aggregate(total=Sum("amount"))["total"] == Decimal("765.00")
    assert Payment.objects.count() == 3
    assert (
        AuditEntry.objects.filter(
            object_type="payments.payroll", object_id=str(payroll.pk), action=AuditAction.CREATE
        ).count()
        == 1
    )


def test_a_placement_killed_mid_way_leaves_the_bed_free_and_is_made_again(
    tmp_path, centre, worker_a
):
    coordinator = make_user("koordynator", role="shelter_coordinator", centre=centre)
    facility = make_facility(centre=centre, beds=1)
    bed = facility.beds.get()
    person = make_person(actor=worker_a, homeless=True)  # PESEL of a man
    tonight = timezone.localdate()
    session_id = session_of(coordinator)
    page = f"/schronienie/umiesc/?bed={bed.pk}&night={tonight:%Y-%m-%d}"
    form = {"bed": bed.pk, "night": f"{tonight:%Y-%m-%d}", "person": person.pk}

    written = killed_in_the_middle(
        tmp_path,
        fault="placement",
        session_id=session_id,
        page=page,
        form=form,
        action="/schronienie/umiesc/",
    )

    # The transaction had taken the bed ...
    assert written["placement"]
    assert written["bed"] == bed.pk
    # ... and nothing of it is left: no placement, no audit entry, the bed is free tonight.
    assert not Placement.objects.exists()
    assert not AuditEntry.objects.filter(object_type="shelter.placement").exists()
    free = shelter_selectors.free_beds(
        facility_ids=[facility.pk], night=tonight, sex=person.sex, wheelchair=False
    )
    assert list(free) == [bed]

    with Server(tmp_path / "placement.log") as server:
        browser = Browser(server, session_id)
        status, location, _ = browser.submit(page, form, action="/schronienie/umiesc/")
        assert (status, location) == (302, facility.get_absolute_url())
        # Placing again is refused (already placed): back to the placing page, nothing added.
        status, location, _ = browser.submit(page, form, action="/schronienie/umiesc/")
        assert status == 302
        assert location.startswith("/schronienie/umiesc/")

    placement = Placement.objects.get()
    assert (placement.person, placement.bed, placement.check_in) == (person, bed, tonight)
    assert placement.check_out is None
    assert placement.emergency
    assert (
        AuditEntry.objects.filter(
            object_type="shelter.placement", object_id=str(placement.pk), action=AuditAction.CREATE
        ).count()
        == 1
    )
    assert not shelter_selectors.free_beds(
        facility_ids=[facility.pk], night=tonight, sex=person.sex, wheelchair=False
    ).exists()
