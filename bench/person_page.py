"""A person's page over HTTP beside a bare Django view on the same server (issue 10 §2).

    .venv/bin/python bench/person_page.py                 # gops_city, 32 clients, 2 × 20 s
    .venv/bin/python bench/person_page.py --seconds 5 --database-url postgres://…/gops_city_small

The page: ``GET /osoby/<id>/`` (people.views.person_detail) — the permission-checked fetch
(person_get_for_user), the VIEW audit entry, the household and incomes, the template with the
navigation; not the htmx panels it loads afterwards. The yardstick: ``GET /bench/bare/<id>/``
(bench/bench_urls.py), which reads one person's row by primary key with ``values_list`` and
answers a few bytes. Both run in one gunicorn (gunicorn.conf.py: workers and threads as it sets
them, see the output) with DJANGO_SETTINGS_MODULE=bench_settings, behind the same middleware.

Clients: 32 concurrent aiohttp sessions (``--clients``), each signed in through the login form
as a generated social worker (pracownik001, pracownik002, …), each opening persons of that
worker's district (drawn with ``--seed``) one after another, without think time, for
``--seconds`` after ``--warmup`` seconds; then the same clients open the bare view of the same
persons. Page and bare rounds alternate twice (``--rounds``); the better round of each counts.
Every page request must write one VIEW audit entry: the entries of the benchmark's accounts
are counted before and after. They, the sessions and the sign-in records are removed at the
end. The client runs on the same machine as the server and PostgreSQL.

The goal (issue 10): the page's throughput at least 40 % of the bare view's. The last lines
are ``page_rps``, ``page_p95_ms``, ``bare_rps``, ``bare_p95_ms`` and ``ratio`` (page / bare).
"""

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [p for p in (str(HERE), str(HERE.parent)) if p not in sys.path]

import common  # noqa: E402
import httpbench  # noqa: E402

RATIO_GOAL = 0.40
AGENT = "gops-bench-person"
PERSONS_PER_CLIENT = 200


