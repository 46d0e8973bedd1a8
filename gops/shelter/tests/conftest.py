import pytest

from gops.accounts.tests.factories import make_user


@pytest.fixture
def coordinator(centre):
    """The shelter coordinator: facilities, beds, placements and the night count."""
    return make_user("koordynator", role="shelter_coordinator", centre=centre)


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the services' messages in the source language."""
    from django.utils import translation

    with translation.override("en"):
        yield
