"""Registry search over HTTP beside the same SQL run directly (issue 10 §2), on the large city.

    .venv/bin/python bench/search.py                      # gops_city, 2,000 searches
    .venv/bin/python bench/search.py --requests 500 --database-url postgres://…/gops_city_small

The search staff use: the registry's one search box (``POST /osoby/`` as htmx sends it, with
its CSRF and HX headers), answered by ``people.selectors.person_search_results`` through the
view ``people.views.person_list``, which counts the matches (up to 1,000), shows the first
page of 25 and records the search in the audit trail. Signed in through the login form as
finance staff (``ksiegowa1``, who sees the whole city), and as a second figure as a social
worker (``pracownik001``, who sees their district).

Queries are drawn from the data with a fixed seed (``--seed``): surname prefixes of 3–6
letters without diacritics (a part of a real surname, folded: "kowal", "zolt"), full PESELs of
existing persons and document numbers of existing foreigners (``--mix``, 50/30/20 by default).
The social worker's are drawn from the persons of their district.

The same searches are run twice, each by 16 concurrent clients (``--clients``):

- HTTP: gunicorn (gunicorn.conf.py: workers and threads as it sets them, see the output) with
  16 aiohttp sessions on loopback, each search timed from sending to the last byte;
- SQL: 16 threads, each with its own psycopg connection (client-side binding, autocommit, as
  Django uses them), running the statements the page runs for its results: the count (which
  stops at people.selectors.SEARCH_COUNT_LIMIT), then the first page's rows (none when
  nothing was found). They are taken from the selector and Paginator themselves while the
  searches are prepared (the counts run then), and checked against what the view runs (one
  search of each kind, through the view, rolled back).

Both are warmed up first (the whole list once through SQL, ``--warmup`` other searches through
HTTP). The client runs on the same machine as the server and PostgreSQL. The audit entries,
sessions and sign-in records the run writes into the city are removed at the end.

The goal (issue 10): HTTP p95 ≤ 150 ms and within 1.5× of the SQL's p95. The last lines are
``http_p50_ms`` … ``sql_p99_ms`` and ``ratio`` (HTTP p95 / SQL p95), of the finance user.
"""

import argparse
import asyncio
import contextlib
import random
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [p for p in (str(HERE), str(HERE.parent)) if p not in sys.path]

import common  # noqa: E402
import httpbench  # noqa: E402

KINDS = ("surname", "pesel", "document")
AGENT = "gops-bench-search"
P95_GOAL_MS = 150.0
RATIO_GOAL = 1.5


# --- Queries ---------------------------------------------------------------------------------


def draw_queries(
    *, centre_id: int, district_id: int | None, n: int, seed: int, mix: tuple[int, ...]
) -> list[tuple[str, str]]:
    """`n` (kind, text) searches, drawn from the persons of the centre (or of one district)."""
    from common import fetchone
    from django.db import connection

    rng = random.Random(seed)
    low, high = fetchone(
        "SELECT min(id), max(id) FROM people_person WHERE centre_id = %s", [centre_id]
    )
    where = "centre_id = %s" + (" AND district_id = %s" if district_id else "")
    params = [centre_id, *([district_id] if district_id else [])]
    counts = [round(n * share / sum(mix)) for share in mix]
    counts[0] += n - sum(counts)

    def sample(extra: str, columns: str, wanted: int) -> list[tuple]:
        """`wanted` rows at random ids (the next row at or after each), with repetition."""
        rows: list[tuple] = []
        with connection.cursor() as cursor:
            while len(rows) < wanted:
                starts = sorted(rng.randint(low, high) for _ in range(wanted - len(rows)))
                cursor.execute(
                    f"SELECT {columns} FROM unnest(%s::bigint[]) AS s(start), LATERAL ("
                    f"  SELECT {columns} FROM people_person"
                    f"  WHERE {where} AND {extra} AND id >= s.start ORDER BY id LIMIT 1"
                    ") AS p",
                    [starts, *params],
                )
                rows += cursor.fetchall()
                if not rows:
                    raise SystemExit(f"no person matches {extra!r}: is this a generated city?")
        return rows[:wanted]

    queries: list[tuple[str, str]] = []
    surnames = sample("surnames_search <> ''", "surnames_search", counts[0] * 2)
    for (folded,) in surnames:
        parts = [p for p in folded.split() if len(p) >= 3]
        if parts and len(queries) < counts[0]:
            part = rng.choice(parts)
            queries.append(("surname", part[: rng.randint(3, min(6, len(part)))]))
    queries += [("pesel", pesel) for (pesel,) in sample("pesel IS NOT NULL", "pesel", counts[1])]
    queries += [
        ("document", number)
        for (number,) in sample(
            "pesel IS NULL AND id_document_number <> ''", "id_document_number", counts[2]
        )
    ]
    rng.shuffle(queries)
    return queries


