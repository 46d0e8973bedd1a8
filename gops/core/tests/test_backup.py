"""manage.py backup / restore: a backup restored into an empty database is the same data."""

import sqlite3
import uuid
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gops.bluecards.models import BlueCard
from gops.bluecards.tests.factories import CIRCUMSTANCES, make_family, open_card
from gops.core import backup as bk
from gops.people.models import Person
from gops.people.tests.factories import make_foreigner, make_person

pytestmark = pytest.mark.django_db(transaction=True)

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def data(worker_a, worker_b, district_a):
    make_person(actor=worker_b, first_names="Maria", surnames="Wójcik", pesel="75112055505")
    make_foreigner(actor=worker_a)
    family = make_family(actor=worker_a, district=district_a)
    open_card(actor=worker_a, family=family, opened_on=date(2025, 6, 10))
    return family


def live_checksums():
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return bk.sqlite_checksums(connection.connection)
    with connection.cursor() as cursor:
        return bk.pg_checksums(cursor)


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_backup_prints_a_summary(data, tmp_path):
    target = tmp_path / "kopia.bak"
    out = run("backup", str(target))
    assert target.stat().st_size > 0
    live = live_checksums()
    rows = sum(count for count, _ in live.values())
    assert out.strip() == (
        f"Backup written to {target}: {target.stat().st_size} bytes, "
        f"{len(live)} tables, {rows} rows"
    )


@on_sqlite
def test_sqlite_backup_restored_into_an_empty_database_is_identical(data, tmp_path):
    backup_file = tmp_path / "gops.sqlite3"
    run("backup", str(backup_file))
    live = live_checksums()

    empty = tmp_path / "empty.sqlite3"
    summary = bk.restore_sqlite_file(backup_file, empty)

    restored = sqlite3.connect(empty)
    try:
        assert bk.sqlite_checksums(restored) == live
        assert restored.execute("SELECT COUNT(*) FROM people_person").fetchone()[0] == 5
    finally:
        restored.close()
    assert summary.tables == len(live)
    assert summary.rows == sum(count for count, _ in live.values())
    assert live["people_person"][0] == 5


@on_postgres
def test_postgres_backup_restored_into_an_empty_database_is_identical(data, tmp_path):
    import psycopg

    backup_file = tmp_path / "gops.dump"
    run("backup", str(backup_file))
    live = live_checksums()
    assert live["people_person"][0] == 5

    params = connection.settings_dict
    scratch = f"gops_bk_scratch_{uuid.uuid4().hex[:12]}"
    conninfo = dict(
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        bk.pg_restore_into(backup_file, {**params, "NAME": scratch})
        with psycopg.connect(dbname=scratch, **conninfo) as restored, restored.cursor() as cur:
            assert bk.pg_checksums(cur) == live
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_restore_refuses_a_database_with_data_unless_forced(data, worker_a, tmp_path):
    backup_file = tmp_path / "kopia.bak"
    run("backup", str(backup_file))
    before = live_checksums()
    make_person(actor=worker_a, first_names="Adam", surnames="Nowy", pesel="02070803628")
    assert Person.objects.count() == 6

    with pytest.raises(CommandError, match="already holds data; use --force"):
        run("restore", str(backup_file))
    assert Person.objects.count() == 6

    out = run("restore", str(backup_file), "--force")
    assert out.startswith(f"Restored from {backup_file}: ")
    assert live_checksums() == before
    assert Person.objects.count() == 5
    # The encrypted Blue Card text is still readable with the same keys.
    assert BlueCard.objects.get().circumstances == CIRCUMSTANCES


def test_restore_rejects_a_file_that_is_not_a_backup(db, tmp_path):
    junk = tmp_path / "junk.bak"
    junk.write_text("not a database")
    with pytest.raises(CommandError, match="Restore failed: .*not a"):
        run("restore", str(junk), "--force")
    with pytest.raises(CommandError, match="no such file"):
        run("restore", str(tmp_path / "missing.bak"))


@on_sqlite
def test_restore_rejects_a_sqlite_file_without_django_migrations(db, tmp_path):
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(CommandError, match="no django_migrations table"):
        run("restore", str(other), "--force")


def test_backup_refuses_to_overwrite_a_file(db, tmp_path):
    existing = tmp_path / "kopia.bak"
    existing.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        run("backup", str(existing))
    assert existing.read_text() == "keep me"
