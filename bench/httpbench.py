"""Pieces of the HTTP benchmarks (load.py, search.py, person_page.py): gunicorn on loopback,
staff signed in through the login form with aiohttp, percentiles, the generated city.

Nothing but 127.0.0.1 is contacted: the server binds there and the clients connect there.
"""

import asyncio
import contextlib
import math
import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"  # loopback only: the server binds here and the users connect here
CITY_URL = "postgres://postgres@127.0.0.1:5432/gops_city"
# bench/generate.py: the generated centre's TERYT code and the password of its accounts.
CITY_TERYT = "3299011"
CITY_PASSWORD = "Miasto-GOPS-2025"

CSRF_HEADER = re.compile(r'"X-CSRFToken":\s*"([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN_PATH = "/konto/logowanie/"
DIGITS = re.compile(r"/\d+/")


# --- gunicorn --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group, stopped (the whole group) when the run ends.

    `settings` is the DJANGO_SETTINGS_MODULE; `pythonpath` folders go before the repository on
    PYTHONPATH (bench/ for bench_settings). Workers and threads default to gunicorn.conf.py.
    """

    def __init__(
        self,
        *,
        port: int,
        workers: int | None,
        threads: int | None,
        log: Path,
        database_url: str,
        settings: str = "config.settings",
        pythonpath: tuple[Path, ...] = (),
    ):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": settings,
            "PORT": str(port),
            "GUNICORN_BIND": f"{HOST}:{port}",
            "GUNICORN_ACCESS_LOG": str(log),
            "GUNICORN_LOG_LEVEL": "warning",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DEBUG", None)
        if pythonpath:
            env["PYTHONPATH"] = os.pathsep.join(
                [*map(str, pythonpath), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
            )
        if workers:
            env["GUNICORN_WORKERS"] = str(workers)
        if threads:
            env["GUNICORN_THREADS"] = str(threads)
        self.port = port
        self.log = log
        self.base = f"http://{HOST}:{port}"
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.base}{LOGIN_PATH}", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer in time")

    def cpu_seconds(self) -> float:
        """CPU time of gunicorn: its processes, and the workers it has recycled."""
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                # fields[2] is the process group; [11], [12] utime, stime; [13], [14] of children
                if int(fields[2]) == self.process.pid:
                    ticks += int(fields[11]) + int(fields[12])
                    if int(stat.parent.name) == self.process.pid:
                        ticks += int(fields[13]) + int(fields[14])
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@contextlib.contextmanager
def running_server(**kwargs) -> Iterator[Server]:
    """A started, answering Server (see Server for the arguments), stopped on leaving."""
    server = Server(**kwargs)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def with_application_name(url: str, name: str) -> str:
    """`url` whose connections PostgreSQL lists under `name` (pg_stat_activity)."""
    from urllib.parse import parse_qsl, urlencode

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["application_name"] = name
    return parts._replace(query=urlencode(query)).geturl()


def gunicorn_config(*, workers: int | None = None, threads: int | None = None) -> dict:
    """workers, threads and worker_class as gunicorn.conf.py sets them (with the overrides)."""
    printed = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--print-config",
            "config.wsgi",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            **({"GUNICORN_WORKERS": str(workers)} if workers else {}),
            **({"GUNICORN_THREADS": str(threads)} if threads else {}),
        },
        capture_output=True,
        text=True,
    ).stdout
    return dict(re.findall(r"^(workers|threads|worker_class)\s+= (\S+)", printed, flags=re.M))


def interrupt_on_sigterm() -> None:
    """SIGTERM ends a run like Ctrl-C, so that gunicorn is stopped either way."""

    def _interrupt(signum, frame) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupt)


# --- Measurements ----------------------------------------------------------------------------


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(times: list[float], *, errors: int) -> dict:
    ordered = sorted(times)
    return {
        "count": len(ordered) + errors,
        "errors": errors,
        "p50_ms": round(percentile(ordered, 50), 1),
        "p95_ms": round(percentile(ordered, 95), 1),
        "p99_ms": round(percentile(ordered, 99), 1),
        "mean_ms": round(sum(ordered) / len(ordered), 1) if ordered else float("nan"),
        "max_ms": round(ordered[-1], 1) if ordered else float("nan"),
    }


def server_times(log: Path) -> dict:
    """Durations gunicorn measured (access log %(M)s), logins left out: all requests, and per
    path (numbers replaced by <id>) the ones that took most of the server's time."""
    line = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+)" (?P<status>\d{3}) \S+ (?P<ms>\d+)ms')
    times = []
    by_path: dict[str, list[float]] = defaultdict(list)
    for text in log.read_text(errors="replace").splitlines():
        match = line.search(text)
        if match and not match["path"].startswith("/konto/"):
            times.append(float(match["ms"]))
            by_path[f"{match['method']} {DIGITS.sub('/<id>/', match['path'])}"].append(
                float(match["ms"])
            )
    heaviest = sorted(by_path.items(), key=lambda item: -sum(item[1]))[:10]
    return {
        **summary(times, errors=0),
        "by_path": {
            path: {**summary(values, errors=0), "total_s": round(sum(values) / 1000, 1)}
            for path, values in heaviest
        },
    }


