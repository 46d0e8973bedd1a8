import pytest
from django.contrib.auth.models import Permission

from gops.accounts.tests.factories import make_user

ORGANISER_PERMS = [
    "view_activity",
    "add_activity",
    "change_activity",
    "view_registration",
    "add_registration",
    "change_registration",
    "view_attendance",
    "add_attendance",
    "change_attendance",
]


def grant(user, codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="activities", codename__in=codenames)
    )
    # Permissions are cached on the user object.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


@pytest.fixture
def organiser(centre):
    """The activities organiser; also sees the whole registry, to register anyone."""
    user = make_user("animator", role="social_worker", centre=centre)
    user.user_permissions.add(Permission.objects.get(codename="view_all_persons"))
    return grant(user, ORGANISER_PERMS)


@pytest.fixture
def registering_worker(worker_a):
    return grant(worker_a, ["view_activity", "view_registration", "add_registration"])


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language (root conftest)."""
