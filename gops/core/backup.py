"""Back up and restore the whole database (``manage.py backup`` / ``manage.py restore``).

SQLite: SQLite's online backup API (``sqlite3.Connection.backup``), safe while the
application is running. PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean
--if-exists --no-owner``; the password goes through ``PGPASSWORD``, never the command line.

The backup holds the encrypted texts (gops.core.encryption) as ciphertext: without the keys
(var/secret_key and var/field_encryption_key, or SECRET_KEY and FIELD_ENCRYPTION_KEYS)
they cannot be read from it. See docs/admin/kopia-zapasowa.md.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
# Tables whose rows mean "this database is in use": restoring over them needs --force.
DATA_TABLES = ("accounts_user", "people_person")


class BackupError(Exception):
    """A backup or restore failed; the message is meant for the administrator."""


@dataclass(frozen=True)
class Summary:
    path: Path
    size: int
    tables: int
    rows: int

    def line(self, verb: str) -> str:
        return f"{verb} {self.path}: {self.size} bytes, {self.tables} tables, {self.rows} rows"


def default_backup_path(vendor: str = "sqlite") -> Path:
    """var/backups/gops-YYYYmmdd-HHMMSS.sqlite3 (.dump for a PostgreSQL archive)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = ".sqlite3" if vendor == "sqlite" else ".dump"
    return Path(settings.VAR_DIR) / "backups" / f"gops-{stamp}{suffix}"


def _vendor(using: str) -> str:
    return connections[using].vendor


# --- Inspecting a database: tables, row counts, checksums ---------------------------------


def sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def pg_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [name for (name,) in cursor.fetchall()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def row_counts(cursor, tables: list[str]) -> dict[str, int]:
    """Rows per table, through any DB-API cursor (sqlite3, psycopg or Django's)."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def sqlite_checksums(conn: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """(rows, md5 of the rows ordered by rowid) for each table of a SQLite database."""
    result = {}
    for table in sqlite_tables(conn):
        digest = hashlib.md5()
        count = 0
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({_quote(table)})")]
        # quote() in SQL: the same text whatever type converters the connection has.
        row_text = " || ',' || ".join(f"quote({_quote(c)})" for c in columns)
        for (text,) in conn.execute(f"SELECT {row_text} FROM {_quote(table)} ORDER BY rowid"):
            digest.update(text.encode() + b"\n")
            count += 1
        result[table] = (count, digest.hexdigest())
    return result


def pg_checksums(cursor) -> dict[str, tuple[int, str]]:
    """(rows, md5 of the rows' text ordered by primary key) for each PostgreSQL table."""
    result = {}
    for table in pg_tables(cursor):
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
            [_quote(table)],
        )
        pk = [name for (name,) in cursor.fetchall()]
        order = ", ".join(f"t.{_quote(c)}" for c in pk) if pk else "t::text"
        cursor.execute(
            f"SELECT COUNT(*), md5(COALESCE(string_agg(t::text, E'\\n' ORDER BY {order}), '')) "
            f"FROM {_quote(table)} t"
        )
        count, digest = cursor.fetchone()
        result[table] = (count, digest)
    return result


def _sqlite_open_backup(path: Path) -> sqlite3.Connection:
    """Open a backup file read-only, checking that it is a GOPS SQLite database."""
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise BackupError(f"{path} is not a SQLite database")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        if "django_migrations" not in sqlite_tables(conn):
            conn.close()
            raise BackupError(f"{path} is not a GOPS backup (no django_migrations table)")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}") from exc
    return conn


def _sqlite_summary(path: Path) -> Summary:
    conn = _sqlite_open_backup(path)
    try:
        counts = row_counts(conn.cursor(), sqlite_tables(conn))
    finally:
        conn.close()
    return Summary(path, path.stat().st_size, len(counts), sum(counts.values()))


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_backup(using: str, path: Path) -> Summary:
    connection = connections[using]
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite backup failed: {exc}") from exc
    finally:
        target.close()
    return _sqlite_summary(path)