class PostgresCpu(threading.Thread):
    """CPU time of the PostgreSQL backends serving the benchmark's database during the window:
    their pids sampled every `interval` seconds and once more at the end, each backend's CPU
    read from /proc (the database runs on this machine). A backend that ends between two
    samples loses the CPU it used after the last one: keep the benchmark's connections open
    until the window ends. `ready` is set after the first sample."""

    interval = 0.25

    def __init__(self, url: str, *, application_name: str | None = None):
        super().__init__(daemon=True)
        self.url = url
        self.name_ = urlsplit(url).path.lstrip("/")
        # Only the backends of this application (the benchmark's own connections), if given.
        self.application_name = application_name
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.stopping = threading.Event()
        self.ready = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            own = conn.info.backend_pid
            self._sample(conn, own, started=False)
            self.ready.set()
            while not self.stopping.wait(self.interval):
                self._sample(conn, own, started=True)
            self._sample(conn, own, started=True)

    def _sample(self, conn, own: int, *, started: bool) -> None:
        pids = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s"
            " AND (%s::text IS NULL OR application_name = %s)",
            [self.name_, own, self.application_name, self.application_name],
        ).fetchall()
        for (pid,) in pids:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks = int(fields[11]) + int(fields[12])
                # A backend already running at the start counts from there; a new one from
                # zero.
                self.first.setdefault(pid, ticks if not started else 0)
                self.last[pid] = ticks

    def seconds(self) -> float:
        ticks = sum(self.last[pid] - self.first[pid] for pid in self.last)
        return ticks / os.sysconf("SC_CLK_TCK")


def cpu_times() -> tuple[float, float]:
    """(all jiffies, idle + iowait jiffies) of the machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return float(sum(values)), float(values[3] + values[4])


def busy_percent(before: tuple[float, float], after: tuple[float, float]) -> float | None:
    total, idle = after[0] - before[0], after[1] - before[1]
    return round(100 * (1 - idle / total), 1) if total else None


class CpuWindow:
    """CPU used while the block runs: the machine's (busy %), gunicorn's (`server`), that of
    PostgreSQL's backends of `database_url`, and this process's (the clients), per request.

    Everything on the machine counts in its busy share, other sessions' work included; the
    database's backends include any other client of the same database."""

    def __init__(
        self,
        *,
        server: "Server | None" = None,
        database_url: str | None = None,
        application_name: str | None = None,
    ):
        self.server = server
        self.database_url = database_url
        self.application_name = application_name
        self.seconds: dict[str, float] = {}
        self.busy: float | None = None

    def __enter__(self) -> "CpuWindow":
        import resource

        self._usage = resource.getrusage(resource.RUSAGE_SELF)
        self._machine = cpu_times()
        self._server = self.server.cpu_seconds() if self.server else 0.0
        self._postgres = (
            PostgresCpu(self.database_url, application_name=self.application_name)
            if self.database_url
            else None
        )
        if self._postgres:
            self._postgres.start()
            self._postgres.ready.wait(10)
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        import resource

        self.elapsed = time.perf_counter() - self._started
        usage = resource.getrusage(resource.RUSAGE_SELF)
        machine = cpu_times()
        self.busy = busy_percent(self._machine, machine)
        busy_seconds = (machine[0] - self._machine[0]) - (machine[1] - self._machine[1])
        self.machine_seconds = busy_seconds / os.sysconf("SC_CLK_TCK")
        self.seconds["client"] = (usage.ru_utime + usage.ru_stime) - (
            self._usage.ru_utime + self._usage.ru_stime
        )
        if self.server:
            self.seconds["server"] = self.server.cpu_seconds() - self._server
        if self._postgres:
            self._postgres.stopping.set()
            self._postgres.join(timeout=10)
            self.seconds["postgres"] = self._postgres.seconds()

    def per_request(self, requests: int) -> str:
        """ "clients 0.7, gunicorn 9.1, PostgreSQL 2.3, everything else 1.0 ms CPU per request;
        machine busy 99 %": everything else is the machine's busy time the benchmark's own
        processes did not use (other sessions' work, the kernel's)."""
        names = {"client": "clients", "server": "gunicorn", "postgres": "PostgreSQL"}
        ours = sum(self.seconds.values())
        parts = [f"{names[k]} {1000 * v / max(1, requests):.1f}" for k, v in self.seconds.items()]
        if self.application_name:
            other = max(0.0, self.machine_seconds - ours)
            parts.append(f"everything else {1000 * other / max(1, requests):.1f}")
        return f"{', '.join(parts)} ms CPU per request; machine busy {self.busy} %"


