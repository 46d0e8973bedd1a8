"""`manage.py benefit_calc`: the JSON contract on stdin/stdout and exit status 2 on bad input."""

import io
import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ACCEPTANCE = {
    "benefit": "permanent",
    "on": "2025-03-01",
    "household": [
        {
            "applicant": True,
            "income": "300.00",
            "age": 67,
            "sex": "F",
            "totally_unable_to_work": False,
        }
    ],
}


def run(request) -> tuple[int, dict]:
    """Run the command in-process on the test database: (exit status, parsed stdout)."""
    text = request if isinstance(request, str) else json.dumps(request)
    out = io.StringIO()
    status = 0
    try:
        call_command("benefit_calc", stdin=io.StringIO(text), stdout=out)
    except SystemExit as exc:
        status = exc.code
    lines = out.getvalue().splitlines()
    assert len(lines) == 1, out.getvalue()
    return status, json.loads(lines[0])


def with_changes(*, member=None, **top):
    request = json.loads(json.dumps(ACCEPTANCE))
    request.update(top)
    if member is not None:
        request["household"] = [{**request["household"][0], **member}]
    return {key: value for key, value in request.items() if value is not ...}


def test_acceptance_example_single_woman_67_income_300_gets_1013():
    status, answer = run(ACCEPTANCE)
    assert status == 0
    assert list(answer) == [
        "eligible",
        "amount",
        "criterion",
        "income",
        "income_per_person",
        "legal_basis",
        "explanation",
    ]
    assert answer["eligible"] is True
    assert answer["amount"] == "1013.00"
    assert answer["criterion"] == "1010.00"
    assert answer["income"] == answer["income_per_person"] == "300.00"
    assert answer["legal_basis"][0] == "u.p.s. art. 37 ust. 1 pkt 1"
    assert "130% × 1010,00 zł − 300,00 zł = 1013,00 zł" in answer["explanation"]


def test_not_eligible_gives_amount_zero_and_the_reason():
    status, answer = run(with_changes(member={"income": "1100.00"}))
    assert status == 0
    assert answer["eligible"] is False
    assert answer["amount"] == "0.00"
    assert "1100,00 zł nie jest niższy" in answer["explanation"]


def test_the_parameters_of_the_day_apply():
    _status, answer = run(with_changes(on="2023-12-31"))
    assert answer["amount"] == "476.00"  # 776 − 300, before the 2024 change of art. 37
    assert answer["criterion"] == "776.00"


def test_numbers_are_accepted_for_amounts():
    _status, answer = run(with_changes(member={"income": 300.1, "farm_hectares": 0}))
    assert answer["amount"] == "1012.90"


def test_farm_hectares_are_counted():
    _status, answer = run(with_changes(member={"income": "0", "farm_hectares": "2"}))
    assert answer["income"] == "918.00"
    assert answer["amount"] == "395.00"


def test_periodic_single_half_the_difference():
    request = {
        "benefit": "periodic",
        "on": "2025-03-01",
        "household": [{"applicant": True, "income": "500.00"}],
    }
    assert run(request)[1]["amount"] == "255.00"
    assert run({**request, "guaranteed_percent": 100})[1]["amount"] == "510.00"
    assert run({**request, "guaranteed_percent": 62.5})[1]["amount"] == "318.75"


def test_periodic_family_reports_the_family_criterion():
    request = {
        "benefit": "periodic",
        "on": "2025-03-01",
        "household": [
            {"applicant": True, "income": "1000.00"},
            {"income": "469.00"},
            {"income": "0"},
        ],
    }
    status, answer = run(request)
    assert status == 0
    assert answer["criterion"] == "2469.00"
    assert answer["income"] == "1469.00"
    assert answer["income_per_person"] == "489.67"
    assert answer["amount"] == "500.00"


def test_permanent_family_reports_the_per_person_criterion():
    request = with_changes()
    request["household"].append({"income": "700.00"})
    request["household"][0]["income"] = "500.00"
    _status, answer = run(request)
    assert answer["criterion"] == "823.00"
    assert answer["income_per_person"] == "600.00"
    assert answer["amount"] == "469.90"


def test_the_output_keeps_polish_letters_unescaped():
    out = io.StringIO()
    call_command("benefit_calc", stdin=io.StringIO(json.dumps(ACCEPTANCE)), stdout=out)
    assert "zł" in out.getvalue()
    assert "\\u" not in out.getvalue()


@pytest.mark.parametrize(
    ("request_text", "names"),
    [
        ("{not json", "JSON"),
        ("[1, 2]", "JSON"),
        ('{"benefit": "permanent", "on": "2025-03-01", "household": NaN}', "NaN"),
        (with_changes(benefit="purpose"), "benefit"),
        (with_changes(benefit=...), "benefit"),
        (with_changes(on="2025-02-30"), "on"),
        (with_changes(on="1.03.2025"), "on"),
        (with_changes(on=...), "on"),
        (with_changes(on="2018-09-30"), "2018"),
        (with_changes(household=[]), "household"),
        (with_changes(household={"income": "1"}), "household"),
        (with_changes(household=["x"]), "household[0]"),
        (with_changes(member={"income": None}), "household[0].income"),
        (with_changes(member={"income": "-1.00"}), "household[0].income"),
        (with_changes(member={"income": "300,00"}), "household[0].income"),
        (with_changes(member={"income": "300.001"}), "household[0].income"),
        (with_changes(member={"income": True}), "household[0].income"),
        (with_changes(member={"income": "1e100"}), "household[0].income"),
        (with_changes(member={"farm_hectares": "-1"}), "household[0].farm_hectares"),
        (with_changes(member={"applicant": False}), "applicant"),
        (with_changes(member={"applicant": "yes"}), "household[0].applicant"),
        (with_changes(member={"age": "67"}), "household[0].age"),
        (with_changes(member={"age": None}), "household[0].age"),
        (with_changes(member={"sex": "K"}), "household[0].sex"),
        (with_changes(member={"incme": "1"}), "household[0].incme"),
        (with_changes(extra=1), "extra"),
        (with_changes(guaranteed_percent=50), "guaranteed_percent"),
        (with_changes(benefit="periodic", guaranteed_percent=40), "guaranteed_percent"),
        (with_changes(benefit="periodic", guaranteed_percent=101), "guaranteed_percent"),
        (with_changes(benefit="periodic", guaranteed_percent="60"), "guaranteed_percent"),
    ],
)
def test_invalid_input_exits_with_status_2_and_names_the_problem(request_text, names):
    status, answer = run(request_text)
    assert status == 2
    assert list(answer) == ["error"]
    assert names in answer["error"]


def test_two_applicants_are_refused():
    request = with_changes()
    request["household"].append(dict(request["household"][0]))
    status, answer = run(request)
    assert status == 2
    assert "2" in answer["error"]
    assert "applicant" in answer["error"]


@pytest.mark.django_db(False)
def test_the_real_process_exits_with_status_2_on_bad_json():
    # Bad JSON is refused before any database access, so the default database is not touched.
    finished = subprocess.run(
        [sys.executable, "manage.py", "benefit_calc"],
        input="{not json",
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )
    assert finished.returncode == 2, finished.stderr
    assert "error" in json.loads(finished.stdout)
