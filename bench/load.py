"""Load benchmark: 50 staff users on gunicorn and PostgreSQL, over loopback, for 2 minutes.

    make bench-load                 # or: .venv/bin/python bench/load.py [--help]
    .venv/bin/python bench/load.py --quick          # a 10-second smoke run

Uses its own database (BENCH_LOAD_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/gops_bench_load): creates and migrates it and fills it with
``seed_demo --persons N`` (3,000 persons by default, ten times the demo) on the first run, and
reuses it later (``--fresh`` drops it first). Adds the benchmark's staff accounts to the demo
centre: social workers of both districts and finance staff (none of them a role that signs in
with a second factor).

Then starts gunicorn (gunicorn.conf.py, bound to 127.0.0.1 only) and, with aiohttp, signs the
users in through the login form and lets each of them work until the time is up, with think
time between pages: open the registry, search by a surname prefix (the htmx POST of the search
box, with its CSRF and HX headers), open a person's file and the panels htmx loads into it,
open a case, and save — a social work note on the case, or the person's phone through the edit
form. Finance staff search and read files, the payroll list and a payroll, and the budget.
Every request is timed from sending to the last byte of the answer; an error is any answer
other than 2xx/3xx, a refused save or an exception (timeouts included). gunicorn is stopped at
the end, on Ctrl-C too. Nothing but 127.0.0.1 is contacted; the run stops by itself.

Prints a table per kind of request (count, errors, p50/p95/p99), the total requests per second
and the server-side times from gunicorn's access log, and writes them to
var/bench/load-<time>.json and .md. The goal (issue 9): no errors, p95 under 300 ms on 2 cores.
See docs/performance.md, "Load".
"""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import resource
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from common import cpu_model
from httpbench import (
    CSRF_FIELD,
    CSRF_HEADER,
    DIGITS,
    HOST,
    PostgresCpu,
    Server,
    cpu_times,
    free_port,
    gunicorn_config,
    interrupt_on_sigterm,
    server_times,
    summary,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gops_bench_load"
BENCH_URL = os.environ.get("BENCH_LOAD_DATABASE_URL", DEFAULT_URL)
P95_GOAL_MS = 300.0
# The benchmark's accounts (username prefix) in the demo centre.
ACCOUNT_PREFIX = "obc-"
SOCIAL_WORKER_PREFIX = f"{ACCOUNT_PREFIX}pracownik"
FINANCE_PREFIX = f"{ACCOUNT_PREFIX}ksiegowa"


# --- Database and accounts -------------------------------------------------------------------


def database_prepare(url: str, *, fresh: bool) -> None:
    """Create (or, with `fresh`, drop and create) the benchmark database."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def data_prepare(*, persons: int, social_workers: int, finance: int) -> dict:
    """Migrate, seed the demo centre once, add the benchmark's staff; what the users need."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from gops.accounts.models import District, User
    from gops.demo.generate import CENTRE, DEMO_PASSWORD
    from gops.people.models import Person

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from gops.accounts.models import Centre

    centre = Centre.objects.filter(teryt=CENTRE.teryt).first()
    if centre is None or not Person.objects.filter(centre=centre).exists():
        print(f"seeding the demo centre with {persons} persons (once; a few minutes)…")
        call_command("seed_demo", persons=persons, stdout=open(os.devnull, "w"))  # noqa: SIM115
        centre = Centre.objects.get(teryt=CENTRE.teryt)
    registry = Person.objects.filter(centre=centre).count()
    if registry != persons:
        print(f"note: the database holds {registry} persons (--fresh reseeds with {persons})")
    districts = list(District.objects.filter(centre=centre).order_by("pk"))
    password_hash = make_password(DEMO_PASSWORD)
    groups = {g.name: g for g in Group.objects.filter(name__in=["social_worker", "finance"])}
    accounts = []
    for n in range(social_workers):
        district = districts[n % len(districts)]
        accounts.append(
            (f"{SOCIAL_WORKER_PREFIX}{n + 1:02d}", "social_worker", district, f"Pracownik {n + 1}")
        )
    for n in range(finance):
        accounts.append((f"{FINANCE_PREFIX}{n + 1:02d}", "finance", None, f"Księgowa {n + 1}"))
    users = []
    for username, role, district, last_name in accounts:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "centre": centre,
                "district": district,
                "first_name": "Test",
                "last_name": last_name,
                "password": password_hash,
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
            },
        )
        user.groups.set([groups[role]])
        users.append(
            {
                "username": username,
                "role": role,
                "district": districts.index(district) if district else None,
            }
        )
    # Surname prefixes a worker would type: 3–5 letters of surnames of the district's persons.
    rng = random.Random(9)
    prefixes: dict[int | None, list[str]] = {}
    for index, district in enumerate([*districts, None]):
        qs = Person.objects.filter(centre=centre)
        if district is not None:
            qs = qs.filter(district=district)
        surnames = list(qs.values_list("surnames", flat=True).order_by("pk")[:2000])
        prefixes[index if district else None] = sorted(
            {
                s.split("-")[0][: rng.randint(3, 5)]
                for s in rng.sample(surnames, min(200, len(surnames)))
            }
        )
    saves = _bench_saves()
    connection.close()
    return {
        "password": DEMO_PASSWORD,
        "users": users,
        "prefixes": prefixes,
        "registry": registry,
        "saves_before": saves,
        "prepare_seconds": time.perf_counter() - started,
    }


