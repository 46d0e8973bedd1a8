from django.core.management.base import BaseCommand, CommandError

from gops.accounts.models import User
from gops.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Print a new API bearer token for an existing user (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user named {username!r}.") from exc
        self.stdout.write(api_token_create(user=user))
