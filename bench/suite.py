"""`make bench`: every benchmark of the large city; their figures go into docs/performance.md.

    .venv/bin/python bench/suite.py                   # make bench
    .venv/bin/python bench/suite.py --only search,payroll --no-write

Runs each benchmark below as its own process on the city of bench/generate.py
(BENCH_CITY_URL, default postgres://postgres@127.0.0.1:5432/gops_city; `make bench-generate`
makes it), shows its output as it goes and keeps it in var/bench/<name>.log, reads the
``name: value`` lines it ends with (each benchmark prints its figures and its ratio to the
baseline as its last lines), and rewrites the part of docs/performance.md between the
``make bench`` markers: a table of every figure beside its baseline, the goal, the machine and
the command that reproduces it. The rest of that file (how each benchmark works, what was
changed) is written by hand. Exits 1 when a benchmark fails or misses its goal.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gops_city"
DOC = ROOT / "docs" / "performance.md"
LOGS = ROOT / "var" / "bench"
BEGIN = "<!-- make bench: begin (bench/suite.py writes this part; edit the script, not it) -->"
END = "<!-- make bench: end -->"
FIGURE = re.compile(r"^([a-z0-9_\[\]/, -]+): (.+)$")


@dataclass(frozen=True)
class Bench:
    name: str
    script: str
    title: str
    args: tuple[str, ...]
    # (application, baseline, ratio) from the figures
    row: Callable[[dict], tuple[str, str, str]]
    goal: str
    met: Callable[[dict], bool | None]
    on_city: bool = True  # runs on the city (given --database-url); else its own database


def f(figures: dict, key: str) -> float:
    return float(figures[key].split()[0])


def ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


BENCHES = [
    Bench(
        "search",
        "search.py",
        "Person search through HTTP, 16 concurrent clients, whole city",
        (),
        lambda r: (
            f"p95 {ms(f(r, 'http_p95_ms'))} (p50 {ms(f(r, 'http_p50_ms'))}, "
            f"p99 {ms(f(r, 'http_p99_ms'))})",
            f"the same query in raw SQL, 16 connections: p95 {ms(f(r, 'sql_p95_ms'))} "
            f"(p50 {ms(f(r, 'sql_p50_ms'))}, p99 {ms(f(r, 'sql_p99_ms'))})",
            f"{f(r, 'ratio'):.2f}× (p95)",
        ),
        "p95 ≤ 150 ms and ≤ 1.5× the raw SQL",
        lambda r: f(r, "http_p95_ms") <= 150 and f(r, "ratio") <= 1.5,
    ),
    Bench(
        "person_page",
        "person_page.py",
        "A person's page (permission check, audit write, rendering), 32 concurrent clients",
        (),
        lambda r: (
            f"{f(r, 'page_rps'):,.0f} requests/s, p95 {ms(f(r, 'page_p95_ms'))}",
            f"a bare Django view reading one row, same server: {f(r, 'bare_rps'):,.0f} "
            f"requests/s, p95 {ms(f(r, 'bare_p95_ms'))}",
            f"{f(r, 'ratio') * 100:.0f} % of the bare view's throughput",
        ),
        "≥ 40 % of the bare view's throughput",
        lambda r: f(r, "ratio") >= 0.40,
    ),
    Bench(
        "payroll",
        "city_payroll.py",
        "Payroll of the next month (`payroll_generate`, first generation)",
        (),
        lambda r: (
            f"{f(r, 'payroll_generate_seconds'):.2f} s for {int(f(r, 'payroll_payments')):,} "
            f"payments (again: {f(r, 'regenerate_seconds'):.2f} s)",
            f"hand-written SQL writing the same rows (the horizon month's items, the payroll, "
            f"its payments): {f(r, 'raw_sql_seconds'):.2f} s",
            f"{f(r, 'ratio'):.2f}×",
        ),
        "≤ 3× the raw SQL (issue 4)",
        lambda r: f(r, "ratio") <= 3,
    ),
    Bench(
        "mrpips03",
        "city_reports.py",
        "MRPiPS-03 report of the last whole year",
        (),
        lambda r: (
            f"{f(r, 'orm_seconds'):.2f} s over {int(f(r, 'payments_in_period')):,} payments",
            f"hand-written SQL aggregate, same report: {f(r, 'sql_seconds'):.2f} s",
            f"{f(r, 'ratio'):.2f}×",
        ),
        "≤ 1.5× the raw SQL (issue 6)",
        lambda r: f(r, "ratio") <= 1.5,
    ),
    Bench(
        "import",
        "import_persons.py",
        "Import of 100,000 persons from CSV through the application's validation",
        (),
        lambda r: (
            f"{f(r, 'import_seconds'):.1f} s for {int(f(r, 'rows')):,} rows "
            f"({f(r, 'rows') / f(r, 'import_seconds'):,.0f} rows/s)",
            f"`COPY` of the same rows: {f(r, 'copy_seconds'):.2f} s",
            f"{f(r, 'ratio'):.1f}×",
        ),
        "none set: reported",
        lambda r: None,
        on_city=False,
    ),
]


def run(bench: Bench, env: dict, url: str) -> tuple[int, dict, float]:
    """Run one benchmark, echoing and logging its output; (exit code, figures, seconds)."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log_path = LOGS / f"{bench.name}.log"
    started = time.perf_counter()
    figures: dict[str, str] = {}
    with open(log_path, "w") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                str(HERE / bench.script),
                *bench.args,
                *(("--database-url", url) if bench.on_city else ()),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            log_file.write(line)
            if match := FIGURE.match(line.rstrip("\n")):
                figures[match.group(1)] = match.group(2)
        code = process.wait()
    return code, figures, time.perf_counter() - started


