"""Health insurance contributions the centre pays for permanent-allowance recipients."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.http import FileResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import given
from hypothesis import strategies as st

from gops.payments import rules, selectors_finance, services
from gops.payments.tests.finance_factories import URLCONF, issued_permanent, woman_pesel
from gops.payments.tests.test_services import issued_periodic

# --- Pure arithmetic ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "contribution"),
    [
        ("1013.00", "91.17"),
        ("850.50", "76.55"),  # 76.545: half up, not to even
        ("30.50", "2.75"),  # 2.745
        ("0.05", "0.00"),  # 0.0045
        ("0.06", "0.01"),  # 0.0054
    ],
)
def test_the_contribution_is_nine_percent_rounded_half_up(base, contribution):
    assert rules.health_contribution(base=Decimal(base)) == Decimal(contribution)


@given(
    base=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
)
def test_the_contribution_is_within_half_a_grosz_of_nine_percent(base):
    exact = base * Decimal("0.09")
    contribution = rules.health_contribution(base=base)
    assert contribution == contribution.quantize(Decimal("0.01"))
    assert abs(contribution - exact) <= Decimal("0.005")
    assert contribution == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- The list of a month --------------------------------------------------------------------


@pytest.fixture
def july(worker_a, head, finance, centre):
    """Two permanent allowances (1013.00 and 813.00 zł) and a periodic one, on the July payroll;
    the 1013.00 one is paid."""
    issued_permanent(worker_a, head, number=1)
    issued_permanent(worker_a, head, number=2, income="500.00")
    issued_periodic(worker_a, head, months=3)
    payroll = services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    services.payroll_approve(actor=head, payroll=payroll)
    first = payroll.payments.get(amount=Decimal("1013.00"))
    services.payment_outcome_record(
        actor=finance, payment=first, outcome="paid", on=date(2025, 7, 10)
    )
    return payroll


def test_the_list_has_the_permanent_allowances_paid_or_on_a_payroll(july, centre):
    rows = selectors_finance.health_contribution_list(centre=centre, month=date(2025, 7, 15))
    assert [(r.surnames, r.allowance, r.contribution, r.paid) for r in rows] == [
        ("Nowak-1", Decimal("1013.00"), Decimal("91.17"), True),
        ("Nowak-2", Decimal("813.00"), Decimal("73.17"), False),
    ]
    assert all(len(r.pesel) == 11 for r in rows)
    # Nothing is paid or on a payroll for August yet.
    assert selectors_finance.health_contribution_list(centre=centre, month=date(2025, 8, 1)) == []


def test_a_payment_not_collected_is_left_out(july, finance, centre):
    pending = july.payments.get(amount=Decimal("813.00"))
    services.payment_outcome_record(
        actor=finance, payment=pending, outcome="not_collected", on=date(2025, 7, 31)
    )
    rows = selectors_finance.health_contribution_list(centre=centre, month=date(2025, 7, 1))
    assert [r.surnames for r in rows] == ["Nowak-1"]


def test_the_csv_export(july, centre):
    rows = selectors_finance.health_contribution_list(centre=centre, month=date(2025, 7, 1))
    content = "".join(selectors_finance.contributions_csv(centre=centre, month=date(2025, 7, 1)))
    lines = content.splitlines()
    assert len(lines) == 3
    assert lines[1] == f"{rows[0].pesel};Nowak-1;Halina;2025-07;1013,00;91,17;{gettext('yes')}"
    assert lines[2].split(";")[4:6] == ["813,00", "73,17"]


@pytest.mark.urls(URLCONF)
def test_finance_sees_the_list_and_downloads_it(client, july, finance, worker_a):
    client.force_login(finance)
    page = client.get(reverse("finance:contributions"), {"month": "2025-07"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nowak-1" in html
    assert "164,34" in html  # 91.17 + 73.17
    download = client.get(reverse("finance:contributions_csv"), {"month": "2025-07"})
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "skladki-zdrowotne-2025-07.csv" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).decode("utf-8-sig").count("\r\n") == 3
    client.force_login(worker_a)
    assert client.get(reverse("finance:contributions")).status_code == 403


@pytest.mark.urls(URLCONF)
def test_the_contributions_csv_is_streamed_as_before(client, july, finance, monkeypatch):
    monkeypatch.setattr(selectors_finance, "CSV_BLOCK_LINES", 2)  # two lines a piece
    client.force_login(finance)

    response = client.get(reverse("finance:contributions_csv"), {"month": "2025-07"})

    assert not isinstance(response, FileResponse)
    pieces = list(response.streaming_content)
    assert len(pieces) == 3  # the byte order mark, then the lines two by two
    assert b"".join(pieces).decode("utf-8") == (
        "\ufeffPESEL;Nazwisko;Imiona;Miesiąc;Zasiłek stały (podstawa);Składka zdrowotna;Wypłacono"
        "\r\n"
        f"{woman_pesel(1)};Nowak-1;Halina;2025-07;1013,00;91,17;tak\r\n"
        f"{woman_pesel(2)};Nowak-2;Halina;2025-07;813,00;73,17;nie\r\n"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="skladki-zdrowotne-2025-07.csv"'
    )


def test_the_csv_speaks_the_language_it_was_asked_in_when_it_is_sent_later(july, centre):
    with translation.override("en"):
        pieces = selectors_finance.contributions_csv(centre=centre, month=date(2025, 7, 1))
    with translation.override("pl"):
        lines = "".join(pieces).splitlines()
    assert lines[0].startswith("PESEL;Surname;First names;Month;")
    assert lines[1].endswith(";yes")
