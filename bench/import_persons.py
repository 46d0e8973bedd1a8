"""Person import benchmark (issue 10): ``persons_import_csv`` against COPY of the same rows.

    .venv/bin/python bench/import_persons.py                  # 100,000 persons, best of 2
    .venv/bin/python bench/import_persons.py --rows 5000 --runs 1 --profile

Uses its own PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/gops_bench_import), created and migrated when missing.

The file: ``--rows`` persons as a centre moving from its previous system would export them,
written once to ``--csv`` (default var/bench/osoby-<rows>.csv) and reused: Polish column names,
semicolons, a byte order mark, Polish dates, as Excel saves "CSV UTF-8". The persons come from
the large-city generator (bench/generate.py ``City``: Faker pl_PL names, valid PESELs agreeing
with the birth date and sex, 10 % foreigners without PESEL with unique document numbers and a
residence status, 2 % homeless, addresses, phones, disabilities) in 40 districts, a third of
them with a case worker.

Each run, from a clean state:

- import: ``persons_import_csv`` as the head of a centre with no persons, reading the file as
  a stream (as ``manage.py import_persons`` does): every row validated as the person form
  validates it, checked for duplicates in the file and the registry, written with its audit
  entry, in one transaction;
- copy: ``COPY people_person (...) FROM STDIN`` into a second centre with no persons, of the
  very column values the import wrote (read back from the first centre, its centre, district
  and user ids swapped for the second centre's), in one transaction.

Then both centres' persons and the import's audit entries are deleted (the audit trail is
append-only: the delete runs with the triggers off, session_replication_role) and the tables
vacuumed. Best of ``--runs``. Peak memory of the import: the growth of the process's peak RSS
over its RSS before the call (Linux), and with ``--tracemalloc`` the tracemalloc peak of one
more run. ``--profile`` prints the cProfile of one more run.

Each figure is one ``name: value`` line; the last four are ``rows``, ``import_seconds``,
``copy_seconds`` and ``ratio`` (import / copy). See docs/performance.md.
"""

import argparse
import cProfile
import csv
import gc
import io
import os
import pstats
import random
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [p for p in (str(HERE), str(HERE.parent)) if p not in sys.path]

import common  # noqa: E402  (bench/common.py)
import generate  # noqa: E402  (bench/generate.py: the large-city generator)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gops_bench_import"
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
TODAY = date(2025, 11, 3)  # of the generated persons' ages and documents: the same file always
SEED = 1
CASE_WORKER_SHARE = 1 / 3
# Two centres, kept between runs: the import's and the COPY's. Told apart by name.
CENTRES = {"import": "Bench import: persons_import_csv", "copy": "Bench import: COPY"}
HEADER = (
    "imiona", "nazwisko", "pesel", "data_urodzenia", "plec", "obywatelstwo",
    "rodzaj_dokumentu", "numer_dokumentu", "status_pobytu", "dokument_pobytowy_wazny_do",
    "jezyki", "jezyk_korespondencji", "tlumacz", "ulica", "kod_pocztowy", "miejscowosc",
    "mieszka_pod_adresem_zameldowania", "ulica_zamieszkania", "kod_pocztowy_zamieszkania",
    "miejscowosc_zamieszkania", "bezdomna", "telefon", "email", "niepelnosprawnosc",
    "orzeczenie_wazne_do", "rejon", "pracownik_socjalny",
)  # fmt: skip
KINDS = ("single_adult", "single_elderly", "couple_with_children", "single_parent", "couple")
# The columns the COPY writes: every column of people_person but the id, which the sequence
# gives as it gives the import's.
COPY_COLUMNS = tuple(c for c in generate.COLUMNS["people_person"] if c != "id")
REMAPPED = ("centre_id", "district_id", "case_worker_id", "created_by_id", "updated_by_id")

log = common.log


# --- The file -------------------------------------------------------------------------------


def district_name(number: int) -> str:
    return f"Rejon {number + 1}"


