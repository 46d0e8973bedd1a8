"""Pure benefit rules: income, zasiłek stały, okresowy, celowy (u.p.s. art. 8, 37–41). No DB."""

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gops.benefits import rules
from gops.benefits.rules import Member, Parameters

D = Decimal


def params(valid_from, single, per_person, hectare, p_max, p_min, percent) -> Parameters:
    """The parameters of LAW.md §2, as the seeding migration stores them."""
    return Parameters(
        valid_from=valid_from,
        single_criterion=D(single),
        per_person_criterion=D(per_person),
        farm_income_per_hectare=D(hectare),
        permanent_allowance_max=D(p_max),
        permanent_allowance_min=D(p_min),
        periodic_allowance_min=D("20.00"),
        periodic_single_cap=D(per_person),
        permanent_amount_percent=D(percent),
    )


P2018 = params(date(2018, 10, 1), "701", "528", "308", "645", "30", "100")
P2022 = params(date(2022, 1, 1), "776", "600", "345", "719", "30", "100")
P2024 = params(date(2024, 1, 1), "776", "600", "345", "1000", "100", "130")
P2025 = params(date(2025, 1, 1), "1010", "823", "459", "1229", "100", "130")
ALL_PERIODS = [P2018, P2022, P2024, P2025]


def applicant(income="0", *, age=67, sex="F", unable=False, hectares="0") -> Member:
    return Member(
        applicant=True,
        income=D(income),
        age=age,
        sex=sex,
        totally_unable_to_work=unable,
        farm_hectares=D(hectares),
    )


def member(income="0", *, hectares="0") -> Member:
    return Member(income=D(income), farm_hectares=D(hectares))


def test_rules_import_nothing_from_django():
    tree = ast.parse(Path(rules.__file__).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name and name.split(".")[0] in {"django", "gops"}]


# --- Income (art. 8) -----------------------------------------------------------------------


def test_farmland_under_one_hectare_is_not_income():
    assert rules.farm_income(hectares=D("0.9"), rate=D("459")) == D("0.00")
    income = rules.household_income(members=[applicant("100", hectares="0.9")], params=P2025)
    assert income.total == D("100.00")


def test_farm_income_is_hectares_times_the_rate():
    assert rules.farm_income(hectares=D("2"), rate=D("459")) == D("918.00")
    assert rules.farm_income(hectares=D("1"), rate=D("459")) == D("459.00")
    # 1.2345 × 345 = 425.9025 → 425.90
    assert rules.farm_income(hectares=D("1.2345"), rate=D("345")) == D("425.90")


def test_household_income_adds_farm_income_to_net_income_of_every_member():
    members = [applicant("300", hectares="2"), member("150.50", hectares="0.5")]
    income = rules.household_income(members=members, params=P2025)
    assert income.total == D("1368.50")  # 300 + 918 + 150.50
    assert income.per_person == D("684.25")
    assert income.applicant_own == D("1218.00")
    assert income.farm == D("918.00")


@pytest.mark.parametrize(
    ("incomes", "per_person"),
    [
        (["1000", "0", "0"], "333.33"),
        (["100.01", "0"], "50.01"),  # 50.005 → half up
        (["2", "0", "0"], "0.67"),
    ],
)
def test_income_per_person_is_rounded_half_up_to_the_grosz(incomes, per_person):
    members = [applicant(incomes[0]), *(member(i) for i in incomes[1:])]
    assert rules.household_income(members=members, params=P2025).per_person == D(per_person)


@pytest.mark.parametrize(
    "members",
    [
        [],
        [member("100")],
        [applicant("100"), applicant("200")],
        [applicant("-1")],
        [applicant("100", hectares="-2")],
    ],
    ids=["empty", "no applicant", "two applicants", "negative income", "negative hectares"],
)
def test_an_invalid_household_is_refused(members):
    with pytest.raises(ValueError, match=r"applicant|member|members"):
        rules.permanent_allowance(members=members, params=P2025)


# --- Zasiłek stały (art. 37) ---------------------------------------------------------------