# --- Clients ---------------------------------------------------------------------------------


def client_session(*, limit: int = 1, agent: str = "gops-bench"):
    """An aiohttp session that keeps cookies of 127.0.0.1 (a browser's session)."""
    import aiohttp

    return aiohttp.ClientSession(
        # unsafe=True: aiohttp otherwise keeps no cookie of an IP address such as 127.0.0.1.
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        # An idle connection is dropped before the server drops it (gunicorn's keepalive is
        # 5 s): reusing one the server is closing fails, where a browser silently retries.
        connector=aiohttp.TCPConnector(limit=limit, keepalive_timeout=2),
        timeout=aiohttp.ClientTimeout(total=60),
        headers={"Accept-Language": "pl", "User-Agent": agent},
    )


async def sign_in(session, base: str, username: str, password: str) -> str:
    """Sign `session` in through the login form; the CSRF token for later POSTs (the cookie's
    secret, which Django takes in X-CSRFToken as it takes the page's masked token)."""
    async with session.get(base + LOGIN_PATH) as answer:
        body = await answer.text()
    token = CSRF_FIELD.search(body)
    if token is None:
        raise RuntimeError(f"no login form at {LOGIN_PATH} (status {answer.status})")
    async with session.post(
        base + LOGIN_PATH,
        data={
            "csrfmiddlewaretoken": token[1],
            "username": username,
            "password": password,
            "next": "",
        },
        headers={"Referer": base + LOGIN_PATH},
        allow_redirects=False,
    ) as answer:
        location = answer.headers.get("Location", "")
        status = answer.status
    if status != 302 or "logowanie" in location or "otp" in location.lower():
        raise RuntimeError(f"{username}: login did not finish ({status} {location!r})")
    return csrf_cookie(session, base)


def csrf_cookie(session, base: str) -> str:
    from yarl import URL

    cookie = session.cookie_jar.filter_cookies(URL(base)).get("csrftoken")
    return cookie.value if cookie else ""


def session_key(session, base: str) -> str | None:
    from yarl import URL

    cookie = session.cookie_jar.filter_cookies(URL(base)).get("sessionid")
    return cookie.value if cookie else None


async def sign_in_all(sessions_users: list[tuple], base: str, password: str) -> list[str]:
    """Sign each (session, username) in, four at a time (the password hash is slow by design)."""
    gate = asyncio.Semaphore(4)

    async def one(session, username):
        async with gate:
            return await sign_in(session, base, username, password)

    return await asyncio.gather(*(one(s, u) for s, u in sessions_users))


async def closed_loop(clients: int, next_job: Callable[[int], Awaitable[bool]]) -> float:
    """`clients` loops, each awaiting next_job(client) until it returns False; the seconds."""

    async def loop(n: int) -> None:
        while await next_job(n):
            pass

    started = time.perf_counter()
    await asyncio.gather(*(loop(n) for n in range(clients)))
    return time.perf_counter() - started


# --- The generated city (bench/generate.py) --------------------------------------------------


def city_check(*, usernames: tuple[str, ...]) -> dict:
    """The generated centre, its persons and the accounts the benchmark signs in as; exits with
    a message when the database is not a city made by bench/generate.py. Django set up."""
    from django.db import connection
    from django.db.utils import DatabaseError

    name = str(connection.settings_dict.get("NAME"))
    if connection.vendor != "postgresql":
        raise SystemExit(f"{name}: not PostgreSQL; the benchmark runs on a generated city")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, name FROM accounts_centre WHERE teryt = %s", [CITY_TERYT])
            centre = cursor.fetchone()
            if centre is None:
                raise SystemExit(
                    f"{name} holds no city made by bench/generate.py (no centre with TERYT "
                    f"{CITY_TERYT}); generate one: .venv/bin/python bench/generate.py "
                    "--database-url URL"
                )
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'people_person'")
            estimate = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM people_person WHERE centre_id = %s", [centre[0]])
            persons = cursor.fetchone()[0] if estimate < 5_000_000 else estimate
            cursor.execute(
                "SELECT username FROM accounts_user WHERE centre_id = %s AND username = ANY(%s)",
                [centre[0], list(usernames)],
            )
            found = {row[0] for row in cursor.fetchall()}
    except DatabaseError as exc:
        raise SystemExit(f"{name} is not a GOPS database: {exc}") from exc
    missing = sorted(set(usernames) - found)
    if missing:
        raise SystemExit(f"{name}: the generated accounts {missing} are missing")
    if not persons:
        raise SystemExit(f"{name}: the generated city has no persons")
    return {"centre_id": centre[0], "centre": centre[1], "persons": persons, "database": name}


