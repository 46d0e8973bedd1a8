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


def test_the_payments_are_shown_a_page_at_a_time(client, worker_a, head, finance, monkeypatch):
    from gops.payments import views

    issued_permanent(worker_a, head, number=1)
    issued_permanent(worker_a, head, number=2, income="500.00")
    payroll = services.payroll_generate(actor=finance, month=date(2025, 9, 1))
    count = payroll.payments.count()
    assert count >= 3
    monkeypatch.setattr(views, "PAYROLL_PAGE_SIZE", count - 1)
    client.force_login(finance)
    url = reverse("payments:payroll_detail", args=[payroll.pk])
    first = client.get(url)
    second = client.get(url, {"page": 2})
    shown = [p.pk for p in first.context["payments"]] + [p.pk for p in second.context["payments"]]
    assert len(first.context["payments"]) == count - 1
    assert sorted(shown) == sorted(payroll.payments.values_list("pk", flat=True))
    # The total is the whole payroll's, on every page.
    assert first.context["grand_total"] == second.context["grand_total"]
    assert second.context["grand_total"] == sum(p.amount for p in payroll.payments.all())
    assert b"Next page" in first.content or "Następna".encode() in first.content
