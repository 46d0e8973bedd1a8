"""Validators for identity numbers, built on python-stdnum (LAW.md §8)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import pesel


def validate_pesel(value: str) -> None:
    try:
        pesel.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Invalid PESEL number: %(reason)s"),
            code="invalid_pesel",
            params={"reason": _pesel_reason(value)},
        ) from exc


def _pesel_reason(value: str) -> str:
    compact = pesel.compact(value)
    if not compact.isdigit():
        return str(_("it may contain digits only"))
    if len(compact) != 11:
        return str(_("it must have 11 digits"))
    if pesel.calc_check_digit(compact[:-1]) != compact[-1]:
        return str(_("the check digit is wrong"))
    return str(_("the date of birth in it does not exist"))


def validate_iban(value: str) -> None:
    try:
        iban.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Invalid bank account number (IBAN)."), code="invalid_iban"
        ) from exc
