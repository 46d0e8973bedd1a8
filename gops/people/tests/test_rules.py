"""Pure registry rules: PESEL, name folding, the search box, net income. No database."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.pl import pesel as stdnum_pesel

from gops.people import rules
from gops.people.rules import PeselData, SearchQuery

WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
# Month offset by century (LAW.md §8; the 2100s and 2200s as in the PESEL specification).
MONTH_OFFSET = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}


def make_pesel(birth_date: date, sex: str, serial: int = 0) -> str:
    """A valid PESEL for `birth_date` and `sex` ("F" or "M"); `serial` picks one of many."""
    month = birth_date.month + MONTH_OFFSET[birth_date.year // 100]
    sex_digit = (serial % 5) * 2 + (1 if sex == "M" else 0)
    body = f"{birth_date.year % 100:02d}{month:02d}{birth_date.day:02d}{serial // 5 % 1000:03d}"
    body += str(sex_digit)
    check = (10 - sum(w * int(d) for w, d in zip(WEIGHTS, body, strict=True)) % 10) % 10
    return body + str(check)


# --- PESEL --------------------------------------------------------------------------------


def test_pesel_gives_the_birth_date_and_sex_of_a_man_born_in_the_1900s():
    assert rules.pesel_data("44051401359") == PeselData(birth_date=date(1944, 5, 14), sex="M")


def test_pesel_with_a_wrong_check_digit_gives_nothing():
    assert rules.pesel_data("44051401358") is None


@pytest.mark.parametrize(
    ("pesel", "birth_date", "sex"),
    [
        ("99923112347", date(1899, 12, 31), "F"),  # month + 80
        ("00010100053", date(1900, 1, 1), "M"),
        ("00222945624", date(2000, 2, 29), "F"),  # month + 20, a leap day
        ("04270111132", date(2004, 7, 1), "M"),
        ("02211307589", date(2002, 1, 13), "F"),
        ("85031278965", date(1985, 3, 12), "F"),
        ("85031279072", date(1985, 3, 12), "M"),
    ],
)
def test_pesel_month_offset_gives_the_century(pesel, birth_date, sex):
    assert rules.pesel_data(pesel) == PeselData(birth_date=birth_date, sex=sex)


@pytest.mark.parametrize(
    "pesel",
    [
        "",
        "4405140135",  # 10 digits
        "440514013590",  # 12 digits
        "4405140135X",
        "02381307589",  # check digit right, but there is no 38th month
        "01223000019",  # check digit right, but 30 February 2001 does not exist
    ],
)
def test_pesel_that_is_malformed_or_names_no_real_date_gives_nothing(pesel):
    assert rules.pesel_data(pesel) is None


def test_the_pesel_generator_of_these_tests_agrees_with_stdnum():
    assert make_pesel(date(1944, 5, 14), "M", serial=67) == "44051401359"
    assert make_pesel(date(1899, 12, 31), "F", serial=617) == "99923112347"
    assert stdnum_pesel.is_valid(make_pesel(date(2150, 6, 30), "F", serial=4999))


@settings(max_examples=200)
@given(
    birth_date=st.dates(min_value=date(1800, 1, 1), max_value=date(2299, 12, 31)),
    sex=st.sampled_from(["F", "M"]),
    serial=st.integers(min_value=0, max_value=4999),
)
def test_a_pesel_made_for_any_date_and_sex_gives_them_back(birth_date, sex, serial):
    pesel = make_pesel(birth_date, sex, serial)
    assert rules.pesel_data(pesel) == PeselData(birth_date=birth_date, sex=sex)


@settings(max_examples=200)
@given(
    birth_date=st.dates(min_value=date(1800, 1, 1), max_value=date(2299, 12, 31)),
    sex=st.sampled_from(["F", "M"]),
    position=st.integers(min_value=0, max_value=10),
    delta=st.integers(min_value=1, max_value=9),
)
def test_a_pesel_with_one_digit_changed_is_never_read(birth_date, sex, position, delta):
    pesel = make_pesel(birth_date, sex)
    digit = (int(pesel[position]) + delta) % 10
    changed = pesel[:position] + str(digit) + pesel[position + 1 :]
    # Weights 1, 3, 7 and 9 are coprime with 10: one changed digit always breaks the check.
    assert rules.pesel_data(changed) is None


# --- Names --------------------------------------------------------------------------------


def test_names_compare_without_diacritics_case_or_extra_spaces():
    assert rules.normalize_name("Łukasz  Wójcik") == rules.normalize_name("lukasz wojcik")
    assert rules.normalize_name("Łukasz  Wójcik") == "lukasz wojcik"


def test_every_polish_letter_is_folded_to_its_base_letter():
    assert rules.normalize_name("Zażółć gęślą jaźń") == "zazolc gesla jazn"
    assert rules.normalize_name("ZAŻÓŁĆ GĘŚLĄ JAŹŃ") == "zazolc gesla jazn"


def test_a_hyphenated_surname_becomes_two_words():
    assert rules.normalize_name("Nowak-Kowalska") == "nowak kowalska"
    assert rules.normalize_name(" Nowak - Kowalska ") == "nowak kowalska"


def test_apostrophes_and_dots_do_not_glue_names_together():
    assert rules.normalize_name("O'Brien") == "o brien"
    assert rules.normalize_name("St. Pierre") == "st pierre"


def test_rotating_a_double_surname_puts_the_second_part_first():
    assert rules.rotate_name_parts("nowak kowalska") == "kowalska nowak"
    assert rules.rotate_name_parts("nowak") == "nowak"
    assert rules.rotate_name_parts("") == ""


@settings(max_examples=200)
@given(st.text())
def test_normalizing_a_name_twice_changes_nothing(value):
    once = rules.normalize_name(value)
    assert rules.normalize_name(once) == once


@settings(max_examples=200)
@given(st.text())
def test_a_normalized_name_is_ascii_lower_case_words_with_single_spaces(value):
    folded = rules.normalize_name(value)
    assert folded.isascii()
    assert folded == folded.lower()
    assert folded == folded.strip()
    assert "  " not in folded
    assert all(c.isalnum() or c == " " for c in folded)


POLISH = "aąbcćdeęfghijklłmnńoóprsśtuwyzźżAĄBCĆDEĘFGHIJKLŁMNŃOÓPRSŚTUWYZŹŻ -"
WITHOUT_DIACRITICS = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


@settings(max_examples=200)
@given(st.text(alphabet=POLISH))
def test_a_polish_name_folds_like_its_spelling_without_diacritics_in_any_case(value):
    plain = value.translate(WITHOUT_DIACRITICS)
    assert rules.normalize_name(value) == rules.normalize_name(plain)
    assert rules.normalize_name(value.upper()) == rules.normalize_name(value.lower())


# --- The search box -----------------------------------------------------------------------


def test_digits_are_searched_as_the_start_of_a_pesel():
    assert rules.parse_search(" 440514 ") == SearchQuery(
        pesel_prefix="440514", name_tokens=(), document_number=None
    )
    assert rules.parse_search("4405 1401 359").pesel_prefix == "44051401359"


def test_words_are_searched_as_folded_name_prefixes():
    parsed = rules.parse_search("Wójcik  Łuk")
    assert parsed.pesel_prefix is None
    assert parsed.name_tokens == ("wojcik", "luk")


def test_a_hyphenated_query_gives_one_token_per_part():
    assert rules.parse_search("Nowak-Kowal").name_tokens == ("nowak", "kowal")


def test_a_document_number_with_a_space_is_searched_as_one_number():
    parsed = rules.parse_search("fe 123456")
    assert parsed.pesel_prefix is None
    assert parsed.document_number == "FE123456"


def test_a_single_word_of_letters_and_digits_is_only_a_document_number():
    assert rules.parse_search("fe123456") == SearchQuery(
        pesel_prefix=None, name_tokens=(), document_number="FE123456"
    )
    assert rules.parse_search("AB-1234567").document_number == "AB1234567"


def test_a_too_short_code_is_no_document_number():
    parsed = rules.parse_search("a1")
    assert parsed.document_number is None
    assert parsed.name_tokens == ()


def test_an_empty_query_asks_for_nothing():
    assert rules.parse_search("   ") == SearchQuery(
        pesel_prefix=None, name_tokens=(), document_number=None
    )


def test_document_numbers_compare_without_spaces_or_dashes_in_upper_case():
    assert rules.normalize_document_number("fe 123-456") == "FE123456"


# --- Income (u.p.s. art. 8 ust. 3) --------------------------------------------------------


def test_net_income_is_revenue_less_tax_insurance_and_alimony_paid():
    # Wages of 4,666.00 zł: social insurance 13.71 % = 639.71; health 9 % of the rest
    # (4,026.29) = 362.37; tax advance 123.00; alimony paid to a child of another marriage 500.
    net = rules.net_income(
        gross=Decimal("4666.00"),
        social_insurance=Decimal("639.71"),
        health_insurance=Decimal("362.37"),
        income_tax=Decimal("123.00"),
        alimony_paid=Decimal("500.00"),
    )
    assert net == Decimal("3040.92")
    assert net.as_tuple().exponent == -2


def test_net_income_without_deductions_is_the_gross():
    assert rules.net_income(gross=Decimal("1500")) == Decimal("1500.00")


def test_net_income_is_never_negative():
    net = rules.net_income(gross=Decimal("800.00"), alimony_paid=Decimal("1000.00"))
    assert net == Decimal("0.00")


@pytest.mark.parametrize(
    ("gross", "expected"),
    [
        ("1000.125", "1000.13"),  # half up, where banker's rounding would give .12
        ("1000.135", "1000.14"),
        ("1000.1249", "1000.12"),
        ("0.005", "0.01"),
    ],
)
def test_net_income_is_rounded_half_up_to_the_grosz(gross, expected):
    assert rules.net_income(gross=Decimal(gross)) == Decimal(expected)


@pytest.mark.parametrize(
    "field", ["gross", "income_tax", "health_insurance", "social_insurance", "alimony_paid"]
)
def test_net_income_refuses_a_negative_amount(field):
    amounts = {"gross": Decimal("1000.00"), field: Decimal("-1.00")}
    with pytest.raises(ValueError, match="negative"):
        rules.net_income(**amounts)


money = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)


@settings(max_examples=200)
@given(gross=money, tax=money, health=money, social=money, alimony=money)
def test_net_income_is_never_negative_and_never_exceeds_the_gross(
    gross, tax, health, social, alimony
):
    net = rules.net_income(
        gross=gross,
        income_tax=tax,
        health_insurance=health,
        social_insurance=social,
        alimony_paid=alimony,
    )
    assert Decimal(0) <= net <= gross
    assert net == net.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if tax + health + social + alimony <= gross:
        assert net == gross - tax - health - social - alimony


def test_purpose_allowance_is_not_income_but_housing_allowance_is():
    assert rules.counts_as_income_by_default("purpose_allowance") is False
    assert rules.counts_as_income_by_default("housing_allowance") is True
    assert rules.counts_as_income_by_default("wages") is True
