"""Writes of case handling. One transaction each, audited, with a timeline event."""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gops.accounts.models import User
from gops.accounts.roles import SOCIAL_WORKER
from gops.audit.models import AuditAction
from gops.audit.services import ENCRYPTED, audit_record_change, snapshot
from gops.people.models import Household, Income, Person
from gops.people.selectors import person_can_write

from . import history, rules
from .models import (
    Application,
    ApplicationStatus,
    AssistanceReason,
    BenefitKind,
    CaseEventCode,
    CaseNote,
    CommunityInterview,
    ContractReview,
    ContractStatus,
    InterviewKind,
    InterviewStatus,
    SocialContract,
)


def _set_status(application: Application, new: str) -> None:
    if not rules.can_transition(application.status, new):
        raise ValidationError(
            _("An application in the state “%(current)s” cannot move to “%(new)s”.")
            % {
                "current": ApplicationStatus(application.status).label,
                "new": ApplicationStatus(new).label,
            }
        )
    application.status = new
    application.save(update_fields=["status", "updated_at"])


def application_set_status(*, application: Application, new: str) -> None:
    """Move an application along its life cycle (used by the benefits services too)."""
    _set_status(application, new)


def _next_sequence(centre_id: int, year: int) -> int:
    current = Application.objects.filter(centre_id=centre_id, year=year).aggregate(
        m=Max("sequence")
    )["m"]
    return (current or 0) + 1


def _validate_codes(benefits: list[str], reasons: list[str], reason_other: str) -> None:
    errors: dict[str, list[str]] = {}
    unknown_benefits = [b for b in benefits if b not in BenefitKind.values]
    if not benefits:
        errors["benefits_requested"] = [_("Choose at least one form of help.")]
    elif unknown_benefits:
        errors["benefits_requested"] = [
            _("Unknown form of help: %(codes)s (u.p.s. art. 36).")
            % {"codes": ", ".join(unknown_benefits)}
        ]
    unknown = [r for r in reasons if r not in AssistanceReason.values]
    if unknown:
        errors["reasons"] = [
            _("Unknown reason: %(codes)s. Use the codes of u.p.s. art. 7 or “other”.")
            % {"codes": ", ".join(unknown)}
        ]
    elif not reasons:
        errors["reasons"] = [_("Give at least one reason for help (u.p.s. art. 7).")]
    elif AssistanceReason.OTHER in reasons and not reason_other.strip():
        errors["reason_other"] = [_("Describe the other reason.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_register(
    *,
    actor: User,
    household: Household,
    applicant: Person,
    received_on: date,
    benefits_requested: list[str],
    reasons: list[str],
    reason_other: str = "",
    description: str = "",
    urgent: bool = False,
    particularly_complicated: bool = False,
    ex_officio: bool = False,
    worker: User | None = None,
) -> Application:
    """Register an application (or open a case ex officio, u.p.s. art. 102) and schedule the
    family community interview with its statutory due date (art. 107; 14 or 2 working days).
    """
    if not actor.has_perm("cases.add_application") or not person_can_write(
        user=actor, person=applicant
    ):
        raise PermissionDenied
    _validate_codes(benefits_requested, reasons, reason_other)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date received cannot be in the future.")})
    if household.centre_id != actor.centre_id:
        raise ValidationError({"household": _("Unknown household.")})
    if not household.memberships.filter(person=applicant, left_on__isnull=True).exists():
        raise ValidationError(
            {"applicant": _("The applicant must be a current member of the household.")}
        )
    # The registering social worker leads the case; otherwise the person's case worker.
    if worker is None:
        worker = actor if actor.has_role(SOCIAL_WORKER) else (applicant.case_worker or actor)
    year = received_on.year
    interview_due_on = rules.interview_due(received_on=received_on, urgent=urgent)
    for _attempt in range(5):
        sequence = _next_sequence(actor.centre_id, year)
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    centre_id=actor.centre_id,
                    number=f"{actor.centre.case_number_prefix}/{sequence}/{year}",
                    year=year,
                    sequence=sequence,
                    household=household,
                    applicant=applicant,
                    ex_officio=ex_officio,
                    received_on=received_on,
                    benefits_requested=list(dict.fromkeys(benefits_requested)),
                    reasons=list(dict.fromkeys(reasons)),
                    reason_other=reason_other,
                    description=description,
                    urgent=urgent,
                    particularly_complicated=particularly_complicated,
                    worker=worker,
                    interview_due_on=interview_due_on,
                    decision_due_on=rules.decision_due(
                        received_on=received_on, particularly_complicated=particularly_complicated
                    ),
                    created_by=actor,
                )
            break
        except IntegrityError:
            continue  # another registration took this number; take the next one
    else:
        raise ValidationError(_("Could not allocate a registration number; try again."))
    history.registered(application, actor)
    CommunityInterview.objects.create(
        centre_id=actor.centre_id,
        application=application,
        household=household,
        kind=InterviewKind.INITIAL,
        due_on=interview_due_on,
    )
    _set_status(application, ApplicationStatus.INTERVIEW_SCHEDULED)
    history.interview_scheduled(application, actor, due_on=interview_due_on)
    audit_record_change(
        actor=actor,
        instance=application,
        action=AuditAction.CREATE,
        changes={k: [None, v] for k, v in snapshot(application).items() if v not in ("", None)},
        person_id=applicant.pk,
        household_id=household.pk,
    )
    return application


