from datetime import date

import pytest
import time_machine

from .factories import make_family, make_support

TODAY = date(2025, 6, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language (root conftest)."""


@pytest.fixture
def family(worker_a, district_a):
    return make_family(actor=worker_a, district=district_a, children=2)


@pytest.fixture
def support(head, family, assistant, worker_a):
    return make_support(
        head=head,
        household=family,
        assistant=assistant,
        social_worker=worker_a,
        started_on=date(2025, 1, 15),
        reason="Trudności opiekuńczo-wychowawcze",
    )
