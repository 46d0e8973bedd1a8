"""Re-encrypt every encrypted Blue Card value under the newest key (key rotation).

    python manage.py reencrypt_blue_cards            # re-save all rows, one transaction
    python manage.py reencrypt_blue_cards --check    # is every value readable by the newest key?

See docs/admin/klucze-szyfrowania.md.
"""

from django.core.management.base import BaseCommand, CommandError

from gops.bluecards.encryption import reencrypt_all, unreadable_with_first_key


class Command(BaseCommand):
    help = "Re-encrypt the encrypted Blue Card texts with the first key of FIELD_ENCRYPTION_KEYS."

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

    def handle(self, *args, check=False, dry_run=False, **options):
        if check:
            left = unreadable_with_first_key()
            if left:
                raise CommandError(
                    f"{len(left)} values are not encrypted with the newest key yet, e.g. "
                    f"{', '.join(left[:5])}. Run reencrypt_blue_cards before dropping a key."
                )
            self.stdout.write("Every value is readable with the newest key.")
            return
        report = reencrypt_all(dry_run=dry_run)
        if report.unreadable:
            raise CommandError(
                f"{len(report.unreadable)} values cannot be decrypted with any configured key "
                f"(e.g. {', '.join(report.unreadable[:5])}); nothing has been changed. Is a key "
                "missing from FIELD_ENCRYPTION_KEYS or SECRET_KEY_FALLBACKS?"
            )
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        self.stdout.write(f"{report.values} values in {report.rows} rows {verb}.")
