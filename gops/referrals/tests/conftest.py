import pytest
from django.contrib.auth.models import Permission

from gops.accounts.models import User

# What social workers and the head get (roles.py is wired separately).
REFERRAL_PERMS = [
    f"{action}_{model}"
    for model in ("institution", "advice", "referral", "employmentprofile")
    for action in ("view", "add", "change")
]


def grant(user: User, *codenames: str) -> User:
    """Give `user` this app's permissions directly, independent of roles."""
    perms = Permission.objects.filter(
        content_type__app_label="referrals", codename__in=codenames or REFERRAL_PERMS
    )
    user.user_permissions.add(*perms)
    return User.objects.get(pk=user.pk)  # a fresh object: no cached permissions


@pytest.fixture(autouse=True)
def referral_urls(settings):
    settings.ROOT_URLCONF = "gops.referrals.tests.urls"


@pytest.fixture
def worker(worker_a):
    return grant(worker_a)


@pytest.fixture
def other_worker(worker_b):
    return grant(worker_b)


@pytest.fixture
def person(worker, district_a):
    from gops.people.tests.factories import make_person

    return make_person(actor=worker, district=district_a)


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language (root conftest)."""
