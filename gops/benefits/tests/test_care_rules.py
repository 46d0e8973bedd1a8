"""Pure rules of the care services fee (u.p.s. art. 50 ust. 6). No DB."""

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gops.benefits import rules
from gops.benefits.rules import Member, Parameters

D = Decimal

P2025 = Parameters(
    valid_from=date(2025, 1, 1),
    single_criterion=D("1010"),
    per_person_criterion=D("823"),
    farm_income_per_hectare=D("459"),
    permanent_allowance_max=D("1229"),
    permanent_allowance_min=D("100"),
    periodic_allowance_min=D("20.00"),
    periodic_single_cap=D("823"),
    permanent_amount_percent=D("130"),
)

# A table as councils write it: free up to the criterion, then rising to the full cost.
TABLE = [
    {"income_up_to_percent": "100", "fee_percent": "0"},
    {"income_up_to_percent": "150", "fee_percent": "10"},
    {"income_up_to_percent": "200", "fee_percent": "20"},
    {"income_up_to_percent": "300", "fee_percent": "50"},
    {"income_up_to_percent": None, "fee_percent": "100"},
]
RESOLUTION = "Uchwała nr XII/85/2024 Rady Gminy Testowo"


def single(income: str) -> list[Member]:
    return [Member(applicant=True, income=D(income), age=80, sex="F")]


# --- Worked examples -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("income_percent", "fee"),
    [
        ("0", "0"),
        ("100", "0"),  # "do 100%": the threshold itself is in the row
        ("100.01", "10"),
        ("150", "10"),
        ("150.01", "20"),
        ("299.99", "50"),
        ("300", "50"),
        ("300.01", "100"),
        ("5000", "100"),
    ],
)
def test_the_fee_percent_is_the_row_whose_threshold_the_income_does_not_exceed(income_percent, fee):
    assert rules.care_fee_percent(
        income_percent_of_criterion=D(income_percent), brackets=TABLE
    ) == (D(fee))


def test_the_fee_owed_is_hours_times_cost_times_percent_rounded_half_up_to_the_grosz():
    # 40 h × 30,00 zł × 10 % = 120,00 zł
    assert rules.care_fee_owed(hours=D("40.0"), hourly_cost=D("30.00"), fee_percent=D("10")) == (
        D("120.00")
    )
    # 12,5 h × 27,35 zł × 15 % = 51,28125 → 51,28 zł
    assert rules.care_fee_owed(hours=D("12.5"), hourly_cost=D("27.35"), fee_percent=D("15")) == (
        D("51.28")
    )
    # 3 h × 0,35 zł × 50 % = 0,525 → 0,53 zł (half up, not to even)
    assert rules.care_fee_owed(hours=D("3"), hourly_cost=D("0.35"), fee_percent=D("50")) == (
        D("0.53")
    )
    # Rounded once, at the end: 0,1 h × 33,33 zł × 33,33 % = 1,1108889 → 1,11 zł
    assert rules.care_fee_owed(hours=D("0.1"), hourly_cost=D("33.33"), fee_percent=D("33.33")) == (
        D("1.11")
    )


def test_no_hours_or_a_free_row_owe_nothing():
    assert rules.care_fee_owed(hours=D("0"), hourly_cost=D("30"), fee_percent=D("100")) == D("0.00")
    assert rules.care_fee_owed(hours=D("80"), hourly_cost=D("30"), fee_percent=D("0")) == D("0.00")


@pytest.mark.parametrize(
    ("hours", "cost", "percent"),
    [
        ("-1", "30", "10"),
        ("1", "-30", "10"),
        ("1", "30", "-1"),
        ("1", "30", "100.01"),
        ("NaN", "30", "10"),
    ],
)
def test_the_fee_owed_refuses_impossible_numbers(hours, cost, percent):
    with pytest.raises(ValueError, match="must be a non-negative number|cannot exceed 100"):
        rules.care_fee_owed(hours=D(hours), hourly_cost=D(cost), fee_percent=D(percent))


def test_a_single_person_is_measured_against_the_single_criterion():
    # 1500 / 1010 = 148,5148…% → 148,52 %
    income = rules.household_income(members=single("1500"), params=P2025)
    assert rules.care_income_percent(income=income, params=P2025) == (D("148.52"), D("1010"))


