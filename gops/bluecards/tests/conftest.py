from datetime import date

import pytest
import time_machine

from .factories import make_family, open_card

# A Tuesday; the working days after it: 11, 12, 13, 16, 17 June.
TODAY = date(2025, 6, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def family(worker_a, district_a):
    return make_family(actor=worker_a, district=district_a)


@pytest.fixture
def card(worker_a, family):
    return open_card(actor=worker_a, family=family, opened_on=TODAY)


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language (root conftest)."""