def worker_username(centre: str, district: int) -> str:
    return f"bench-{centre}-pracownik{district + 1:02d}"


def head_username(centre: str) -> str:
    return f"bench-{centre}-kierownik"


def write_csv(path: Path, rows: int, seed: int) -> None:
    """`rows` persons of the large-city generator as the import reads them (module doc)."""
    from gops.people import imports

    # The Polish word the documentation shows first for each code.
    words = {
        column.field: {code: alias.replace(" ", "_") for alias, code in reversed(column.aliases)}
        for column in imports.COLUMNS
        if column.kind == imports.CHOICE
    }
    setting = generate.Setting(
        centre_id=0,
        payment_day=10,
        districts=(),
        workers=(),
        signers=(),
        finance=(),
        family_assistants=(),
        payrolls={},
        legal=(),
        narratives={},
    )
    city = generate.City(seed=seed, today=TODAY, setting=setting)
    rng = random.Random(seed)
    made = foreigners = homeless = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        while made < rows:
            if foreigners < generate.FOREIGN_SHARE * (made + 1):
                members = city.foreign_members(rows - made)
                foreigners += len(members)
            elif homeless < generate.HOMELESS_SHARE * (made + 1):
                members = city.homeless_members()
                homeless += len(members)
            else:
                members = city.polish_members(rng.choice(KINDS), rows - made)
            district = city.address_district
            worker = worker_username("import", district) if rng.random() < CASE_WORKER_SHARE else ""
            for p in city.pending_persons:
                writer.writerow(csv_row(p, district=district, worker=worker, words=words))
            made += len(city.pending_persons)
            city.pending_persons.clear()


def csv_row(p: dict, *, district: int, worker: str, words: dict) -> list[str]:
    def day(value):
        return f"{value:%d.%m.%Y}" if value else ""

    def yes(value: bool) -> str:
        return "tak" if value else "nie"

    row = {
        "imiona": p["first_names"],
        "nazwisko": p["surnames"],
        "pesel": p["pesel"] or "",
        "data_urodzenia": day(p["birth_date"]),
        "plec": "K" if p["sex"] == "F" else "M",
        "obywatelstwo": p["citizenship"],
        "rodzaj_dokumentu": words["id_document_type"].get(p["id_document_type"], ""),
        "numer_dokumentu": p["id_document_number"],
        "status_pobytu": words["residence_status"].get(p["residence_status"], ""),
        "dokument_pobytowy_wazny_do": day(p["residence_document_valid_until"]),
        "jezyki": p["languages_spoken"],
        "jezyk_korespondencji": p["letter_language"],
        "tlumacz": yes(p["needs_interpreter"]),
        "ulica": p["registered_street"],
        "kod_pocztowy": p["registered_postal_code"],
        "miejscowosc": p["registered_city"],
        "mieszka_pod_adresem_zameldowania": yes(p["actual_same_as_registered"]),
        "ulica_zamieszkania": p["actual_street"],
        "kod_pocztowy_zamieszkania": p["actual_postal_code"],
        "miejscowosc_zamieszkania": p["actual_city"],
        "bezdomna": yes(p["homeless"]),
        "telefon": p["phone"],
        "email": p["email"],
        "niepelnosprawnosc": words["disability_degree"][p["disability_degree"]],
        "orzeczenie_wazne_do": day(p["disability_valid_until"]),
        "rejon": district_name(district),
        "pracownik_socjalny": worker,
    }
    return [row[name] for name in HEADER]


def ensure_csv(path: Path, rows: int, seed: int) -> None:
    if path.exists():
        log(f"csv: reusing {path}")
        return
    started = time.perf_counter()
    write_csv(path, rows, seed)
    path.with_suffix(".tmp").rename(path)
    log(f"csv: wrote {path} in {time.perf_counter() - started:.1f} s")


# --- The centres ----------------------------------------------------------------------------


