"""MRPiPS-03 over a hand-made data set (tests/data.py) built through the real services.

Hand computation, second half of 2025 (and so the year 2025; the first half is empty):

periodic / own:        persons A, D = 2; benefits A Jul, Aug, Sep + D Jul (paid again in
                       August after the return), Aug = 5; amount 5 × 255.00 = 1275.00;
                       families H1, H3 = 2; persons in them 1 + 1 = 2.
purpose / own:         persons B = 1; benefits 1; 400.00; families H2 = 1; persons 2 (B, C).
disaster / commission: persons A = 1; benefits 1; 500.00; families H1 = 1; persons 1.
total:                 persons A, B, D = 3 (A once despite two benefit kinds); benefits 7;
                       2175.00; families 3; persons in families 1 + 2 + 1 = 4.
reasons:               poverty H1, H2 → 2 families, 3 persons; unemployment H1, H3 → 2, 2;
                       long_illness H2 → 1, 2.
The returned July transfer of D (255.00) is not counted: status returned.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from gops.accounts.services import api_token_create
from gops.reports import rules, selectors
from gops.reports.api import mrpips03 as api_mrpips03
from gops.reports.tests.data import build, grant_report_permission

pytestmark = [pytest.mark.django_db, pytest.mark.urls("gops.reports.tests.urls")]

H2_2025 = (date(2025, 7, 1), date(2025, 12, 31))

EXPECTED_ROWS = [
    {
        "benefit": "periodic",
        "task": "own",
        "persons": 2,
        "benefits": 5,
        "amount": "1275.00",
        "families": 2,
        "persons_in_families": 2,
    },
    {
        "benefit": "purpose",
        "task": "own",
        "persons": 1,
        "benefits": 1,
        "amount": "400.00",
        "families": 1,
        "persons_in_families": 2,
    },
    {
        "benefit": "disaster",
        "task": "commissioned",
        "persons": 1,
        "benefits": 1,
        "amount": "500.00",
        "families": 1,
        "persons_in_families": 1,
    },
]
EXPECTED_TOTAL = (3, 7, Decimal("2175.00"), 3, 4)
EXPECTED_REASONS = [("poverty", 2, 3), ("unemployment", 2, 2), ("long_illness", 1, 2)]


@pytest.fixture
def data(worker_a, head, finance):
    return build(worker_a, head, finance)


@pytest.fixture
def reporter(head):
    return grant_report_permission(head)


def _as_api(report):
    return [
        {
            "benefit": r.benefit,
            "task": r.task,
            "persons": r.persons,
            "benefits": r.benefits,
            "amount": f"{r.amount:.2f}",
            "families": r.families,
            "persons_in_families": r.persons_in_families,
        }
        for r in report.rows
    ]


def _total(report):
    t = report.total
    return (t.persons, t.benefits, t.amount, t.families, t.persons_in_families)


def _reasons(report):
    return [(r.reason, r.families, r.persons_in_families) for r in report.reasons]


def test_every_figure_as_computed_by_hand(data, reporter):
    for start, end in (H2_2025, (date(2025, 1, 1), date(2025, 12, 31))):
        report = selectors.mrpips03_for_user(user=reporter, start=start, end=end)
        assert _as_api(report) == EXPECTED_ROWS
        assert _total(report) == EXPECTED_TOTAL
        assert _reasons(report) == EXPECTED_REASONS
    first_half = selectors.mrpips03_for_user(
        user=reporter, start=date(2025, 1, 1), end=date(2025, 6, 30)
    )
    assert first_half.rows == []
    assert first_half.total.persons == 0


def test_the_payment_rows_take_one_query(data, reporter, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(
            selectors.payment_rows(centre_id=reporter.centre_id, start=H2_2025[0], end=H2_2025[1])
        )
    assert len(rows) == 7  # 5 periodic months + purpose + disaster; not the returned one
    sizes = {r.household_id: r.household_size for r in rows}
    assert sizes == {data["H1"]: 1, data["H2"]: 2, data["H3"]: 1}


def test_the_sql_aggregate_agrees_with_the_rules(data, reporter):
    for start, end in (
        H2_2025,
        (date(2025, 1, 1), date(2025, 6, 30)),
        (date(2025, 8, 1), date(2025, 8, 31)),
    ):
        by_rules = selectors.mrpips03_for_user(user=reporter, start=start, end=end)
        by_sql = selectors.mrpips03_sql(reporter.centre_id, start, end)
        assert by_sql == by_rules
    assert _as_api(selectors.mrpips03_sql(reporter.centre_id, *H2_2025)) == EXPECTED_ROWS


def test_another_centre_sees_nothing(data, reporter):
    assert selectors.mrpips03_sql(reporter.centre_id + 1000, *H2_2025).rows == []


def test_without_the_permission_nothing(data, worker_a, assistant, client):
    from django.core.exceptions import PermissionDenied

    # The head and finance hold reports.view_mrpips03 by their roles; case workers do not.
    for user in (worker_a, assistant):
        with pytest.raises(PermissionDenied):
            selectors.mrpips03_for_user(user=user, start=H2_2025[0], end=H2_2025[1])
        client.force_login(user)
        for name in ("reports:mrpips03", "reports:mrpips03_csv", "reports:mrpips03_detail"):
            url = reverse(name) + "?year=2025&half=2&measure=persons"
            assert client.get(url).status_code == 403


@pytest.mark.parametrize("measure", rules.MEASURES)
def test_each_drill_down_page_adds_up_to_its_figure(data, reporter, client, measure):
    client.force_login(reporter)
    page = client.get(reverse("reports:mrpips03") + "?year=2025&half=2")
    assert page.status_code == 200
    report = page.context["report"]
    for row in [*report.rows, report.total]:
        url = reverse("reports:mrpips03_detail")
        params = {
            "year": 2025,
            "half": 2,
            "measure": measure,
            "benefit": row.benefit,
            "task": row.task,
        }
        assert url in page.content.decode()
        detail = client.get(url, {k: v for k, v in params.items() if v != ""})
        assert detail.status_code == 200
        drill = detail.context["drill"]
        figure = getattr(row, measure)
        assert drill.figure == figure
        html = detail.content.decode()
        if measure == "amount":
            assert sum((p.amount for p in drill.payments), Decimal(0)) == figure
            assert html.count("data-payment=") == len(drill.payments)
        elif measure == "benefits":
            assert html.count("data-payment=") == figure
        elif measure == "persons":
            assert html.count("data-person=") == figure
        elif measure == "families":
            assert html.count("data-family=") == figure
        else:
            assert sum(f.size for f in drill.families) == figure


def test_the_drill_down_of_a_cell_lists_the_right_payments(data, reporter, client):
    client.force_login(reporter)
    detail = client.get(
        reverse("reports:mrpips03_detail"),
        {"year": 2025, "half": 2, "benefit": "periodic", "task": "own", "measure": "amount"},
    )
    payments = detail.context["drill"].payments
    assert sorted((p.person_id, p.month.month) for p in payments) == sorted(
        [(data["A"], 7), (data["A"], 8), (data["A"], 9), (data["D"], 7), (data["D"], 8)]
    )
    reason = client.get(
        reverse("reports:mrpips03_detail"),
        {"year": 2025, "half": 2, "reason": "poverty", "measure": "families"},
    )
    assert [f.household_id for f in reason.context["drill"].families] == sorted(
        [data["H1"], data["H2"]]
    )
    assert (
        client.get(
            reverse("reports:mrpips03_detail"), {"year": 2025, "measure": "nonsense"}
        ).status_code
        == 404
    )


def test_the_page_is_an_accessible_table(data, reporter, client):
    client.force_login(reporter)
    html = client.get(reverse("reports:mrpips03"), {"year": 2025}).content.decode()
    assert html.count("<caption>") == 2
    assert 'scope="col"' in html
    assert 'scope="row"' in html
    assert reverse("reports:mrpips03_csv") in html
    empty = client.get(reverse("reports:mrpips03"))
    assert empty.status_code == 200
    assert empty.context["report"] is None


def test_csv(data, reporter, client):
    client.force_login(reporter)
    response = client.get(reverse("reports:mrpips03_csv"), {"year": 2025, "half": 2})
    assert response.status_code == 200
    assert 'filename="mrpips-03-2025-h2.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[2:] for line in lines[1:5]] == [
        ["2", "5", "1275.00", "2", "2"],
        ["1", "1", "400.00", "1", "2"],
        ["1", "1", "500.00", "1", "1"],
        ["3", "7", "2175.00", "3", "4"],
    ]
    assert [line[1:] for line in lines[7:10]] == [["2", "3"], ["2", "2"], ["1", "2"]]


def test_api_function(data, reporter, rf):
    from gops.reports.api import PeriodQuery

    request = rf.get("/")
    request.user = reporter
    body = api_mrpips03(request, PeriodQuery(year=2025, half=2))
    assert body == {"rows": EXPECTED_ROWS, "total_persons": 3}


def test_api_over_http(data, reporter, worker_a, client):
    url = reverse("api:reports_mrpips03")
    token = api_token_create(user=reporter)
    response = client.get(url, {"year": 2025, "half": 2}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json() == {"rows": EXPECTED_ROWS, "total_persons": 3}
    whole_year = client.get(url, {"year": 2025}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert whole_year.json() == {"rows": EXPECTED_ROWS, "total_persons": 3}
    first = client.get(url, {"year": 2025, "half": 1}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert first.json() == {"rows": [], "total_persons": 0}
    assert (
        client.get(url, {"year": 2025, "half": 3}, HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 422
    )
    other = api_token_create(user=worker_a)
    forbidden = client.get(url, {"year": 2025}, HTTP_AUTHORIZATION=f"Bearer {other}")
    assert forbidden.status_code == 403
    assert client.get(url, {"year": 2025}).status_code == 401


def test_the_head_and_finance_see_the_report_by_their_roles(head, finance):
    for user in (head, finance):
        assert user.has_perm("reports.view_mrpips03")