def test_permanent_2025_single_income_300_gets_1013():
    result = rules.permanent_allowance(members=[applicant("300.00")], params=P2025)
    assert result.eligible
    assert result.amount == D("1013.00")
    assert result.criterion == D("1010")
    assert result.income == result.income_per_person == D("300.00")
    assert "130% × 1010,00 zł − 300,00 zł = 1013,00 zł" in result.explanation
    assert result.legal_basis[:2] == ("u.p.s. art. 37 ust. 1 pkt 1", "u.p.s. art. 37 ust. 2 pkt 1")


def test_permanent_2025_single_income_1100_is_not_eligible_though_130_percent_would_cover_it():
    result = rules.permanent_allowance(members=[applicant("1100")], params=P2025)
    assert not result.eligible
    assert result.amount == D("0.00")
    assert "1100,00 zł nie jest niższy od kryterium" in result.explanation


def test_permanent_income_equal_to_the_criterion_is_not_below_it():
    assert not rules.permanent_allowance(members=[applicant("1010")], params=P2025).eligible
    result = rules.permanent_allowance(members=[applicant("1009.99")], params=P2025)
    assert result.amount == D("303.01")  # 1313.00 − 1009.99


def test_permanent_2025_is_capped_at_the_maximum():
    result = rules.permanent_allowance(members=[applicant("0")], params=P2025)
    assert result.amount == D("1229.00")  # 1313.00 > 1229.00
    assert "kwotę maksymalną 1229,00 zł" in result.explanation


def test_permanent_before_2024_is_criterion_minus_income():
    result = rules.permanent_allowance(members=[applicant("300")], params=P2022)
    assert result.amount == D("476.00")  # 776 − 300
    assert "776,00 zł − 300,00 zł = 476,00 zł" in result.explanation
    assert "%" not in result.explanation


def test_permanent_2024_is_130_percent_of_the_criterion_minus_income():
    result = rules.permanent_allowance(members=[applicant("300")], params=P2024)
    assert result.amount == D("708.80")  # 130% × 776 = 1008.80; − 300
    assert "130% × 776,00 zł − 300,00 zł = 708,80 zł" in result.explanation


def test_permanent_2024_maximum_is_1000():
    assert rules.permanent_allowance(members=[applicant("0")], params=P2024).amount == D("1000.00")
    assert rules.permanent_allowance(members=[applicant("8.80")], params=P2024).amount == D(
        "1000.00"
    )
    assert rules.permanent_allowance(members=[applicant("8.81")], params=P2024).amount == D(
        "999.99"
    )


def test_permanent_before_2024_maximum_of_that_period_applies():
    assert rules.permanent_allowance(members=[applicant("0")], params=P2022).amount == D("719.00")
    assert rules.permanent_allowance(members=[applicant("0")], params=P2018).amount == D("645.00")


def test_permanent_is_never_below_the_minimum_of_its_period():
    result = rules.permanent_allowance(members=[applicant("760")], params=P2022)
    assert result.amount == D("30.00")  # 776 − 760 = 16
    assert "u.p.s. art. 37 ust. 3" in result.legal_basis
    assert "kwotę minimalną 30,00 zł" in result.explanation
    assert rules.permanent_allowance(members=[applicant("690")], params=P2018).amount == D("30.00")


def test_permanent_minimum_and_percent_come_from_the_parameters_not_the_code():
    # A hypothetical row: the 2024 minimum of 100 zł with the pre-2024 percent.
    hypothetical = params(date(2024, 1, 1), "776", "600", "345", "1000", "100", "100")
    result = rules.permanent_allowance(members=[applicant("700")], params=hypothetical)
    assert result.amount == D("100.00")  # 776 − 700 = 76 → the minimum


def test_permanent_2025_family_is_130_percent_of_per_person_criterion_minus_per_person_income():
    members = [applicant("500"), member("700")]
    result = rules.permanent_allowance(members=members, params=P2025)
    assert result.eligible
    assert result.criterion == D("823")
    assert result.income == D("1200.00")
    assert result.income_per_person == D("600.00")
    assert result.amount == D("469.90")  # 130% × 823 = 1069.90; − 600
    assert "130% × 823,00 zł − 600,00 zł = 469,90 zł" in result.explanation
    assert result.legal_basis[:2] == ("u.p.s. art. 37 ust. 1 pkt 2", "u.p.s. art. 37 ust. 2 pkt 2")