def centre_of(kind: str):
    """The centre of `kind` ("import" or "copy") with its 40 districts, head and workers."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    from gops.accounts import roles
    from gops.accounts.models import Centre, District, User

    centre = Centre.objects.filter(name=CENTRES[kind]).first()
    if centre is not None:
        return centre
    with transaction.atomic():
        centre = Centre.objects.create(
            name=CENTRES[kind],
            municipality=generate.CITY,
            teryt=generate.TERYT,
            street="ul. Piotrkowska 1",
            postal_code="93-001",
            city=generate.CITY,
            head_name="Kierownik Benchowy",
            bank_account=generate.polish_iban("10901014" + "0" * 15 + "1"),
            payment_day=10,
        )
        districts = District.objects.bulk_create(
            [District(centre=centre, name=district_name(n)) for n in range(generate.DISTRICTS)]
        )

        def staff(username: str, role: str, **extra):
            user = User(username=username, centre=centre, **extra)
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))

        staff(head_username(kind), roles.HEAD, first_name="Kierownik", last_name="Benchowy")
        for n, district in enumerate(districts):
            staff(worker_username(kind, n), roles.SOCIAL_WORKER, district=district)
    return centre


def head_of(kind: str):
    from gops.accounts.models import User

    return User.objects.get(username=head_username(kind))


def reset(*centres) -> None:
    """Delete the persons of `centres` and their audit entries (triggers off), then vacuum."""
    from django.db import connection, transaction

    ids = [c.pk for c in centres]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM audit_auditentry WHERE centre_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM people_person WHERE centre_id = ANY(%s)", [ids])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person")
        cursor.execute("VACUUM ANALYZE audit_auditentry")


def person_count(centre) -> int:
    return common.fetchone("SELECT count(*) FROM people_person WHERE centre_id = %s", [centre.pk])[
        0
    ]


# --- The two ways in ------------------------------------------------------------------------


# CPU seconds of this process in the last run_import: unlike the wall time, barely moved by
# other work on the machine (PostgreSQL's own work is not in it).
last_import_cpu = 0.0


def run_import(path: Path, centre) -> tuple[float, int]:
    from gops.people.services import persons_import_csv

    global last_import_cpu
    head = head_of("import")
    head.has_perm("people.add_person")  # as a signed-in request has them: loaded once
    cpu = time.process_time()
    started = time.perf_counter()
    with open(path, encoding="utf-8-sig", newline="") as stream:
        report = persons_import_csv(actor=head, text_or_stream=stream)
    seconds = time.perf_counter() - started
    last_import_cpu = time.process_time() - cpu
    if not report.ok:
        raise SystemExit(f"the import refused the file: {report.errors[:5]}")
    return seconds, report.imported


def copy_rows(source, target) -> list[tuple]:
    """The rows the import wrote into `source`, as `target`'s: its centre, districts, users."""
    from gops.accounts.models import District, User

    def users(centre):
        return dict(User.objects.filter(centre=centre).values_list("username", "pk"))

    district_ids = {
        name: pk for pk, name in District.objects.filter(centre=target).values_list("pk", "name")
    }
    district_map = {
        pk: district_ids[name]
        for pk, name in District.objects.filter(centre=source).values_list("pk", "name")
    }
    target_users = users(target)
    user_map = {
        pk: target_users[name.replace("bench-import-", "bench-copy-")]
        for name, pk in users(source).items()
    }
    maps = {
        "centre_id": {source.pk: target.pk},
        "district_id": district_map,
        "case_worker_id": user_map,
        "created_by_id": user_map,
        "updated_by_id": user_map,
    }
    positions = [(COPY_COLUMNS.index(name), maps[name]) for name in REMAPPED]
    from django.db import connection

    rows = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(COPY_COLUMNS)} FROM people_person WHERE centre_id = %s ORDER BY id",
            [source.pk],
        )
        for row in cursor.fetchall():
            row = list(row)
            for index, mapping in positions:
                if row[index] is not None:
                    row[index] = mapping[row[index]]
            rows.append(tuple(row))
    return rows


