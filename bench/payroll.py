"""Payroll benchmark: ``payroll_generate`` against one raw ``INSERT … SELECT``, on PostgreSQL.

    make bench                      # or: .venv/bin/python bench/payroll.py [--help]

Uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/gops_bench),
creates and migrates it, and bulk-loads (not through the services) one centre per data-set
size: staff, persons with households, applications and issued decisions granting periodic or
permanent allowances whose periods cover the benchmark month, each with its PDF (one decision
rendered by the project's renderer, stored in all). Their schedule items are made once by
``schedules_sync`` (timed as an extra figure) and the months before the benchmark month are
settled as paid, so the benchmark month has exactly one due item per decision. A later run
reuses the data set (``--fresh`` drops the database first).

Then, for the large centre, best of ``--runs``: ``payroll_generate(actor=finance, month=…)``
and, in the same run, a raw SQL statement writing the same payment rows, each from a clean
state (the payroll and its payments deleted with raw SQL between runs). Extra figures:
``schedules_sync`` when there is nothing to plan; ``payroll_generate`` as the first generation
of its month (the schedule horizon moves on a month); with ``--amendments N``, ``schedules_sync``
with N amending decisions (rolled back). Peak memory of ``payroll_generate`` is measured in a
fresh child process per centre (tracemalloc peak, and the growth of the peak RSS over the RSS
before the call), for the small and the large centre.

Each figure is printed on its own line as ``name: value``; the last three lines are always
``payroll_generate_seconds``, ``raw_sql_seconds`` and ``ratio``. See docs/performance.md.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import subprocess
import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import common  # bench/common.py: the scripts run from bench/, which is on sys.path
from common import execute, fetchone

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gops_bench"
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)

# The payroll month, and the months before it that are already paid.
MONTH = date(2025, 7, 1)
FIRST_MONTH = date(2025, 4, 1)
DATASET = "bench-v2"  # change when the shape of the data set changes
RATIO_GOAL = 3.0

# The raw baseline: the payroll row, then every due item's payment in one statement.
RAW_PAYROLL_SQL = """
INSERT INTO payments_payroll (created_at, updated_at, centre_id, month, status, prepared_by_id)
VALUES (now(), now(), %s, %s, 'prepared', %s)
RETURNING id
"""
RAW_PAYMENTS_SQL = """
INSERT INTO payments_payment (
    created_at, updated_at, centre_id, item_id, payroll_id, person_id, amount, method,
    bank_account, payee_name, status, paid_on, outcome_note, recorded_by_id
)
SELECT now(), now(), i.centre_id, i.id, %s, i.person_id, i.amount, i.method,
       i.bank_account, i.payee_name, 'pending', NULL, '', NULL
FROM payments_scheduleitem i
WHERE i.centre_id = %s AND i.status = 'planned' AND NOT i.urgent AND i.due_on <= %s
  AND NOT EXISTS (
      SELECT 1 FROM payments_payment p WHERE p.item_id = i.id AND p.status <> 'returned'
  )
ON CONFLICT DO NOTHING
"""
# What a payroll holds, to show both ways wrote the same rows.
FINGERPRINT_SQL = """
SELECT count(*), coalesce(sum(amount), 0),
       md5(coalesce(string_agg(
           concat_ws('|', item_id, person_id, amount, method, bank_account, payee_name, status),
           ',' ORDER BY item_id), ''))
FROM payments_payment WHERE payroll_id = %s
"""

# What an issued decision holds besides its PDF (lengths as in the demo's decisions).
LEGAL_BASIS = {
    "periodic": ["u.p.s. art. 38 ust. 1 pkt 1", "k.p.a. art. 104", "u.p.s. art. 110 ust. 7"],
    "permanent": ["u.p.s. art. 37 ust. 1 pkt 1", "k.p.a. art. 104", "u.p.s. art. 110 ust. 7"],
}
RULING = "Przyznać stronie świadczenie pieniężne w kwocie {amount} zł miesięcznie."
REASONING = (
    "Wniosek wpłynął w terminie. Przeprowadzono rodzinny wywiad środowiskowy, w którym ustalono "
    "skład gospodarstwa domowego i dochody z miesiąca poprzedzającego złożenie wniosku (art. 8 "
    "ust. 3 u.p.s.). Dochód osoby samotnie gospodarującej jest niższy od kryterium dochodowego. "
) * 2

FIRST_NAMES_F = ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa"]
FIRST_NAMES_M = ["Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin"]
SURNAMES = ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski"]
STREETS = ["Lipowa", "Polna", "Leśna", "Słoneczna", "Krótka", "Szkolna", "Ogrodowa"]


def log(line: str) -> None:
    print(line, flush=True)


# --- Database and Django --------------------------------------------------------------------


def ensure_database(*, fresh: bool) -> None:
    """Create the bench database if it is missing (drop it first with ``fresh``)."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(BENCH_URL)
    name = params.get("dbname") or "gops_bench"
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