def test_permanent_2022_family_is_per_person_criterion_minus_per_person_income():
    result = rules.permanent_allowance(members=[applicant("300"), member("500")], params=P2022)
    assert result.amount == D("200.00")  # 600 − 400


def test_permanent_2024_family():
    result = rules.permanent_allowance(members=[applicant("300"), member("500")], params=P2024)
    assert result.amount == D("380.00")  # 130% × 600 = 780; − 400


def test_permanent_in_a_family_needs_the_applicants_own_income_below_the_criterion():
    # Income per person 450 < 823, but the applicant's own 900 ≥ 823.
    result = rules.permanent_allowance(members=[applicant("900"), member("0")], params=P2025)
    assert not result.eligible
    assert result.amount == D("0.00")
    assert "dochód własny osoby wnioskującej 900,00 zł" in result.explanation


def test_permanent_in_a_family_needs_the_income_per_person_below_the_criterion():
    result = rules.permanent_allowance(members=[applicant("0"), member("2000")], params=P2025)
    assert not result.eligible
    assert "dochód na osobę w rodzinie 1000,00 zł" in result.explanation


def test_permanent_in_a_family_failing_both_conditions_names_both():
    result = rules.permanent_allowance(members=[applicant("2000"), member("0")], params=P2025)
    assert (
        "dochód własny osoby wnioskującej 2000,00 zł oraz dochód na osobę w rodzinie "
        "1000,00 zł nie są niższe od kryterium" in result.explanation
    )


@pytest.mark.parametrize(
    ("age", "sex", "unable", "eligible"),
    [
        (60, "F", False, True),
        (59, "F", False, False),
        (65, "M", False, True),
        (64, "M", False, False),
        (62, "M", False, False),
        (30, "M", True, True),
        (18, "F", True, True),
        (17, "F", True, False),  # totally unable to work, but not an adult
    ],
)
def test_permanent_needs_an_adult_unable_to_work_by_age_or_totally(age, sex, unable, eligible):
    person = applicant("300", age=age, sex=sex, unable=unable)
    result = rules.permanent_allowance(members=[person], params=P2025)
    assert result.eligible is eligible
    if not eligible:
        assert result.amount == D("0.00")
        assert result.explanation.count("Nie przysługuje") == 1


def test_permanent_needs_the_applicants_age():
    person = Member(applicant=True, income=D("300"), sex="F")
    with pytest.raises(ValueError, match="age"):
        rules.permanent_allowance(members=[person], params=P2025)


def test_permanent_counts_farm_income_of_two_hectares():
    result = rules.permanent_allowance(members=[applicant("0", hectares="2")], params=P2025)
    assert result.income == D("918.00")
    assert result.amount == D("395.00")  # 1313 − 918
    assert "u.p.s. art. 8 ust. 8" in result.legal_basis
    assert "(ha przeliczeniowe): 2 × 459,00 zł = 918,00 zł" in result.explanation


def test_permanent_ignores_farmland_under_one_hectare():
    result = rules.permanent_allowance(members=[applicant("300", hectares="0.9")], params=P2025)
    assert result.amount == D("1013.00")
    assert "u.p.s. art. 8 ust. 4" in result.legal_basis


# --- Zasiłek okresowy (art. 38) ------------------------------------------------------------


def test_periodic_2025_single_income_500_is_half_the_difference():
    result = rules.periodic_allowance(members=[applicant("500")], params=P2025)
    assert result.eligible
    assert result.amount == D("255.00")  # 50% × (1010 − 500)
    assert result.criterion == D("1010")
    assert "50% × (1010,00 zł − 500,00 zł) = 255,00 zł" in result.explanation
    assert result.legal_basis[0] == "u.p.s. art. 38 ust. 1 pkt 1"


