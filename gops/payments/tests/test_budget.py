"""The yearly budget: figures computed by hand, the warning on a drafted decision, and a closed
budget refusing the payroll."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from gops.accounts.tests.factories import make_user
from gops.audit.models import AuditEntry
from gops.benefits import services as benefit_services
from gops.payments import rules, selectors_finance, services
from gops.payments.models import Budget, Payroll
from gops.payments.tests.finance_factories import (
    FINANCE_PERMS,
    URLCONF,
    grant,
    interviewed_application,
    issued_permanent,
    revoke,
)
from gops.payments.tests.test_services import issued_periodic

money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


# --- Pure arithmetic (no database) ----------------------------------------------------------


def test_budget_figures_add_up_the_months_by_hand():
    figures = rules.budget_figures(
        planned=Decimal("10000.00"),
        committed_by_month={7: Decimal("1268.00"), 8: Decimal("1268.00"), 9: Decimal("1013.00")},
        paid_by_month={7: Decimal("1268.00")},
    )
    assert figures.committed == Decimal("3549.00")
    assert figures.paid == Decimal("1268.00")
    assert figures.remaining == Decimal("6451.00")
    assert [m.month for m in figures.months] == list(range(1, 13))
    assert figures.months[6] == rules.MonthFigures(
        month=7, committed=Decimal("1268.00"), paid=Decimal("1268.00")
    )
    assert figures.months[0].committed == Decimal("0.00")


@given(
    planned=money,
    committed=st.dictionaries(st.integers(1, 12), money, max_size=12),
    paid=st.dictionaries(st.integers(1, 12), money, max_size=12),
)
def test_remaining_is_planned_less_all_months_committed(planned, committed, paid):
    figures = rules.budget_figures(
        planned=planned, committed_by_month=committed, paid_by_month=paid
    )
    assert len(figures.months) == 12
    assert figures.committed == sum(committed.values(), Decimal(0))
    assert figures.paid == sum(paid.values(), Decimal(0))
    assert figures.remaining == planned - figures.committed
    assert rules.budget_shortfall(remaining=figures.remaining, amount=Decimal(0)) == max(
        -figures.remaining, 0
    )


@given(remaining=money, amount=money)
def test_a_shortfall_is_what_exceeds_the_remaining_budget(remaining, amount):
    short = rules.budget_shortfall(remaining=remaining, amount=amount)
    assert short >= 0
    assert (short == 0) == (amount <= remaining)
    assert short == 0 or remaining + short == amount


def test_months_in_year_clip_the_period_to_the_year():
    assert rules.months_in_year(start=date(2024, 11, 15), end=date(2025, 2, 3), year=2025) == [
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]
    assert len(rules.months_in_year(start=date(2025, 7, 1), end=None, year=2025)) == 6
    assert rules.months_in_year(start=date(2026, 1, 1), end=None, year=2025) == []


@given(
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    length=st.integers(0, 60),
    year=st.integers(2019, 2031),
)
def test_months_in_year_are_the_period_months_of_that_year(start, length, year):
    end = rules.add_months(start, length)
    months = rules.months_in_year(start=start, end=end, year=year)
    every = rules.months_between(start, end)
    assert months == [m for m in every if m.year == year]


def test_a_change_stops_the_decision_and_its_later_amendments_but_not_itself():
    # 1 granted; 2 amends 1 from August; 3 revokes 2 from October; 4 suspends 1 from December.
    parents = {2: 1, 3: 2, 4: 1}
    changes = [(2, 1, date(2025, 8, 1)), (3, 2, date(2025, 10, 12)), (4, 1, date(2025, 12, 1))]
    stops = rules.stop_months(parents=parents, changes=changes)
    assert stops[1] == date(2025, 8, 1)
    assert stops[2] == date(2025, 10, 1)
    # An amendment alone stops the decision it amends, never itself.
    assert rules.stop_months(parents={2: 1}, changes=[(2, 1, date(2025, 8, 20))]) == {
        1: date(2025, 8, 1)
    }


# --- The overview from the database, by hand --------------------------------------------------


def _pay(finance, head, month: date, paid_on: date) -> Payroll:
    payroll = services.payroll_generate(actor=finance, month=month)
    services.payroll_approve(actor=head, payroll=payroll)
    for payment in payroll.payments.all():
        services.payment_outcome_record(actor=finance, payment=payment, outcome="paid", on=paid_on)
    return payroll


def test_overview_counts_whole_periods_not_only_the_scheduled_months(
    worker_a, head, finance, centre
):
    # Periodic 255.00 × July–September and permanent 1013.00 from July, open-ended.
    issued_periodic(worker_a, head, months=3)
    issued_permanent(worker_a, head, number=1)
    head = grant(head, *FINANCE_PERMS)
    services.budget_line_set(
        actor=head,
        year=2025,
        benefit="permanent",
        funding="commissioned",
        planned=Decimal("12000.00"),
    )
    services.budget_line_set(
        actor=head, year=2025, benefit="periodic", funding="own", planned=Decimal("600.00")
    )
    services.budget_line_set(
        actor=head, year=2025, benefit="periodic", funding="commissioned", planned=Decimal("400.00")
    )

    before = {r.benefit: r for r in selectors_finance.budget_overview(centre=centre, year=2025)}
    _pay(finance, head, date(2025, 7, 1), date(2025, 7, 10))
    after = {r.benefit: r for r in selectors_finance.budget_overview(centre=centre, year=2025)}

    for rows in (before, after):
        # 6 × 1013.00 = 6078.00; 12000.00 − 6078.00 = 5922.00
        assert rows["permanent"].figures.committed == Decimal("6078.00")
        assert rows["permanent"].figures.remaining == Decimal("5922.00")
        # 3 × 255.00 = 765.00 against 600.00 + 400.00
        assert rows["periodic"].figures.planned == Decimal("1000.00")
        assert rows["periodic"].figures.committed == Decimal("765.00")
        assert rows["periodic"].figures.remaining == Decimal("235.00")
        assert [line.funding for line in rows["periodic"].lines] == ["commissioned", "own"]
    assert before["periodic"].figures.paid == Decimal("0.00")
    assert after["periodic"].figures.paid == Decimal("255.00")
    assert after["permanent"].figures.paid == Decimal("1013.00")
    months = after["permanent"].figures.months
    assert [m.committed for m in months[5:]] == [Decimal("0.00")] + [Decimal("1013.00")] * 6
    assert months[6].paid == Decimal("1013.00")
    assert months[7].paid == Decimal("0.00")


def test_revoking_stops_the_commitment_but_keeps_what_was_paid(worker_a, head, finance, centre):
    decision = issued_periodic(worker_a, head, months=3)
    _pay(finance, head, date(2025, 7, 1), date(2025, 7, 10))
    revoke(worker_a, head, decision, effective_from=date(2025, 8, 1), on=date(2025, 7, 20))

    def periodic():
        rows = selectors_finance.budget_overview(centre=centre, year=2025)
        return next(r for r in rows if r.benefit == "periodic").figures

    # August and September are still planned items until the schedule applies the change.
    assert periodic().committed == Decimal("255.00")
    services.schedules_sync(centre=centre, until_month=date(2025, 9, 1))
    assert periodic().committed == Decimal("255.00")
    assert periodic().paid == Decimal("255.00")


def test_an_amendment_commits_the_new_amount_from_its_month(worker_a, head, finance, centre):
    decision = issued_periodic(worker_a, head, months=3)
    with time_machine.travel(date(2025, 7, 20)):
        change = benefit_services.decision_change_draft(
            actor=worker_a,
            decision=decision,
            kind="amending",
            amount=Decimal("300.00"),
            effective_from=date(2025, 8, 1),
            reasoning="Zmiana dochodu.",
        )
        benefit_services.decision_issue(actor=head, decision=change)
    committed = selectors_finance.committed_by_month(centre=centre, year=2025)["periodic"]
    assert committed == {7: Decimal("255.00"), 8: Decimal("300.00"), 9: Decimal("300.00")}
    services.schedules_sync(centre=centre, until_month=date(2025, 9, 1))
    assert selectors_finance.committed_by_month(centre=centre, year=2025)["periodic"] == committed


# --- The warning on a drafted decision ------------------------------------------------------


def test_budget_check_warns_only_beyond_what_remains(worker_a, head, centre):
    issued_periodic(worker_a, head, months=3)  # commits 765.00
    assert (
        selectors_finance.budget_check(
            centre=centre, benefit="periodic", year=2025, amount=Decimal("5000.00")
        )
        is None
    ), "nothing planned: nothing to check against"
    head = grant(head, *FINANCE_PERMS)
    services.budget_line_set(
        actor=head, year=2025, benefit="periodic", funding="own", planned=Decimal("1000.00")
    )
    assert (
        selectors_finance.budget_check(
            centre=centre, benefit="periodic", year=2025, amount=Decimal("235.00")
        )
        is None
    )
    warning = selectors_finance.budget_check(
        centre=centre, benefit="periodic", year=2025, amount=Decimal("255.00")
    )
    assert "235,00" in warning
    assert "20,00" in warning
    services.budget_line_set(
        actor=head,
        year=2025,
        benefit="periodic",
        funding="own",
        planned=Decimal("1000.00"),
        closed=True,
    )
    with translation.override("en"):
        warning = selectors_finance.budget_check(
            centre=centre, benefit="periodic", year=2025, amount=Decimal("1.00")
        )
    assert "closed" in warning


def test_a_drafted_grant_commits_each_month_of_its_period(worker_a, centre):
    application = interviewed_application(worker_a, number=7)
    with time_machine.travel(date(2025, 6, 20)):
        draft = benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="permanent",
            period_from=date(2025, 11, 1),
            period_until=date(2026, 2, 28),
            payment_method="cash",
        )
    assert selectors_finance.decision_commitment_by_year(
        decision=draft, today=date(2025, 6, 20)
    ) == {
        2025: Decimal("2026.00"),
        2026: Decimal("2026.00"),
    }


@pytest.mark.urls(URLCONF)
def test_the_drafted_decision_page_loads_the_budget_panel_with_its_warning(
    client, worker_a, head, centre
):
    services.budget_line_set(
        actor=grant(head, *FINANCE_PERMS),
        year=2025,
        benefit="permanent",
        funding="commissioned",
        planned=Decimal("3000.00"),
    )
    application = interviewed_application(worker_a, number=8)
    with time_machine.travel(date(2025, 6, 20)):
        draft = benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="permanent",
            period_from=date(2025, 7, 1),
            payment_method="cash",
        )
    client.force_login(worker_a)
    panel_url = reverse("finance:budget_panel", args=[draft.pk])
    page = client.get(draft.get_absolute_url())
    assert f'hx-get="{panel_url}"' in page.content.decode()
    with time_machine.travel(date(2025, 6, 20)):
        panel = client.get(panel_url)
    html = panel.content.decode()
    assert panel.status_code == 200
    # 6 × 1013.00 = 6078.00 against 3000.00: 3078.00 short.
    assert "6078,00" in html
    assert "3078,00" in html
    assert 'role="alert"' in html


@pytest.mark.urls(URLCONF)
def test_the_budget_panel_is_empty_for_an_issued_decision(client, worker_a, head):
    decision = issued_permanent(worker_a, head, number=9)
    client.force_login(worker_a)
    panel = client.get(reverse("finance:budget_panel", args=[decision.pk]))
    assert panel.status_code == 200
    assert panel.content.decode().strip() == ""


# --- Closed budget --------------------------------------------------------------------------


def test_a_closed_budget_refuses_the_payroll_and_leaves_nothing(worker_a, head, finance):
    issued_periodic(worker_a, head, months=3)
    head = grant(head, *FINANCE_PERMS)
    line = services.budget_line_set(
        actor=head,
        year=2025,
        benefit="periodic",
        funding="own",
        planned=Decimal("1000.00"),
        closed=True,
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    assert "closed" in exc.value.messages[0]
    assert "2025" in exc.value.messages[0]
    assert Payroll.objects.count() == 0
    line.closed = False
    services.budget_save(actor=head, budget=line)
    assert services.payroll_generate(actor=finance, month=date(2025, 7, 1)).payments.count() == 1


def test_a_closed_budget_of_another_benefit_or_year_does_not_stop_the_payroll(
    worker_a, head, finance
):
    issued_periodic(worker_a, head, months=3)
    head = grant(head, *FINANCE_PERMS)
    for year, benefit in [(2025, "permanent"), (2024, "periodic")]:
        services.budget_line_set(
            actor=head,
            year=year,
            benefit=benefit,
            funding="own",
            planned=Decimal("1.00"),
            closed=True,
        )
    assert services.payroll_generate(actor=finance, month=date(2025, 7, 1)).payments.count() == 1


def test_budget_lines_are_planned_by_those_allowed_and_audited(worker_a, head):
    with pytest.raises(PermissionDenied):
        services.budget_line_set(
            actor=worker_a, year=2025, benefit="periodic", funding="own", planned=Decimal("1")
        )
    head = grant(head, *FINANCE_PERMS)
    line = services.budget_line_set(
        actor=head, year=2025, benefit="periodic", funding="own", planned=Decimal("100.00")
    )
    again = services.budget_line_set(
        actor=head, year=2025, benefit="periodic", funding="own", planned=Decimal("150.00")
    )
    assert again.pk == line.pk
    assert Budget.objects.count() == 1
    entry = AuditEntry.objects.filter(object_type="payments.budget").order_by("pk").last()
    assert entry.changes == {"planned": ["100.00", "150.00"]}


@pytest.mark.urls(URLCONF)
def test_the_budget_page_shows_the_year_and_saves_a_line(client, head, worker_a):
    head = grant(head, *FINANCE_PERMS)
    client.force_login(head)
    url = reverse("finance:budget_overview")
    response = client.post(
        url,
        {"year": 2025, "benefit": "purpose", "funding": "own", "planned": "5000.00", "note": ""},
    )
    assert response.status_code == 302
    page = client.get(url, {"year": 2025})
    assert page.status_code == 200
    assert "5000,00" in page.content.decode()
    client.force_login(worker_a)
    assert client.get(url).status_code == 403


def test_the_admin_saves_a_budget_line_through_the_service(client, centre):
    admin_user = make_user("root", role=None, centre=centre, is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:payments_budget_add"),
        {
            "centre": centre.pk,
            "year": 2025,
            "benefit": "permanent",
            "funding": "commissioned",
            "planned": "120000.00",
            "note": "Dotacja celowa 2025",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    line = Budget.objects.get()
    assert line.planned == Decimal("120000.00")
    assert AuditEntry.objects.filter(object_type="payments.budget", action="create").exists()
    assert client.get(reverse("admin:payments_debt_changelist")).status_code == 200
