import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gops.accounts.roles import ROLE_LABELS
from gops.demo import generate
from gops.demo.services import DemoConflictError, DemoResult, demo_centre_seed


class Command(BaseCommand):
    help = (
        "Create a demo centre with staff of every role and a registry of persons, households "
        "and incomes. Running it again adds nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons",
            type=int,
            default=generate.DEFAULT_PERSONS,
            help="number of persons in the registry (default %(default)s)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=generate.DEFAULT_SEED,
            help="seed of the random data; the same seed gives the same data (default %(default)s)",
        )

    def handle(self, *args, persons: int, seed: int, **options):
        if persons < 1:
            # The demo's stories (referrals, families, shelter) need someone to happen to.
            raise CommandError(_("--persons must be at least 1."))
        started = time.perf_counter()
        try:
            result = demo_centre_seed(persons=persons, seed=seed)
        except DemoConflictError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(str(result.centre))
        summary = {
            "persons": result.persons,
            "households": result.households,
            "incomes": result.incomes,
        }
        if result.registry_created:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Demo data created in %(seconds).1f s: %(persons)d persons in "
                        "%(households)d households, %(incomes)d incomes."
                    )
                    % {"seconds": elapsed, **summary}
                )
            )
            if result.imported:
                self.stdout.write(
                    _(
                        "%(imported)d of them imported from a CSV file of the previous system, "
                        "as the head (docs/import-osob.md)."
                    )
                    % {"imported": result.imported}
                )
        else:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The demo data already exist (%(persons)d persons in %(households)d "
                        "households, %(incomes)d incomes); no persons were added. The staff "
                        "accounts and their password were refreshed."
                    )
                    % summary
                )
            )
        self.stdout.write("")
        self._write_logins(result)
        self.stdout.write("")
        self.stdout.write(
            _("Open http://127.0.0.1:%(port)s and sign in.") % {"port": settings.PORT}
        )

    def _write_logins(self, result: DemoResult) -> None:
        # A context of its own, so Django's catalogue does not translate half of the header.
        header = (
            pgettext("demo logins", "username"),
            pgettext("demo logins", "role"),
            pgettext("demo logins", "post"),
            pgettext("demo logins", "district"),
            pgettext("demo logins", "password"),
            pgettext("demo logins", "authenticator key"),
        )
        rows = [
            (
                login.username,
                str(ROLE_LABELS.get(login.role, login.role)),
                login.position,
                login.district or "—",
                result.password,
                login.totp_key,
            )
            for login in result.logins
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(cells) -> str:
            padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            return "  ".join(padded).rstrip()

        self.stdout.write(self.style.MIGRATE_HEADING(line(header)))
        for row in rows:
            self.stdout.write(line(row))
        if any(login.totp_key for login in result.logins):
            self.stdout.write("")
            self.stdout.write(
                _(
                    "Accounts with an authenticator key ask for a code after the password: add "
                    "the key to an authenticator app (time-based), or print the current code "
                    "with `manage.py totp_code USERNAME`. The key is public: demo only."
                )
            )
