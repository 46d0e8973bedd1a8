from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gops.accounts.models import User
from gops.accounts.two_factor import DEMO_TOTP_KEY_HEX, confirmed_device, totp_code


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of a user's authenticator. Works only for the demo "
        "accounts' published key, or with DEBUG on (a developer's machine)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        device = confirmed_device(user)
        if device is None:
            raise CommandError(f"{username!r} has no two-factor device.")
        # Against a real database this must be useless: real keys never leave the server.
        if not settings.DEBUG and device.key != DEMO_TOTP_KEY_HEX:
            raise CommandError("Refused: the device does not have the demo key and DEBUG is off.")
        self.stdout.write(totp_code(device))