def draw_persons(*, usernames: list[str], centre_id: int, seed: int) -> dict[str, list[int]]:
    """For each social worker, persons of their district in a fixed random order."""
    from common import fetchone
    from django.db import connection

    rng = random.Random(seed)
    chosen: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        for username in usernames:
            row = fetchone(
                "SELECT district_id FROM accounts_user WHERE centre_id = %s AND username = %s",
                [centre_id, username],
            )
            if row is None or row[0] is None:
                raise SystemExit(f"{username} is not a social worker of a district")
            low, high = fetchone(
                "SELECT min(id), max(id) FROM people_person WHERE district_id = %s", [row[0]]
            )
            starts = sorted(rng.randint(low, high) for _ in range(PERSONS_PER_CLIENT))
            cursor.execute(
                "SELECT p.id FROM unnest(%s::bigint[]) AS s(start), LATERAL ("
                "  SELECT id FROM people_person WHERE district_id = %s AND id >= s.start"
                "  ORDER BY id LIMIT 1) AS p",
                [starts, row[0]],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            rng.shuffle(ids)
            chosen[username] = ids
    return chosen


class Clients:
    """The signed-in sessions, one per social worker, each with its persons."""

    def __init__(self, base: str, persons: dict[str, list[int]]):
        self.base = base
        self.users = list(persons)
        self.persons = [persons[u] for u in self.users]
        self.sessions = [httpbench.client_session(agent=AGENT) for _ in self.users]
        self.next = [0] * len(self.users)

    async def sign_in(self, password: str, traces) -> None:
        pairs = list(zip(self.sessions, self.users, strict=True))
        await httpbench.sign_in_all(pairs, self.base, password)
        for session in self.sessions:
            traces.sessions.add(httpbench.session_key(session, self.base))

    async def close(self) -> None:
        await asyncio.gather(*(s.close() for s in self.sessions))

    async def run(self, path: str, *, warmup: float, seconds: float) -> dict:
        """Every client requests `path` (with a person's id) back to back until the time is
        up; the requests that end within the measured window are timed."""
        loop_start = time.monotonic()
        window_start = loop_start + warmup
        window_end = window_start + seconds
        times: list[float] = []
        errors: list[str] = []
        requests = 0  # every answered request, warm-up included (the audit check)
        marker = "/bench/bare/" not in path

        async def client(n: int) -> None:
            nonlocal requests
            session = self.sessions[n]
            while (now := time.monotonic()) < window_end:
                ids = self.persons[n]
                pk = ids[self.next[n] % len(ids)]
                self.next[n] += 1
                started = time.perf_counter()
                try:
                    async with session.get(
                        self.base + path.format(pk=pk), allow_redirects=False
                    ) as answer:
                        body = await answer.read()
                        status = answer.status
                except Exception as exc:  # noqa: BLE001 - counted as an error
                    errors.append(f"{type(exc).__name__}")
                    continue
                ms = (time.perf_counter() - started) * 1000
                if status != 200 or (marker and b'id="h-identity"' not in body):
                    errors.append(f"{status} {path.format(pk=pk)}")
                    continue
                requests += 1
                if now >= window_start and time.monotonic() <= window_end:
                    times.append(ms)

        await asyncio.gather(*(client(n) for n in range(len(self.sessions))))
        return {
            **httpbench.summary(times, errors=len(errors)),
            "rps": round(len(times) / seconds, 1),
            "answered": requests,
            "error_samples": errors[:5],
        }


async def measure(args, server, persons: dict[str, list[int]], traces) -> dict:
    clients = Clients(server.base, persons)
    rounds: dict[str, list[dict]] = {"page": [], "bare": []}
    try:
        await clients.sign_in(args.password, traces)
        for n in range(args.rounds):
            for kind, path in (("page", "/osoby/{pk}/"), ("bare", "/bench/bare/{pk}/")):
                window = httpbench.CpuWindow(
                    server=server, database_url=args.database_url, application_name=AGENT
                )
                with window:
                    result = await clients.run(path, warmup=args.warmup, seconds=args.seconds)
                result["cpu"] = window.per_request(result["answered"])
                result["cpu_ms"] = 1000 * sum(window.seconds.values()) / max(1, result["answered"])
                rounds[kind].append(result)
                common.log(
                    f"round {n + 1} {kind}: {result['rps']} requests/s, p50 {result['p50_ms']} "
                    f"p95 {result['p95_ms']} p99 {result['p99_ms']} ms, {result['errors']} "
                    f"errors; {result['cpu']}"
                )
                if result["errors"]:
                    raise SystemExit(f"{kind}: errors, e.g. {result['error_samples']}")
    finally:
        await clients.close()
    return rounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    httpbench.add_server_arguments(parser)
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds (20)")
    parser.add_argument("--warmup", type=float, default=5, help="warm-up seconds (5)")
    parser.add_argument("--rounds", type=int, default=2, help="page/bare rounds (2)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the persons (1)")
    args = parser.parse_args()
    args.password = httpbench.CITY_PASSWORD
    if not 1 <= args.clients <= 80:
        parser.error("--clients: 1 to 80 (the generated social workers)")

    usernames = [f"pracownik{n + 1:03d}" for n in range(args.clients)]
    city = httpbench.start(
        args, usernames=tuple(usernames), settings_note=", DJANGO_SETTINGS_MODULE=bench_settings"
    )
    persons = draw_persons(usernames=usernames, centre_id=city["centre_id"], seed=args.seed)
    common.log(
        f"clients: {args.clients} social workers ({usernames[0]}…{usernames[-1]}), "
        f"{PERSONS_PER_CLIENT} persons of their district each; {args.rounds} × (page, bare), "
        f"{args.warmup:g} s warm-up + {args.seconds:g} s each"
    )

    traces = httpbench.Traces(usernames, agent=AGENT, actions=("view",))
    views_before = traces.audit_count("view")
    from django.db import connection

    connection.close()
    log = Path(tempfile.mkstemp(prefix="gops-bench-person-", suffix=".log")[1])
    try:
        with httpbench.running_server(
            port=httpbench.free_port(),
            workers=args.workers,
            threads=args.threads,
            log=log,
            database_url=httpbench.with_application_name(args.database_url, AGENT),
            settings="bench_settings",
            pythonpath=(HERE,),
        ) as server:
            rounds = asyncio.run(measure(args, server, persons, traces))
    finally:
        log.unlink(missing_ok=True)
        views = traces.audit_count("view") - views_before
        removed = traces.remove()
    pages_answered = sum(r["answered"] for r in rounds["page"])
    common.log(
        f"audit_view_entries_written: {views} for {pages_answered} pages answered"
        f" ({'every page' if views == pages_answered else 'MISMATCH'}); removed again: {removed}"
    )
    if views != pages_answered:
        raise SystemExit("the person's page did not write one VIEW audit entry per request")
    page = max(rounds["page"], key=lambda r: r["rps"])
    bare = max(rounds["bare"], key=lambda r: r["rps"])
    ratio = page["rps"] / bare["rps"]
    common.log(
        f"goal: page throughput ≥ {RATIO_GOAL:.0%} of the bare view's: "
        + ("met" if ratio >= RATIO_GOAL else "missed")
    )
    # The benchmark's own CPU per request (clients, gunicorn, its PostgreSQL backends): the
    # throughput ratio a machine running nothing else would give, whatever else ran here.
    cpu_page = min(r["cpu_ms"] for r in rounds["page"])
    cpu_bare = min(r["cpu_ms"] for r in rounds["bare"])
    common.log(
        f"cpu_ms_per_request: page {cpu_page:.1f}, bare {cpu_bare:.1f}; "
        f"cpu_ratio: {cpu_bare / cpu_page:.2f}"
    )
    common.log(f"page_p50_ms: {page['p50_ms']:.1f}")
    common.log(f"bare_p50_ms: {bare['p50_ms']:.1f}")
    common.log(f"page_rps: {page['rps']:.1f}")
    common.log(f"page_p95_ms: {page['p95_ms']:.1f}")
    common.log(f"bare_rps: {bare['rps']:.1f}")
    common.log(f"bare_p95_ms: {bare['p95_ms']:.1f}")
    common.log(f"ratio: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted; gunicorn stopped", file=sys.stderr)
        sys.exit(130)
