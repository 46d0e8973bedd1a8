from datetime import date

import pytest
import time_machine

TODAY = date(2025, 6, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2025, 6, 10)):
        yield


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language (root conftest)."""


@pytest.fixture
def refugee(worker_a, district_a):
    from gops.people.tests.factories import make_foreigner

    return make_foreigner(
        actor=worker_a,
        district=district_a,
        first_names="Aliaksandr",
        surnames="Kazlou",
        sex="M",
        citizenship="BY",
        residence_status="refugee_status",
        id_document_type="residence_card",
        id_document_number="RC1234567",
        residence_document_valid_until=date(2027, 1, 31),
        languages_spoken="białoruski, rosyjski",
        letter_language="en",
    )