def test_periodic_2022_single():
    result = rules.periodic_allowance(members=[applicant("300")], params=P2022)
    assert result.amount == D("238.00")  # 50% × (776 − 300)


def test_periodic_half_of_the_difference_is_rounded_half_up():
    result = rules.periodic_allowance(members=[applicant("500.01")], params=P2025)
    assert result.amount == D("255.00")  # 50% × 509.99 = 254.995


def test_periodic_guaranteed_percent_set_by_the_gmina():
    result = rules.periodic_allowance(
        members=[applicant("500")], params=P2025, guaranteed_percent=100
    )
    assert result.amount == D("510.00")
    result = rules.periodic_allowance(
        members=[applicant("500")], params=P2025, guaranteed_percent=D("62.5")
    )
    assert result.amount == D("318.75")
    assert "62,5% × (1010,00 zł − 500,00 zł)" in result.explanation


def test_periodic_single_is_capped():
    result = rules.periodic_allowance(
        members=[applicant("0")], params=P2025, guaranteed_percent=100
    )
    assert result.amount == D("823.00")  # 1010 > the cap, the per-person criterion


def test_periodic_is_never_below_20():
    result = rules.periodic_allowance(members=[applicant("1000")], params=P2025)
    assert result.amount == D("20.00")  # 50% × 10 = 5
    assert "u.p.s. art. 38 ust. 4" in result.legal_basis


def test_periodic_single_income_equal_to_the_criterion_is_not_eligible():
    result = rules.periodic_allowance(members=[applicant("1010")], params=P2025)
    assert not result.eligible
    assert result.amount == D("0.00")


def test_periodic_family_uses_the_family_criterion_and_family_income():
    members = [applicant("1000"), member("469"), member("0")]
    result = rules.periodic_allowance(members=members, params=P2025)
    assert result.criterion == D("2469.00")  # 823 × 3
    assert result.income == D("1469.00")
    assert result.amount == D("500.00")  # 50% × (2469 − 1469)
    assert "823,00 zł × 3 = 2469,00 zł" in result.explanation
    assert result.legal_basis[0] == "u.p.s. art. 38 ust. 1 pkt 2"


def test_periodic_family_is_not_capped():
    members = [applicant("0"), member("0"), member("0")]
    result = rules.periodic_allowance(members=members, params=P2025, guaranteed_percent=100)
    assert result.amount == D("2469.00")


def test_periodic_family_at_the_family_criterion_is_not_eligible():
    members = [applicant("1000"), member("646")]
    assert not rules.periodic_allowance(members=members, params=P2025).eligible  # 1646 = 823 × 2


@pytest.mark.parametrize("percent", [49, D("49.99"), 101, D("100.01"), True, "x"])
def test_periodic_guaranteed_percent_must_be_between_50_and_100(percent):
    with pytest.raises(ValueError, match="guaranteed_percent"):
        rules.periodic_allowance(
            members=[applicant("500")], params=P2025, guaranteed_percent=percent
        )


# --- Zasiłek celowy (art. 39–41) -----------------------------------------------------------


def test_purpose_within_the_criterion_gives_the_workers_amount():
    result = rules.purpose_allowance(members=[applicant("900")], params=P2025, amount=D("350"))
    assert result.eligible
    assert result.amount == D("350.00")
    assert result.legal_basis[0] == "u.p.s. art. 39 ust. 1"


def test_purpose_income_equal_to_the_criterion_does_not_exceed_it():
    # art. 8 ust. 1: "dochód nie przekracza" the criterion.
    assert rules.purpose_allowance(
        members=[applicant("1010")], params=P2025, amount=D(100)
    ).eligible


def test_purpose_above_the_criterion_is_not_eligible():
    result = rules.purpose_allowance(members=[applicant("1010.01")], params=P2025, amount=D(100))
    assert not result.eligible
    assert result.amount == D("0.00")
    assert "art. 41 pkt 1" in result.explanation


def test_purpose_in_a_family_compares_the_income_per_person():
    members = [applicant("1000"), member("600")]  # 800 per person ≤ 823
    assert rules.purpose_allowance(members=members, params=P2025, amount=D(200)).eligible


