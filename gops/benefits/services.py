"""Writes of the decision flow: draft, issue (sign, number, PDF), serve, appeal, finality;
care services: the council's fee scale and the hours delivered each month (u.p.s. art. 50).

Every service is one transaction with its audit entry and its case-timeline event.
"""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from stdnum import iban

from gops.accounts.models import User
from gops.accounts.roles import HEAD
from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change, audited_save, diff, snapshot
from gops.audit.versioning import changes_since
from gops.cases import history
from gops.cases import rules as case_rules
from gops.cases.models import Application, ApplicationStatus, BenefitKind, InterviewStatus
from gops.cases.selectors import application_can_write
from gops.cases.services import application_set_status, interview_schedule_update
from gops.core.errors import VersionConflict
from gops.integration import rules as integration_rules
from gops.integration.models import IntegrationProgramme, ProgrammeKind, ProgrammeStatus

from . import rules, selectors
from .models import (
    Appeal,
    AppealOutcome,
    CareFeeScale,
    CareServiceMonth,
    Decision,
    DecisionKind,
    DecisionStatus,
    PaymentMethod,
)

# Benefits whose amount the law computes from income (art. 37, 38).
COMPUTED = {BenefitKind.PERMANENT, BenefitKind.PERIODIC}
# Purpose allowances: the worker sets the amount (art. 39–41).
PURPOSE = {
    BenefitKind.PURPOSE,
    BenefitKind.SPECIAL_PURPOSE,
    BenefitKind.RANDOM_EVENT,
    BenefitKind.DISASTER,
}
# The integration programme's monthly benefit (u.p.s. art. 94): computed from the number of
# persons covered, not from income (gops.integration.rules).
INTEGRATION = {BenefitKind.INTEGRATION}
# Paid every month of the decision's period.
MONTHLY = COMPUTED | INTEGRATION
CASH = COMPUTED | PURPOSE | INTEGRATION
# Decided by decision although not cash: quantity and supplier instead of an amount.
IN_KIND = {
    BenefitKind.MEALS,
    BenefitKind.CLOTHING,
    BenefitKind.IN_KIND,
    BenefitKind.SHELTER,
    BenefitKind.FUNERAL,
    BenefitKind.CARE_SERVICES,
    BenefitKind.OTHER,
}

APPEAL_DAYS = 14  # k.p.a. art. 129 § 2


def _require_case_write(actor: User, decision: Decision) -> None:
    """Acting on a decision needs write access to its case, not only sight of it."""
    if not application_can_write(user=actor, application=decision.application):
        raise PermissionDenied


def may_sign(user: User) -> bool:
    """The head, or an employee with a written authorisation (u.p.s. art. 110 ust. 7–8)."""
    return user.has_perm("benefits.sign_decision") or user.may_sign_decisions


def _age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def members_from_snapshot(
    *, snapshot_data: dict, applicant_id: int, on: date
) -> list[rules.Member]:
    """The household as the interview confirmed it, for the pure rules.

    Incomes that do not count (art. 8 ust. 4) are left out; farm land is passed as hectares.
    Total inability to work is read from a moderate or significant degree of disability.
    """
    members = []
    for m in snapshot_data.get("members", []):
        income = Decimal("0.00")
        hectares = Decimal(0)
        for i in m.get("incomes", []):
            if not i["counts_as_income"]:
                continue
            if i["source"] == "farm":
                hectares += Decimal(i["farm_hectares"] or 0)
            else:
                income += Decimal(i["net_amount"])
        members.append(
            rules.Member(
                applicant=m["person_id"] == applicant_id,
                income=income,
                age=_age_on(date.fromisoformat(m["birth_date"]), on),
                sex=m["sex"],
                totally_unable_to_work=m.get("disability_degree") in ("moderate", "significant"),
                farm_hectares=hectares,
            )
        )
    return members


def _interview_snapshot(application: Application) -> dict:
    interview = (
        application.interviews.filter(status__in=[InterviewStatus.DONE, InterviewStatus.REFUSED])
        .order_by("-conducted_on", "-id")
        .first()
    )
    if interview is None:
        # u.p.s. art. 106 ust. 4: no decision granting or refusing help before the interview.
        raise ValidationError(
            _(
                "A decision can be drafted only after the community interview "
                "(u.p.s. art. 106 ust. 4)."
            )
        )
    return interview


def assess(
    *,
    application: Application,
    benefit: str,
    on: date,
    guaranteed_percent: Decimal | int = 50,
    requested_amount: Decimal | None = None,
) -> tuple[rules.Assessment | None, object]:
    """Run the pure rule for `benefit` on the interview's household; None for in-kind help."""
    interview = _interview_snapshot(application)
    legal = selectors.legal_parameters_on(on)
    params = selectors.legal_parameters_as_rules(legal)
    members = members_from_snapshot(
        snapshot_data=interview.snapshot, applicant_id=application.applicant_id, on=on
    )
    try:
        if benefit == BenefitKind.PERMANENT:
            return rules.permanent_allowance(members=members, params=params), legal
        if benefit == BenefitKind.PERIODIC:
            return rules.periodic_allowance(
                members=members, params=params, guaranteed_percent=guaranteed_percent
            ), legal
        if benefit in PURPOSE:
            if requested_amount is None:
                raise ValidationError(
                    {"amount": _("Give the amount of the purpose allowance (u.p.s. art. 39).")}
                )
            return rules.purpose_allowance(
                members=members,
                params=params,
                amount=requested_amount,
                after_random_event=benefit == BenefitKind.RANDOM_EVENT,
                after_disaster=benefit == BenefitKind.DISASTER,
                special=benefit == BenefitKind.SPECIAL_PURPOSE,
            ), legal
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    return None, legal


