"""Pure rules of the registry: what a PESEL says, how names are compared. No Django here."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import pesel as stdnum_pesel

FEMALE = "F"
MALE = "M"


@dataclass(frozen=True)
class PeselData:
    birth_date: date
    sex: str  # "F" or "M"


def pesel_data(pesel: str) -> PeselData | None:
    """Birth date and sex encoded in a valid PESEL (LAW.md §8); None when it is invalid."""
    try:
        number = stdnum_pesel.validate(pesel)
    except StdnumError:
        return None
    return PeselData(
        birth_date=stdnum_pesel.get_birth_date(number),
        sex=MALE if stdnum_pesel.get_gender(number) == "M" else FEMALE,
    )


# Letters that NFKD does not decompose into a base letter plus an accent.
_EXTRA_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d"})


def normalize_name(value: str) -> str:
    """Fold a name for comparison: no diacritics, lower case, single spaces.

    "Łukasz  Wójcik" and "lukasz wojcik" give the same key; hyphens become spaces so that
    each part of a double surname can be found by prefix.
    """
    folded = unicodedata.normalize("NFKD", value.translate(_EXTRA_FOLD))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    cleaned = re.sub(r"[^0-9a-z]+", " ", ascii_only.lower())
    return " ".join(cleaned.split())


def rotate_name_parts(normalized: str) -> str:
    """ "nowak kowalska" → "kowalska nowak": a second key so any part is found by prefix."""
    parts = normalized.split()
    return " ".join(parts[1:] + parts[:1])


def normalize_document_number(value: str) -> str:
    """Identity document numbers compare without spaces or dashes, in upper case."""
    return re.sub(r"[^0-9A-Z]", "", value.upper())


@dataclass(frozen=True)
class SearchQuery:
    pesel_prefix: str | None
    name_tokens: tuple[str, ...]
    document_number: str | None


def parse_search(query: str) -> SearchQuery:
    """Split what was typed into the one search box into what it may mean."""
    text = query.strip()
    compact = re.sub(r"\s", "", text)
    if compact.isdigit():
        return SearchQuery(pesel_prefix=compact, name_tokens=(), document_number=None)
    document = normalize_document_number(text)
    tokens = tuple(normalize_name(text).split())
    # A single token with both letters and digits can only be a document number.
    looks_like_document = len(text.split()) == 1 and any(c.isdigit() for c in text)
    return SearchQuery(
        pesel_prefix=None,
        name_tokens=() if looks_like_document else tokens,
        document_number=document if document and len(document) >= 5 else None,
    )


# --- Income (u.p.s. art. 8) ---------------------------------------------------------------
GROSZ = Decimal("0.01")

# Sources that art. 8 ust. 4 excludes from income by their nature (zasiłek celowy).
NOT_INCOME_SOURCES = frozenset({"purpose_allowance"})


def counts_as_income_by_default(source: str) -> bool:
    """Whether a source counts as income unless staff decide otherwise (art. 8 ust. 4).

    Housing allowance (dodatek mieszkaniowy) *is* income; zasiłek celowy is not.
    """
    return source not in NOT_INCOME_SOURCES


def net_income(
    *,
    gross: Decimal,
    income_tax: Decimal = Decimal(0),
    health_insurance: Decimal = Decimal(0),
    social_insurance: Decimal = Decimal(0),
    alimony_paid: Decimal = Decimal(0),
) -> Decimal:
    """Income per art. 8 ust. 3: revenue less tax, health and social insurance, alimony paid.

    Never below zero; rounded half up to the grosz. Negative amounts are refused: a negative
    deduction would raise the income above the revenue.
    """
    amounts = (gross, income_tax, health_insurance, social_insurance, alimony_paid)
    if any(amount < 0 for amount in amounts):
        raise ValueError("Income and its deductions cannot be negative.")
    net = gross - income_tax - health_insurance - social_insurance - alimony_paid
    return max(net, Decimal(0)).quantize(GROSZ, rounding=ROUND_HALF_UP)