def _bench_saves() -> dict[str, int]:
    """Notes written and persons changed by the benchmark's accounts, as the database has them
    (note texts are encrypted, so they are counted by author)."""
    from gops.audit.models import AuditAction, AuditEntry
    from gops.cases.models import CaseNote

    return {
        "note": CaseNote.objects.filter(author__username__startswith=ACCOUNT_PREFIX).count(),
        "person": AuditEntry.objects.filter(
            actor_username__startswith=ACCOUNT_PREFIX,
            action=AuditAction.UPDATE,
            object_type="people.person",
        ).count(),
    }


# --- HTML: forms, links, htmx panels ---------------------------------------------------------


class FormParser(HTMLParser):
    """Every <form> of a page with the values a browser would submit (no button)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"attrs": a, "fields": []}
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append(
                (name, a.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": []}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            options = self._select["options"]
            chosen = [value for value, selected in options if selected]
            if not self._select["multiple"] and not chosen and options:
                chosen = [options[0][0]]
            self._form["fields"].extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._textarea["text"])
            # The HTML parser keeps the newline a browser drops right after <textarea>.
            self._form["fields"].append((self._textarea["name"], text.removeprefix("\n")))
            self._textarea = None


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def main_form(html: str) -> dict | None:
    """The page's own POST form (the header's logout form left out)."""
    for form in forms_of(html):
        if form["attrs"].get("method", "").lower() == "post" and "/wyloguj/" not in form[
            "attrs"
        ].get("action", ""):
            return form
    return None


PANEL = re.compile(r'<div hx-get="([^"]+)" hx-trigger="load"')
PERSON_LINK = re.compile(r'href="/osoby/(\d+)/"')
CASE_LINK = re.compile(r'href="/sprawy/(\d+)/"')
PAYROLL_LINK = re.compile(r'href="/wyplaty/(\d+)/"')


# --- Measurements ----------------------------------------------------------------------------


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)
    saves: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def ok(self, kind: str, ms: float) -> None:
        self.times[kind].append(ms)

    def error(self, kind: str, what: str) -> None:
        self.errors[kind] += 1
        if len(self.samples) < 30:
            self.samples.append(f"{kind}: {what}")

    def table(self) -> dict:
        kinds = sorted(set(self.times) | set(self.errors))
        rows = {k: summary(self.times.get(k, []), errors=self.errors.get(k, 0)) for k in kinds}
        everything = [t for k in kinds for t in self.times.get(k, [])]
        return {"kinds": rows, "all": summary(everything, errors=sum(self.errors.values()))}


class Failed(Exception):
    """A request that counts as an error; the user starts the next round."""


# --- Simulated staff -------------------------------------------------------------------------


class Staff:
    """One person at a browser: their own session (cookies), up to 6 connections like a browser."""

    def __init__(self, *, base: str, account: dict, stats: Stats, rng: random.Random, run):
        import aiohttp

        self.base = base
        self.account = account
        self.stats = stats
        self.rng = rng
        self.run = run
        # unsafe=True: aiohttp otherwise keeps no cookie of an IP address such as 127.0.0.1.
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            # An idle connection is dropped before the server drops it (gunicorn's keepalive is
            # 5 s): reusing one the server is closing fails, where a browser silently retries.
            connector=aiohttp.TCPConnector(limit=6, keepalive_timeout=2),
            timeout=aiohttp.ClientTimeout(total=30),
            headers={"Accept-Language": "pl", "User-Agent": "gops-bench-load"},
        )
        self.csrf = ""
        self.current = "/"

    async def close(self) -> None:
        await self.session.close()

    async def request(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        data: list | dict | None = None,
        htmx: bool = False,
        expect: tuple[int, ...] = (200,),
        redirect_to: str | None = None,
    ) -> tuple[int, str, str]:
        """Send one request (redirects not followed); time it; (status, body, Location)."""
        headers = {}
        if htmx:
            headers.update({"HX-Request": "true", "HX-Current-URL": self.base + self.current})
        if method == "POST":
            headers["Referer"] = self.base + self.current
            if self.csrf:
                headers["X-CSRFToken"] = self.csrf
        started = time.perf_counter()
        try:
            async with self.session.request(
                method, self.base + path, data=data, headers=headers, allow_redirects=False
            ) as answer:
                body = await answer.text()
                status = answer.status
                location = answer.headers.get("Location", "")
        except Exception as exc:  # noqa: BLE001 - every failure of a request is counted
            self.stats.error(kind, f"{type(exc).__name__} {DIGITS.sub('/<id>/', path)}")
            raise Failed from exc
        ms = (time.perf_counter() - started) * 1000
        if not 200 <= status < 400 or status not in expect:
            self.stats.error(kind, f"{method} {DIGITS.sub('/<id>/', path)} → {status}")
            raise Failed
        if redirect_to and status == 302 and urlsplit(location).path != redirect_to:
            # A save that lands elsewhere (the login page, another record) did not work.
            self.stats.error(kind, f"{method} {DIGITS.sub('/<id>/', path)} → {location}")
            raise Failed
        self.stats.ok(kind, ms)
        if not htmx and (token := CSRF_HEADER.search(body)):
            self.csrf = token[1]
        return status, body, location

    async def page(self, kind: str, path: str) -> tuple[str, dict[str, str]]:
        """A full page and, at once and in parallel as htmx does, the panels it loads."""
        _status, body, _ = await self.request(kind, "GET", path)
        self.current = path
        panels = PANEL.findall(body)

        async def panel(url: str) -> tuple[str, str]:
            name = url.strip("/").split("/")[0]
            _s, html, _l = await self.request(f"panel {name}", "GET", url, htmx=True)
            return url, html

        results = await asyncio.gather(*(panel(u) for u in panels), return_exceptions=True)
        loaded = {}
        for result in results:
            if isinstance(result, Failed):
                raise result
            if isinstance(result, BaseException):
                raise result
            loaded[result[0]] = result[1]
        return body, loaded

    async def think(self) -> None:
        low, high = self.run.think
        await asyncio.sleep(min(self.rng.uniform(low, high), max(0.0, self.run.remaining())))

    async def login(self) -> None:
        _s, body, _ = await self.request("login form", "GET", "/konto/logowanie/")
        token = CSRF_FIELD.search(body)[1]
        self.current = "/konto/logowanie/"
        _s, _b, location = await self.request(
            "login",
            "POST",
            "/konto/logowanie/",
            data={
                "csrfmiddlewaretoken": token,
                "username": self.account["username"],
                "password": self.run.password,
                "next": "",
            },
            expect=(302,),
        )
        if "logowanie" in location or "otp" in location.lower():
            raise RuntimeError(f"{self.account['username']}: login did not finish ({location})")

    async def work(self) -> None:
        # Users start spread over the first seconds, not all at once.
        await asyncio.sleep(self.rng.uniform(0, self.run.think[1]))
        round_ = (
            self.social_worker_round
            if self.account["role"] == "social_worker"
            else (self.finance_round)
        )
        while self.run.remaining() > 0:
            try:
                await round_()
            except Failed:
                await self.think()

    async def search(self) -> list[str]:
        """The registry page, then a surname prefix typed into the search box (htmx POST)."""
        _body, _ = await self.page("registry", "/osoby/")
        await self.think()
        prefix = self.rng.choice(self.run.prefixes[self.account["district"]])
        _s, results, _l = await self.request(
            "search",
            "POST",
            "/osoby/",
            data={"q": prefix, "csrfmiddlewaretoken": self.csrf},
            htmx=True,
        )
        return PERSON_LINK.findall(results)

    async def social_worker_round(self) -> None:
        found = await self.search()
        if not found or self.run.remaining() <= 0:
            return
        await self.think()
        person_id = self.rng.choice(found)
        person_path = f"/osoby/{person_id}/"
        person_html, panels = await self.page("person", person_path)
        cases = [c for html in panels.values() for c in CASE_LINK.findall(html)]
        await self.think()
        if not cases:
            # No case of this person: the worker opens one from the district's list.
            list_html, _ = await self.page("case list", "/sprawy/?status=all")
            cases = CASE_LINK.findall(list_html)
            if not cases:
                return
            await self.think()
        case_path = f"/sprawy/{self.rng.choice(cases)}/"
        case_html, _ = await self.page("case", case_path)
        if self.run.remaining() <= 0:
            return
        await self.think()
        can_edit = f'href="{person_path}edycja/"' in person_html
        if self.rng.random() < 0.5 or not can_edit:
            await self.save_note(case_path, case_html)
        else:
            await self.save_phone(person_path)
        await self.think()

    async def save_note(self, case_path: str, case_html: str) -> None:
        action = f"{case_path}notatka/"
        if f'action="{action}"' not in case_html:
            return
        text = "Rozmowa telefoniczna z klientem, ustalono termin wizyty."
        self.current = case_path
        _s, _b, _location = await self.request(
            "save note",
            "POST",
            action,
            data={"csrfmiddlewaretoken": self.csrf, "text": text},
            expect=(302,),
            redirect_to=case_path,
        )
        self.stats.saves["note"] += 1
        await self.page("case", case_path)

    async def save_phone(self, person_path: str) -> None:
        edit_path = f"{person_path}edycja/"
        form_html, _ = await self.page("person edit form", edit_path)
        form = main_form(form_html)
        if form is None:
            self.stats.error("person edit form", "no form")
            raise Failed
        await self.think()
        phone = f"600 {self.rng.randint(100, 999)} {self.rng.randint(100, 999)}"
        fields = [(k, v) for k, v in form["fields"] if k != "phone"] + [("phone", phone)]
        status, body, _location = await self.request(
            "save person",
            "POST",
            edit_path,
            data=fields,
            expect=(200, 302),
            redirect_to=person_path,
        )
        if status == 200:
            # A version conflict (someone saved the person a moment ago) is the app working.
            if 'id="version-conflict"' in body:
                self.stats.saves["person conflict"] += 1
                return
            self.stats.error("save person", "form re-rendered: " + _form_errors(body))
            raise Failed
        self.stats.saves["person"] += 1
        await self.page("person", person_path)

    async def finance_round(self) -> None:
        found = await self.search()
        if found and self.run.remaining() > 0:
            await self.think()
            await self.page("person", f"/osoby/{self.rng.choice(found)}/")
        await self.think()
        list_html, _ = await self.page("payroll list", "/wyplaty/")
        payrolls = PAYROLL_LINK.findall(list_html)
        if payrolls and self.run.remaining() > 0:
            await self.think()
            await self.page("payroll", f"/wyplaty/{self.rng.choice(payrolls)}/")
        await self.think()
        await self.page("budget", "/finanse/budzet/")
        await self.think()


def _form_errors(body: str) -> str:
    errors = re.findall(r'class="errorlist"[^>]*>(.*?)</ul>', body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", " | ".join(errors))[:200]


@dataclass
class Run:
    think: tuple[float, float]
    password: str
    prefixes: dict
    ends_at: float = 0.0

    def remaining(self) -> float:
        return self.ends_at - time.monotonic()


async def load(
    *, base: str, accounts: list[dict], run: Run, duration: float, server: Server, seed: int
) -> dict:
    stats = Stats()
    login_stats = Stats()
    users = [
        Staff(base=base, account=a, stats=login_stats, rng=random.Random(seed + n), run=run)
        for n, a in enumerate(accounts)
    ]
    try:
        # Signing in (a slow password hash by design) is not part of the measured window.
        gate = asyncio.Semaphore(4)

        async def login(user: Staff) -> None:
            async with gate:
                await user.login()

        started = time.perf_counter()
        await asyncio.gather(*(login(u) for u in users))
        login_seconds = time.perf_counter() - started
        for user in users:
            user.stats = stats
        cpu_before = cpu_times()
        server_before = server.cpu_seconds()
        postgres = PostgresCpu(BENCH_URL)
        postgres.start()
        self_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        run.ends_at = time.monotonic() + duration
        await asyncio.gather(*(u.work() for u in users))
        elapsed = time.perf_counter() - started
        cpu_after = cpu_times()
        server_cpu = server.cpu_seconds() - server_before
        postgres.stopping.set()
        postgres.join(timeout=10)
        self_after = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        await asyncio.gather(*(u.close() for u in users))
    busy = [after - before for before, after in zip(cpu_before, cpu_after, strict=True)]
    table = stats.table()
    return {
        "window_seconds": round(elapsed, 1),
        "requests": table["all"]["count"],
        "requests_per_second": round(table["all"]["count"] / elapsed, 1),
        "all": table["all"],
        "kinds": table["kinds"],
        "error_samples": stats.samples,
        "saves": dict(stats.saves),
        "login": {**login_stats.table()["all"], "seconds": round(login_seconds, 1)},
        "server_cpu_seconds": round(server_cpu, 1),
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(1, table["all"]["count"]), 1),
        "postgres_cpu_seconds": round(postgres.seconds(), 1),
        "postgres_cpu_ms_per_request": round(
            1000 * postgres.seconds() / max(1, table["all"]["count"]), 1
        ),
        "machine_cpu_busy_percent": round(100 * (1 - busy[1] / busy[0]), 1) if busy[0] else None,
        "load_generator_cpu_seconds": round(
            (self_after.ru_utime + self_after.ru_stime)
            - (self_before.ru_utime + self_before.ru_stime),
            1,
        ),
    }


# --- Report ----------------------------------------------------------------------------------


def markdown(result: dict) -> str:
    lines = [
        "| request | count | errors | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, row in result["kinds"].items():
        lines.append(
            f"| {kind} | {row['count']} | {row['errors']} | {row['p50_ms']} | {row['p95_ms']} "
            f"| {row['p99_ms']} |"
        )
    row = result["all"]
    lines.append(
        f"| **all** | **{row['count']}** | **{row['errors']}** | **{row['p50_ms']}** "
        f"| **{row['p95_ms']}** | **{row['p99_ms']}** |"
    )
    server = result["server"]
    lines += [
        "",
        f"- {result['requests_per_second']} requests per second over {result['window_seconds']} s "
        f"({result['users']} users, think time {result['config']['think_seconds']} s)",
        f"- server-side (gunicorn access log): p50 {server['p50_ms']} ms, "
        f"p95 {server['p95_ms']} ms, p99 {server['p99_ms']} ms over {server['count']} requests",
        "- server time by path (top 10 by total): "
        + "; ".join(
            f"{path} {row['count']}× p50 {row['p50_ms']} p95 {row['p95_ms']} ms"
            for path, row in server["by_path"].items()
        ),
        f"- saves: {result['saves']}; in the database: {result['saved_in_database']}",
        f"- CPU: gunicorn {result['server_cpu_seconds']} s "
        f"({result['server_cpu_ms_per_request']} ms per request), PostgreSQL "
        f"{result['postgres_cpu_seconds']} s ({result['postgres_cpu_ms_per_request']} ms), "
        "load generator "
        f"{result['load_generator_cpu_seconds']} s; machine busy "
        f"{result['machine_cpu_busy_percent']} %, load average "
        f"{result['machine']['load_average_before'][0]} before, "
        f"{result['machine']['load_average_after'][0]} after",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=120, help="seconds (default 120)")
    parser.add_argument("--quick", action="store_true", help="a 10-second smoke run")
    parser.add_argument("--users", type=int, default=50, help="simulated staff (default 50)")
    parser.add_argument("--finance", type=int, default=6, help="of them finance staff (default 6)")
    parser.add_argument(
        "--persons", type=int, default=3000, help="registry size on first seeding (default 3000)"
    )
    parser.add_argument(
        "--think",
        default="1,5",
        help="think time between pages, uniform in MIN,MAX seconds (default 1,5)",
    )
    parser.add_argument("--workers", type=int, help="GUNICORN_WORKERS (default: gunicorn.conf.py)")
    parser.add_argument("--threads", type=int, help="GUNICORN_THREADS (default: gunicorn.conf.py)")
    parser.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--fresh", action="store_true", help="drop and reseed the database")
    parser.add_argument("--output", type=Path, help="JSON result (default var/bench/load-*.json)")
    parser.add_argument(
        "--seed", type=int, help="seed of the users' choices (default: a new one each run)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 on errors or p95 ≥ 300 ms")
    args = parser.parse_args()
    duration = 10.0 if args.quick else args.duration
    # A new seed each run: the same one would save the same phone numbers again (no change).
    seed = args.seed if args.seed is not None else int(time.time())
    think = tuple(float(v) for v in args.think.split(","))
    if len(think) != 2 or not 0 <= think[0] <= think[1]:
        parser.error("--think takes MIN,MAX")
    if not 0 <= args.finance <= args.users:
        parser.error("--finance must be between 0 and --users")

    interrupt_on_sigterm()
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    database_prepare(BENCH_URL, fresh=args.fresh)
    import django

    django.setup()
    data = data_prepare(
        persons=args.persons, social_workers=args.users - args.finance, finance=args.finance
    )
    print(
        f"data ready in {data['prepare_seconds']:.0f} s: {data['registry']} persons, "
        f"{len(data['users'])} staff accounts"
    )

    port = args.port or free_port()
    log = Path(tempfile.mkstemp(prefix="gops-bench-load-", suffix=".log")[1])
    server = Server(
        port=port, workers=args.workers, threads=args.threads, log=log, database_url=BENCH_URL
    )
    try:
        server.wait_ready()
        print(f"gunicorn on {HOST}:{port}; {args.users} users for {duration:.0f} s…")
        log.write_text("")  # the warm-up request is not measured
        run = Run(think=think, password=data["password"], prefixes=data["prefixes"])
        load_avg_before = os.getloadavg()
        result = asyncio.run(
            load(
                base=f"http://{HOST}:{port}",
                accounts=data["users"],
                run=run,
                duration=duration,
                server=server,
                seed=seed,
            )
        )
        load_avg_after = os.getloadavg()
    finally:
        server.stop()
    # Server-side times: login lines and the warm-up left out.
    result["server"] = server_times(log)
    log.unlink(missing_ok=True)

    from django.db import connection

    after = _bench_saves()
    result["saved_in_database"] = {k: after[k] - data["saves_before"][k] for k in after}
    connection.close()
    conf = gunicorn_config(workers=args.workers, threads=args.threads)
    result.update(
        {
            "date": datetime.now().isoformat(timespec="seconds"),
            "users": args.users,
            "config": {
                "duration_seconds": duration,
                "think_seconds": f"{think[0]:g}–{think[1]:g}",
                "seed": seed,
                "social_workers": args.users - args.finance,
                "finance": args.finance,
                "registry_persons": data["registry"],
                "gunicorn": conf,
                "database": "PostgreSQL on 127.0.0.1 ("
                + urlsplit(BENCH_URL).path.lstrip("/")
                + ")",
                "command": " ".join(["bench/load.py", *sys.argv[1:]]),
            },
            "machine": {
                "cores": os.cpu_count(),
                "cpu": cpu_model(),
                "python": platform.python_version(),
                "load_average_before": [round(v, 2) for v in load_avg_before],
                "load_average_after": [round(v, 2) for v in load_avg_after],
            },
        }
    )
    text = markdown(result)
    print()
    print(text)
    if result["error_samples"]:
        print("\nerrors (first ones):")
        for sample in result["error_samples"]:
            print(f"  {sample}")
    print(f"\nsaved, as the database has it: {result['saved_in_database']}")
    out = args.output or ROOT / "var" / "bench" / f"load-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    out.with_suffix(".md").write_text(text + "\n")
    print(f"written: {out} and {out.with_suffix('.md').name}")
    print(f"requests_per_second: {result['requests_per_second']}")
    print(f"errors: {result['all']['errors']}")
    print(f"p95_ms: {result['all']['p95_ms']}")
    failed = result["all"]["errors"] > 0 or result["all"]["p95_ms"] >= P95_GOAL_MS
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted; gunicorn stopped", file=sys.stderr)
        sys.exit(130)
