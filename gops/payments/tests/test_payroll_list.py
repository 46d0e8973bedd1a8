"""The payroll list's figures: each payroll's number and sum of payments, read for one page of
payrolls at a time (a large city holds millions of payments)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from gops.payments import selectors, services
from gops.payments.models import Payroll

from .finance_factories import issued_permanent, issued_purpose

pytestmark = pytest.mark.django_db


@pytest.fixture
def payrolls(worker_a, head, finance):
    """July to September 2025: 1013.00 zł a month from July, 813.00 zł from August; an urgent
    purpose allowance outside any payroll; and an empty payroll of June."""
    permanent = issued_permanent(worker_a, head, number=1)
    issued_permanent(worker_a, head, number=2, income="500.00", period_from=date(2025, 8, 1))
    purpose = issued_purpose(worker_a, head, application=permanent.application)
    services.urgent_payment_make(actor=finance, decision=purpose, on=date(2025, 6, 20))
    june = Payroll.objects.create(
        centre=finance.centre, month=date(2025, 6, 1), prepared_by=finance
    )
    generated = [
        services.payroll_generate(actor=finance, month=date(2025, month, 1)) for month in (7, 8, 9)
    ]
    return [june, *generated]


def test_the_list_is_newest_first_and_only_for_those_who_read_payrolls(payrolls, finance, worker_a):
    listed = list(selectors.payroll_list_for_user(user=finance))
    assert [p.month.month for p in listed] == [9, 8, 7, 6]
    assert list(selectors.payroll_list_for_user(user=worker_a)) == []


def test_the_figures_of_a_page_are_those_of_its_payrolls_alone_in_one_query(payrolls, finance):
    page = list(selectors.payroll_list_for_user(user=finance)[:2])  # September and August
    with CaptureQueriesContext(connection) as queries:
        shown = selectors.payroll_totals(payrolls=page)
    assert [(p.month.month, p.count, p.total) for p in shown] == [
        (9, 2, Decimal("1826.00")),
        (8, 2, Decimal("1826.00")),
    ]
    assert len(queries) == 1
    (sql,) = (q["sql"] for q in queries.captured_queries)
    assert f'"payroll_id" IN ({page[0].pk}, {page[1].pk})' in sql


def test_the_figures_match_summing_every_payment_of_the_centre(payrolls, finance):
    everything = {
        p.pk: (p.count, p.total)
        for p in Payroll.objects.filter(centre_id=finance.centre_id).annotate(
            total=Sum("payments__amount"), count=Count("payments")
        )
    }
    shown = selectors.payroll_totals(payrolls=selectors.payroll_list_for_user(user=finance))
    assert {p.pk: (p.count, p.total) for p in shown} == everything
    june = shown[-1]
    assert (june.count, june.total) == (0, None)  # shown as 0 and 0.00 zł
