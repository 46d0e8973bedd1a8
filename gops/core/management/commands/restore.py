"""Restore the whole database from a file made by ``manage.py backup``."""

from django.core.management.base import BaseCommand, CommandError

from gops.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the database from a backup (SQLite file or pg_dump custom archive), "
        "replacing its whole content. Refuses a database that holds data unless --force. "
        "Stop the application first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database that already holds data"
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options):
        try:
            summary = restore(options["file"], using=options["database"], force=options["force"])
        except BackupError as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        self.stdout.write(summary.line("Restored from"))
