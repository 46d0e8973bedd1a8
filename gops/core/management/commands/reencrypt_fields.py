"""Re-encrypt every encrypted column of the project under the newest key (key rotation).

    python manage.py reencrypt_fields              # rewrite what the newest key does not open
    python manage.py reencrypt_fields --check      # is every value readable by the newest key?
    python manage.py reencrypt_fields --dry-run    # count only

The encrypted columns are found in the app registry (gops.core.encryption). Rows are rewritten
in batches, one transaction each; running it again after an interruption finishes the work.
See docs/admin/klucze-szyfrowania.md.
"""

from django.core.management.base import BaseCommand, CommandError

from gops.core.encryption import (
    BATCH_SIZE,
    encrypted_fields,
    reencrypt_all,
    unreadable_with_first_key,
)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted text of the project with the first key of "
        "FIELD_ENCRYPTION_KEYS (and SECRET_KEY); plain values left in such columns are "
        "encrypted too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail if some value cannot be read with the newest key alone.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be re-encrypted; write nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Rows per transaction (default {BATCH_SIZE}).",
        )

    def handle(self, *args, check=False, dry_run=False, batch_size=BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["verbosity"] > 1:
            for model, fields in encrypted_fields():
                names = ", ".join(f.name for f in fields)
                self.stdout.write(f"{model._meta.label_lower}: {names}")
        if check:
            left = unreadable_with_first_key(batch_size=batch_size)
            if left:
                raise CommandError(
                    f"{len(left)} values are not encrypted with the newest key yet, e.g. "
                    f"{', '.join(left[:5])}. Run reencrypt_fields before dropping a key."
                )
            self.stdout.write("Every value is readable with the newest key.")
            return
        report = reencrypt_all(dry_run=dry_run, batch_size=batch_size)
        if report.unreadable:
            done = (
                "nothing has been changed"
                if dry_run or not report.values
                else f"{report.values} other values have been re-encrypted"
            )
            raise CommandError(
                f"{len(report.unreadable)} values cannot be decrypted with any configured key "
                f"(e.g. {', '.join(report.unreadable[:5])}); {done}. Is a key missing from "
                "FIELD_ENCRYPTION_KEYS or SECRET_KEY_FALLBACKS?"
            )
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        plain = f", {report.plain} of them plain text" if report.plain else ""
        self.stdout.write(f"{report.values} values in {report.rows} rows {verb}{plain}.")
