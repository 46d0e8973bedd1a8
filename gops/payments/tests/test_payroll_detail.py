"""The payroll page's totals: one row per method of payment, whatever the number of payments."""

from datetime import date

import pytest
from django.urls import reverse

from gops.payments import services

from .finance_factories import issued_permanent

pytestmark = pytest.mark.django_db


def test_the_totals_have_one_row_per_method(client, worker_a, head, finance):
    issued_permanent(worker_a, head, number=1)
    issued_permanent(worker_a, head, number=2, income="500.00")
    payroll = services.payroll_generate(actor=finance, month=date(2025, 9, 1))
    assert payroll.payments.count() > 2
    client.force_login(finance)
    response = client.get(reverse("payments:payroll_detail", args=[payroll.pk]))
    totals = list(response.context["totals"])
    assert len(totals) == len({p.method for p in payroll.payments.all()})
    assert sum(t["total"] for t in totals) == response.context["grand_total"]
    assert sum(t["count"] for t in totals) == payroll.payments.count()