def city_facts(url: str) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        facts = {}
        for key, statement in {
            "persons": "SELECT count(*) FROM people_person",
            "households": "SELECT count(*) FROM people_household",
            "decisions": "SELECT count(*) FROM benefits_decision",
            "payments": "SELECT count(*) FROM payments_payment",
            "audit": "SELECT count(*) FROM audit_auditentry",
            "size": "SELECT pg_size_pretty(pg_database_size(current_database()))",
        }.items():
            try:
                facts[key] = conn.execute(statement).fetchone()[0]
            except psycopg.Error:
                conn.rollback()
                facts[key] = "?"
        facts["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    return facts


def machine() -> str:
    import platform

    from common import cpu_model, memory_gib

    return (
        f"{os.cpu_count()} vCPU ({cpu_model()}), {memory_gib():.1f} GiB RAM, "
        f"Python {platform.python_version()}"
    )


def number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def markdown(results: list, facts: dict, total_seconds: float) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        BEGIN,
        "## Large city: every benchmark against its baseline (`make bench`)",
        "",
        f"Written by `make bench` (bench/suite.py) on {when}, in {total_seconds / 60:.0f} "
        "minutes. Each figure was measured in the same run as its baseline.",
        "",
        f"- **Data:** the large city of bench/generate.py (`make bench-generate`): "
        f"{number(facts['persons'])} persons, {number(facts['households'])} households, "
        f"{number(facts['decisions'])} decisions, {number(facts['payments'])} payments, "
        f"{number(facts['audit'])} audit entries; database {facts['size']}.",
        f"- **Machine:** {machine()}, PostgreSQL {facts['postgresql']}; the clients, gunicorn "
        "(gunicorn.conf.py: one worker per core, 8 threads each) and PostgreSQL share it.",
        "- **Reproduce:** `make bench-generate` once (about 13 minutes), then `make bench`; one "
        "benchmark: `.venv/bin/python bench/suite.py --only NAME` (names below). Output of "
        "each run: var/bench/NAME.log.",
        "",
        "| Benchmark | Application | Baseline | Ratio | Goal | |",
        "|---|---|---|---|---|---|",
    ]
    for bench, code, figures, seconds in results:
        title = f"{bench.title} (`{bench.name}`: bench/{bench.script}, {seconds:.0f} s)"
        try:
            application, baseline, ratio = bench.row(figures)
            met = bench.met(figures)
        except (KeyError, ValueError):
            lines.append(
                f"| {title} | failed (exit {code}): see var/bench/{bench.name}.log "
                f"| | | {bench.goal} | ✗ |"
            )
            continue
        mark = "—" if met is None else ("met ✓" if met else "**not met** ✗")
        lines.append(
            f"| {title} | {application} | {baseline} | **{ratio}** | {bench.goal} | {mark} |"
        )
    lines += [
        "",
        "Every figure each benchmark printed:",
        "",
    ]
    for bench, _code, figures, _seconds in results:
        shown = {k: v for k, v in figures.items() if not k.startswith(("run ", "cpus"))}
        lines.append(f"<details><summary>{bench.name}</summary>")
        lines.append("")
        lines.append("```")
        lines += [f"{key}: {value}" for key, value in shown.items()]
        lines.append("```")
        lines.append("")
        lines.append("</details>")
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def write_doc(section: str) -> None:
    text = DOC.read_text()
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        head, _, body = text.partition("\n")
        text = f"{head}\n\n{section}\n{body}"
    DOC.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_CITY_URL", DEFAULT_URL))
    names = ", ".join(b.name for b in BENCHES)
    parser.add_argument("--only", help=f"comma-separated names: {names}")
    parser.add_argument("--no-write", action="store_true", help="leave docs/performance.md")
    args = parser.parse_args()

    try:
        facts = city_facts(args.database_url)
    except Exception as exc:  # noqa: BLE001 - any failure to reach the city is the same advice
        print(f"no large city at {args.database_url} ({exc}); run `make bench-generate` first")
        return 2
    chosen = BENCHES
    if args.only:
        names = set(args.only.split(","))
        unknown = names - {b.name for b in BENCHES}
        if unknown:
            parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
        chosen = [b for b in BENCHES if b.name in names]
    env = {**os.environ, "BENCH_CITY_URL": args.database_url}
    started = time.perf_counter()
    results = []
    for bench in chosen:
        print(f"=== {bench.name}: bench/{bench.script}", flush=True)
        code, figures, seconds = run(bench, env, args.database_url)
        results.append((bench, code, figures, seconds))
    total = time.perf_counter() - started
    section = markdown(results, facts, total)
    if not args.no_write:
        write_doc(section)
        print(f"written: {DOC.relative_to(ROOT)}")
    failed = []
    for bench, code, figures, _seconds in results:
        try:
            met = bench.met(figures)
        except (KeyError, ValueError):
            met = False
        if code or met is False:
            failed.append(bench.name)
    print(f"benchmarks: {len(results)}, failed or goal missed: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
