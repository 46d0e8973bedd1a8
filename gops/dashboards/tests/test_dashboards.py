"""The figures on a small centre (tests/data.py), the pages, and who may see them."""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from gops.cases.models import Application
from gops.dashboards import selectors
from gops.payments.tests.finance_factories import issued_permanent, revoke

from . import urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls(urls.URLCONF)]

SVG = "{http://www.w3.org/2000/svg}"


def login(client, user):
    client.force_login(user)
    return client


def charts_in(html: str) -> list[ET.Element]:
    """Every inline <svg>…</svg> of the page, parsed as XML."""
    charts = []
    rest = html
    while "<svg" in rest:
        start = rest.index("<svg")
        end = rest.index("</svg>", start) + len("</svg>")
        charts.append(ET.fromstring(rest[start:end]))
        rest = rest[end:]
    return charts


def test_the_heads_figures(dataset, head, worker_a, worker_b, today, django_assert_max_num_queries):
    with django_assert_max_num_queries(24):
        d = selectors.head_dashboard(user=head, today=today)

    by_month = {row.month: (row.applications, row.decisions) for row in d.activity}
    assert len(d.activity) == 12
    assert d.activity[-1].month == date(2025, 9, 1)
    assert by_month[date(2025, 6, 1)] == (1, 1)
    assert by_month[date(2025, 8, 1)] == (2, 0)
    assert by_month[date(2025, 9, 1)] == (2, 0)

    assert d.budget.planned == Decimal("20000.00")
    assert d.budget.paid == Decimal("1013.00")
    assert [m.paid_to_date for m in d.budget.months][6:8] == [Decimal("1013.00")] * 2
    assert d.budget.paid_percent == 5

    # Worker A: the final case with its allowance in force, the overdue and the new one;
    # the withdrawn application is no longer social work.
    loads = {row.worker.pk: row.households for row in d.caseload.rows}
    assert loads == {worker_a.pk: 3, worker_b.pk: 1}
    assert d.caseload.households == 4
    assert d.caseload.workers_needed == 3

    assert d.deadlines.counts["interview"]["overdue"] == 1
    assert d.deadlines.counts["decision"]["overdue"] == 1
    assert d.deadlines.counts["interview"]["soon"] == 1
    assert d.deadlines.overdue == 2
    assert [item.application for item in d.deadlines.urgent[:2]] == [dataset.overdue] * 2

    assert [(o.beds, o.occupied, o.percent) for o in d.shelter] == [(2, 1, 50)]
    attendance = {m.month: (m.sessions, m.registered, m.attended) for m in d.attendance}
    assert attendance == {
        date(2025, 7, 1): (0, 0, 0),
        date(2025, 8, 1): (1, 2, 1),
        date(2025, 9, 1): (0, 0, 0),
    }


def test_the_heads_page_shows_every_chart_with_its_table(dataset, head, client, today):
    response = login(client, head).get(reverse("dashboards:head"))
    assert response.status_code == 200
    html = response.content.decode()
    charts = charts_in(html)
    assert {c.get("id") for c in charts} == {
        "chart-activity",
        "chart-budget",
        "chart-caseload",
        "chart-deadlines",
        "chart-shelter",
        "chart-attendance",
    }
    for chart in charts:
        title = chart.find(f"{SVG}title")
        assert title is not None
        assert title.text
        assert chart.get("role") == "img"
        assert title.get("id") in chart.get("aria-labelledby")
        # The chart's numbers follow it in a table with a caption and header cells.
        after = html[html.index(f'id="{chart.get("id")}"') :]
        table = after[after.index("<table") : after.index("</table>")]
        assert "<caption>" in table
        assert 'scope="col"' in table
    assert html.count("<table") >= len(charts)
    assert "Zaległa Maria" in html
    assert "Pracownik2 Testowa" in html


def test_a_worker_sees_only_their_own_caseload_and_deadlines(
    dataset, worker_a, worker_b, client, today, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        mine = selectors.worker_dashboard(user=worker_b, today=today)
    assert mine.caseload.households == 1
    assert mine.caseload.percent == 2
    # Received on 10 September: its interview (30 September) and decision are not due yet.
    assert mine.deadlines.rows() == [
        ("interview", 0, 0, 1),
        ("decision", 0, 0, 1),
        ("interview_update", 0, 0, 0),
    ]
    assert mine.deadlines.urgent == []

    response = login(client, worker_b).get(reverse("dashboards:worker"))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(charts_in(html)) == 2
    assert "Pracownik2 Testowa" in html
    assert "Pracownik1" not in html
    assert "Zaległa" not in html
    assert "Bieżąca" not in html

    client.logout()
    html = login(client, worker_a).get(reverse("dashboards:worker")).content.decode()
    assert "Zaległa Maria" in html
    assert "Innarejon" not in html
    assert selectors.worker_dashboard(user=worker_a, today=today).caseload.households == 3


def test_only_the_head_sees_the_centres_dashboard(client, head, worker_a, finance):
    assert client.get(reverse("dashboards:head")).status_code == 302  # to the login page
    assert login(client, worker_a).get(reverse("dashboards:head")).status_code == 403
    client.logout()
    assert login(client, finance).get(reverse("dashboards:head")).status_code == 403
    assert client.get(reverse("dashboards:worker")).status_code == 403
    client.logout()
    assert login(client, head).get(reverse("dashboards:head")).status_code == 200
    assert client.get(reverse("dashboards:worker")).status_code == 200


def test_a_revoked_allowance_ends_the_social_work_of_a_closed_case(worker_a, head):
    decision = issued_permanent(worker_a, head, number=7)
    revoke(worker_a, head, decision, effective_from=date(2025, 10, 1), on=date(2025, 9, 20))
    Application.objects.filter(pk=decision.application_id).update(status="final")
    load = selectors.caseload(user=worker_a, on=date(2025, 9, 15))
    assert load.rows[0].households == 1
    assert selectors.caseload(user=worker_a, on=date(2025, 9, 30)).households == 1
    assert selectors.caseload(user=worker_a, on=date(2025, 10, 1)).households == 0
    with time_machine.travel(date(2025, 10, 2)):
        assert selectors.caseload(user=head, on=date(2025, 10, 2), everyone=True).households == 0