@pytest.mark.parametrize(
    ("flags", "provision"),
    [
        ({"after_random_event": True}, "u.p.s. art. 40 ust. 1"),
        ({"after_disaster": True}, "u.p.s. art. 40 ust. 2"),
    ],
)
def test_purpose_after_a_random_event_or_disaster_ignores_income(flags, provision):
    result = rules.purpose_allowance(
        members=[applicant("5000")], params=P2025, amount=D("2000"), **flags
    )
    assert result.eligible
    assert result.amount == D("2000.00")
    assert result.legal_basis == (provision,)
    assert "niezależnie od dochodu" in result.explanation


def test_special_purpose_is_for_income_above_the_criterion_up_to_the_single_criterion():
    result = rules.purpose_allowance(
        members=[applicant("1500")], params=P2025, amount=D("400"), special=True
    )
    assert result.eligible
    assert result.amount == D("400.00")
    assert result.legal_basis[0] == "u.p.s. art. 41 pkt 1"
    assert "bez obowiązku zwrotu" in result.explanation
    capped = rules.purpose_allowance(
        members=[applicant("1500")], params=P2025, amount=D("1500"), special=True
    )
    assert capped.amount == D("1010.00")


def test_special_purpose_in_a_family_is_capped_at_the_family_criterion():
    members = [applicant("1500"), member("500")]  # 1000 per person > 823
    result = rules.purpose_allowance(members=members, params=P2025, amount=D("3000"), special=True)
    assert result.amount == D("1646.00")  # 823 × 2


def test_special_purpose_is_not_for_income_within_the_criterion():
    result = rules.purpose_allowance(
        members=[applicant("500")], params=P2025, amount=D("100"), special=True
    )
    assert not result.eligible
    assert "art. 39" in result.explanation


@pytest.mark.parametrize("amount", [D(0), D("-10"), D("NaN")])
def test_purpose_amount_must_be_positive(amount):
    with pytest.raises(ValueError, match="amount"):
        rules.purpose_allowance(members=[applicant("0")], params=P2025, amount=amount)


# --- Properties ----------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=6000, places=2, allow_nan=False, allow_infinity=False)
periods = st.sampled_from(ALL_PERIODS)
adult_unable = st.builds(
    lambda age, sex, unable: {"age": age, "sex": sex, "unable": unable},
    age=st.integers(min_value=65, max_value=100),
    sex=st.sampled_from(["F", "M"]),
    unable=st.booleans(),
)


@given(p=periods, income=money)
def test_property_permanent_single_eligible_iff_income_below_the_criterion(p, income):
    result = rules.permanent_allowance(members=[applicant(income)], params=p)
    assert result.eligible is (income < p.single_criterion)


@given(p=periods, own=money, others=st.lists(money, min_size=1, max_size=5))
def test_property_permanent_family_eligible_iff_own_and_per_person_income_below(p, own, others):
    members = [applicant(own), *(member(i) for i in others)]
    result = rules.permanent_allowance(members=members, params=p)
    per_person = result.income_per_person
    assert result.eligible is (own < p.per_person_criterion and per_person < p.per_person_criterion)


@given(p=periods, own=money, others=st.lists(money, max_size=5))
def test_property_permanent_amount_is_within_min_and_max_when_eligible(p, own, others):
    members = [applicant(own), *(member(i) for i in others)]
    result = rules.permanent_allowance(members=members, params=p)
    if result.eligible:
        assert p.permanent_allowance_min <= result.amount <= p.permanent_allowance_max
    else:
        assert result.amount == 0


@given(p=periods, a=money, b=money, others=st.lists(money, max_size=3))
def test_property_permanent_never_more_for_a_higher_income(p, a, b, others):
    low, high = sorted([a, b])
    rest = [member(i) for i in others]
    at_low = rules.permanent_allowance(members=[applicant(low), *rest], params=p)
    at_high = rules.permanent_allowance(members=[applicant(high), *rest], params=p)
    assert at_high.amount <= at_low.amount