def test_a_family_is_measured_per_person_against_the_per_person_criterion():
    members = [*single("1000"), Member(income=D("500"))]
    income = rules.household_income(members=members, params=P2025)
    # (1000 + 500) / 2 = 750; 750 / 823 = 91,1300…% → 91,14 %
    assert rules.care_income_percent(income=income, params=P2025) == (D("91.14"), D("823"))


def test_one_grosz_over_the_criterion_is_not_the_free_row():
    fee = rules.care_fee_assessment(
        members=single("1010.01"), params=P2025, brackets=TABLE, hourly_cost=D("30")
    )
    assert fee.income_percent_of_criterion == D("100.01")
    assert fee.fee_percent == D("10")
    at_criterion = rules.care_fee_assessment(
        members=single("1010.00"), params=P2025, brackets=TABLE, hourly_cost=D("30")
    )
    assert at_criterion.fee_percent == D("0")
    assert "nieodpłatne" in at_criterion.explanation


def test_the_assessment_explains_the_row_and_cites_the_resolution_and_article_50():
    fee = rules.care_fee_assessment(
        members=single("1500"),
        params=P2025,
        brackets=TABLE,
        hourly_cost=D("30.00"),
        resolution=RESOLUTION,
    )
    assert fee.fee_percent == D("10")
    assert fee.fee_per_hour == D("3.00")
    assert fee.hourly_cost == D("30.00")
    assert fee.legal_basis == (
        "u.p.s. art. 50 ust. 1",
        "u.p.s. art. 50 ust. 5",
        "u.p.s. art. 50 ust. 6",
    )
    assert "148,52% kryterium dochodowego osoby samotnie gospodarującej (1010,00 zł)" in (
        fee.explanation
    )
    assert RESOLUTION in fee.explanation
    assert "powyżej 100% do 150% kryterium odpłatność wynosi 10%" in fee.explanation
    assert "10% × 30,00 zł = 3,00 zł za godzinę" in fee.explanation


def test_a_family_member_receives_care_under_article_50_ust_2():
    members = [*single("2000"), Member(income=D("0"))]
    fee = rules.care_fee_assessment(
        members=members, params=P2025, brackets=TABLE, hourly_cost=D("30")
    )
    # 1000 per person / 823 → 121,51 %: 10 %
    assert fee.income_percent_of_criterion == D("121.51")
    assert fee.fee_percent == D("10")
    assert fee.legal_basis[0] == "u.p.s. art. 50 ust. 2"
    assert "Dochód na osobę stanowi 121,51%" in fee.explanation


# --- The fee table ---------------------------------------------------------------------------


def test_a_valid_table_is_read_into_rows():
    rows = rules.care_fee_brackets(
        [
            {"income_up_to_percent": 100, "fee_percent": 0},
            {"income_up_to_percent": None, "fee_percent": 12.5},
        ]
    )
    assert rows == (
        rules.CareFeeBracket(income_up_to_percent=D("100"), fee_percent=D("0")),
        rules.CareFeeBracket(income_up_to_percent=None, fee_percent=D("12.5")),
    )


def _row(up_to, fee):
    return {"income_up_to_percent": up_to, "fee_percent": fee}


@pytest.mark.parametrize(
    ("brackets", "code", "index"),
    [
        ([], "empty", None),
        ("not a list", "empty", None),
        ([_row("100", "0")], "last_not_open", 0),
        ([_row(None, "0"), _row(None, "10")], "open_not_last", 0),
        ([_row("150", "0"), _row("100", "10"), _row(None, "20")], "income_not_ascending", 1),
        ([_row("100", "0"), _row("100", "10"), _row(None, "20")], "income_not_ascending", 1),
        ([_row("100", "20"), _row(None, "10")], "fee_falls", 1),
        ([_row("100", "0"), _row(None, "100.5")], "fee_range", 1),
        ([_row("100", "-1"), _row(None, "10")], "fee_range", 0),
        ([_row("-5", "0"), _row(None, "10")], "income_negative", 0),
        ([_row("abc", "0"), _row(None, "10")], "income_not_number", 0),
        ([_row("100", "0"), _row(None, True)], "fee_not_number", 1),
        ([_row("100.005", "0"), _row(None, "10")], "places", 0),
        ([_row("100", "0"), {"income_up_to_percent": None, "fee": "10"}], "shape", 1),
        ([_row("100", "0"), {**_row(None, "10"), "note": "x"}], "shape", 1),
    ],
)
def test_a_faulty_table_is_refused_with_the_fault_and_the_bracket(brackets, code, index):
    with pytest.raises(rules.CareFeeBracketsError) as exc:
        rules.care_fee_brackets(brackets)
    assert exc.value.code == code
    assert exc.value.index == index