class Captured(Exception):
    """Raised by the recorder instead of running a statement on the registry."""


def statements(user, query: str) -> tuple[tuple[str, tuple], tuple[str, tuple] | None]:
    """(count, first page) statements of the registry search `query` as the view runs them
    for `user`: people.selectors.person_search_results under Django's Paginator (page 1 of
    GOPS_PAGE_SIZE). The count runs (the page's size depends on it); the page is only taken.
    No page statement when nothing was found (Paginator reads none)."""
    from django.conf import settings
    from django.core.paginator import Paginator
    from django.db import connection

    from gops.people.selectors import person_search_results

    taken: list[tuple[str, tuple]] = []
    run = True

    def recorder(execute, sql, params, many, context):
        if 'FROM "people_person"' not in sql:
            return execute(sql, params, many, context)
        taken.append((sql, tuple(params or ())))
        if not run:
            raise Captured
        return execute(sql, params, many, context)

    persons = person_search_results(user=user, query=query)
    paginator = Paginator(persons, settings.GOPS_PAGE_SIZE)
    with connection.execute_wrapper(recorder):
        count = paginator.count
        run = False
        with contextlib.suppress(Captured):
            list(paginator.page(1).object_list)
    if len(taken) != (2 if count else 1):
        raise SystemExit(f"unexpected statements for {query!r}: {taken}")
    return taken[0], taken[1] if count else None


def check_statements(user, samples: list[tuple[str, str]]) -> None:
    """The view runs, for each sample, the statements the SQL side runs (rolled back)."""
    from django.db import connection, transaction
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from gops.people.views import person_list

    class Rollback(Exception):
        pass

    factory = RequestFactory()
    for _kind, query in samples:
        count_sql, page = statements(user, query)
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                request = factory.post("/osoby/", {"q": query}, HTTP_HX_REQUEST="true")
                request.user = user
                response = person_list(request)
                raise Rollback
        except Rollback:
            pass
        assert response.status_code == 200
        ran = [q["sql"] for q in captured.captured_queries if 'FROM "people_person"' in q["sql"]]
        expected = [count_sql] + ([page] if page else [])
        composed = [connection.ops.compose_sql(sql, params) for sql, params in expected]
        if ran != composed:
            raise SystemExit(
                f"the view ran other statements for {query!r} than the SQL side would:\n"
                + "\n".join(ran)
                + "\n---\n"
                + "\n".join(composed)
            )


# --- SQL side --------------------------------------------------------------------------------


def run_sql(url: str, work: list[dict], clients: int) -> tuple[dict, float]:
    """Each search's count and first page, by `clients` threads with a connection each."""
    import psycopg

    times: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    position = iter(range(len(work)))
    failures: list[str] = []

    def client() -> None:
        with psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:
            cursor = conn.cursor()
            while True:
                with lock:
                    index = next(position, None)
                if index is None:
                    return
                item = work[index]
                try:
                    started = time.perf_counter()
                    cursor.execute(*item["count"])
                    cursor.fetchone()
                    if item["page"] is not None:
                        cursor.execute(*item["page"])
                        cursor.fetchall()
                    ms = (time.perf_counter() - started) * 1000
                except Exception as exc:  # noqa: BLE001 - counted, the run goes on
                    with lock:
                        failures.append(f"{item['kind']}: {exc}")
                    continue
                with lock:
                    times[item["kind"]].append(ms)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"SQL failed ({len(failures)}×), first: {failures[0]}")
    return times, elapsed


# --- HTTP side -------------------------------------------------------------------------------


async def run_http(
    base: str,
    username: str,
    password: str,
    works: list[list[dict]],
    clients: int,
    traces,
    windows: list,
) -> list[tuple[dict, float, int, list[str]]]:
    """Each list of searches in turn, through the search box, by `clients` sessions signed in
    once: per list (times by kind, seconds, searches that found nobody, errors), each list
    within its CpuWindow (or None)."""
    sessions = [httpbench.client_session(agent=AGENT) for _ in range(clients)]
    results = []
    try:
        tokens = await httpbench.sign_in_all([(s, username) for s in sessions], base, password)
        for session in sessions:
            traces.sessions.add(httpbench.session_key(session, base))
        for work, window in zip(works, windows, strict=True):
            with window or contextlib.nullcontext():
                results.append(await _searches(base, sessions, tokens, work))
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    return results