def _has_data(cursor, tables: list[str]) -> bool:
    for table in DATA_TABLES:
        if table in tables:
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
            if cursor.fetchone():
                return True
    return False


def restore_sqlite_file(source: Path, target: str | Path, *, force: bool = False) -> Summary:
    """Copy the backup ``source`` into the SQLite database file ``target``."""
    src = _sqlite_open_backup(source)
    try:
        dst = sqlite3.connect(target, timeout=20)
        try:
            if not force and _has_data(dst.cursor(), sqlite_tables(dst)):
                raise BackupError(
                    f"the database {target} already holds data; use --force to overwrite it"
                )
            src.backup(dst)
            counts = row_counts(dst.cursor(), sqlite_tables(dst))
        except sqlite3.Error as exc:
            raise BackupError(f"SQLite restore failed: {exc}") from exc
        finally:
            dst.close()
    finally:
        src.close()
    return Summary(source, source.stat().st_size, len(counts), sum(counts.values()))


# --- PostgreSQL -----------------------------------------------------------------------------


def pg_env(settings_dict: dict) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: connection parameters, password included."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} not found on PATH")
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BackupError(f"{args[0]} failed (exit {proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


def _pg_counts(using: str) -> dict[str, int]:
    with connections[using].cursor() as cursor:
        return row_counts(cursor, pg_tables(cursor))


def _pg_backup(using: str, path: Path) -> Summary:
    settings_dict = connections[using].settings_dict
    counts = _pg_counts(using)
    _run(
        ["pg_dump", "--format=custom", f"--file={path}", f"--dbname={settings_dict['NAME']}"],
        pg_env(settings_dict),
    )
    return Summary(path, path.stat().st_size, len(counts), sum(counts.values()))


def check_pg_archive(path: Path) -> None:
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    with path.open("rb") as fh:
        if fh.read(5) != PG_CUSTOM_HEADER:
            raise BackupError(f"{path} is not a pg_dump custom-format archive")
    listing = _run(["pg_restore", "--list", str(path)], dict(os.environ))
    if " TABLE " not in listing or "django_migrations" not in listing:
        raise BackupError(f"{path} is not a GOPS backup (no django_migrations table)")


def pg_restore_into(path: Path, settings_dict: dict) -> None:
    """pg_restore the archive into the database described by ``settings_dict``."""
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={settings_dict['NAME']}",
            str(path),
        ],
        pg_env(settings_dict),
    )


def _pg_restore(using: str, path: Path, force: bool) -> Summary:
    check_pg_archive(path)
    connection = connections[using]
    with connection.cursor() as cursor:
        if not force and _has_data(cursor, pg_tables(cursor)):
            raise BackupError(
                f"the database {connection.settings_dict['NAME']} already holds data; "
                "use --force to overwrite it"
            )
    connections.close_all()
    pg_restore_into(path, connection.settings_dict)
    counts = _pg_counts(using)
    return Summary(path, path.stat().st_size, len(counts), sum(counts.values()))


# --- Entry points ---------------------------------------------------------------------------


def backup(path: str | Path | None = None, *, using: str = "default") -> Summary:
    vendor = _vendor(using)
    path = Path(path) if path else default_backup_path(vendor)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise BackupError(f"{path} already exists; choose another file")
    try:
        if vendor == "sqlite":
            return _sqlite_backup(using, path)
        if vendor == "postgresql":
            return _pg_backup(using, path)
    except BackupError:
        path.unlink(missing_ok=True)
        raise
    raise BackupError(f"unsupported database engine: {vendor}")


def restore(path: str | Path, *, using: str = "default", force: bool = False) -> Summary:
    vendor = _vendor(using)
    path = Path(path)
    if vendor == "sqlite":
        _sqlite_open_backup(path).close()
        target = connections[using].settings_dict["NAME"]
        if not target or str(target) == ":memory:" or "mode=memory" in str(target):
            raise BackupError("cannot restore into an in-memory SQLite database")
        connections.close_all()
        return restore_sqlite_file(path, target, force=force)
    if vendor == "postgresql":
        return _pg_restore(using, path, force)
    raise BackupError(f"unsupported database engine: {vendor}")
