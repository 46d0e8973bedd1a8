"""MRPiPS-03 on the large city (issue 10 §2): the report against its raw SQL at 1,000,000 persons.

    .venv/bin/python bench/city_reports.py               # part of `make bench`
    .venv/bin/python bench/city_reports.py --year 2025 --runs 3

Runs on the city made by bench/generate.py (``--database-url``, else BENCH_CITY_URL, else
postgres://postgres@127.0.0.1:5432/gops_city), for the last whole year of its history (or
``--year``). As bench/reports.py does on its own data set: the report as the page, the CSV and
the XLSX job compute it — ``reports.selectors.mrpips03_for_user`` for the head of the centre
(``kierownik``), the year's payments streamed through the ORM and counted by
``reports.rules.mrpips03`` — against the hand-written aggregate ``selectors.mrpips03_sql``,
alternating, best of ``--runs``; both must give the same report. The last three lines are
``orm_seconds``, ``sql_seconds`` and ``ratio``.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from city_payroll import DEFAULT_URL, city_centre  # noqa: E402
from common import fetchone, log  # noqa: E402

RATIO_GOAL = 1.5


def head_of(centre):
    """A fresh user object, as a request would load it (no cached permissions)."""
    from gops.accounts.models import User

    return User.objects.select_related("centre").get(centre=centre, username="kierownik")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_CITY_URL", DEFAULT_URL))
    parser.add_argument("--year", type=int, help="default: the last whole year")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    args = parser.parse_args()

    common.django_setup(args.database_url)
    from gops.reports import selectors

    for line in common.machine():
        log(line)
    centre = city_centre()
    year = args.year or date.today().year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)
    (payments,) = fetchone(
        "SELECT count(*) FROM payments_payment WHERE centre_id = %s AND paid_on BETWEEN %s AND %s",
        [centre.pk, start, end],
    )
    (persons,) = fetchone("SELECT count(*) FROM people_person WHERE centre_id = %s", [centre.pk])
    log(f"persons: {persons}")
    log(f"period: {start} – {end}")
    log(f"payments_in_period: {payments}")

    orm_times, sql_times = [], []
    for run in range(args.runs):
        started = time.perf_counter()
        orm_report = selectors.mrpips03_for_user(user=head_of(centre), start=start, end=end)
        orm_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        sql_report = selectors.mrpips03_sql(centre.pk, start, end)
        sql_times.append(time.perf_counter() - started)
        assert orm_report == sql_report, (orm_report, sql_report)
        log(f"run {run + 1}: orm {orm_times[-1]:.2f} s, sql {sql_times[-1]:.2f} s")
    log("same_report: yes")
    total = orm_report.total
    log(
        f"row[total]: persons {total.persons}, benefits {total.benefits}, amount {total.amount},"
        f" families {total.families}, persons_in_families {total.persons_in_families}"
    )
    best_orm, best_sql = min(orm_times), min(sql_times)
    ratio = best_orm / best_sql
    log(f"goal: ratio <= {RATIO_GOAL:g} {'met' if ratio <= RATIO_GOAL else 'NOT met'}")
    log(f"orm_seconds: {best_orm:.2f}")
    log(f"sql_seconds: {best_sql:.2f}")
    log(f"ratio: {ratio:.2f}")
    return 1 if args.check and ratio > RATIO_GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
