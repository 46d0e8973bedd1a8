"""Shelter board benchmark: ``selectors.board`` for tonight on the demo data.

    .venv/bin/python bench/board.py [--runs 20]

Uses the default database (DATABASE_URL, else the SQLite file in var/). When it holds no
shelter facility yet, ``seed_demo`` is run first (migrations included). Times the board of the
shelter coordinator for tonight, as the page asks for it (the rows and every free bed
materialised), best of ``--runs``; the last line is always ``board_ms: X``. The goal is under
100 ms (issue 5). See docs/performance.md, "Shelter board".
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from gops.accounts.models import User
    from gops.shelter import selectors
    from gops.shelter.models import Bed, Facility, Placement

    call_command("migrate", verbosity=0)
    if not Facility.objects.exists():
        call_command("seed_demo", verbosity=0)
    coordinator = User.objects.get(username="schronisko")
    tonight = timezone.localdate()

    def run():
        rows = selectors.board(user=coordinator, night=tonight)
        return (
            sum(row.beds for row in rows),
            sum(row.occupied for row in rows),
            sum(row.free_count for row in rows),
        )

    beds, occupied, free = run()  # warm-up: connection, permission cache
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    print(f"database: {connection.vendor}")
    print(f"facilities: {Facility.objects.count()}")
    print(f"beds_total: {Bed.objects.count()}")
    print(f"placements_total: {Placement.objects.count()}")
    print(f"tonight: {tonight.isoformat()} beds={beds} occupied={occupied} free={free}")
    print(f"runs: {args.runs}")
    print(f"median_ms: {sorted(timings)[len(timings) // 2]:.2f}")
    print(f"board_ms: {min(timings):.2f}")


if __name__ == "__main__":
    main()