def run_copy(rows: list[tuple]) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    statement = f"COPY people_person ({', '.join(COPY_COLUMNS)}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
    return time.perf_counter() - started


def same_rows(source, target) -> bool:
    """Whether the two centres hold the same persons, column by column (ids and keys aside)."""
    compared = [c for c in COPY_COLUMNS if c not in REMAPPED]
    digest = (
        f"SELECT md5(string_agg(row({', '.join(compared)})::text, '|' ORDER BY pesel, "
        "document_search, surnames, first_names, birth_date)) FROM people_person "
        "WHERE centre_id = %s"
    )
    return common.fetchone(digest, [source.pk]) == common.fetchone(digest, [target.pk])


# --- Memory and profile ---------------------------------------------------------------------


def proc_status_kib(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def rss_peak_reset() -> None:
    """Start the peak RSS (VmHWM) afresh from the current RSS (Linux >= 4.0)."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def profile_import(path: Path, centre, top: int = 30) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    run_import(path, centre)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    out.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# --- Main -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="persons in the file")
    parser.add_argument("--runs", type=int, default=2, help="best of this many runs")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--csv", type=Path, help="the file (default var/bench/osoby-ROWS.csv)")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--profile", action="store_true", help="cProfile one more import")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="tracemalloc peak of one more import (slow)"
    )
    args = parser.parse_args()

    path = args.csv or common.ROOT / "var" / "bench" / f"osoby-{args.rows}-{args.seed}.csv"
    common.ensure_database(BENCH_URL, fresh=args.fresh)
    common.django_setup(BENCH_URL)
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrate_seconds: {time.perf_counter() - started:.2f}")
    for line in common.machine():
        log(line)
    ensure_csv(path, args.rows, args.seed)
    log(f"csv_mib: {path.stat().st_size / 2**20:.1f}")

    source, target = centre_of("import"), centre_of("copy")
    reset(source, target)
    import_times, import_cpu, copy_times, rss_growth = [], [], [], []
    for run in range(args.runs):
        gc.collect()
        rss_peak_reset()
        rss_before = proc_status_kib("VmRSS")
        seconds, imported = run_import(path, source)
        rss_growth.append((proc_status_kib("VmHWM") - rss_before) / 1024)
        assert imported == args.rows == person_count(source), (imported, args.rows)
        import_times.append(seconds)
        import_cpu.append(last_import_cpu)
        rows = copy_rows(source, target)
        copy_times.append(run_copy(rows))
        assert person_count(target) == args.rows
        if run == 0:
            log(f"same_rows: {'yes' if same_rows(source, target) else 'NO'}")
            audited = common.fetchone(
                "SELECT count(*) FROM audit_auditentry WHERE centre_id = %s AND action = 'create'",
                [source.pk],
            )[0]
            log(f"audit_entries_written: {audited}")
        del rows
        reset(source, target)
        log(
            f"run {run + 1}: import {import_times[-1]:.2f} s ({import_cpu[-1]:.2f} s CPU), "
            f"copy {copy_times[-1]:.2f} s"
        )

    log(f"import_cpu_seconds: {min(import_cpu):.2f}")
    log(f"import_rows_per_second: {args.rows / min(import_times):.0f}")
    log(f"import_rss_peak_growth_mib: {max(rss_growth):.1f}")
    if args.tracemalloc:
        tracemalloc.start()
        run_import(path, source)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        reset(source, target)
        log(f"import_tracemalloc_peak_mib: {peak / 2**20:.1f}")
    if args.profile:
        log(profile_import(path, source))
        reset(source, target)

    best_import, best_copy = min(import_times), min(copy_times)
    log(f"rows: {args.rows}")
    log(f"import_seconds: {best_import:.2f}")
    log(f"copy_seconds: {best_copy:.2f}")
    log(f"ratio: {best_import / best_copy:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
