"""Helpers shared by the benchmarks: the bench database, Django set-up, raw SQL, the machine.

The older benches (payroll.py, reports.py) still carry their own copies of these; new scripts
import them from here (``sys.path`` gets this folder when a script runs).
"""

import os
import platform
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def log(line: str) -> None:
    print(line, flush=True)


def database_name(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    return conninfo_to_dict(url).get("dbname") or ""


def ensure_database(url: str, *, fresh: bool, may_drop: Callable | None = None) -> bool:
    """Create the database of `url` if it is missing; with `fresh`, drop it first.

    `may_drop(connection)`, given a psycopg connection to the existing database, returns None
    when it may be dropped, else the reason it may not (then nothing is dropped: SystemExit).
    Returns whether the database was created.
    """
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    name = params.get("dbname")
    if not name:
        raise SystemExit(f"no database name in {url!r}")
    admin = {**params, "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            if may_drop is not None:
                with psycopg.connect(url) as target:
                    reason = may_drop(target)
                if reason:
                    raise SystemExit(f"refusing to drop {name}: {reason}")
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            log(f"database: dropped {name}")
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"database: created {name}")
            return True
    log(f"database: reusing {name}")
    return False


def django_setup(url: str) -> None:
    """Point Django at `url` (no query log, as production runs) and set it up."""
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def execute(statement: str, params=()) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def fetchone(statement: str, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def machine() -> list[str]:
    """CPU, memory, PostgreSQL and Python, one `name: value` line each (Django set up)."""
    return [
        f"cpus: {os.cpu_count()} ({cpu_model()})",
        f"memory_gib: {memory_gib():.1f}",
        f"postgresql: {fetchone('SHOW server_version')[0]}",
        f"python: {platform.python_version()}",
    ]