def test_a_negative_income_percent_is_refused():
    with pytest.raises(ValueError, match="non-negative"):
        rules.care_fee_percent(income_percent_of_criterion=D("-1"), brackets=TABLE)


# --- Properties ------------------------------------------------------------------------------

percents = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
thresholds = st.decimals(
    min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def tables(draw):
    """Any table the rules accept: rising thresholds, fees never falling, last row open."""
    ups = sorted(set(draw(st.lists(thresholds, max_size=8))))
    fees = sorted(draw(st.lists(percents, min_size=len(ups) + 1, max_size=len(ups) + 1)))
    rows = [_row(str(up), str(fee)) for up, fee in zip(ups, fees, strict=False)]
    return [*rows, _row(None, str(fees[-1]))]


incomes = st.decimals(min_value=0, max_value=2000, places=2, allow_nan=False, allow_infinity=False)
hours_st = st.decimals(min_value=0, max_value=744, places=1, allow_nan=False, allow_infinity=False)
costs = st.decimals(
    min_value="0.01", max_value=200, places=2, allow_nan=False, allow_infinity=False
)


@given(table=tables(), income=incomes, hours=hours_st, cost=costs)
def test_the_fee_is_never_negative_nor_above_the_full_cost_of_the_hours(table, income, hours, cost):
    percent = rules.care_fee_percent(income_percent_of_criterion=income, brackets=table)
    owed = rules.care_fee_owed(hours=hours, hourly_cost=cost, fee_percent=percent)
    assert D(0) <= percent <= D(100)
    assert owed >= 0
    # The full cost of the hours, rounded to the grosz as any amount billed is.
    assert owed <= (hours * cost).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert owed <= hours * cost + D("0.005")


@given(table=tables(), a=incomes, b=incomes, hours=hours_st, cost=costs)
def test_more_income_never_means_a_lower_fee(table, a, b, hours, cost):
    low, high = sorted([a, b])
    fee_low = rules.care_fee_percent(income_percent_of_criterion=low, brackets=table)
    fee_high = rules.care_fee_percent(income_percent_of_criterion=high, brackets=table)
    assert fee_low <= fee_high
    assert rules.care_fee_owed(hours=hours, hourly_cost=cost, fee_percent=fee_low) <= (
        rules.care_fee_owed(hours=hours, hourly_cost=cost, fee_percent=fee_high)
    )


@given(table=tables(), income=incomes, a=hours_st, b=hours_st, cost=costs)
def test_more_hours_never_mean_a_lower_fee(table, income, a, b, cost):
    percent = rules.care_fee_percent(income_percent_of_criterion=income, brackets=table)
    few, many = sorted([a, b])
    assert rules.care_fee_owed(hours=few, hourly_cost=cost, fee_percent=percent) <= (
        rules.care_fee_owed(hours=many, hourly_cost=cost, fee_percent=percent)
    )


@given(table=tables(), income=incomes)
def test_the_fee_percent_is_one_of_the_table(table, income):
    percent = rules.care_fee_percent(income_percent_of_criterion=income, brackets=table)
    assert percent in {D(row["fee_percent"]) for row in table}


@given(
    table=tables(),
    income=st.decimals(
        min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False
    ),
    criterion=st.decimals(
        min_value=1, max_value=2000, places=2, allow_nan=False, allow_infinity=False
    ),
)
def test_rounding_the_income_percent_up_finds_the_row_of_the_exact_ratio(table, income, criterion):
    params = replace(P2025, single_criterion=criterion)
    household = rules.household_income(members=single(str(income)), params=params)
    rounded, _criterion = rules.care_income_percent(income=household, params=params)
    exact = income * 100 / criterion
    assert rules.care_fee_percent(income_percent_of_criterion=rounded, brackets=table) == (
        rules.care_fee_percent(income_percent_of_criterion=exact, brackets=table)
    )