async def _searches(base: str, sessions: list, tokens: list[str], work: list[dict]):
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    found_none = 0
    position = iter(range(len(work)))

    async def one(n: int) -> bool:
        nonlocal found_none
        index = next(position, None)
        if index is None:
            return False
        item = work[index]
        headers = {
            "HX-Request": "true",
            "HX-Current-URL": f"{base}/osoby/",
            "Referer": f"{base}/osoby/",
            "X-CSRFToken": tokens[n],
        }
        started = time.perf_counter()
        try:
            async with sessions[n].post(
                f"{base}/osoby/", data={"q": item["query"]}, headers=headers, allow_redirects=False
            ) as answer:
                body = await answer.text()
                status = answer.status
        except Exception as exc:  # noqa: BLE001 - counted as an error
            errors.append(f"{item['kind']}: {type(exc).__name__}")
            return True
        ms = (time.perf_counter() - started) * 1000
        if status != 200:
            errors.append(f"{item['kind']}: {status}")
            return True
        if "<table>" not in body:
            found_none += 1
        times[item["kind"]].append(ms)
        return True

    elapsed = await httpbench.closed_loop(len(sessions), one)
    return times, elapsed, found_none, errors


# --- Run -------------------------------------------------------------------------------------


def table(times: dict[str, list[float]]) -> dict:
    rows = {kind: httpbench.summary(times.get(kind, []), errors=0) for kind in KINDS}
    rows["all"] = httpbench.summary([t for kind in KINDS for t in times.get(kind, [])], errors=0)
    return rows


def prepare(user, queries: list[tuple[str, str]]) -> list[dict]:
    work = []
    for kind, query in queries:
        count, page = statements(user, query)
        work.append({"kind": kind, "query": query, "count": count, "page": page})
    return work


def measure(*, label: str, username: str, args, city: dict, server, traces) -> dict:
    from gops.accounts.models import User

    user = User.objects.get(centre_id=city["centre_id"], username=username)
    district_id = None if user.has_perm("people.view_all_persons") else user.district_id
    if district_id is None and not user.has_perm("people.view_all_persons"):
        raise SystemExit(f"{username} sees neither the whole city nor a district")
    mix = args.mix
    queries = draw_queries(
        centre_id=city["centre_id"],
        district_id=district_id,
        n=args.requests,
        seed=args.seed,
        mix=mix,
    )
    warmup = draw_queries(
        centre_id=city["centre_id"],
        district_id=district_id,
        n=args.warmup,
        seed=args.seed + 1000,
        mix=mix,
    )
    samples = [next(q for q in queries if q[0] == kind) for kind in KINDS]
    check_statements(user, samples)
    work = prepare(user, queries)
    warm = prepare(user, warmup)
    scope = "the whole city" if district_id is None else f"district {user.district}"
    common.log(f"{label}: {username} ({scope}); {len(work)} searches, {args.clients} clients")

    from django.db import connection

    connection.close()
    # The benchmark's connections carry its name: the CPU of those backends is counted.
    sql_url = httpbench.with_application_name(args.database_url, AGENT)
    run_sql(sql_url, work, args.clients)  # warm-up: every measured search once
    run_sql(sql_url, warm, args.clients)
    http_window = httpbench.CpuWindow(
        server=server, database_url=args.database_url, application_name=AGENT
    )

    async def http_runs():
        works, windows = [warm, work], [None, http_window]
        return await run_http(
            server.base, username, args.password, works, args.clients, traces, windows
        )

    _warm, (http_times, http_seconds, found_none, errors) = asyncio.run(http_runs())
    if errors:
        raise SystemExit(f"{label}: {len(errors)} HTTP errors, first: {errors[:5]}")
    with httpbench.CpuWindow(database_url=args.database_url, application_name=AGENT) as sql_window:
        sql_times, sql_seconds = run_sql(sql_url, work, args.clients)
    return {
        "http": table(http_times),
        "sql": table(sql_times),
        "http_rps": round(len(work) / http_seconds, 1),
        "sql_rps": round(len(work) / sql_seconds, 1),
        "http_cpu": http_window.per_request(len(work)),
        "sql_cpu": sql_window.per_request(len(work)),
        "found_none": found_none,
        "kinds": {kind: sum(1 for q in queries if q[0] == kind) for kind in KINDS},
    }