def _validate_payment(
    *, benefit: str, method: str, bank_account: str, payee_name: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if benefit not in CASH:
        return errors
    if method not in PaymentMethod.values:
        errors["payment_method"] = [_("Choose how the benefit is paid.")]
    elif method == PaymentMethod.BANK_TRANSFER and not iban.is_valid(bank_account or ""):
        errors["bank_account"] = [_("Give a valid bank account number (IBAN).")]
    elif method == PaymentMethod.THIRD_PARTY and not payee_name.strip():
        errors["payee_name"] = [_("Name the third party who receives the payment.")]
    return errors


def _facts_found(application: Application) -> str:
    """The opening of the reasoning: the application and the interview the facts come from."""
    interview = _interview_snapshot(application)
    members = len(interview.snapshot.get("members", []))
    return (
        f"Wniosek wpłynął dnia {application.received_on:%d.%m.%Y} r. (nr {application.number}). "
        f"W dniu {interview.conducted_on:%d.%m.%Y} r. przeprowadzono rodzinny wywiad "
        f"środowiskowy, w którym ustalono skład gospodarstwa domowego "
        f"({rules.persons_pl(members)}) i dochody z miesiąca {interview.snapshot.get('month', '')} "
        "(art. 8 ust. 3 u.p.s.). "
    )


def _ruling_text(decision: Decision) -> str:
    """The ruling (rozstrzygnięcie) in Polish, the language of the proceedings."""
    from num2words import num2words

    person = decision.person
    benefit = str(BenefitKind(decision.benefit).label)
    # The party named in the nominative, so that no name is declined wrongly.
    who = f"stronie – {person.first_names} {person.surnames}"
    if person.pesel:
        who += f", PESEL {person.pesel}"
    who += " –"
    if decision.kind == DecisionKind.REFUSING:
        return f"Odmówić {who} przyznania świadczenia: {benefit}."
    parts = [f"Przyznać {who} świadczenie: {benefit}"]
    if decision.amount is not None:
        words = num2words(decision.amount, lang="pl", to="currency", currency="PLN")
        per = " miesięcznie" if decision.benefit in MONTHLY else ""
        parts.append(f"w wysokości {rules.format_zl(decision.amount)}{per} (słownie: {words})")
        later = (decision.assessment or {}).get("amount_months_7_12")
        if decision.benefit == BenefitKind.INTEGRATION and later:
            parts[-1] += (
                f" w miesiącach 1–6 programu integracji oraz {rules.format_zl(Decimal(later))}"
                " miesięcznie w miesiącach 7–12"
            )
    if decision.quantity:
        parts.append(f"w zakresie: {decision.quantity}")
    care = decision.benefit == BenefitKind.CARE_SERVICES and decision.kind == DecisionKind.GRANTING
    if care and decision.care_hours_per_week:
        hours = rules.format_hours(decision.care_hours_per_week)
        parts.append(f"w wymiarze {hours} godz. tygodniowo")
    if decision.supplier:
        parts.append(f"realizowane przez: {decision.supplier}")
    if decision.shelter_fee_per_night is not None:
        fee = decision.shelter_fee_per_night
        parts.append(
            "bez odpłatności" if not fee else f"z odpłatnością {rules.format_zl(fee)} za dobę"
        )
    if decision.period_from and decision.period_until:
        parts.append(
            f"na okres od {decision.period_from:%d.%m.%Y} r. do {decision.period_until:%d.%m.%Y} r."
        )
    elif decision.period_from:
        parts.append(f"od {decision.period_from:%d.%m.%Y} r.")
    text = ", ".join(parts)
    text += "" if text.endswith(".") else "."
    if decision.payment_method == PaymentMethod.BANK_TRANSFER:
        text += f" Świadczenie płatne przelewem na rachunek bankowy nr {decision.bank_account}."
    elif decision.payment_method == PaymentMethod.CASH:
        text += " Świadczenie płatne w kasie ośrodka."
    elif decision.payment_method == PaymentMethod.THIRD_PARTY:
        text += f" Świadczenie przekazywane na rzecz: {decision.payee_name}."
    if care and decision.care_fee_percent is not None and decision.care_hourly_cost is not None:
        # The fee by the council's resolution (u.p.s. art. 50 ust. 6).
        if decision.care_fee_percent == 0:
            text += " Usługi są nieodpłatne."
        else:
            per_hour = rules.care_fee_owed(
                hours=Decimal(1),
                hourly_cost=decision.care_hourly_cost,
                fee_percent=decision.care_fee_percent,
            )
            text += (
                f" Ustalić odpłatność za usługi w wysokości "
                f"{rules.format_percent(decision.care_fee_percent)} kosztu 1 godziny usług "
                f"({rules.format_zl(decision.care_hourly_cost)}), tj. {rules.format_zl(per_hour)} "
                f"za 1 godzinę."
            )
    return text


def care_fee_assess(*, application: Application, on: date) -> tuple[rules.CareFee, CareFeeScale]:
    """The person's fee for care services on `on` (u.p.s. art. 50 ust. 6): the interview's
    household and incomes, the legal parameters and the centre's fee scale in force that day."""
    interview = _interview_snapshot(application)
    params = selectors.rules_parameters_on(on)
    scale = selectors.care_fee_scale_on(centre_id=application.centre_id, on=on)
    members = members_from_snapshot(
        snapshot_data=interview.snapshot, applicant_id=application.applicant_id, on=on
    )
    try:
        fee = rules.care_fee_assessment(
            members=members,
            params=params,
            brackets=scale.brackets,
            hourly_cost=scale.hourly_cost,
            resolution=scale.resolution,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    return fee, scale


@transaction.atomic
def decision_draft(
    *,
    actor: User,
    application: Application,
    benefit: str,
    kind: str | None = None,
    period_from: date | None = None,
    period_until: date | None = None,
    amount: Decimal | None = None,
    amount_change_reason: str = "",
    guaranteed_percent: Decimal | int = 50,
    payment_method: str = "",
    bank_account: str = "",
    payee_name: str = "",
    quantity: str = "",
    supplier: str = "",
    care_hours_per_week: Decimal | None = None,
    shelter_fee_per_night: Decimal | None = None,
    family_size: int | None = None,
    reasoning: str = "",
) -> Decision:
    """Draft a granting or refusing decision from an application after its interview.

    For the integration benefit `family_size` is the number of persons the programme covers
    (default: the linked programme's); the months 1–6 amount is the decision's amount and
    the months 7–12 amount is kept in the calculation, from which payments plan each month.

    For permanent and periodic allowances the amount is computed by the rules from the
    interview's snapshot and the legal parameters in force on `period_from`; it may be changed
    only within the legal range and only with a written reason. The reasoning is prefilled
    from the rule's explanation.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not actor.has_perm("benefits.add_decision"):
        raise PermissionDenied
    if application.is_closed:
        raise ValidationError(_("The application is closed."))
    if benefit not in BenefitKind.values:
        raise ValidationError({"benefit": _("Unknown benefit.")})
    if application.decisions.filter(
        benefit=benefit,
        status__in=[DecisionStatus.DRAFT, DecisionStatus.ISSUED],
        kind__in=[DecisionKind.GRANTING, DecisionKind.REFUSING],
    ).exists():
        raise ValidationError(
            {
                "benefit": _(
                    "This application already has a decision on this benefit. Discard the "
                    "draft, or change an issued decision by an amending decision."
                )
            }
        )
    errors: dict[str, list[str]] = {}
    on = period_from or application.received_on
    # A refusal grants no period; a grant (or a draft left to the calculation) needs one.
    refusing = kind == DecisionKind.REFUSING
    if benefit in COMPUTED and period_from is None and not refusing:
        errors["period_from"] = [_("Give the first day of the period.")]
    if benefit == BenefitKind.PERIODIC and period_until is None and not refusing:
        errors["period_until"] = [
            _("A periodic allowance is granted for a period (u.p.s. art. 38 ust. 5).")
        ]
    # Care services are granted for a period the centre sets (u.p.s. art. 50 ust. 5).
    care = benefit == BenefitKind.CARE_SERVICES and (kind or DecisionKind.GRANTING) == (
        DecisionKind.GRANTING
    )
    if care and period_from is None:
        errors["period_from"] = [_("Give the first day of the period of care services.")]
    if care and period_until is None:
        errors["period_until"] = [
            _("Care services are granted for a period (u.p.s. art. 50 ust. 5).")
        ]
    if period_from and period_until and period_until < period_from:
        errors["period_until"] = [_("The period cannot end before it starts.")]
    integration = benefit == BenefitKind.INTEGRATION and not refusing
    if integration:
        if period_from is None:
            errors["period_from"] = [_("Give the first day of the integration programme.")]
        if period_until is None:
            errors["period_until"] = [_("Give the last day of the integration programme.")]
        elif period_from and integration_rules.too_long(
            starts_on=period_from, ends_on=period_until
        ):
            errors["period_until"] = [
                _("An integration programme lasts at most 12 months, until %(date)s.")
                % {"date": integration_rules.latest_end(period_from).isoformat()}
            ]
        if family_size is not None and family_size < 1:
            errors["family_size"] = [_("At least one person is covered by the programme.")]
    if errors:
        raise ValidationError(errors)
    if integration:
        return _integration_decision_draft(
            actor=actor,
            application=application,
            period_from=period_from,
            period_until=period_until,
            amount=amount,
            amount_change_reason=amount_change_reason,
            payment_method=payment_method,
            bank_account=bank_account,
            payee_name=payee_name,
            family_size=family_size,
            reasoning=reasoning,
        )
    requested = amount if benefit in PURPOSE else None
    assessment, legal = assess(
        application=application,
        benefit=benefit,
        on=on,
        guaranteed_percent=guaranteed_percent,
        requested_amount=requested,
    )
    eligible = assessment.eligible if assessment is not None else True
    kind = kind or (DecisionKind.GRANTING if eligible else DecisionKind.REFUSING)
    if kind not in (DecisionKind.GRANTING, DecisionKind.REFUSING):
        raise ValidationError(
            {"kind": _("Amending, revoking and suspending decisions change an issued decision.")}
        )
    if kind == DecisionKind.GRANTING and not eligible:
        raise ValidationError(
            {"kind": _("The benefit cannot be granted: %(why)s") % {"why": assessment.explanation}}
        )
    computed = assessment.amount if (assessment is not None and eligible) else None
    final_amount = None
    if kind == DecisionKind.GRANTING and benefit in CASH:
        final_amount = computed if amount is None or benefit in PURPOSE else amount
        if benefit in COMPUTED and amount is not None and amount != computed:
            low, high = rules.amount_range(
                benefit=benefit,
                assessment=assessment,
                params=selectors.legal_parameters_as_rules(legal),
            )
            if not (low <= amount <= high):
                errors["amount"] = [
                    _("The amount must be between %(low)s and %(high)s zł (%(basis)s).")
                    % {"low": low, "high": high, "basis": ", ".join(assessment.legal_basis)}
                ]
            if not amount_change_reason.strip():
                errors["amount_change_reason"] = [
                    _("Give the reason for changing the computed amount.")
                ]
        errors |= _validate_payment(
            benefit=benefit,
            method=payment_method,
            bank_account=bank_account,
            payee_name=payee_name,
        )
    if kind == DecisionKind.GRANTING and benefit in IN_KIND and not quantity.strip():
        errors["quantity"] = [_("Give the quantity and scope of the help.")]
    if care and (care_hours_per_week is None or care_hours_per_week <= 0):
        errors["care_hours_per_week"] = [_("Give the hours of care per week (u.p.s. art. 50).")]
    if shelter_fee_per_night is not None and shelter_fee_per_night < 0:
        errors["shelter_fee_per_night"] = [_("The fee cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    explanation = assessment.explanation if assessment is not None else ""
    legal_basis = list(assessment.legal_basis) if assessment is not None else []
    assessment_data = {
        "eligible": eligible,
        "criterion": f"{assessment.criterion:.2f}" if assessment else None,
        "income": f"{assessment.income:.2f}" if assessment else None,
        "income_per_person": f"{assessment.income_per_person:.2f}" if assessment else None,
        "explanation": explanation,
    }
    care_fee = None
    if care:
        # The fee by the council's table in force on the first day (u.p.s. art. 50 ust. 6).
        care_fee, scale = care_fee_assess(application=application, on=period_from)
        explanation = care_fee.explanation
        legal_basis = [*care_fee.legal_basis, scale.resolution]
        assessment_data |= {
            "criterion": f"{care_fee.criterion:.2f}",
            "income": f"{care_fee.income:.2f}",
            "income_per_person": f"{care_fee.income_per_person:.2f}",
            "income_percent_of_criterion": f"{care_fee.income_percent_of_criterion:.2f}",
            "care_fee_scale_id": scale.pk,
            "care_fee_resolution": scale.resolution,
            "care_fee_per_hour": f"{care_fee.fee_per_hour:.2f}",
            "explanation": explanation,
        }
    legal_basis += ["k.p.a. art. 104", "u.p.s. art. 106 ust. 1", "u.p.s. art. 110 ust. 7"]
    granting = kind == DecisionKind.GRANTING
    decision = Decision(
        centre_id=application.centre_id,
        application=application,
        kind=kind,
        benefit=benefit,
        person=application.applicant,
        legal_parameters=legal,
        computed_amount=computed,
        amount=final_amount,
        amount_change_reason=amount_change_reason,
        assessment=assessment_data,
        # A refusal grants no period and pays nothing.
        period_from=period_from if granting else None,
        period_until=period_until if granting else None,
        payment_method=payment_method if granting else "",
        bank_account=iban.compact(bank_account) if bank_account and granting else "",
        payee_name=payee_name if granting else "",
        quantity=quantity,
        supplier=supplier,
        care_hours_per_week=care_hours_per_week,
        shelter_fee_per_night=shelter_fee_per_night if benefit == BenefitKind.SHELTER else None,
        care_hourly_cost=care_fee.hourly_cost if care_fee else None,
        care_fee_percent=care_fee.fee_percent if care_fee else None,
        legal_basis=list(dict.fromkeys(legal_basis)),
        reasoning=reasoning or _facts_found(application) + explanation,
        drafted_by=actor,
    )
    return _draft_save(decision=decision, application=application, actor=actor)


def _draft_save(*, decision: Decision, application: Application, actor: User) -> Decision:
    """Write the ruling, save the draft, move the application on, record it."""
    # The decision is written in Polish, whatever language the author works in.
    with translation.override("pl"):
        decision.ruling = _ruling_text(decision)
    decision.save()
    if application.status == ApplicationStatus.INTERVIEW_DONE:
        application_set_status(application=application, new=ApplicationStatus.DECISION_DRAFTED)
    history.decision_drafted(application, actor, decision_id=decision.pk)
    audit_record_change(
        actor=actor,
        instance=decision,
        action=AuditAction.CREATE,
        changes={
            k: [None, v] for k, v in snapshot(decision, _AUDITED).items() if v not in ("", None)
        },
        person_id=decision.person_id,
    )
    return decision


def _integration_decision_draft(
    *,
    actor: User,
    application: Application,
    period_from: date,
    period_until: date,
    amount: Decimal | None,
    amount_change_reason: str,
    payment_method: str,
    bank_account: str,
    payee_name: str,
    family_size: int | None,
    reasoning: str,
) -> Decision:
    """A granting decision on the integration benefit (u.p.s. art. 92, 94; LAW.md §6).

    The amount is the single person's amount in force on the first day (a legal parameter)
    times the family-size percentage; months 7–12 pay 90 % of it. A lower amount may be set
    with a written reason (the law gives maxima), never a higher one.
    """
    _interview_snapshot(application)  # u.p.s. art. 106 ust. 4: only after the interview
    programme = (
        IntegrationProgramme.objects.filter(
            application=application,
            kind=ProgrammeKind.STATUTORY,
            status__in=[ProgrammeStatus.DRAFT, ProgrammeStatus.ACTIVE],
        )
        .order_by("-id")
        .first()
    )
    # Granted only within an individual integration programme (u.p.s. art. 92–94), whose
    # checks (status of protection, the 60 days, 12 months) the programme made.
    if programme is None:
        raise ValidationError(
            {
                "benefit": _(
                    "The integration benefit is granted from the person's integration "
                    "programme: link this application to an open programme first."
                )
            }
        )
    if period_from < programme.starts_on or period_until > programme.ends_on:
        raise ValidationError(
            {
                "period_until": _("The period must lie within the programme, %(start)s – %(end)s.")
                % {"start": programme.starts_on.isoformat(), "end": programme.ends_on.isoformat()}
            }
        )
    legal = selectors.legal_parameters_on(period_from)
    if legal.integration_benefit_single is None:
        raise ValidationError(
            _(
                "The legal parameters in force on %(date)s give no integration benefit amount; "
                "the administrator must enter it first."
            )
            % {"date": period_from.isoformat()}
        )
    size = family_size or programme.family_size
    computed = integration_rules.integration_benefit(
        single_amount=legal.integration_benefit_single, family_size=size
    )
    errors: dict[str, list[str]] = {}
    final_amount = computed.months_1_6
    later = computed.months_7_12
    if amount is not None and amount != computed.months_1_6:
        if not (Decimal("0") < amount <= computed.months_1_6):
            errors["amount"] = [
                _("The amount must be more than 0 and at most %(high)s zł (%(basis)s).")
                % {"high": computed.months_1_6, "basis": ", ".join(computed.legal_basis)}
            ]
        elif not amount_change_reason.strip():
            errors["amount_change_reason"] = [
                _("Give the reason for changing the computed amount.")
            ]
        else:
            final_amount = amount
            later = integration_rules.second_half_amount(amount)
    errors |= _validate_payment(
        benefit=BenefitKind.INTEGRATION,
        method=payment_method,
        bank_account=bank_account,
        payee_name=payee_name,
    )
    if errors:
        raise ValidationError(errors)
    explanation = computed.explanation
    decision = Decision(
        centre_id=application.centre_id,
        application=application,
        kind=DecisionKind.GRANTING,
        benefit=BenefitKind.INTEGRATION,
        person=application.applicant,
        legal_parameters=legal,
        computed_amount=computed.months_1_6,
        amount=final_amount,
        amount_change_reason=amount_change_reason if final_amount != computed.months_1_6 else "",
        assessment={
            "eligible": True,
            "criterion": None,
            "income": None,
            "income_per_person": None,
            "family_size": size,
            "amount_months_7_12": f"{later:.2f}",
            "explanation": explanation,
        },
        period_from=period_from,
        period_until=period_until,
        payment_method=payment_method,
        bank_account=iban.compact(bank_account) if bank_account else "",
        payee_name=payee_name,
        legal_basis=[
            *computed.legal_basis,
            "k.p.a. art. 104",
            "u.p.s. art. 106 ust. 1",
            "u.p.s. art. 110 ust. 7",
        ],
        reasoning=reasoning or _facts_found(application) + explanation,
        drafted_by=actor,
    )
    return _draft_save(decision=decision, application=application, actor=actor)


_AUDITED = [
    "kind",
    "benefit",
    "status",
    "number",
    "computed_amount",
    "amount",
    "amount_change_reason",
    "period_from",
    "period_until",
    "payment_method",
    "bank_account",
    "payee_name",
    "quantity",
    "supplier",
    "care_hours_per_week",
    "care_hourly_cost",
    "care_fee_percent",
    "ruling",
]


# What a draft's edit may change: the wording, the payment and the scope of the help. The
# benefit, kind, period and amount come from the calculation: to change them, discard the draft
# and draft again, so that the rules run again.
DRAFT_EDITABLE = (
    "payment_method",
    "bank_account",
    "payee_name",
    "quantity",
    "supplier",
    "care_hours_per_week",
    "shelter_fee_per_night",
    "reasoning",
)


def decision_editable_fields(decision: Decision) -> list[str]:
    """The fields of this draft that decision_update may change (a refusal and an amending,
    revoking or suspending decision: their reasoning only)."""
    if decision.kind != DecisionKind.GRANTING:
        return ["reasoning"]
    names = set()
    if decision.benefit in CASH:
        names |= {"payment_method", "bank_account", "payee_name"}
    if decision.benefit in IN_KIND:
        names |= {"quantity", "supplier"}
    if decision.benefit == BenefitKind.CARE_SERVICES:
        names.add("care_hours_per_week")
    if decision.benefit == BenefitKind.SHELTER:
        names.add("shelter_fee_per_night")
    return [name for name in DRAFT_EDITABLE if name in names or name == "reasoning"]


def _draft_errors(decision: Decision) -> dict[str, list[str]]:
    """The checks decision_draft makes on the fields an edit may change."""
    errors: dict[str, list[str]] = {}
    if not decision.reasoning.strip():
        # k.p.a. art. 107 § 1 and § 3: a decision states its factual and legal reasoning.
        errors["reasoning"] = [_("Give the factual and legal reasoning.")]
    if decision.kind != DecisionKind.GRANTING:
        return errors
    errors |= _validate_payment(
        benefit=decision.benefit,
        method=decision.payment_method,
        bank_account=decision.bank_account,
        payee_name=decision.payee_name,
    )
    if decision.benefit in IN_KIND and not decision.quantity.strip():
        errors["quantity"] = [_("Give the quantity and scope of the help.")]
    hours = decision.care_hours_per_week
    if decision.benefit == BenefitKind.CARE_SERVICES and (hours is None or hours <= 0):
        errors["care_hours_per_week"] = [_("Give the hours of care per week (u.p.s. art. 50).")]
    fee = decision.shelter_fee_per_night
    if fee is not None and fee < 0:
        errors["shelter_fee_per_night"] = [_("The fee cannot be negative.")]
    return errors


@transaction.atomic
def decision_update(
    *,
    actor: User,
    decision: Decision,
    data: dict,
    expected_version: int | None = None,
    seen: dict | None = None,
) -> Decision:
    """Change a draft's reasoning, payment or scope of help (decision_editable_fields); the
    ruling is written again from them. Each changed field is audited old → new.

    With `expected_version` (the version the user loaded) a save over a newer version is
    refused with VersionConflict listing what changed since, and nothing is written;
    `seen` (the values the user loaded) makes that list exact.
    """
    if not actor.has_perm("benefits.change_decision"):
        raise PermissionDenied
    _require_case_write(actor, decision)
    decision = Decision.objects.select_for_update().select_related("person").get(pk=decision.pk)
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be changed; an issued decision is changed by a new decision.")
        )
    editable = decision_editable_fields(decision)
    if expected_version is not None and decision.version != expected_version:
        raise VersionConflict(
            _(
                "Someone else has changed this draft decision since you opened it. "
                "Nothing has been saved."
            ),
            changes=changes_since(
                instance=decision,
                now=snapshot(decision, editable),
                expected_version=expected_version,
                seen=seen,
            ),
            version=decision.version,
        )
    refused = set(data) - set(editable)
    if refused:
        raise ValidationError(
            {name: _("This field cannot be changed on this decision.") for name in sorted(refused)}
        )
    audited = [*DRAFT_EDITABLE, "ruling"]
    before = snapshot(decision, audited)
    for name, value in data.items():
        text = name not in ("care_hours_per_week", "shelter_fee_per_night")
        setattr(decision, name, "" if value is None and text else value)
    if decision.bank_account:
        decision.bank_account = iban.compact(decision.bank_account)
    errors = _draft_errors(decision)
    if errors:
        raise ValidationError(errors)
    if decision.kind in (DecisionKind.GRANTING, DecisionKind.REFUSING):
        # The decision is written in Polish, whatever language the author works in.
        with translation.override("pl"):
            decision.ruling = _ruling_text(decision)
    changes = diff(before, snapshot(decision, audited))
    if not changes:
        return decision
    decision.version += 1
    decision.save()
    audit_record_change(
        actor=actor,
        instance=decision,
        action=AuditAction.UPDATE,
        changes=changes,
        person_id=decision.person_id,
    )
    return decision


def _next_number(centre, year: int) -> int:
    current = Decision.objects.filter(centre=centre, year=year).aggregate(m=Max("sequence"))["m"]
    return (current or 0) + 1


CHANGE_KINDS = (DecisionKind.AMENDING, DecisionKind.REVOKING, DecisionKind.SUSPENDING)
# Where the law allows changing a final decision on a benefit: u.p.s. art. 106 ust. 5
# (changed circumstances) and art. 11 ust. 2 (no cooperation: suspending cash benefits).
CHANGE_BASIS = {
    DecisionKind.AMENDING: ["u.p.s. art. 106 ust. 5", "k.p.a. art. 104"],
    DecisionKind.REVOKING: ["u.p.s. art. 106 ust. 5", "k.p.a. art. 104"],
    DecisionKind.SUSPENDING: ["u.p.s. art. 11 ust. 2", "k.p.a. art. 104"],
}


def _change_ruling(change: Decision, original: Decision) -> str:
    ref = f"decyzję nr {original.number} z dnia {original.issued_on:%d.%m.%Y} r."
    since = f"od dnia {change.period_from:%d.%m.%Y} r."
    if change.kind == DecisionKind.REVOKING:
        return f"Uchylić {ref} {since}"
    if change.kind == DecisionKind.SUSPENDING:
        return f"Wstrzymać {since} wypłatę świadczenia przyznanego decyzją nr {original.number}."
    parts = [f"Zmienić {ref} w ten sposób, że {since}"]
    if change.amount is not None:
        parts.append(f"kwota świadczenia wynosi {rules.format_zl(change.amount)} miesięcznie")
    if change.period_until and change.period_until != original.period_until:
        parts.append(f"świadczenie przysługuje do dnia {change.period_until:%d.%m.%Y} r.")
    return " ".join(parts[:1]) + " " + ", a ".join(parts[1:]) + "."


@transaction.atomic
def decision_change_draft(
    *,
    actor: User,
    decision: Decision,
    kind: str,
    effective_from: date,
    reasoning: str,
    amount: Decimal | None = None,
    period_until: date | None = None,
) -> Decision:
    """Draft an amending, revoking or suspending decision for an issued granting decision.

    The issued decision itself never changes; the new decision says from when, and what,
    changes. It is signed and issued like any other (``decision_issue``).
    """
    if not actor.has_perm("benefits.add_decision"):
        raise PermissionDenied
    _require_case_write(actor, decision)
    original = Decision.objects.select_for_update().get(pk=decision.pk)
    errors: dict[str, list[str]] = {}
    if kind not in CHANGE_KINDS:
        errors["kind"] = [_("Choose: amending, revoking or suspending.")]
    if original.status != DecisionStatus.ISSUED or original.kind not in (
        DecisionKind.GRANTING,
        DecisionKind.AMENDING,
    ):
        raise ValidationError(_("Only an issued decision granting a benefit can be changed."))
    if original.changed_by.filter(status=DecisionStatus.DRAFT).exists():
        raise ValidationError(_("A change of this decision is already drafted."))
    if original.benefit == BenefitKind.INTEGRATION and kind == DecisionKind.AMENDING:
        # Its amounts follow the programme's months and the law's maxima (art. 94): a change
        # is a revoking or suspending decision, then a new grant from the programme.
        raise ValidationError(
            {
                "kind": _(
                    "The integration benefit is not amended: revoke or suspend it, and grant "
                    "it anew from the integration programme."
                )
            }
        )
    stop = original.changed_by.filter(
        status=DecisionStatus.ISSUED,
        kind__in=[DecisionKind.REVOKING, DecisionKind.SUSPENDING],
        period_from__lte=effective_from,
    ).first()
    if stop is not None:
        raise ValidationError(
            _("The benefit is already stopped from %(date)s by decision %(number)s.")
            % {"date": stop.period_from, "number": stop.number}
        )
    if original.period_from and effective_from < original.period_from:
        errors["effective_from"] = [_("The change cannot take effect before the benefit starts.")]
    if original.period_until and effective_from > original.period_until:
        errors["effective_from"] = [_("The change cannot take effect after the benefit ends.")]
    if period_until and period_until < effective_from:
        errors["period_until"] = [_("The period cannot end before it starts.")]
    if kind == DecisionKind.AMENDING and original.benefit in CASH and amount is None:
        errors["amount"] = [_("Give the new amount.")]
    if amount is not None and amount <= 0:
        errors["amount"] = [_("The amount must be greater than zero.")]
    if not reasoning.strip():
        errors["reasoning"] = [_("Give the factual and legal reasoning of the change.")]
    if errors:
        raise ValidationError(errors)
    change = Decision(
        centre_id=original.centre_id,
        application=original.application,
        changes_decision=original,
        kind=kind,
        benefit=original.benefit,
        person=original.person,
        legal_parameters=original.legal_parameters,
        amount=amount if kind == DecisionKind.AMENDING else None,
        period_from=effective_from,
        period_until=(period_until or original.period_until)
        if kind == DecisionKind.AMENDING
        else original.period_until,
        payment_method=original.payment_method,
        bank_account=original.bank_account,
        payee_name=original.payee_name,
        quantity=original.quantity,
        supplier=original.supplier,
        legal_basis=CHANGE_BASIS[kind],
        reasoning=reasoning,
        drafted_by=actor,
    )
    with translation.override("pl"):
        change.ruling = _change_ruling(change, original)
    change.save()
    history.decision_drafted(original.application, actor, decision_id=change.pk)
    audit_record_change(
        actor=actor,
        instance=change,
        action=AuditAction.CREATE,
        changes={
            "kind": [None, kind],
            "changes_decision": [None, original.number],
            "effective_from": [None, effective_from.isoformat()],
            "amount": [None, f"{amount:.2f}" if amount is not None else None],
        },
        person_id=change.person_id,
    )
    return change


@transaction.atomic
def decision_issue(
    *,
    actor: User,
    decision: Decision,
    issued_on: date | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Sign and issue a drafted decision: give it the next number of the year's register and
    render its PDF once. Only the head or an authorised employee signs (u.p.s. art. 110).

    With `expected_version` (the version of the draft the signer read) a draft changed since
    is not signed: VersionConflict lists what changed, so nobody signs text they have not seen.
    """
    if not may_sign(actor):
        raise PermissionDenied(
            _("You are not authorised to sign decisions (u.p.s. art. 110 ust. 7).")
        )
    decision = (
        Decision.objects.select_for_update().select_related("centre", "person").get(pk=decision.pk)
    )
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be issued; an issued decision never changes."))
    if expected_version is not None and decision.version != expected_version:
        raise VersionConflict(
            _(
                "The draft has been changed since you opened it, so it was not signed. "
                "Read it again and sign."
            ),
            changes=changes_since(
                instance=decision,
                now=snapshot(decision, decision_editable_fields(decision)),
                expected_version=expected_version,
            ),
            version=decision.version,
        )
    if decision.application.is_closed:
        raise ValidationError(
            _("The application is closed (%(status)s); discard this draft.")
            % {"status": decision.application.get_status_display()}
        )
    issued_on = issued_on or timezone.localdate()
    year = issued_on.year
    for _attempt in range(5):
        sequence = _next_number(decision.centre, year)
        try:
            with transaction.atomic():
                Decision.objects.filter(pk=decision.pk).update(year=year, sequence=sequence)
            break
        except IntegrityError:
            continue
    else:
        raise ValidationError(_("Could not allocate a decision number; try again."))
    decision.year, decision.sequence = year, sequence
    decision.number = f"{decision.centre.decision_number_prefix}/{sequence}/{year}"
    decision.status = DecisionStatus.ISSUED
    decision.issued_on = issued_on
    decision.signed_by = actor
    decision.signer_name = actor.get_full_name() or actor.username
    with translation.override("pl"):  # printed on the decision, which is in Polish
        decision.signer_post = actor.position or str(
            _("Head of the centre") if actor.has_role(HEAD) else _("authorised employee")
        )
    from .pdf import decision_pdf

    decision.pdf = decision_pdf(decision)
    decision.pdf_sha256 = hashlib.sha256(decision.pdf).hexdigest()
    decision.version += 1
    decision.save()
    application = decision.application
    if (
        application.status == ApplicationStatus.DECISION_DRAFTED
        and not application.decisions.filter(status=DecisionStatus.DRAFT).exists()
    ):
        application_set_status(application=application, new=ApplicationStatus.DECISION_ISSUED)
    history.decision_issued(application, actor, decision_id=decision.pk, number=decision.number)
    if decision.benefit == BenefitKind.PERMANENT and decision.kind == DecisionKind.GRANTING:
        # Permanent help: the interview is updated at least every 6 months (art. 107 ust. 4a).
        interview = _interview_snapshot(application)
        interview_schedule_update(
            actor=actor,
            household=application.household,
            last_interview_on=interview.conducted_on,
        )
    audit_record_change(
        actor=actor,
        instance=decision,
        action=AuditAction.UPDATE,
        changes={
            "status": ["draft", "issued"],
            "number": ["", decision.number],
            "pdf_sha256": ["", decision.pdf_sha256],
        },
        person_id=decision.person_id,
    )
    return decision


@transaction.atomic
def decision_discard(*, actor: User, decision: Decision) -> Decision:
    """Discard a draft (it stays in the history, never issued)."""
    if not actor.has_perm("benefits.change_decision"):
        raise PermissionDenied
    _require_case_write(actor, decision)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be discarded."))
    decision.status = DecisionStatus.DISCARDED
    decision.version += 1
    decision.save(update_fields=["status", "version", "updated_at"])
    application = decision.application
    if (
        application.status == ApplicationStatus.DECISION_DRAFTED
        and not application.decisions.filter(
            status__in=[DecisionStatus.DRAFT, DecisionStatus.ISSUED]
        ).exists()
    ):
        application_set_status(application=application, new=ApplicationStatus.INTERVIEW_DONE)
    history.decision_discarded(application, actor, decision_id=decision.pk)
    audit_record_change(
        actor=actor,
        instance=decision,
        action=AuditAction.UPDATE,
        changes={"status": ["draft", "discarded"]},
        person_id=decision.person_id,
    )
    return decision


def appeal_deadline(served_on: date) -> date:
    """14 days from service (k.p.a. art. 129 § 2), moved off a Saturday or holiday (art. 57 § 4)."""
    return case_rules.move_off_holiday(served_on + timedelta(days=APPEAL_DAYS))


@transaction.atomic
def decision_serve(*, actor: User, decision: Decision, served_on: date) -> Decision:
    """Record the date of service (doręczenie); the appeal period runs from it."""
    if not actor.has_perm("benefits.change_decision"):
        raise PermissionDenied
    _require_case_write(actor, decision)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.ISSUED:
        raise ValidationError(_("Only an issued decision is served."))
    if decision.served_on is not None:
        raise ValidationError(_("The date of service is already recorded."))
    if served_on < decision.issued_on or served_on > timezone.localdate():
        raise ValidationError(
            {"served_on": _("The date of service must be between the issue date and today.")}
        )
    decision.served_on = served_on
    decision.appeal_deadline = appeal_deadline(served_on)
    decision.version += 1
    decision.save(update_fields=["served_on", "appeal_deadline", "version", "updated_at"])
    history.decision_served(
        decision.application, actor, decision_id=decision.pk, served_on=served_on
    )
    audit_record_change(
        actor=actor,
        instance=decision,
        action=AuditAction.UPDATE,
        changes={
            "served_on": [None, served_on.isoformat()],
            "appeal_deadline": [None, decision.appeal_deadline.isoformat()],
        },
        person_id=decision.person_id,
    )
    return decision


@transaction.atomic
def appeal_lodge(*, actor: User, decision: Decision, lodged_on: date, notes: str = "") -> Appeal:
    """Record an appeal to the Samorządowe Kolegium Odwoławcze, lodged through the centre."""
    if not actor.has_perm("benefits.add_appeal"):
        raise PermissionDenied
    _require_case_write(actor, decision)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.ISSUED:
        raise ValidationError(_("Only an issued decision can be appealed."))
    if decision.final_on is not None:
        raise ValidationError(_("The decision is already final."))
    if decision.served_on and lodged_on < decision.issued_on:
        raise ValidationError({"lodged_on": _("The appeal cannot precede the decision.")})
    late = decision.appeal_deadline is not None and lodged_on > decision.appeal_deadline
    appeal = Appeal.objects.create(
        decision=decision,
        lodged_on=lodged_on,
        notes=(notes + ("\n" if notes else "") + _("Lodged after the appeal period."))
        if late
        else notes,
        recorded_by=actor,
    )
    history.appeal_lodged(decision.application, actor, decision_id=decision.pk, lodged_on=lodged_on)
    audit_record_change(
        actor=actor,
        instance=appeal,
        action=AuditAction.CREATE,
        changes={"lodged_on": [None, lodged_on.isoformat()]},
        person_id=decision.person_id,
    )
    return appeal


@transaction.atomic
def appeal_forward(*, actor: User, appeal: Appeal, forwarded_on: date) -> Appeal:
    """The centre forwards the appeal with the case files to the SKO (k.p.a. art. 133)."""
    if not actor.has_perm("benefits.change_appeal"):
        raise PermissionDenied
    _require_case_write(actor, appeal.decision)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.forwarded_on is not None:
        raise ValidationError(_("The appeal has already been forwarded."))
    if forwarded_on < appeal.lodged_on:
        raise ValidationError({"forwarded_on": _("It cannot be forwarded before it was lodged.")})
    appeal.forwarded_on = forwarded_on
    appeal.save(update_fields=["forwarded_on", "updated_at"])
    history.appeal_forwarded(
        appeal.decision.application, actor, decision_id=appeal.decision_id, on=forwarded_on
    )
    audit_record_change(
        actor=actor,
        instance=appeal,
        action=AuditAction.UPDATE,
        changes={"forwarded_on": [None, forwarded_on.isoformat()]},
        person_id=appeal.decision.person_id,
    )
    return appeal


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, outcome: str, outcome_on: date) -> Appeal:
    """Record the appeal board's ruling; an upheld decision becomes final on that day."""
    if not actor.has_perm("benefits.change_appeal"):
        raise PermissionDenied
    _require_case_write(actor, appeal.decision)
    if outcome not in AppealOutcome.values or outcome == AppealOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose the outcome of the appeal.")})
    appeal = Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)
    if appeal.outcome != AppealOutcome.PENDING:
        raise ValidationError(_("The outcome is already recorded."))
    appeal.outcome, appeal.outcome_on = outcome, outcome_on
    appeal.save(update_fields=["outcome", "outcome_on", "updated_at"])
    decision = appeal.decision
    history.appeal_decided(decision.application, actor, decision_id=decision.pk, outcome=outcome)
    if outcome == AppealOutcome.UPHELD:
        _make_final(decision=decision, final_on=outcome_on, actor=actor)
    audit_record_change(
        actor=actor,
        instance=appeal,
        action=AuditAction.UPDATE,
        changes={"outcome": ["pending", outcome], "outcome_on": [None, outcome_on.isoformat()]},
        person_id=decision.person_id,
    )
    return appeal


