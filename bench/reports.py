"""MRPiPS-03 benchmark: the report through the ORM path against one SQL aggregate, on PostgreSQL.

    .venv/bin/python bench/reports.py [--help]      # make bench-reports

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/gops_bench_reports), creates and migrates it, and loads one
centre with raw ``INSERT … SELECT generate_series`` statements (not the ORM, not the services):
100,000 households (``--households``) of 1–5 persons with their memberships, one application
per household with a done community interview whose snapshot lists the members (a tenth also
has an older interview with one member more, a twentieth a scheduled one with an empty
snapshot: the latest done interview must win), and issued granting decisions: permanent
allowances for the whole year (60 % of households), periodic ones for 8 months (30 %), purpose
allowances paid once (35 %) and purpose allowances after a natural disaster (5 %, the
commissioned task). Their schedule items, twelve approved payrolls and one paid payment per
item: 1,000,000 paid payments in 2025 (10 per household), and about 2,000 more that the bank
returned (each paid again a month later). A later run reuses the data set (``--fresh`` drops
the database first).

Then, best of ``--runs``, in the same run and alternating: the yearly report as the page and
the XLSX job compute it, ``selectors.mrpips03_for_user`` for the head of the centre (a fresh
user object each time, as a request loads it), and the hand-written aggregate
``selectors.mrpips03_sql``; both must give the same Report. Peak memory of the XLSX job's work
(the report, then ``exports.write_xlsx`` of every payment into a temporary binary file) is
measured in a fresh child process per period — one month and the year — as the tracemalloc
peak of each step and the growth of the peak RSS over the RSS before the job.

Each figure is printed on its own line as ``name: value``; the last three lines are always
``orm_seconds``, ``sql_seconds`` and ``ratio``. See docs/performance.md.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

import common  # bench/common.py: the scripts run from bench/, which is on sys.path
from common import execute, fetchone

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gops_bench_reports"
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)

YEAR = 2025
DATASET = "reports-v1"  # change when the shape of the data set changes
RATIO_GOAL = 1.5
# The periods of the memory figures: (label, start, end).
# Two sizes of the same export: a month and a quarter (~3× the rows). The year (1,000,000
# rows) is `--memory-year`: openpyxl takes many minutes to write it under tracemalloc.
MEMORY_PERIODS = {
    "month": (date(YEAR, 1, 1), date(YEAR, 1, 31)),
    "quarter": (date(YEAR, 1, 1), date(YEAR, 3, 31)),
    "year": (date(YEAR, 1, 1), date(YEAR, 12, 31)),
}


def log(line: str) -> None:
    print(line, flush=True)


# --- Database and Django --------------------------------------------------------------------


def ensure_database(*, fresh: bool) -> None:
    """Create the bench database if it is missing (drop it first with ``fresh``)."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(BENCH_URL)
    name = params.get("dbname") or "gops_bench_reports"
    admin = {**params, "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as conn:
        if fresh:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            conn.execute(drop.format(sql.Identifier(name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"database: created {name}")
        else:
            log(f"database: reusing {name}")


def django_setup() -> None:
    common.django_setup(BENCH_URL)


# --- The data set ---------------------------------------------------------------------------


def centre_name(households: int) -> str:
    return f"Bench reports {households} ({DATASET})"


# One statement per table; %(name)s parameters come from load(). Household h = 1 … H has
# size 1–5 (40/25/20/10/5 %), its persons are numbered from its offset in a temporary table.
# Household classes by h % 20: 0–11 permanent allowance all year, 12–17 periodic allowance for
# 8 months from month 1 + h % 5; purpose allowance when h % 4 = 1 or h % 20 in (18, 19);
# disaster purpose allowance when h % 20 = 3.
LOAD_SQL = [
    (
        "households (temporary plan)",
        """
        CREATE TEMP TABLE bench_hh ON COMMIT DROP AS
        SELECT h, size, SUM(size) OVER (ORDER BY h) - size AS first_person
        FROM (
            SELECT h, CASE WHEN k < 8 THEN 1 WHEN k < 13 THEN 2 WHEN k < 17 THEN 3
                           WHEN k < 19 THEN 4 ELSE 5 END AS size
            FROM (SELECT h, (h * 37) %% 20 AS k FROM generate_series(1, %(households)s) h) s
        ) t
        """,
    ),
    (
        "people_person",
        """
        INSERT INTO people_person (
            id, created_at, updated_at, first_names, surnames, pesel, birth_date, sex,
            id_document_type, id_document_number, citizenship, residence_status,
            registered_street, registered_postal_code, registered_city,
            actual_same_as_registered, actual_street, actual_postal_code, actual_city, homeless,
            phone, email, disability_degree, restricted_notes, surnames_search,
            surnames_alt_search, first_names_search, document_search, centre_id,
            created_by_id, district_id, languages_spoken, letter_language, needs_interpreter)
        SELECT %(person_base)s + hh.first_person + j, now(), now(),
               (ARRAY['Anna', 'Maria', 'Piotr', 'Krzysztof', 'Ewa', 'Tomasz', 'Barbara'])
                   [1 + (hh.h + j) %% 7],
               (ARRAY['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamiński'])
                   [1 + hh.h %% 6],
               lpad((%(person_base)s + hh.first_person + j)::text, 11, '0'),
               date '1950-01-01' + ((hh.h * 13 + j * 1000) %% 25000),
               CASE WHEN (hh.h + j) %% 2 = 0 THEN 'F' ELSE 'M' END,
               '', '', 'PL', '', 'ul. Lipowa ' || (hh.h %% 120 + 1), '00-001', 'Benchowo',
               true, '', '', '', false, '', '', '', '', 'nowak', 'nowak', 'anna', '',
               %(centre)s, %(worker)s, (%(districts)s)[1 + hh.h %% 10], '', '', false
        FROM bench_hh hh CROSS JOIN LATERAL generate_series(1, hh.size) j
        """,
    ),
    (
        "people_household",
        """
        INSERT INTO people_household (id, created_at, updated_at, notes, centre_id,
                                      created_by_id, district_id)
        SELECT %(household_base)s + h, now(), now(), '', %(centre)s, %(worker)s,
               (%(districts)s)[1 + h %% 10]
        FROM bench_hh
        """,
    ),
    (
        "people_householdmembership",
        """
        INSERT INTO people_householdmembership (created_at, updated_at, relation, joined_on,
                                                household_id, person_id)
        SELECT now(), now(), CASE WHEN j = 1 THEN 'head' WHEN j = 2 THEN 'spouse' ELSE 'child' END,
               date '2020-01-01', %(household_base)s + hh.h, %(person_base)s + hh.first_person + j
        FROM bench_hh hh CROSS JOIN LATERAL generate_series(1, hh.size) j
        """,
    ),
    (
        "cases_application",
        """
        INSERT INTO cases_application (
            id, created_at, updated_at, number, year, sequence, ex_officio, received_on,
            benefits_requested, reasons, reason_other, description, urgent,
            particularly_complicated, status, closed_reason, interview_due_on, decision_due_on,
            applicant_id, centre_id, created_by_id, household_id, worker_id)
        SELECT %(application_base)s + h, now(), now(), 'OPS/' || h || '/2024', 2024, h, false,
               date '2024-12-02', '["permanent"]'::jsonb,
               (ARRAY['["poverty"]', '["poverty", "unemployment"]', '["long_illness"]',
                      '["disability", "poverty"]', '["poverty", "disaster"]',
                      '["unemployment"]', '["homelessness", "addiction"]', '[]'])
                   [1 + h %% 8]::jsonb,
               '', '', false, false, 'final', '', date '2024-12-10', date '2024-12-30',
               %(person_base)s + first_person + 1, %(centre)s, %(worker)s,
               %(household_base)s + h, %(worker)s
        FROM bench_hh
        """,
    ),
    (
        "cases_communityinterview",
        """
        INSERT INTO cases_communityinterview (
            created_at, updated_at, kind, status, due_on, planned_on, conducted_on, snapshot,
            needs, diagnosis, help_plan, material_situation, health, work_and_education,
            housing, application_id, centre_id, conducted_by_id, household_id)
        SELECT now(), now(), v.kind, v.status, v.due_on, NULL, v.conducted_on,
               CASE WHEN v.status <> 'done' THEN '{}'::jsonb ELSE jsonb_build_object(
                   'month', '2024-11', 'household_id', %(household_base)s + hh.h,
                   'members', (
                       SELECT jsonb_agg(jsonb_build_object(
                           'person_id', %(person_base)s + hh.first_person + j,
                           'relation', CASE WHEN j = 1 THEN 'head' ELSE 'child' END,
                           'incomes', '[]'::jsonb) ORDER BY j)
                       FROM generate_series(1, hh.size + v.extra) j)) END,
               '', '', '', '', '', '', '', %(application_base)s + hh.h, %(centre)s,
               CASE WHEN v.status = 'done' THEN %(worker)s END, %(household_base)s + hh.h
        FROM bench_hh hh
        CROSS JOIN LATERAL (VALUES
            -- the interview of the application
            ('initial', 'done', date '2024-12-10', date '2024-12-09', 0, true),
            -- an older one, with one member more (a tenth of the households)
            ('initial', 'done', date '2024-06-10', date '2024-06-09', 1, hh.h %% 10 = 0),
            -- a later one not yet conducted (a twentieth)
            ('update', 'scheduled', date '2025-03-01', NULL::date, 0, hh.h %% 20 = 7)
        ) AS v(kind, status, due_on, conducted_on, extra, wanted)
        WHERE v.wanted
        ORDER BY hh.h, v.conducted_on NULLS LAST
        """,
    ),
    (
        "benefits_decision",
        """
        INSERT INTO benefits_decision (
            created_at, updated_at, kind, benefit, status, number, year, sequence,
            computed_amount, amount, amount_change_reason, assessment, period_from,
            period_until, payment_method, bank_account, payee_name, quantity, supplier,
            legal_basis, ruling, reasoning, signer_name, signer_post, issued_on, pdf,
            pdf_sha256, application_id, centre_id, drafted_by_id, person_id, signed_by_id)
        SELECT now(), now(), 'granting', d.benefit, 'issued',
               'DEC/' || row_number() OVER (ORDER BY hh.h, d.benefit) || '/2025', 2025,
               row_number() OVER (ORDER BY hh.h, d.benefit), d.amount, d.amount, '', '{}'::jsonb,
               d.period_from, d.period_until, 'bank_transfer', 'PL61109010140000071219812874',
               '', '', '', '["u.p.s. art. 37"]'::jsonb,
               'Przyznać stronie świadczenie pieniężne.', 'Uzasadnienie.', 'Kierownik',
               'Kierownik', d.issued_on, NULL, '', %(application_base)s + hh.h, %(centre)s,
               %(worker)s, %(person_base)s + hh.first_person + 1, %(head)s
        FROM bench_hh hh
        CROSS JOIN LATERAL (VALUES
            ('permanent', hh.h %% 20 < 12, date '2025-01-01', NULL::date,
             (100 + (hh.h::bigint * 7919) %% 1130)::numeric(10, 2) + 0.50, date '2024-12-20'),
            ('periodic', hh.h %% 20 BETWEEN 12 AND 17,
             make_date(2025, 1 + hh.h %% 5, 1),
             (make_date(2025, 1 + hh.h %% 5, 1) + interval '8 months' - interval '1 day')::date,
             (20 + (hh.h::bigint * 104729) %% 980)::numeric(10, 2) + 0.25, date '2024-12-20'),
            ('purpose', hh.h %% 4 = 1 OR hh.h %% 20 IN (18, 19), NULL::date, NULL::date,
             (150 + (hh.h * 31) %% 1850)::numeric(10, 2),
             date '2025-01-02' + (hh.h * 17) %% 360),
            ('disaster', hh.h %% 20 = 3, NULL::date, NULL::date,
             (500 + (hh.h * 13) %% 4500)::numeric(10, 2),
             date '2025-01-02' + (hh.h * 29) %% 360)
        ) AS d(benefit, wanted, period_from, period_until, amount, issued_on)
        WHERE d.wanted
        """,
    ),
    (
        "payments_scheduleitem",
        """
        INSERT INTO payments_scheduleitem (
            created_at, updated_at, month, due_on, amount, method, bank_account, payee_name,
            invoice_number, urgent, status, centre_id, decision_id, person_id)
        SELECT now(), now(), m.month, m.due_on, d.amount, d.payment_method, d.bank_account, '',
               '', m.urgent, 'planned', d.centre_id, d.id, d.person_id
        FROM benefits_decision d
        CROSS JOIN LATERAL (
            SELECT gs::date AS month, (gs + interval '9 days')::date AS due_on, false AS urgent
            FROM generate_series(d.period_from,
                                 LEAST(COALESCE(d.period_until, date '2025-12-31'),
                                       date '2025-12-31'),
                                 interval '1 month') gs
            WHERE d.benefit IN ('permanent', 'periodic')
            UNION ALL
            SELECT date_trunc('month', d.issued_on)::date, d.issued_on, true
            WHERE d.benefit NOT IN ('permanent', 'periodic')
        ) m
        WHERE d.centre_id = %(centre)s
        ORDER BY m.due_on, d.id
        """,
    ),
    (
        "payments_payroll",
        """
        INSERT INTO payments_payroll (created_at, updated_at, month, status, approved_at,
                                      approved_by_id, centre_id, prepared_by_id)
        SELECT now(), now(), gs::date, 'approved', gs + interval '5 days', %(head)s,
               %(centre)s, %(finance)s
        FROM generate_series(date '2025-01-01', date '2025-12-01', interval '1 month') gs
        """,
    ),
    (
        "payments_payment (returned by the bank)",
        # Every 500th monthly item up to November: paid, then returned by the bank.
        """
        INSERT INTO payments_payment (
            created_at, updated_at, amount, method, bank_account, payee_name, status, paid_on,
            outcome_note, centre_id, person_id, recorded_by_id, payroll_id, item_id)
        SELECT now(), now(), i.amount, i.method, i.bank_account, i.payee_name, 'returned',
               i.due_on, 'Rachunek zamknięty', i.centre_id, i.person_id, %(finance)s, pr.id, i.id
        FROM payments_scheduleitem i
        JOIN payments_payroll pr ON pr.centre_id = i.centre_id AND pr.month = i.month
        WHERE i.centre_id = %(centre)s AND NOT i.urgent AND i.id %% 500 = 0
          AND i.month < date '2025-12-01'
        ORDER BY i.id
        """,
    ),
    (
        "payments_payment (paid)",
        # One paid payment per item: monthly items on their month's payroll on the 10th (the
        # returned ones again on the next month's payroll), one-off items urgently on the day.
        """
        INSERT INTO payments_payment (
            created_at, updated_at, amount, method, bank_account, payee_name, status, paid_on,
            outcome_note, centre_id, person_id, recorded_by_id, payroll_id, item_id)
        SELECT now(), now(), i.amount, i.method, i.bank_account, i.payee_name, 'paid',
               CASE WHEN r.returned THEN (i.due_on + interval '1 month')::date ELSE i.due_on END,
               '', i.centre_id, i.person_id, %(finance)s, pr.id, i.id
        FROM payments_scheduleitem i
        CROSS JOIN LATERAL (
            SELECT NOT i.urgent AND i.id %% 500 = 0 AND i.month < date '2025-12-01' AS returned
        ) r
        LEFT JOIN payments_payroll pr ON NOT i.urgent AND pr.centre_id = i.centre_id
             AND pr.month = CASE WHEN r.returned THEN (i.month + interval '1 month')::date
                                 ELSE i.month END
        WHERE i.centre_id = %(centre)s
        ORDER BY 8, i.id
        """
        "",
    ),
]
# Tables whose ids the load numbers itself (from the largest id so far): the parameter.
SEQUENCED = {
    "person_base": "people_person",
    "household_base": "people_household",
    "application_base": "cases_application",
}
ANALYZED = (
    "people_person",
    "people_household",
    "people_householdmembership",
    "cases_application",
    "cases_communityinterview",
    "benefits_decision",
    "payments_scheduleitem",
    "payments_payroll",
    "payments_payment",
)


def load(households: int):
    """Bulk-load the centre: staff through the ORM, everything else by raw SQL."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    from gops.accounts import roles
    from gops.accounts.models import Centre, District, User

    with transaction.atomic():
        centre = Centre.objects.create(
            name=centre_name(households),
            municipality="Benchowo",
            teryt="1234567",
            street="ul. Testowa 1",
            postal_code="00-001",
            city="Benchowo",
            head_name="Kierownik Benchowy",
            bank_account="PL61109010140000071219812874",
            payment_day=10,
        )
        districts = District.objects.bulk_create(
            [District(centre=centre, name=f"Rejon {n + 1}") for n in range(10)]
        )

        def staff(username: str, role: str, **extra) -> User:
            user = User(username=f"{username}-{households}", centre=centre, **extra)
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))
            return user

        head = staff("head", roles.HEAD, may_sign_decisions=True, first_name="Kierownik")
        finance = staff("finance", roles.FINANCE, first_name="Księgowa")
        worker = staff("worker", roles.SOCIAL_WORKER, district=districts[0])
        params = {
            "households": households,
            "centre": centre.pk,
            "head": head.pk,
            "finance": finance.pk,
            "worker": worker.pk,
            "districts": [d.pk for d in districts],
        }
        for key, table in SEQUENCED.items():
            (params[key],) = fetchone(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        # The rows are made from rows that exist: skip the foreign-key triggers, which would
        # otherwise queue ~10 million deferred checks for the commit (superuser only).
        try:
            with transaction.atomic():
                execute("SET LOCAL session_replication_role = replica")
        except Exception as exc:  # noqa: BLE001  (not a superuser: keep the checks)
            log(f"foreign-key checks kept: {exc}")
        for name, statement in LOAD_SQL:
            started = time.perf_counter()
            rows = execute(statement, params)
            log(f"load {name}: {rows} rows, {time.perf_counter() - started:.1f} s")
        for table in SEQUENCED.values():
            execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
    return centre


def prepare(households: int):
    from gops.accounts.models import Centre

    centre = Centre.objects.filter(name=centre_name(households)).first()
    if centre is None:
        started = time.perf_counter()
        centre = load(households)
        for table in ANALYZED:
            execute(f"VACUUM ANALYZE {table}")
        log(f"generate_seconds: {time.perf_counter() - started:.1f}")
    return centre


def dataset_figures(centre) -> list[str]:
    counts = fetchone(
        """
        SELECT (SELECT count(*) FROM people_household WHERE centre_id = %(c)s),
               (SELECT count(*) FROM people_person WHERE centre_id = %(c)s),
               (SELECT count(*) FROM cases_communityinterview WHERE centre_id = %(c)s),
               (SELECT count(*) FROM benefits_decision WHERE centre_id = %(c)s),
               (SELECT count(*) FROM payments_scheduleitem WHERE centre_id = %(c)s),
               (SELECT count(*) FROM payments_payment WHERE centre_id = %(c)s AND status = 'paid'),
               (SELECT count(*) FROM payments_payment
                WHERE centre_id = %(c)s AND status = 'returned'),
               pg_size_pretty(pg_database_size(current_database()))
        """,
        {"c": centre.pk},
    )
    names = (
        "households",
        "persons",
        "interviews",
        "decisions",
        "schedule_items",
        "payments_paid",
        "payments_returned",
        "database_size",
    )
    return [f"{name}: {value}" for name, value in zip(names, counts, strict=True)]


# --- Measurements ---------------------------------------------------------------------------


def head_of(centre):
    """A fresh user object, as a request would load it (no cached permissions)."""
    from gops.accounts.models import User

    size = centre.name.split()[2]
    return User.objects.select_related("centre").get(username=f"head-{size}")


def run_orm(centre, start: date, end: date):
    from gops.reports import selectors

    user = head_of(centre)
    started = time.perf_counter()
    report = selectors.mrpips03_for_user(user=user, start=start, end=end)
    return time.perf_counter() - started, report


def run_sql(centre, start: date, end: date):
    from gops.reports import selectors

    started = time.perf_counter()
    report = selectors.mrpips03_sql(centre.pk, start, end)
    return time.perf_counter() - started, report


def profile_orm(centre, start: date, end: date, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    run_orm(centre, start, end)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(top)
    return out.getvalue()


def explain_orm(centre, start: date, end: date) -> str:
    """EXPLAIN ANALYZE of the payment_rows query."""
    from django.db import connection

    from gops.reports import selectors

    qs = (
        selectors.payments_in_period(centre_id=centre.pk, start=start, end=end)
        .annotate(household_size=selectors._household_size())
        .order_by("id")
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def proc_status_kib(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def rss_peak_reset() -> None:
    """Start the process's peak RSS (VmHWM) afresh from the current RSS (Linux >= 4.0)."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def xlsx_job(centre, start: date, end: date, measure=None) -> tuple[int, int]:
    """What the reports.mrpips03_xlsx job does, for any period: the report, the payment
    count, then the XLSX with every payment into a temporary binary file. `measure(step)` is
    called after each step. Returns the file's size and the payments written."""
    from gops.reports import exports, selectors

    user = head_of(centre)
    written = 0

    def progress(done, total):
        nonlocal written
        written = done

    with tempfile.TemporaryFile() as out:
        report = selectors.mrpips03_for_user(user=user, start=start, end=end)
        total = selectors.payment_count(centre_id=user.centre_id, start=start, end=end)
        if measure:
            measure("report")
        exports.write_xlsx(
            out,
            report=report,
            payments=selectors.payment_rows(centre_id=user.centre_id, start=start, end=end),
            payment_total=total,
            year=start.year,
            half=None,
            progress=progress,
        )
        if measure:
            measure("write_xlsx")
        assert written == total, (written, total)
        return out.tell(), written


def memory_child(households: int, period: str) -> None:
    """In a fresh process: the peak RSS growth of the XLSX job, then (a second run) the
    tracemalloc peak of its two steps. Prints one JSON line."""
    import gc

    from gops.accounts.models import Centre
    from gops.reports import exports, selectors  # noqa: F401  (imported before measuring)

    start, end = MEMORY_PERIODS[period]
    centre = Centre.objects.get(name=centre_name(households))
    head_of(centre).has_perm("reports.view_mrpips03")  # a connection, the ORM, permissions
    gc.collect()
    rss_peak_reset()
    rss_before = proc_status_kib("VmRSS")
    started = time.perf_counter()
    size, written = xlsx_job(centre, start, end)
    seconds = time.perf_counter() - started
    rss_peak = proc_status_kib("VmHWM")
    gc.collect()
    peaks = {}

    def measure(step):
        peaks[step] = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()

    tracemalloc.start()
    xlsx_job(centre, start, end, measure)
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "payments": written,
                "xlsx_bytes": size,
                "seconds": seconds,
                "rss_kib_before": rss_before,
                "rss_kib_peak": rss_peak,
                "peak_bytes": peaks,
            }
        )
    )


