"""`manage.py benefit_calc`: one JSON request on stdin, one JSON answer on stdout."""

import json
import re
import sys
from argparse import RawDescriptionHelpFormatter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gops.benefits import rules
from gops.benefits.selectors import LegalParametersMissing, rules_parameters_on

BENEFITS = ("permanent", "periodic")
TOP_LEVEL_FIELDS = {"benefit", "on", "household", "guaranteed_percent"}
MEMBER_FIELDS = {"applicant", "income", "age", "sex", "totally_unable_to_work", "farm_hectares"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EXIT_INVALID_INPUT = 2
# MoneyField holds 12 digits, 2 of them grosze.
MAX_AMOUNT = Decimal(10) ** 10

HELP = """\
Assess a permanent (u.p.s. art. 37) or periodic (art. 38) allowance from the legal parameters
in force on a day. Reads ONE JSON object from stdin and writes ONE JSON object to stdout.

Input:
  {"benefit": "permanent" | "periodic",
   "on": "2025-03-01",
   "household": [{"applicant": true, "income": "300.00", "age": 67, "sex": "F",
                  "totally_unable_to_work": false, "farm_hectares": "0"}, ...],
   "guaranteed_percent": 50}
  One member is a single person (osoba samotnie gospodarująca). "income" is the member's net
  monthly income (art. 8 ust. 3) without farm income; farm income is counted from
  "farm_hectares" (hectares przeliczeniowe, optional; under 1 ha counts nothing). Exactly one
  member has "applicant": true. "age" and "sex" are required for the applicant of a permanent
  allowance. "guaranteed_percent" (50..100, default 50) is for the periodic allowance only.

Output:
  {"eligible": true, "amount": "1013.00", "criterion": "1010.00", "income": "300.00",
   "income_per_person": "300.00", "legal_basis": ["u.p.s. art. 37 ust. 1 pkt 1", ...],
   "explanation": "..."}
  Money is a string with 2 decimals. "income" is the household's total income. "criterion"
  is the one that decides eligibility: for a single person the single-person criterion; for
  a family the per-person criterion (permanent allowance, compared with the applicant's own
  income and with the income per person) or the family criterion, per-person criterion ×
  persons (periodic allowance, compared with the family's income). Not eligible: "eligible":
  false, "amount": "0.00", the reason in "explanation" (Polish).

Invalid input: exit status 2 and {"error": "..."} on stdout.
"""


class InvalidInput(Exception):
    pass


def _show(value) -> str:
    """A value from the request as it was written, for an error message."""
    return json.dumps(value, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Request:
    benefit: str
    on: date
    members: tuple[rules.Member, ...]
    guaranteed_percent: Decimal


def _reject_constant(name: str):
    raise InvalidInput(
        _("The input is not valid JSON: %(value)s is not a number.") % {"value": name}
    )


def _money(value, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidInput(
            _('%(field)s must be an amount in złoty, e.g. "300.00".') % {"field": field}
        )
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation as exc:
        raise InvalidInput(
            _('%(field)s must be an amount in złoty, e.g. "300.00".') % {"field": field}
        ) from exc
    if not amount.is_finite():
        raise InvalidInput(
            _('%(field)s must be an amount in złoty, e.g. "300.00".') % {"field": field}
        )
    if amount < 0:
        raise InvalidInput(_("%(field)s cannot be negative.") % {"field": field})
    if amount >= MAX_AMOUNT:
        raise InvalidInput(_("%(field)s is too large.") % {"field": field})
    return amount


def _amount_in_grosze(value, field: str) -> Decimal:
    amount = _money(value, field)
    if amount != amount.quantize(rules.GROSZ):
        raise InvalidInput(_("%(field)s has more than 2 decimal places.") % {"field": field})
    return amount


def _boolean(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(_("%(field)s must be true or false.") % {"field": field})
    return value


def _age(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150:
        raise InvalidInput(_("%(field)s must be a whole number of years.") % {"field": field})
    return value


def _sex(value, field: str) -> str:
    if value not in (rules.FEMALE, rules.MALE):
        raise InvalidInput(_('%(field)s must be "F" or "M".') % {"field": field})
    return value


def _optional(data: dict, key: str, parse: Callable, field: str, default):
    if key not in data or data[key] is None:
        return default
    return parse(data[key], field)


def _unknown_fields(data: dict, known: set[str], prefix: str = "") -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidInput(
            _("Unknown field: %(field)s.") % {"field": ", ".join(prefix + key for key in unknown)}
        )


def _member(data, index: int, *, benefit: str) -> rules.Member:
    prefix = f"household[{index}]."
    if not isinstance(data, dict):
        raise InvalidInput(_("household[%(index)s] must be an object.") % {"index": index})
    _unknown_fields(data, MEMBER_FIELDS, prefix)
    if "income" not in data or data["income"] is None:
        raise InvalidInput(_("%(field)s is missing.") % {"field": prefix + "income"})
    applicant = _optional(data, "applicant", _boolean, prefix + "applicant", False)
    member = rules.Member(
        applicant=applicant,
        income=_amount_in_grosze(data["income"], prefix + "income"),
        age=_optional(data, "age", _age, prefix + "age", None),
        sex=_optional(data, "sex", _sex, prefix + "sex", None),
        totally_unable_to_work=_optional(
            data, "totally_unable_to_work", _boolean, prefix + "totally_unable_to_work", False
        ),
        farm_hectares=_optional(
            data, "farm_hectares", _money, prefix + "farm_hectares", Decimal(0)
        ),
    )
    if benefit == "permanent" and applicant:
        for key in ("age", "sex"):
            if getattr(member, key) is None:
                raise InvalidInput(
                    _("%(field)s is missing: the permanent allowance depends on it.")
                    % {"field": prefix + key}
                )
    return member


def parse_request(text: str) -> Request:
    """Validate the JSON request; InvalidInput names the first thing that is wrong."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(_("The input is not valid JSON: %(detail)s.") % {"detail": exc}) from exc
    if not isinstance(data, dict):
        raise InvalidInput(_("The input must be one JSON object."))
    _unknown_fields(data, TOP_LEVEL_FIELDS)

    benefit = data.get("benefit")
    if benefit not in BENEFITS:
        raise InvalidInput(
            _('benefit must be "permanent" or "periodic", not %(value)s.')
            % {"value": _show(benefit)}
        )

    on_text = data.get("on")
    try:
        if not isinstance(on_text, str) or not ISO_DATE.match(on_text):
            raise ValueError(on_text)
        on = date.fromisoformat(on_text)
    except ValueError as exc:
        raise InvalidInput(
            _("on must be a date in the form YYYY-MM-DD, not %(value)s.")
            % {"value": _show(on_text)}
        ) from exc

    household = data.get("household")
    if not isinstance(household, list) or not household:
        raise InvalidInput(_("household must be a non-empty list of persons."))
    members = tuple(_member(m, i, benefit=benefit) for i, m in enumerate(household))
    applicants = sum(1 for m in members if m.applicant)
    if applicants != 1:
        raise InvalidInput(
            _('household must have exactly one applicant ("applicant": true); it has %(count)s.')
            % {"count": applicants}
        )

    guaranteed = data.get("guaranteed_percent")
    if guaranteed is not None and benefit != "periodic":
        raise InvalidInput(_("guaranteed_percent applies only to the periodic allowance."))
    if guaranteed is None:
        guaranteed = Decimal(50)
    elif isinstance(guaranteed, bool) or not isinstance(guaranteed, int | Decimal):
        raise InvalidInput(_("guaranteed_percent must be a number between 50 and 100."))
    elif not Decimal(50) <= guaranteed <= Decimal(100):
        raise InvalidInput(
            _("guaranteed_percent must be between 50 and 100, not %(value)s.")
            % {"value": guaranteed}
        )
    return Request(benefit=benefit, on=on, members=members, guaranteed_percent=Decimal(guaranteed))


def assess(request: Request) -> rules.Assessment:
    params = rules_parameters_on(request.on)
    if request.benefit == "permanent":
        return rules.permanent_allowance(members=request.members, params=params)
    return rules.periodic_allowance(
        members=request.members, params=params, guaranteed_percent=request.guaranteed_percent
    )


def _zl(amount: Decimal) -> str:
    return f"{amount.quantize(rules.GROSZ, rounding=ROUND_HALF_UP):f}"


def as_json(assessment: rules.Assessment) -> dict:
    return {
        "eligible": assessment.eligible,
        "amount": _zl(assessment.amount),
        "criterion": _zl(assessment.criterion),
        "income": _zl(assessment.income),
        "income_per_person": _zl(assessment.income_per_person),
        "legal_basis": list(assessment.legal_basis),
        "explanation": assessment.explanation,
    }


class Command(BaseCommand):
    help = HELP
    # call_command("benefit_calc", stdin=io.StringIO(...)) in tests.
    stealth_options = ("stdin",)

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Keep the line breaks of the contract in --help.
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def handle(self, *args, **options):
        stream = options.get("stdin") or sys.stdin
        try:
            assessment = assess(parse_request(stream.read()))
        except InvalidInput as exc:
            self._fail(str(exc))
        except LegalParametersMissing as exc:
            self._fail(" ".join(exc.messages))
        except ValueError as exc:
            # The rules refuse what slipped past parse_request; still the caller's input.
            self._fail(str(exc))
        self.stdout.write(json.dumps(as_json(assessment), ensure_ascii=False))

    def _fail(self, message: str):
        self.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
        raise SystemExit(EXIT_INVALID_INPUT)
