from django.core.management.base import BaseCommand

from gops.benefits.services import decisions_finalise


class Command(BaseCommand):
    help = (
        "Mark as final every served decision whose 14-day appeal period passed unused "
        "(k.p.a. art. 129). Run once a day (cron); idempotent."
    )

    def handle(self, *args, **options):
        count = decisions_finalise()
        self.stdout.write(f"{count}")