def household_snapshot(*, household: Household, month: date) -> dict[str, Any]:
    """The household's members and their incomes of `month`, as confirmed at the interview.

    Income is that of the month before the application (u.p.s. art. 8 ust. 3).
    """
    month = month.replace(day=1)
    members = []
    memberships = household.memberships.filter(left_on__isnull=True).select_related("person")
    incomes: dict[int, list[Income]] = {}
    for income in Income.objects.filter(
        person__in=[m.person_id for m in memberships], month=month
    ).order_by("id"):
        incomes.setdefault(income.person_id, []).append(income)
    for m in memberships.order_by("id"):
        p = m.person
        members.append(
            {
                "person_id": p.pk,
                "first_names": p.first_names,
                "surnames": p.surnames,
                "pesel": p.pesel,
                "birth_date": p.birth_date.isoformat(),
                "sex": p.sex,
                "relation": m.relation,
                "disability_degree": p.disability_degree,
                "incomes": [
                    {
                        "source": i.source,
                        "net_amount": f"{i.net_amount:.2f}",
                        "counts_as_income": i.counts_as_income,
                        "farm_hectares": None if i.farm_hectares is None else str(i.farm_hectares),
                    }
                    for i in incomes.get(p.pk, [])
                ],
            }
        )
    return {"month": month.strftime("%Y-%m"), "household_id": household.pk, "members": members}


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


@transaction.atomic
def interview_record(
    *,
    actor: User,
    interview: CommunityInterview,
    conducted_on: date,
    needs: str,
    diagnosis: str,
    help_plan: str,
    material_situation: str = "",
    health: str = "",
    work_and_education: str = "",
    housing: str = "",
    refused: bool = False,
) -> CommunityInterview:
    """Record the interview at the person's home (u.p.s. art. 107).

    Parts H, I and J are mandatory; part A (the household and its incomes of the month
    before the application) is taken from the registry and frozen as a snapshot. A refusal
    of the interview is recorded too: it may justify refusing help (LAW.md §5).
    """
    interview = CommunityInterview.objects.select_for_update().get(pk=interview.pk)
    application = interview.application
    if not actor.has_perm("cases.change_communityinterview"):
        raise PermissionDenied
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(_("This interview has already been recorded."))
    errors: dict[str, list[str]] = {}
    if conducted_on > timezone.localdate():
        errors["conducted_on"] = [_("The interview date cannot be in the future.")]
    if application is not None and conducted_on < application.received_on:
        errors["conducted_on"] = [_("The interview cannot precede the application.")]
    if not refused:
        for name, text in (("needs", needs), ("diagnosis", diagnosis), ("help_plan", help_plan)):
            if not text.strip():
                errors[name] = [
                    _("This part of the questionnaire is mandatory (Dz.U. 2021 poz. 893).")
                ]
    if errors:
        raise ValidationError(errors)
    before = snapshot(interview)
    basis = application.received_on if application else conducted_on
    interview.snapshot = household_snapshot(
        household=interview.household, month=previous_month(basis)
    )
    interview.conducted_on = conducted_on
    interview.conducted_by = actor
    interview.status = InterviewStatus.REFUSED if refused else InterviewStatus.DONE
    interview.needs, interview.diagnosis, interview.help_plan = needs, diagnosis, help_plan
    interview.material_situation = material_situation
    interview.health = health
    interview.work_and_education = work_and_education
    interview.housing = housing
    interview.save()
    if application is not None:
        _set_status(application, ApplicationStatus.INTERVIEW_DONE)
        if refused:
            history.interview_refused(application, actor, on=conducted_on)
        else:
            history.interview_done(application, actor, conducted_on=conducted_on)
    after = snapshot(interview)
    audit_record_change(
        actor=actor,
        instance=interview,
        action=AuditAction.UPDATE,
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
        person_id=application.applicant_id if application else None,
        household_id=interview.household_id,
    )
    return interview


@transaction.atomic
def interview_schedule_update(
    *, actor: User, household: Household, last_interview_on: date
) -> CommunityInterview:
    """Schedule the update of the interview for permanent help: at least every 6 months."""
    due = rules.interview_update_due(last_interview_on=last_interview_on)
    existing = CommunityInterview.objects.filter(
        household=household, kind=InterviewKind.UPDATE, status=InterviewStatus.SCHEDULED
    ).first()
    if existing is not None:
        if existing.due_on > due:
            existing.due_on = due
            existing.save(update_fields=["due_on", "updated_at"])
        return existing
    return CommunityInterview.objects.create(
        centre_id=household.centre_id, household=household, kind=InterviewKind.UPDATE, due_on=due
    )