def _make_final(*, decision: Decision, final_on: date, actor: User | None) -> None:
    Decision.objects.filter(pk=decision.pk).update(final_on=final_on, version=F("version") + 1)
    application = decision.application
    if application.status == ApplicationStatus.DECISION_ISSUED:
        application_set_status(application=application, new=ApplicationStatus.FINAL)
    history.final(application, actor, decision_id=decision.pk, final_on=final_on)


@transaction.atomic
def decisions_finalise(*, today: date | None = None) -> int:
    """Mark as final every served decision whose appeal period has passed unused
    (k.p.a. art. 16 § 1, art. 129). Run daily; idempotent."""
    today = today or timezone.localdate()
    due = (
        Decision.objects.select_for_update()
        .filter(status=DecisionStatus.ISSUED, final_on__isnull=True, appeal_deadline__lt=today)
        # An appeal lodged in time keeps it open; a late one does not stop finality.
        .exclude(appeals__lodged_on__lte=F("appeal_deadline"))
        .select_related("application")
        .order_by("pk")
    )
    count = 0
    for decision in due:
        _make_final(
            decision=decision, final_on=decision.appeal_deadline + timedelta(days=1), actor=None
        )
        count += 1
    return count


# --- Care services (usługi opiekuńcze, u.p.s. art. 50) ---------------------------------------

