"""Fixtures shared by every app's tests: a centre, two districts and a user of each role."""

import pytest

from gops.accounts.tests.factories import make_centre, make_district, make_user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests create many users; the production hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def force_login_counts_as_two_factor(monkeypatch):
    """`client.force_login(user)` skips the sign-in form, so it skips the second factor too:
    the session counts as verified (with a confirmed device created for a user whose role
    requires one). The two-factor tests sign in through the real forms instead."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY

        from gops.accounts.tests.factories import make_totp_device
        from gops.accounts.two_factor import confirmed_device, two_factor_required

        original(self, user, backend)
        device = confirmed_device(user)
        if device is None and two_factor_required(user):
            device = make_totp_device(user)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def centre(db):
    return make_centre()


@pytest.fixture
def district_a(centre):
    return make_district(centre=centre, name="Rejon A")


@pytest.fixture
def district_b(centre):
    return make_district(centre=centre, name="Rejon B")


@pytest.fixture
def head(centre, district_a):
    return make_user("kierownik", role="head", centre=centre, may_sign_decisions=True)


@pytest.fixture
def worker_a(centre, district_a):
    return make_user("pracownik1", role="social_worker", centre=centre, district=district_a)


@pytest.fixture
def worker_b(centre, district_b):
    return make_user("pracownik2", role="social_worker", centre=centre, district=district_b)


@pytest.fixture
def assistant(centre):
    return make_user("asystent", role="family_assistant", centre=centre)


@pytest.fixture
def finance(centre):
    return make_user("ksiegowa", role="finance", centre=centre)


@pytest.fixture
def dpo(centre):
    return make_user("iod", role="data_protection_officer", centre=centre)


@pytest.fixture
def administrator(centre):
    return make_user("admin", role="administrator", centre=centre, is_staff=True)


@pytest.fixture
def legal_parameters_rows(transactional_db):
    """The LAW.md rows a migration seeds; a transactional test's flush empties the table."""
    import importlib

    from django.apps import apps

    importlib.import_module("gops.benefits.migrations.0002_seed_legal_parameters_2018_2025").seed(
        apps, None
    )
    importlib.import_module("gops.benefits.migrations.0007_integration_benefit").record_amount(
        apps, None
    )


@pytest.fixture
def english_messages(monkeypatch):
    """Messages in the source language, for tests that read them: staff created while it is
    active work in English (the default is Polish)."""
    from django.utils import translation

    from gops.accounts.models import User

    monkeypatch.setattr(User._meta.get_field("language"), "default", "en")
    with translation.override("en"):
        yield