def measure_memory(households: int, period: str) -> dict:
    child = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(households), "--period", period],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_DATABASE_URL": BENCH_URL},
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=100_000, help="10 payments each")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="drop and reload the database")
    parser.add_argument("--profile", action="store_true", help="cProfile one ORM run")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the ORM query")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory figures")
    parser.add_argument(
        "--memory-year", action="store_true", help="also measure the year's export (slow)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--period", choices=sorted(MEMORY_PERIODS), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.memory_child:
        django_setup()
        memory_child(args.memory_child, args.period)
        return 0

    ensure_database(fresh=args.fresh)
    django_setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrate_seconds: {time.perf_counter() - started:.2f}")
    for line in common.machine():
        log(line)

    centre = prepare(args.households)
    for line in dataset_figures(centre):
        log(line)

    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    log(f"period: {start} – {end}")
    orm_times, sql_times = [], []
    for run in range(args.runs):
        seconds, orm_report = run_orm(centre, start, end)
        orm_times.append(seconds)
        seconds, sql_report = run_sql(centre, start, end)
        sql_times.append(seconds)
        assert orm_report == sql_report, (orm_report, sql_report)
        log(f"run {run + 1}: orm {orm_times[-1]:.3f} s, sql {seconds:.3f} s")
    log("same_report: yes")
    log(f"report_rows: {len(orm_report.rows)} + total + {len(orm_report.reasons)} reasons")
    for row in orm_report.rows:
        log(
            f"row[{row.benefit}/{row.task}]: persons {row.persons}, benefits {row.benefits}, "
            f"amount {row.amount}, families {row.families}, "
            f"persons_in_families {row.persons_in_families}"
        )
    total = orm_report.total
    log(
        f"row[total]: persons {total.persons}, benefits {total.benefits}, amount {total.amount},"
        f" families {total.families}, persons_in_families {total.persons_in_families}"
    )

    if args.explain:
        log(explain_orm(centre, start, end))
    if args.profile:
        log(profile_orm(centre, start, end, top=25))

    if not args.no_memory:
        for period in ("month", "quarter", "year") if args.memory_year else ("month", "quarter"):
            figures = measure_memory(args.households, period)
            log(f"xlsx_payments[{period}]: {figures['payments']}")
            log(f"xlsx_mib[{period}]: {figures['xlsx_bytes'] / 2**20:.1f}")
            log(f"xlsx_job_seconds[{period}]: {figures['seconds']:.1f}")
            for step, peak in figures["peak_bytes"].items():
                log(f"tracemalloc_peak_mib[{period}, {step}]: {peak / 2**20:.2f}")
            growth = (figures["rss_kib_peak"] - figures["rss_kib_before"]) / 1024
            log(f"rss_before_mib[{period}]: {figures['rss_kib_before'] / 1024:.1f}")
            log(f"rss_peak_growth_mib[{period}]: {growth:.1f}")

    best_orm, best_sql = min(orm_times), min(sql_times)
    ratio = best_orm / best_sql
    log(f"goal: ratio <= {RATIO_GOAL:g} {'met' if ratio <= RATIO_GOAL else 'NOT met'}")
    log(f"orm_seconds: {best_orm:.3f}")
    log(f"sql_seconds: {best_sql:.3f}")
    log(f"ratio: {ratio:.2f}")
    return 1 if args.check and ratio > RATIO_GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
