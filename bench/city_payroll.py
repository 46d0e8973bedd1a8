"""Payroll on the large city (issue 10 §2): ``payroll_generate`` against raw SQL, 1,000,000 persons.

    .venv/bin/python bench/city_payroll.py              # part of `make bench`
    .venv/bin/python bench/city_payroll.py --runs 3 --profile

Runs on the city made by bench/generate.py (``--database-url``, else BENCH_CITY_URL, else
postgres://postgres@127.0.0.1:5432/gops_city). The month timed is the first one without a
payroll, as the city's finance staff (``ksiegowa1``) would generate it next:

- ``service``: ``payments.services.payroll_generate`` as the first generation of that month —
  ``schedules_sync`` over every issued decision of ten years (planning the month the horizon
  moves to), then the payments, then debt set-off;
- ``raw``: the same rows written by hand-written SQL: the new horizon month's schedule items
  (RAW_HORIZON_SQL: one ``INSERT … SELECT`` over the decisions, the plan's rule for an
  open-ended month written in SQL), then bench/payroll.py's RAW_PAYROLL_SQL and
  RAW_PAYMENTS_SQL (the payroll row and one ``INSERT … SELECT`` of its payments).

Each run is one transaction that is rolled back, so the city is left as it was; service and
raw alternate; best of ``--runs``. Both must write the same payments (count, sum and an md5 of
the rows). ``regenerate`` times a second ``payroll_generate`` of the month in the same
transaction (nothing left to plan: the part the raw SQL does not do is then the check that
nothing is left). Both must plan the same items (count, sum and an md5 of the rows): the
SQL knows only what the city holds (no integration benefit's cap, no amendment's settled
months), so a data set it does not fit fails the run instead of giving a wrong baseline. The
last three lines are ``payroll_generate_seconds``, ``raw_sql_seconds``
and ``ratio``.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from common import fetchone, log  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gops_city"
RATIO_GOAL = 3.0


# payments.rules.monthly_plan for the month the horizon moves to, as SQL: a monthly
# granting or amending decision running in that month, planned up to the month before, not
# stopped by a revoking or suspending decision by then; due on the payment day, or on the day
# of issue if that is later.
RAW_HORIZON_SQL = """
INSERT INTO payments_scheduleitem (
    created_at, updated_at, centre_id, decision_id, person_id, month, due_on, amount, method,
    bank_account, payee_name, invoice_number, urgent, status, cancelled_by_id
)
SELECT now(), now(), d.centre_id, d.id, d.person_id, %(month)s,
       GREATEST(%(month)s::date + (c.payment_day - 1), d.issued_on), d.amount,
       d.payment_method, d.bank_account, d.payee_name, '', false, 'planned', NULL
FROM benefits_decision d JOIN accounts_centre c ON c.id = d.centre_id
WHERE d.centre_id = %(centre)s AND d.status = 'issued' AND d.kind IN ('granting', 'amending')
  AND d.benefit IN ('permanent', 'periodic', 'integration') AND d.amount IS NOT NULL
  AND date_trunc('month', d.period_from) <= %(month)s
  AND (d.period_until IS NULL OR d.period_until >= %(month)s)
  AND NOT EXISTS (
      SELECT 1 FROM payments_scheduleitem i WHERE i.decision_id = d.id AND i.month >= %(month)s
  )
  AND NOT EXISTS (
      SELECT 1 FROM benefits_decision s
      WHERE s.status = 'issued' AND s.kind IN ('revoking', 'suspending')
        AND s.changes_decision_id IN (d.id, d.changes_decision_id)
        AND date_trunc('month', s.period_from) <= %(month)s
  )
ON CONFLICT DO NOTHING
"""
ITEMS_FINGERPRINT_SQL = """
SELECT count(*), coalesce(sum(amount), 0),
       md5(coalesce(string_agg(
           concat_ws('|', decision_id, person_id, month, due_on, amount, method, bank_account,
                     payee_name, urgent, status),
           ',' ORDER BY decision_id, month), ''))