def report(prefix: str, result: dict) -> list[str]:
    lines = [
        f"{prefix}searches: {result['http']['all']['count']} "
        + ", ".join(f"{k} {n}" for k, n in result["kinds"].items()),
        f"{prefix}found_nobody: {result['found_none']}",
        f"{prefix}http_requests_per_second: {result['http_rps']} ({result['http_cpu']})",
        f"{prefix}sql_searches_per_second: {result['sql_rps']} ({result['sql_cpu']})",
    ]
    for side in ("http", "sql"):
        for kind in (*KINDS, "all"):
            row = result[side][kind]
            lines.append(
                f"{prefix}{side}_{kind}_ms: p50 {row['p50_ms']:.1f}  p95 {row['p95_ms']:.1f}  "
                f"p99 {row['p99_ms']:.1f}  (n {row['count']})"
            )
    ratio = result["http"]["all"]["p95_ms"] / result["sql"]["all"]["p95_ms"]
    lines.append(f"{prefix}ratio: {ratio:.2f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    httpbench.add_server_arguments(parser)
    parser.add_argument("--requests", type=int, default=2000, help="searches (default 2000)")
    parser.add_argument("--warmup", type=int, default=300, help="HTTP warm-up searches (300)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the queries (1)")
    parser.add_argument(
        "--mix",
        default="50,30,20",
        help="shares of surname prefixes, PESELs and document numbers (50,30,20)",
    )
    parser.add_argument("--user", default="ksiegowa1", help="who sees the city (ksiegowa1)")
    parser.add_argument(
        "--worker",
        default="pracownik001",
        help="a social worker for the second figure; '' for none (pracownik001)",
    )
    args = parser.parse_args()
    args.password = httpbench.CITY_PASSWORD
    try:
        args.mix = tuple(int(v) for v in args.mix.split(","))
    except ValueError:
        args.mix = ()
    if len(args.mix) != 3 or min(args.mix) < 0 or not sum(args.mix):
        parser.error("--mix takes three shares, e.g. 50,30,20")

    usernames = tuple(u for u in (args.user, args.worker) if u)
    city = httpbench.start(args, usernames=usernames)

    traces = httpbench.Traces(list(usernames), agent=AGENT, actions=("search",))
    log = Path(tempfile.mkstemp(prefix="gops-bench-search-", suffix=".log")[1])
    results = {}
    try:
        with httpbench.running_server(
            port=httpbench.free_port(),
            workers=args.workers,
            threads=args.threads,
            log=log,
            database_url=httpbench.with_application_name(args.database_url, AGENT),
        ) as server:
            if args.worker:
                results["worker"] = measure(
                    label="social worker",
                    username=args.worker,
                    args=args,
                    city=city,
                    server=server,
                    traces=traces,
                )
            results["city"] = measure(
                label="whole city",
                username=args.user,
                args=args,
                city=city,
                server=server,
                traces=traces,
            )
    finally:
        log.unlink(missing_ok=True)
        searches = traces.audit_count("search")
        removed = traces.remove()
        common.log(f"audit_search_entries_written: {searches}; removed again: {removed}")

    if "worker" in results:
        for line in report("worker_", results["worker"]):
            common.log(line)
    city_result = results["city"]
    for line in report("", city_result)[:-1]:
        common.log(line)
    http, sql = city_result["http"]["all"], city_result["sql"]["all"]
    ratio = http["p95_ms"] / sql["p95_ms"]
    met = http["p95_ms"] <= P95_GOAL_MS and ratio <= RATIO_GOAL
    common.log(
        f"goal: HTTP p95 ≤ {P95_GOAL_MS:.0f} ms and ≤ {RATIO_GOAL}× SQL p95: "
        + ("met" if met else "missed")
    )
    common.log(f"http_p50_ms: {http['p50_ms']:.1f}")
    common.log(f"http_p95_ms: {http['p95_ms']:.1f}")
    common.log(f"http_p99_ms: {http['p99_ms']:.1f}")
    common.log(f"sql_p50_ms: {sql['p50_ms']:.1f}")
    common.log(f"sql_p95_ms: {sql['p95_ms']:.1f}")
    common.log(f"sql_p99_ms: {sql['p99_ms']:.1f}")
    common.log(f"ratio: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted; gunicorn stopped", file=sys.stderr)
        sys.exit(130)
