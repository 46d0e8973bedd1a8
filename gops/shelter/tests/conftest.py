import pytest

from gops.accounts.tests.factories import make_user


@pytest.fixture
def coordinator(centre):
    """The shelter coordinator: facilities, beds, placements and the night count."""
    return make_user("koordynator", role="shelter_coordinator", centre=centre)


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language (root conftest)."""
