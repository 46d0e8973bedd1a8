"""Back up the whole database to one file (see docs/admin/kopia-zapasowa.md)."""

from django.core.management.base import BaseCommand, CommandError

from gops.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database: SQLite through its online backup API, PostgreSQL with "
        "pg_dump --format=custom. Default file: var/backups/gops-YYYYmmdd-HHMMSS.sqlite3 "
        "(.dump on PostgreSQL). Keep the encryption keys with the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write the backup (must not exist)")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options):
        try:
            summary = backup(options["file"], using=options["database"])
        except BackupError as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        self.stdout.write(summary.line("Backup written to"))