_SCALE_AUDITED = ["centre_id", "valid_from", "hourly_cost", "resolution", "brackets"]
_CARE_MONTH_AUDITED = ["decision_id", "month", "hours_delivered", "fee_owed", "recorded_by_id"]
HOURS_PLACES = Decimal("0.1")


@transaction.atomic
def care_fee_scale_save(*, actor: User, scale: CareFeeScale) -> CareFeeScale:
    """Save a new or corrected fee scale of the centre (u.p.s. art. 50 ust. 6), audited
    old → new. A new council resolution is a new scale, not a change of the old one."""
    adding = scale._state.adding
    if not actor.has_perm(
        "benefits.add_carefeescale" if adding else "benefits.change_carefeescale"
    ):
        raise PermissionDenied
    if not actor.is_superuser and scale.centre_id != actor.centre_id:
        raise PermissionDenied
    return audited_save(actor=actor, instance=scale, fields=_SCALE_AUDITED)


def care_fee_scale_create(
    *,
    actor: User,
    valid_from: date,
    hourly_cost: Decimal,
    resolution: str,
    brackets: list[dict],
) -> CareFeeScale:
    """Record the council's resolution on care services fees for the actor's centre
    (u.p.s. art. 50 ust. 6): the cost of one hour and the table income → fee percent."""
    return care_fee_scale_save(
        actor=actor,
        scale=CareFeeScale(
            centre_id=actor.centre_id,
            valid_from=valid_from,
            hourly_cost=hourly_cost,
            resolution=resolution,
            brackets=brackets,
        ),
    )


