import pytest
import time_machine

from . import data


@pytest.fixture
def dataset(centre, head, worker_a, worker_b, finance):
    return data.build(
        centre=centre, head=head, worker_a=worker_a, worker_b=worker_b, finance=finance
    )


@pytest.fixture
def today():
    with time_machine.travel(data.TODAY):
        yield data.TODAY


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language (root conftest)."""