FROM payments_scheduleitem WHERE centre_id = %s AND id > %s
"""


class Rollback(Exception):
    pass


def city_centre():
    from generate import TERYT

    from gops.accounts.models import Centre

    centre = Centre.objects.filter(teryt=TERYT).first()
    if centre is None:
        raise SystemExit("no generated city in this database: run `make bench-generate` first")
    return centre


def finance_of(centre):
    from gops.accounts.models import User

    return User.objects.select_related("centre").get(centre=centre, username="ksiegowa1")


def next_month(centre):
    from gops.payments import rules
    from gops.payments.models import Payroll

    last = Payroll.objects.filter(centre=centre).order_by("-month").first()
    if last is None:
        raise SystemExit("the city has no payroll yet")
    return rules.next_month(last.month)


def fingerprint(payroll_id: int) -> tuple:
    from payroll import FINGERPRINT_SQL

    return tuple(fetchone(FINGERPRINT_SQL, [payroll_id]))


def run_service(centre, month, *, regenerate: bool = False, profile=None):
    """(seconds of the first generation, seconds of a second one, fingerprint, items planned)."""
    from django.db import transaction

    from gops.payments.services import payroll_generate

    result = {}
    try:
        with transaction.atomic():
            (last_item,) = fetchone("SELECT max(id) FROM payments_scheduleitem")
            finance = finance_of(centre)
            if profile:
                profile.enable()
            started = time.perf_counter()
            payroll = payroll_generate(actor=finance, month=month)
            result["seconds"] = time.perf_counter() - started
            if profile:
                profile.disable()
            result["fingerprint"] = fingerprint(payroll.pk)
            result["items"] = tuple(fetchone(ITEMS_FINGERPRINT_SQL, [centre.pk, last_item]))
            if regenerate:
                started = time.perf_counter()
                again = payroll_generate(actor=finance_of(centre), month=month)
                result["regenerate_seconds"] = time.perf_counter() - started
                assert fingerprint(again.pk) == result["fingerprint"]
            raise Rollback
    except Rollback:
        pass
    return result


def run_raw(centre, month):
    from django.db import connection, transaction
    from payroll import RAW_PAYMENTS_SQL, RAW_PAYROLL_SQL

    from gops.payments import rules
    from gops.payments.services import HORIZON_MONTHS

    finance = finance_of(centre)
    month_end = rules.next_month(month) - timedelta(days=1)
    horizon = month
    for _i in range(HORIZON_MONTHS):
        horizon = rules.next_month(horizon)
    result = {}
    try:
        with transaction.atomic():
            (last_item,) = fetchone("SELECT max(id) FROM payments_scheduleitem")
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(RAW_HORIZON_SQL, {"month": horizon, "centre": centre.pk})
                cursor.execute(RAW_PAYROLL_SQL, [centre.pk, month, finance.pk])
                (payroll_id,) = cursor.fetchone()
                cursor.execute(RAW_PAYMENTS_SQL, [payroll_id, centre.pk, month_end])
            result["seconds"] = time.perf_counter() - started
            result["fingerprint"] = fingerprint(payroll_id)
            result["items"] = tuple(fetchone(ITEMS_FINGERPRINT_SQL, [centre.pk, last_item]))
            raise Rollback
    except Rollback:
        pass
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_CITY_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="cProfile one payroll_generate")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    args = parser.parse_args()

    common.django_setup(args.database_url)
    for line in common.machine():
        log(line)
    centre = city_centre()
    month = next_month(centre)
    (persons,) = fetchone("SELECT count(*) FROM people_person WHERE centre_id = %s", [centre.pk])
    (decisions,) = fetchone(
        "SELECT count(*) FROM benefits_decision WHERE centre_id = %s AND status = 'issued'",
        [centre.pk],
    )
    (items,) = fetchone(
        "SELECT count(*) FROM payments_scheduleitem WHERE centre_id = %s", [centre.pk]
    )
    (payments,) = fetchone(
        "SELECT count(*) FROM payments_payment WHERE centre_id = %s", [centre.pk]
    )
    log(f"persons: {persons}")
    log(f"issued_decisions: {decisions}")
    log(f"schedule_items: {items}")
    log(f"payments_before: {payments}")
    log(f"month: {month:%Y-%m}")

    service_times, raw_times, regenerate_times = [], [], []
    for run in range(args.runs):
        service = run_service(centre, month, regenerate=run == 0)
        raw = run_raw(centre, month)
        assert service["fingerprint"] == raw["fingerprint"], (service, raw)
        assert service["items"] == raw["items"], (service["items"], raw["items"])
        service_times.append(service["seconds"])
        raw_times.append(raw["seconds"])
        if "regenerate_seconds" in service:
            regenerate_times.append(service["regenerate_seconds"])
        log(f"run {run + 1}: service {service['seconds']:.2f} s, raw {raw['seconds']:.2f} s")
    count, amount, _md5 = service["fingerprint"]
    log("same_rows: yes")
    log(f"payroll_payments: {count}")
    log(f"payroll_amount: {amount}")
    log(f"horizon_items_planned: {service['items'][0]}")
    log(f"regenerate_seconds: {min(regenerate_times):.2f}")

    if args.profile:
        profile = cProfile.Profile()
        run_service(centre, month, profile=profile)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
        log(out.getvalue())

    best_service, best_raw = min(service_times), min(raw_times)
    ratio = best_service / best_raw
    log(f"goal: ratio <= {RATIO_GOAL:g} {'met' if ratio <= RATIO_GOAL else 'NOT met'}")
    log(f"payroll_generate_seconds: {best_service:.2f}")
    log(f"raw_sql_seconds: {best_raw:.2f}")
    log(f"ratio: {ratio:.2f}")
    return 1 if args.check and ratio > RATIO_GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