@transaction.atomic
def care_hours_record(
    *, actor: User, decision: Decision, month: date, hours: Decimal
) -> CareServiceMonth:
    """Record the hours of care delivered in `month` under an issued decision granting care
    services, with the fee they cost the person: hours × the decision's hourly cost × its fee
    percent (u.p.s. art. 50 ust. 6). Recording a month again replaces its hours and fee."""
    if not actor.has_perm("benefits.change_decision"):
        raise PermissionDenied
    if not selectors.decision_queryset_for_user(user=actor).filter(pk=decision.pk).exists():
        raise PermissionDenied
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not (
        decision.benefit == BenefitKind.CARE_SERVICES
        and decision.kind == DecisionKind.GRANTING
        and decision.status == DecisionStatus.ISSUED
    ):
        raise ValidationError(
            _("Hours are recorded only under an issued decision granting care services.")
        )
    if (
        decision.care_hourly_cost is None
        or decision.care_fee_percent is None
        or decision.period_from is None
        or decision.period_until is None
    ):
        raise ValidationError(
            _("The decision states no fee or no period of care services; hours cannot be priced.")
        )
    month = month.replace(day=1)
    errors: dict[str, list[str]] = {}
    hours = Decimal(hours)
    if not hours.is_finite() or not (0 <= hours <= rules.CARE_HOURS_MONTH_MAX):
        errors["hours"] = [
            _("Give the hours delivered in the month, from 0 to %(max)s.")
            % {"max": rules.CARE_HOURS_MONTH_MAX}
        ]
    elif hours != hours.quantize(HOURS_PLACES):
        errors["hours"] = [_("Give the hours with at most one decimal place.")]
    if not (decision.period_from.replace(day=1) <= month <= decision.period_until):
        errors["month"] = [
            _("The month must fall within the decision's period, %(from)s – %(until)s.")
            % {
                "from": decision.period_from.strftime("%Y-%m"),
                "until": decision.period_until.strftime("%Y-%m"),
            }
        ]
    elif month > timezone.localdate():
        errors["month"] = [_("Hours can be recorded only for a month that has begun.")]
    if errors:
        raise ValidationError(errors)
    hours = hours.quantize(HOURS_PLACES)
    fee = rules.care_fee_owed(
        hours=hours,
        hourly_cost=decision.care_hourly_cost,
        fee_percent=decision.care_fee_percent,
    )
    record = (
        CareServiceMonth.objects.select_for_update().filter(decision=decision, month=month).first()
    )
    if record is None:
        before = {}
        record = CareServiceMonth(centre_id=decision.centre_id, decision=decision, month=month)
    elif record.hours_delivered == hours:
        return record  # the same hours again: nothing changes
    else:
        before = snapshot(record, _CARE_MONTH_AUDITED)
    record.hours_delivered = hours
    record.fee_owed = fee
    record.recorded_by = actor
    record.save()
    audit_record_change(
        actor=actor,
        instance=record,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        changes=diff(before, snapshot(record, _CARE_MONTH_AUDITED)),
        person_id=decision.person_id,
    )
    return record