def vacuum(*tables: str) -> None:
    """VACUUM ANALYZE (outside a transaction: Django is in autocommit here)."""
    for table in tables:
        execute(f"VACUUM ANALYZE {table}")


# --- The data set ---------------------------------------------------------------------------


def centre_name(size: int) -> str:
    return f"Bench centre {size} ({DATASET})"


def iban_of(rng: random.Random) -> str:
    from stdnum import iban

    bban = "10901014" + "".join(rng.choice("0123456789") for _ in range(16))
    number = "PL" + iban.calc_check_digits("PL00" + bban) + bban
    assert iban.is_valid(number), number
    return number


def pesel_of(index: int, female: bool) -> tuple[str, date]:
    from stdnum.pl import pesel

    born = date(1940, 1, 1) + timedelta(days=index % 21900)
    serial = f"{(index // 21900) % 1000:03d}{(index % 5) * 2 + (0 if female else 1)}"
    first = f"{born:%y%m%d}{serial}"
    return first + pesel.calc_check_digit(first), born


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def load_centre(size: int, seed: int):
    """Bulk-load one centre with `size` issued decisions granting monthly allowances."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    from gops.accounts import roles
    from gops.accounts.models import Centre, District, User
    from gops.benefits.models import Decision, DecisionKind, DecisionStatus, PaymentMethod
    from gops.cases.models import Application, ApplicationStatus, BenefitKind
    from gops.people.models import Household, HouseholdMembership, Person, Relation
    from gops.people.rules import normalize_name, rotate_name_parts

    rng = random.Random(seed)
    with transaction.atomic():
        centre = Centre.objects.create(
            name=centre_name(size),
            municipality="Benchowo",
            teryt="1234567",
            street="ul. Testowa 1",
            postal_code="00-001",
            city="Benchowo",
            head_name="Kierownik Benchowy",
            bank_account=iban_of(rng),
            payment_day=10,
        )
        districts = District.objects.bulk_create(
            [District(centre=centre, name=f"Rejon {n + 1}") for n in range(10)]
        )

        def staff(username: str, role: str, **extra) -> User:
            user = User(username=f"{username}-{size}", centre=centre, **extra)
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))
            return user

        head = staff("head", roles.HEAD, may_sign_decisions=True, first_name="Kierownik")
        staff("finance", roles.FINANCE, first_name="Księgowa")
        workers = [
            staff(f"worker{n}", roles.SOCIAL_WORKER, district=d) for n, d in enumerate(districts)
        ]

        persons = []
        for n in range(size):
            female = n % 2 == 0
            first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
            surname = rng.choice(SURNAMES)
            if female and surname.endswith("ski"):
                surname = surname[:-1] + "a"
            pesel, born = pesel_of(n + seed, female)
            district = districts[n % len(districts)]
            persons.append(
                Person(
                    centre=centre,
                    district=district,
                    first_names=first,
                    surnames=surname,
                    pesel=pesel,
                    birth_date=born,
                    sex="F" if female else "M",
                    registered_street=f"ul. {rng.choice(STREETS)} {n % 120 + 1}",
                    registered_postal_code="00-001",
                    registered_city="Benchowo",
                    surnames_search=normalize_name(surname),
                    surnames_alt_search=rotate_name_parts(normalize_name(surname)),
                    first_names_search=normalize_name(first),
                    created_by=workers[n % len(workers)],
                )
            )
        persons = Person.objects.bulk_create(persons, batch_size=2000)
        households = Household.objects.bulk_create(
            [
                Household(centre=centre, district=p.district, created_by=p.created_by)
                for p in persons
            ],
            batch_size=2000,
        )
        HouseholdMembership.objects.bulk_create(
            [
                HouseholdMembership(
                    household=h, person=p, relation=Relation.HEAD, joined_on=date(2020, 1, 1)
                )
                for p, h in zip(persons, households, strict=True)
            ],
            batch_size=2000,
        )

        # Periods start in one of the months FIRST_MONTH … MONTH and cover MONTH; periodic
        # allowances end some months later, permanent ones are mostly open-ended.
        starts = [add_months(FIRST_MONTH, k) for k in range(4)]
        plans = []
        for n, person in enumerate(persons):
            periodic = rng.random() < 0.6
            period_from = rng.choice(starts)
            if periodic:
                period_until = add_months(period_from, rng.randint(4, 6)) - timedelta(days=1)
                amount = Decimal(rng.randint(2000, 100000)) / 100
            else:
                period_until = None if rng.random() < 0.8 else date(2026, 6, 30)
                amount = Decimal(rng.randint(10000, 122900)) / 100
            # Most decisions are issued in the month before the period; a few late in it.
            if rng.random() < 0.05:
                issued_on = period_from + timedelta(days=14)
            else:
                issued_on = period_from - timedelta(days=rng.randint(3, 25))
            cash = rng.random() < 0.1
            plans.append(
                {
                    "person": person,
                    "worker": workers[n % len(workers)],
                    "benefit": BenefitKind.PERIODIC if periodic else BenefitKind.PERMANENT,
                    "period_from": period_from,
                    "period_until": period_until,
                    "amount": amount,
                    "issued_on": issued_on,
                    "method": PaymentMethod.CASH if cash else PaymentMethod.BANK_TRANSFER,
                    "bank_account": "" if cash else iban_of(rng),
                }
            )
        applications = Application.objects.bulk_create(
            [
                Application(
                    centre=centre,
                    number=f"OPS/{n + 1}/2025",
                    year=2025,
                    sequence=n + 1,
                    household=household,
                    applicant=plan["person"],
                    received_on=plan["issued_on"] - timedelta(days=20),
                    benefits_requested=[plan["benefit"]],
                    reasons=["poverty"],
                    status=ApplicationStatus.FINAL,
                    worker=plan["worker"],
                    interview_due_on=plan["issued_on"] - timedelta(days=6),
                    decision_due_on=plan["issued_on"] + timedelta(days=10),
                    created_by=plan["worker"],
                )
                for n, (plan, household) in enumerate(zip(plans, households, strict=True))
            ],
            batch_size=2000,
        )
        Decision.objects.bulk_create(
            [
                Decision(
                    centre=centre,
                    application=application,
                    kind=DecisionKind.GRANTING,
                    benefit=plan["benefit"],
                    status=DecisionStatus.ISSUED,
                    person=plan["person"],
                    number=f"DEC/{n + 1}/2025",
                    year=2025,
                    sequence=n + 1,
                    computed_amount=plan["amount"],
                    amount=plan["amount"],
                    period_from=plan["period_from"],
                    period_until=plan["period_until"],
                    payment_method=plan["method"],
                    bank_account=plan["bank_account"],
                    legal_basis=LEGAL_BASIS[plan["benefit"]],
                    ruling=RULING.format(amount=plan["amount"]),
                    reasoning=REASONING,
                    assessment={
                        "eligible": True,
                        "criterion": "823.00",
                        "income": "512.40",
                        "amount": str(plan["amount"]),
                        "explanation": REASONING[:400],
                    },
                    drafted_by=plan["worker"],
                    signed_by=head,
                    signer_name="Kierownik Benchowy",
                    signer_post="Kierownik",
                    issued_on=plan["issued_on"],
                    served_on=plan["issued_on"] + timedelta(days=2),
                    final_on=plan["issued_on"] + timedelta(days=16),
                )
                for n, (plan, application) in enumerate(zip(plans, applications, strict=True))
            ],
            batch_size=2000,
        )
        store_pdfs(centre)
    return centre


def store_pdfs(centre) -> None:
    """Issued decisions carry their PDF (rendered at issue, ~16 KB): render one decision with
    the project's renderer and store it in every decision, so reads of whole decision rows
    cost what they cost in production."""
    import hashlib

    from gops.benefits.models import Decision
    from gops.benefits.pdf import decision_pdf

    sample = Decision.objects.select_related("centre", "person", "application").filter(
        centre=centre
    )
    pdf = decision_pdf(sample.order_by("pk").first())
    execute(
        "UPDATE benefits_decision SET pdf = %s, pdf_sha256 = %s WHERE centre_id = %s",
        [pdf, hashlib.sha256(pdf).hexdigest(), centre.pk],
    )
    log(f"decision_pdf_bytes[{centre_size(centre)}]: {len(pdf)}")


def settle_prior_months(centre) -> None:
    """Pay the months before MONTH (approved payrolls, paid payments), as a centre would have."""
    from django.db import transaction

    from gops.accounts.models import User

    head = User.objects.get(username=f"head-{centre_size(centre)}")
    finance = User.objects.get(username=f"finance-{centre_size(centre)}")
    month = FIRST_MONTH
    with transaction.atomic():
        while month < MONTH:
            (payroll_id,) = fetchone(
                "INSERT INTO payments_payroll (created_at, updated_at, centre_id, month, status,"
                " prepared_by_id, approved_by_id, approved_at)"
                " VALUES (now(), now(), %s, %s, 'approved', %s, %s, now()) RETURNING id",
                [centre.pk, month, finance.pk, head.pk],
            )
            execute(
                "INSERT INTO payments_payment (created_at, updated_at, centre_id, item_id,"
                " payroll_id, person_id, amount, method, bank_account, payee_name, status,"
                " paid_on, outcome_note, recorded_by_id)"
                " SELECT now(), now(), i.centre_id, i.id, %s, i.person_id, i.amount, i.method,"
                " i.bank_account, i.payee_name, 'paid', i.due_on, '', %s"
                " FROM payments_scheduleitem i WHERE i.centre_id = %s AND i.month = %s"
                " AND i.status = 'planned'",
                [payroll_id, finance.pk, centre.pk, month],
            )
            month = add_months(month, 1)


def centre_size(centre) -> int:
    return int(centre.name.split()[2])


def prepare(size: int, seed: int):
    """The centre of `size` decisions, loaded and scheduled; prints the set-up timings."""
    from gops.accounts.models import Centre
    from gops.payments import services
    from gops.payments.models import ScheduleItem

    centre = Centre.objects.filter(name=centre_name(size)).first()
    if centre is None:
        started = time.perf_counter()
        centre = load_centre(size, seed)
        log(f"load_seconds[{size}]: {time.perf_counter() - started:.2f}")
        vacuum("people_person", "cases_application", "benefits_decision")
    if not ScheduleItem.objects.filter(centre=centre).exists():
        started = time.perf_counter()
        created = services.schedules_sync(centre=centre, until_month=MONTH)
        log(f"schedules_sync_initial_seconds[{size}]: {time.perf_counter() - started:.2f}")
        log(f"schedule_items_created[{size}]: {created}")
        settle_prior_months(centre)
        vacuum("payments_scheduleitem", "payments_payment", "payments_payroll")
    return centre


# --- Measurements ---------------------------------------------------------------------------


def finance_of(centre):
    """A fresh user object, as a request would load it (no cached permissions)."""
    from gops.accounts.models import User

    return User.objects.select_related("centre").get(username=f"finance-{centre_size(centre)}")


def reset(centre) -> None:
    """Delete the payroll of MONTH and its payments (raw SQL), and tidy the tables."""
    execute(
        "DELETE FROM payments_payment WHERE payroll_id IN"
        " (SELECT id FROM payments_payroll WHERE centre_id = %s AND month = %s)",
        [centre.pk, MONTH],
    )
    execute("DELETE FROM payments_payroll WHERE centre_id = %s AND month = %s", [centre.pk, MONTH])
    vacuum("payments_payment", "payments_payroll")


def due_count(centre) -> int:
    (count,) = fetchone(
        "SELECT count(*) FROM payments_scheduleitem WHERE centre_id = %s AND month = %s"
        " AND status = 'planned' AND NOT urgent",
        [centre.pk, MONTH],
    )
    return count


def run_service(centre) -> tuple[float, int]:
    from gops.payments.services import payroll_generate

    finance = finance_of(centre)
    started = time.perf_counter()
    payroll = payroll_generate(actor=finance, month=MONTH)
    return time.perf_counter() - started, payroll.pk


def run_raw(centre) -> tuple[float, int]:
    from django.db import connection, transaction

    finance = finance_of(centre)
    month_end = add_months(MONTH, 1) - timedelta(days=1)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RAW_PAYROLL_SQL, [centre.pk, MONTH, finance.pk])
        (payroll_id,) = cursor.fetchone()
        cursor.execute(RAW_PAYMENTS_SQL, [payroll_id, centre.pk, month_end])
    return time.perf_counter() - started, payroll_id


def time_sync_noop(centre) -> float:
    """schedules_sync when every item is planned already: the part of payroll_generate that
    the raw statement does not do."""
    from gops.payments import services

    started = time.perf_counter()
    created = services.schedules_sync(centre=centre, until_month=MONTH)
    elapsed = time.perf_counter() - started
    assert created == 0, created
    return elapsed


def profile_service(centre, top: int) -> str:
    from gops.payments.services import payroll_generate

    finance = finance_of(centre)
    profiler = cProfile.Profile()
    profiler.enable()
    payroll_generate(actor=finance, month=MONTH)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    out.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def proc_status_kib(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def rss_peak_reset() -> None:
    """Start the process's peak RSS (VmHWM) afresh from the current RSS (Linux >= 4.0).

    ru_maxrss cannot be used: it keeps the high-water mark of the process that forked the
    child, before exec."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def memory_child(size: int) -> None:
    """In a fresh process: peak RSS growth of one payroll_generate, then (after a reset) its
    tracemalloc peak. Prints one JSON line."""
    import gc

    from gops.accounts.models import Centre
    from gops.payments import services  # noqa: F401  (imported before measuring)

    centre = Centre.objects.get(name=centre_name(size))
    reset(centre)
    # Warm up what any request has done already: a connection, the ORM, permissions.
    finance_of(centre).has_perm("payments.add_payroll")
    gc.collect()
    rss_peak_reset()
    rss_before = proc_status_kib("VmRSS")
    run_service(centre)
    rss_peak = proc_status_kib("VmHWM")
    reset(centre)
    gc.collect()
    tracemalloc.start()
    run_service(centre)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    reset(centre)
    print(json.dumps({"rss_kib_before": rss_before, "rss_kib_peak": rss_peak, "peak_bytes": peak}))


