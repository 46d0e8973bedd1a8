"""manage.py import_persons FILE --user USERNAME: persons from CSV, for files of any size."""

import time

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gops.accounts.models import User
from gops.people.services import persons_import_csv


class Command(BaseCommand):
    help = (
        "Import persons from a CSV file (docs/import-osob.md) into the centre of --user, who "
        "must be allowed to register persons. All rows or none: a broken row imports nothing "
        "and the broken rows are listed; the exit code is then 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (UTF-8, a header row, ';' or ',')")
        parser.add_argument(
            "--user", required=True, help="username of the staff member importing them"
        )
        parser.add_argument(
            "--errors",
            type=int,
            default=100,
            help="list at most this many broken rows (default %(default)s); all are counted",
        )

    def handle(self, *args, file: str, user: str, errors: int, **options):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(_("No active user named “%(username)s”.") % {"username": user})
        started = time.perf_counter()
        try:
            broken = _first_line_not_utf8(file)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        if broken is not None:
            raise CommandError(
                _("The file is not UTF-8 text (line %(line)s). Save it as “CSV UTF-8”.")
                % {"line": broken}
            )
        try:
            # Read as a stream: a file of any size, with or without a byte order mark.
            with open(file, encoding="utf-8-sig", newline="") as stream:
                report = persons_import_csv(
                    actor=actor,
                    text_or_stream=stream,
                    max_listed_errors=max(errors, 1),
                    progress=self._progress,
                )
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except PermissionDenied as exc:
            raise CommandError(
                _("%(username)s may not register persons of a centre.") % {"username": user}
            ) from exc
        seconds = time.perf_counter() - started
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "%(count)s person imported in %(seconds).1f s.",
                        "%(count)s persons imported in %(seconds).1f s.",
                        report.imported,
                    )
                    % {"count": report.imported, "seconds": seconds}
                )
            )
            return
        for line, reason in report.errors:
            self.stderr.write(_("line %(line)s: %(reason)s") % {"line": line, "reason": reason})
        if report.unlisted:
            self.stderr.write(
                ngettext(
                    "… and %(count)s more broken row.",
                    "… and %(count)s more broken rows.",
                    report.unlisted,
                )
                % {"count": report.unlisted}
            )
        raise CommandError(
            ngettext(
                "Nothing has been imported: %(count)s row is broken.",
                "Nothing has been imported: %(count)s rows are broken.",
                report.error_count,
            )
            % {"count": report.error_count},
            returncode=1,
        )

    def _progress(self, rows: int) -> None:
        # Called after every batch; a line per 10,000 rows is enough on a terminal.
        if rows // 10_000 > getattr(self, "_shown", 0):
            self._shown = rows // 10_000
            self.stderr.write(_("%(rows)s rows read") % {"rows": rows})


def _first_line_not_utf8(path: str) -> int | None:
    """The number of the first line of `path` that is not UTF-8, or None: read once, line by
    line, so the message names the exact line (a decoding reader stops a chunk earlier)."""
    with open(path, "rb") as raw:
        for number, line in enumerate(raw, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None