def add_server_arguments(parser) -> None:
    """The options every HTTP benchmark of the city takes: its database and gunicorn's size."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", CITY_URL),
        help="a city made by bench/generate.py (default BENCH_DATABASE_URL, else gops_city)",
    )
    parser.add_argument("--workers", type=int, help="GUNICORN_WORKERS (default: gunicorn.conf.py)")
    parser.add_argument("--threads", type=int, help="GUNICORN_THREADS (default: gunicorn.conf.py)")


def start(args, *, usernames: tuple[str, ...], settings_note: str = "") -> dict:
    """Set up Django on the city of `args.database_url`, check it holds `usernames`, and print
    the machine, where the clients run, gunicorn's size and the city; returns city_check's."""
    import common

    interrupt_on_sigterm()
    common.django_setup(args.database_url)
    city = city_check(usernames=usernames)
    for line in common.machine():
        common.log(line)
    conf = gunicorn_config(workers=args.workers, threads=args.threads)
    common.log(
        "client: on the same machine as gunicorn and PostgreSQL "
        f"({os.cpu_count()} cores shared by all three)"
    )
    common.log(
        f"gunicorn: {conf.get('workers')} workers × {conf.get('threads')} threads "
        f"({conf.get('worker_class')}, gunicorn.conf.py){settings_note}"
    )
    common.log(f"database: {city['database']}, {city['persons']:,} persons ({city['centre']})")
    return city


class Traces:
    """What a run writes into the city, to be removed afterwards: the audit entries of its
    accounts after the start (of the `actions` the run writes), the sign-ins axes logged for
    them with the clients' User-Agent, their sessions (by key), their last_login. Another
    session's VIEW or SEARCH as the same accounts during the run would be removed too.

    The audit trail is append-only (a trigger refuses DELETE); the benchmark's own entries are
    removed with the triggers off for that transaction (session_replication_role, superuser).
    """

    def __init__(self, usernames: list[str], *, agent: str, actions: tuple[str, ...]):
        from django.db import connection

        self.usernames = sorted(set(usernames))
        self.agent = agent  # the clients' User-Agent, which axes records with a sign-in
        self.actions = list(actions)  # the audit actions the run writes
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM audit_auditentry")
            self.audit_from = cursor.fetchone()[0]
            cursor.execute("SELECT to_regclass('axes_accesslog') IS NOT NULL")
            self.axes = cursor.fetchone()[0]
            self.axes_from = 0
            if self.axes:
                cursor.execute("SELECT COALESCE(MAX(id), 0) FROM axes_accesslog")
                self.axes_from = cursor.fetchone()[0]
            cursor.execute(
                "SELECT id, last_login FROM accounts_user WHERE username = ANY(%s)",
                [self.usernames],
            )
            self.last_login = cursor.fetchall()
        self.sessions: set[str] = set()

    def audit_count(self, action: str) -> int:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM audit_auditentry WHERE id > %s AND action = %s "
                "AND actor_username = ANY(%s)",
                [self.audit_from, action, self.usernames],
            )
            return cursor.fetchone()[0]

    def remove(self) -> dict:
        from django.db import connection, transaction

        removed = {}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                "DELETE FROM audit_auditentry WHERE id > %s AND actor_username = ANY(%s) "
                "AND action = ANY(%s)",
                [self.audit_from, self.usernames, self.actions],
            )
            removed["audit_entries"] = cursor.rowcount
            if self.axes:
                cursor.execute(
                    "DELETE FROM axes_accesslog WHERE id > %s AND username = ANY(%s) "
                    "AND user_agent = %s",
                    [self.axes_from, self.usernames, self.agent],
                )
                removed["axes_log"] = cursor.rowcount
            cursor.execute(
                "DELETE FROM django_session WHERE session_key = ANY(%s)", [sorted(self.sessions)]
            )
            removed["sessions"] = cursor.rowcount
            for pk, last_login in self.last_login:
                cursor.execute(
                    "UPDATE accounts_user SET last_login = %s WHERE id = %s", [last_login, pk]
                )
        return removed