def measure_memory(size: int) -> dict:
    child = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(size)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_DATABASE_URL": BENCH_URL},
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


def first_of_month_runs(centre, runs: int, due: int) -> tuple[float, int]:
    """payroll_generate as the first generation of its month: the schedule horizon moves on
    a month, so schedules_sync plans the new horizon month of every decision that runs that
    long. Between runs the payroll, its payments and that month's items are deleted."""
    from gops.payments import services

    horizon = add_months(MONTH, services.HORIZON_MONTHS)
    times, created = [], 0
    try:
        for _run in range(runs):
            reset(centre)
            execute(
                "DELETE FROM payments_scheduleitem WHERE centre_id = %s AND month >= %s",
                [centre.pk, horizon],
            )
            vacuum("payments_scheduleitem")
            seconds, payroll_id = run_service(centre)
            times.append(seconds)
            assert fetchone(FINGERPRINT_SQL, [payroll_id])[0] == due
            (created,) = fetchone(
                "SELECT count(*) FROM payments_scheduleitem WHERE centre_id = %s AND month >= %s",
                [centre.pk, horizon],
            )
    finally:
        reset(centre)
        services.schedules_sync(centre=centre, until_month=MONTH)
    return min(times), created


def amendments_runs(centre, count: int, runs: int = 3) -> list[str]:
    """schedules_sync with `count` issued amending decisions (effective from the month before
    MONTH, on open-ended permanent allowances), in a transaction that is rolled back."""
    from django.db import transaction
    from django.db.models import F

    from gops.benefits.models import Decision, DecisionKind
    from gops.payments import services
    from gops.payments.models import ScheduleItem

    class Rollback(Exception):
        pass

    effective = add_months(MONTH, -1)
    lines = []
    try:
        with transaction.atomic():
            originals = Decision.objects.filter(
                centre=centre, period_from__lt=effective, period_until__isnull=True
            ).order_by("pk")[:count]
            (top,) = fetchone(
                "SELECT max(sequence) FROM benefits_decision WHERE centre_id = %s", [centre.pk]
            )
            changes = []
            for n, original in enumerate(originals, start=top + 1):
                change = Decision.objects.get(pk=original.pk)
                change.pk = None
                change._state.adding = True
                change.kind = DecisionKind.AMENDING
                change.changes_decision = original
                change.sequence, change.number = n, f"DEC/{n}/2025"
                change.amount = original.amount + Decimal("10.00")
                change.period_from = effective
                change.issued_on = effective - timedelta(days=10)
                changes.append(change)
            Decision.objects.bulk_create(changes, batch_size=500)
            times = []
            for _run in range(runs):
                started = time.perf_counter()
                services.schedules_sync(centre=centre, until_month=MONTH)
                times.append(time.perf_counter() - started)
            lines.append(f"amending_decisions: {len(changes)}")
            lines.append(
                "schedules_sync_seconds_with_amendments: "
                + ", ".join(f"{t:.2f}" for t in times)
                + " (first run plans their items)"
            )
            self_cancelled = ScheduleItem.objects.filter(
                decision__in=changes, cancelled_by=F("decision")
            ).count()
            lines.append(f"amendment_items_cancelled_by_their_own_decision: {self_cancelled}")
            raise Rollback
    except Rollback:
        pass
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=20000, help="decisions of the large centre")
    parser.add_argument("--small", type=int, default=5000, help="decisions of the small centre")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="drop and reload the database")
    parser.add_argument("--profile", action="store_true", help="cProfile one payroll_generate")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory figures")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    parser.add_argument(
        "--amendments",
        type=int,
        default=0,
        help="also time schedules_sync with this many amending decisions (rolled back)",
    )
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.memory_child:
        django_setup()
        memory_child(args.memory_child)
        return 0

    ensure_database(fresh=args.fresh)
    django_setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrate_seconds: {time.perf_counter() - started:.2f}")
    for line in common.machine():
        log(line)

    sizes = sorted({args.small, args.items}) if not args.no_memory else [args.items]
    centres = {size: prepare(size, seed=size) for size in sizes}
    centre = centres[args.items]
    due = due_count(centre)
    log(f"month: {MONTH:%Y-%m}")
    log(f"due_items: {due}")
    assert due == args.items, f"expected {args.items} due items, found {due}"

    reset(centre)
    # Completes the schedule if an interrupted run left it short; then times it doing nothing.
    from gops.payments import services

    services.schedules_sync(centre=centre, until_month=MONTH)
    log(f"schedules_sync_noop_seconds: {time_sync_noop(centre):.3f}")

    service_times, raw_times, service_print = [], [], None
    for run in range(args.runs):
        reset(centre)
        seconds, payroll_id = run_service(centre)
        service_print = fetchone(FINGERPRINT_SQL, [payroll_id])
        assert service_print[0] == due, service_print
        service_times.append(seconds)
        reset(centre)
        seconds, payroll_id = run_raw(centre)
        raw_print = fetchone(FINGERPRINT_SQL, [payroll_id])
        raw_times.append(seconds)
        assert service_print == raw_print, (service_print, raw_print)
        log(f"run {run + 1}: payroll_generate {service_times[-1]:.3f} s, raw {seconds:.3f} s")
    reset(centre)
    count, total, digest = service_print
    log(f"payments_per_payroll: {count}")
    log(f"payroll_total_pln: {total}")
    log(f"same_rows: yes (md5 {digest})")

    first_seconds, horizon_items = first_of_month_runs(centre, args.runs, due)
    log(f"horizon_items_created: {horizon_items}")
    log(f"payroll_generate_first_of_month_seconds: {first_seconds:.3f}")
    log(f"ratio_first_of_month: {first_seconds / min(raw_times):.2f}")

    if args.amendments:
        for line in amendments_runs(centre, args.amendments):
            log(line)

    if args.profile:
        reset(centre)
        log(profile_service(centre, top=25))
        reset(centre)

    if not args.no_memory:
        for size in sizes:
            figures = measure_memory(size)
            log(f"tracemalloc_peak_mib[{size}]: {figures['peak_bytes'] / 2**20:.2f}")
            growth = (figures["rss_kib_peak"] - figures["rss_kib_before"]) / 1024
            log(f"rss_before_mib[{size}]: {figures['rss_kib_before'] / 1024:.1f}")
            log(f"rss_peak_growth_mib[{size}]: {growth:.1f}")

    best_service, best_raw = min(service_times), min(raw_times)
    ratio = best_service / best_raw
    log(f"goal: ratio <= {RATIO_GOAL:g} {'met' if ratio <= RATIO_GOAL else 'NOT met'}")
    log(f"payroll_generate_seconds: {best_service:.3f}")
    log(f"raw_sql_seconds: {best_raw:.3f}")
    log(f"ratio: {ratio:.2f}")
    return 1 if args.check and ratio > RATIO_GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
