"""Refresh the lists of people at risk of every centre (for cron, when huey does not run)."""

from datetime import date

from django.core.management.base import BaseCommand

from gops.atrisk.models import ListCode
from gops.atrisk.services import atrisk_refresh_all


class Command(BaseCommand):
    help = "Refresh the lists of people at risk of every centre."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="as of this day (YYYY-MM-DD)")

    def handle(self, *args, **options):
        results = atrisk_refresh_all(today=options.get("date"))
        for centre_id, counts in results.items():
            # The Blue Card list's count is for the cards' members only, not for logs.
            summary = ", ".join(
                f"{code}={n}" for code, n in counts.items() if code != ListCode.CHILD_BLUE_CARD
            )
            self.stdout.write(f"centre {centre_id}: {summary}")
