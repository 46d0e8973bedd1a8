"""Two payroll generations racing for one month: one payroll, one payment per item."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from gops.payments import services
from gops.payments.models import Payment, Payroll
from gops.payments.tests.test_services import issued_periodic

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and concurrent writers: PostgreSQL"
    ),
]


def test_concurrent_generation_gives_one_payroll_and_one_payment_per_item(
    worker_a, head, finance, legal_parameters_rows
):
    issued_periodic(worker_a, head)
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def generate():
        try:
            barrier.wait()
            results.append(services.payroll_generate(actor=finance, month=date(2025, 7, 1)).pk)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=generate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Payroll.objects.count() == 1
    assert Payment.objects.count() == 1