@transaction.atomic
def application_close(
    *, actor: User, application: Application, status: str, reason: str
) -> Application:
    """Withdraw an application or leave it without consideration, with the reason."""
    if status not in (ApplicationStatus.WITHDRAWN, ApplicationStatus.LEFT_WITHOUT_CONSIDERATION):
        raise ValidationError({"status": _("Choose: withdrawn or left without consideration.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    application = Application.objects.select_for_update().get(pk=application.pk)
    _set_status(application, status)
    application.closed_reason = reason
    application.save(update_fields=["closed_reason", "updated_at"])
    history.closed(
        application,
        actor,
        code=CaseEventCode.WITHDRAWN
        if status == "withdrawn"
        else CaseEventCode.LEFT_WITHOUT_CONSIDERATION,
        reason=reason,
    )
    audit_record_change(
        actor=actor,
        instance=application,
        action=AuditAction.UPDATE,
        changes={"status": [None, status], "closed_reason": [None, reason]},
        person_id=application.applicant_id,
    )
    return application


@transaction.atomic
def case_note_add(
    *, actor: User, person: Person, text: str, application: Application | None = None
) -> CaseNote:
    """A social work note (praca socjalna) on a person, optionally within an application."""
    if not actor.has_perm("cases.add_casenote"):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    note = CaseNote.objects.create(
        person=person, application=application, author=actor, text=text.strip()
    )
    if application is not None:
        history.note_added(application, actor, note_id=note.pk)
    audit_record_change(
        actor=actor,
        instance=note,
        action=AuditAction.CREATE,
        person_id=person.pk,
        changes={"text": [None, note.text]},
    )
    return note


@transaction.atomic
def social_contract_create(
    *,
    actor: User,
    person: Person,
    signed_on: date,
    valid_from: date,
    valid_until: date,
    situation: str,
    goals: str,
    person_obligations: str,
    centre_obligations: str,
    application: Application | None = None,
) -> SocialContract:
    """Kontrakt socjalny (u.p.s. art. 108): mutual obligations to overcome the situation."""
    if not actor.has_perm("cases.add_socialcontract"):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if valid_until < valid_from:
        errors["valid_until"] = [_("The contract cannot end before it starts.")]
    for name, value in (
        ("situation", situation),
        ("goals", goals),
        ("person_obligations", person_obligations),
        ("centre_obligations", centre_obligations),
    ):
        if not value.strip():
            errors[name] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    contract = SocialContract.objects.create(
        centre_id=actor.centre_id,
        person=person,
        application=application,
        worker=actor,
        signed_on=signed_on,
        valid_from=valid_from,
        valid_until=valid_until,
        situation=situation,
        goals=goals,
        person_obligations=person_obligations,
        centre_obligations=centre_obligations,
    )
    audit_record_change(
        actor=actor,
        instance=contract,
        action=AuditAction.CREATE,
        person_id=person.pk,
        changes={k: [None, v] for k, v in snapshot(contract).items() if v not in ("", None)},
    )
    return contract


@transaction.atomic
def social_contract_review(
    *, actor: User, contract: SocialContract, reviewed_on: date, notes: str
) -> ContractReview:
    if not actor.has_perm("cases.change_socialcontract"):
        raise PermissionDenied
    if not notes.strip():
        raise ValidationError({"notes": _("Describe the progress.")})
    review = ContractReview.objects.create(
        contract=contract, reviewed_on=reviewed_on, reviewer=actor, notes=notes
    )
    audit_record_change(
        actor=actor,
        instance=contract,
        action=AuditAction.UPDATE,
        person_id=contract.person_id,
        # The review's text is encrypted (ContractReview.notes): not copied into the audit.
        changes={"review": [None, ENCRYPTED]},
    )
    return review


@transaction.atomic
def social_contract_close(
    *, actor: User, contract: SocialContract, status: str, outcome: str
) -> SocialContract:
    if not actor.has_perm("cases.change_socialcontract"):
        raise PermissionDenied
    if status == ContractStatus.ACTIVE or status not in ContractStatus.values:
        raise ValidationError({"status": _("Choose how the contract ended.")})
    contract = SocialContract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.ACTIVE:
        raise ValidationError(_("This contract has already ended."))
    before = {"status": contract.status, "outcome": contract.outcome}
    contract.status, contract.outcome = status, outcome
    contract.save(update_fields=["status", "outcome", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=contract,
        action=AuditAction.UPDATE,
        person_id=contract.person_id,
        changes={"status": [before["status"], status], "outcome": [before["outcome"], outcome]},
    )
    return contract