@given(p=periods, own=money, others=st.lists(money, max_size=3), who=adult_unable)
def test_property_same_input_same_result(p, own, others, who):
    members = [
        applicant(own, age=who["age"], sex=who["sex"], unable=who["unable"]),
        *(member(i) for i in others),
    ]
    assert rules.permanent_allowance(members=members, params=p) == rules.permanent_allowance(
        members=list(members), params=p
    )
    assert rules.periodic_allowance(members=members, params=p) == rules.periodic_allowance(
        members=list(members), params=p
    )


@given(p=periods, own=money, others=st.lists(money, max_size=5))
def test_property_periodic_eligible_iff_income_below_the_criterion(p, own, others):
    members = [applicant(own), *(member(i) for i in others)]
    result = rules.periodic_allowance(members=members, params=p)
    criterion = p.single_criterion if not others else p.per_person_criterion * len(members)
    assert result.eligible is (result.income < criterion)


@given(
    p=periods,
    own=money,
    others=st.lists(money, max_size=5),
    percent=st.decimals(min_value=50, max_value=100, places=2),
)
def test_property_periodic_amount_is_at_least_the_minimum_and_single_at_most_the_cap(
    p, own, others, percent
):
    members = [applicant(own), *(member(i) for i in others)]
    result = rules.periodic_allowance(members=members, params=p, guaranteed_percent=percent)
    if result.eligible:
        assert result.amount >= p.periodic_allowance_min
        if not others:
            assert result.amount <= p.periodic_single_cap
    else:
        assert result.amount == 0


@given(
    p=periods,
    a=money,
    b=money,
    others=st.lists(money, max_size=3),
    percent=st.decimals(min_value=50, max_value=100, places=2),
)
def test_property_periodic_never_more_for_a_higher_income(p, a, b, others, percent):
    low, high = sorted([a, b])
    rest = [member(i) for i in others]
    at_low = rules.periodic_allowance(
        members=[applicant(low), *rest], params=p, guaranteed_percent=percent
    )
    at_high = rules.periodic_allowance(
        members=[applicant(high), *rest], params=p, guaranteed_percent=percent
    )
    assert at_high.amount <= at_low.amount


@given(p=periods, income=money, amount=st.decimals(min_value="0.01", max_value=5000, places=2))
def test_property_purpose_and_special_purpose_never_overlap(p, income, amount):
    ordinary = rules.purpose_allowance(members=[applicant(income)], params=p, amount=amount)
    special = rules.purpose_allowance(
        members=[applicant(income)], params=p, amount=amount, special=True
    )
    assert ordinary.eligible is not special.eligible
    assert ordinary.eligible is (income <= p.single_criterion)
    if special.eligible:
        assert special.amount <= p.single_criterion


def test_amount_range_of_a_periodic_allowance_is_half_to_the_whole_difference():
    params = _amount_range_params()
    members = [Member(applicant=True, income=Decimal("500.00"), age=40, sex="F")]
    assessment = rules.periodic_allowance(members=members, params=params)
    assert assessment.amount == Decimal("255.00")
    assert rules.amount_range(benefit="periodic", assessment=assessment, params=params) == (
        Decimal("255.00"),
        Decimal("510.00"),
    )


def test_amount_range_of_a_permanent_allowance_is_minimum_to_the_legal_amount():
    params = _amount_range_params()
    members = [Member(applicant=True, income=Decimal("300.00"), age=67, sex="F")]
    assessment = rules.permanent_allowance(members=members, params=params)
    assert rules.amount_range(benefit="permanent", assessment=assessment, params=params) == (
        Decimal("100.00"),
        Decimal("1013.00"),
    )


def _amount_range_params():
    return Parameters(
        valid_from=date(2025, 1, 1),
        single_criterion=Decimal("1010"),
        per_person_criterion=Decimal("823"),
        farm_income_per_hectare=Decimal("459"),
        permanent_allowance_max=Decimal("1229"),
        permanent_allowance_min=Decimal("100"),
        periodic_allowance_min=Decimal("20"),
        periodic_single_cap=Decimal("823"),
        permanent_amount_percent=Decimal("130"),
    )
