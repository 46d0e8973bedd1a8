"""Writes of integration: programmes (with their benefit computed from the legal parameters),
goals, steps, reviews, activation and closing, and the draft decision on the benefit.

Every write checks the actor's permission and the person's visibility, runs in one
transaction and records its audit entry with the person's id. Validation happens before
anything is written: a programme with one bad goal or step is not written at all.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gops.accounts.models import User
from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change, diff, snapshot
from gops.benefits.models import Decision, DecisionStatus
from gops.benefits.selectors import legal_parameters_on
from gops.benefits.services import decision_draft
from gops.cases.models import Application, BenefitKind
from gops.people.models import Person, ResidenceStatus
from gops.people.selectors import person_can_write

from . import rules
from .models import (
    IntegrationArea,
    IntegrationGoal,
    IntegrationProgramme,
    IntegrationReview,
    IntegrationStep,
    ProgrammeKind,
    ProgrammeStatus,
)

PROTECTED_STATUSES = (ResidenceStatus.REFUGEE_STATUS, ResidenceStatus.SUBSIDIARY_PROTECTION)
OPEN_STATUSES = (ProgrammeStatus.DRAFT, ProgrammeStatus.ACTIVE)

PROGRAMME_AUDITED = [
    "person_id",
    "kind",
    "application_id",
    "coordinator_id",
    "protection_granted_on",
    "applied_on",
    "starts_on",
    "ends_on",
    "family_size",
    "benefit_months_1_6",
    "benefit_months_7_12",
    "legal_parameters_id",
    "decision_id",
    "status",
    "closed_on",
    "closing_note",
]
# What programme_update may change; the rest follows from the workflow.
PROGRAMME_EDITABLE = {
    "kind",
    "application",
    "coordinator",
    "protection_granted_on",
    "applied_on",
    "starts_on",
    "ends_on",
    "family_size",
}
# Fields a drafted or issued decision was computed from.
DECIDED_FIELDS = {"kind", "application", "starts_on", "ends_on", "family_size"}


@dataclass(frozen=True)
class StepData:
    action: str
    deadline: date | None
    done_on: date | None = None
    outcome: str = ""


@dataclass(frozen=True)
class GoalData:
    area: str
    description: str
    steps: Sequence[StepData] = field(default_factory=tuple)


# --- checks ----------------------------------------------------------------------------------


def _require(actor: User, perm: str, person: Person) -> None:
    if (
        not actor.has_perm(perm)
        or person.centre_id != actor.centre_id
        or not person_can_write(user=actor, person=person)
    ):
        raise PermissionDenied


def _require_open(programme: IntegrationProgramme) -> None:
    if programme.status not in OPEN_STATUSES:
        raise ValidationError(_("The programme is closed; it can no longer be changed."))


def _programme_errors(programme: IntegrationProgramme) -> dict[str, list[str]]:
    """Every reason the programme's dates, kind and person do not fit the rules."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    person = programme.person
    if programme.kind not in ProgrammeKind.values:
        add("kind", _("Choose the kind of programme."))
    if programme.family_size is None or programme.family_size < 1:
        add("family_size", _("At least one person is covered by the programme."))
    if programme.starts_on and programme.ends_on:
        if programme.ends_on < programme.starts_on:
            add("ends_on", _("The programme cannot end before it starts."))
        elif rules.too_long(starts_on=programme.starts_on, ends_on=programme.ends_on):
            add(
                "ends_on",
                _("An integration programme lasts at most 12 months: it must end by %(date)s.")
                % {"date": rules.latest_end(programme.starts_on).isoformat()},
            )
    if programme.kind == ProgrammeKind.STATUTORY:
        if not person.is_foreigner or person.residence_status not in PROTECTED_STATUSES:
            add(
                "person",
                _(
                    "The individual integration programme is for foreigners granted refugee "
                    "status or subsidiary protection in Poland; %(person)s is not. Record the "
                    "status on the person, or choose the centre's own integration plan."
                )
                % {"person": person},
            )
        if programme.protection_granted_on is None:
            add(
                "protection_granted_on",
                _("Give the day refugee status or subsidiary protection was granted."),
            )
        elif programme.applied_on:
            if programme.applied_on < programme.protection_granted_on:
                add(
                    "applied_on",
                    _("The application cannot precede the grant of protection."),
                )
            elif rules.application_late(
                protection_granted_on=programme.protection_granted_on,
                applied_on=programme.applied_on,
            ):
                add(
                    "applied_on",
                    _(
                        "The application for the programme must be made within %(days)s days "
                        "of the grant of protection (u.p.s. art. 92 ust. 1), by %(date)s."
                    )
                    % {
                        "days": rules.APPLICATION_DAYS,
                        "date": (
                            programme.protection_granted_on + timedelta(days=rules.APPLICATION_DAYS)
                        ).isoformat(),
                    },
                )
    if programme.applied_on and programme.applied_on > timezone.localdate():
        add("applied_on", _("The application date cannot be in the future."))
    if programme.coordinator_id and programme.coordinator.centre_id != programme.centre_id:
        add("coordinator", _("Unknown coordinator."))
    if programme.application_id:
        application: Application = programme.application
        if (
            application.centre_id != programme.centre_id
            or application.applicant_id != person.pk
            or BenefitKind.INTEGRATION not in (application.benefits_requested or [])
        ):
            add(
                "application",
                _("Choose an application of this person that requests the integration benefit."),
            )
    return errors


def _goal_errors(goals: Sequence[GoalData]) -> dict[str, list[str]]:
    """Errors of goals given with a programme, named by position: goals.1.steps.2.deadline."""
    errors: dict[str, list[str]] = {}
    for g, goal in enumerate(goals, start=1):
        errors |= _goal_data_errors(goal, where=f"goals.{g}.")
        for s, step in enumerate(goal.steps, start=1):
            errors |= _step_data_errors(step, where=f"goals.{g}.steps.{s}.")
    return errors


def _goal_data_errors(goal: GoalData, *, where: str = "") -> dict[str, list[str]]:
    errors = {}
    if goal.area not in IntegrationArea.values:
        errors[f"{where}area"] = [_("Choose the area of the goal.")]
    if not (goal.description or "").strip():
        errors[f"{where}description"] = [_("Describe the goal.")]
    return errors


def _step_data_errors(step: StepData, *, where: str = "") -> dict[str, list[str]]:
    errors = {}
    if not (step.action or "").strip():
        errors[f"{where}action"] = [_("Describe the step.")]
    if step.deadline is None:
        errors[f"{where}deadline"] = [_("Every step needs a deadline.")]
    if step.done_on is not None and step.done_on > timezone.localdate():
        errors[f"{where}done_on"] = [_("The step cannot be done in the future.")]
    return errors


def _compute_benefit(programme: IntegrationProgramme) -> None:
    """Store the monthly benefit for months 1–6 and 7–12 and the legal parameters it comes
    from (in force on the first day); the centre's own plan carries no statutory benefit."""
    if programme.kind != ProgrammeKind.STATUTORY:
        programme.benefit_months_1_6 = programme.benefit_months_7_12 = None
        programme.legal_parameters = None
        return
    try:
        legal = legal_parameters_on(programme.starts_on)
    except ValidationError as exc:
        raise ValidationError({"starts_on": exc.messages}) from exc
    if legal.integration_benefit_single is None:
        raise ValidationError(
            {
                "starts_on": _(
                    "The legal parameters in force on %(date)s give no integration benefit "
                    "amount; the administrator must enter it first."
                )
                % {"date": programme.starts_on.isoformat()}
            }
        )
    benefit = rules.integration_benefit(
        single_amount=legal.integration_benefit_single, family_size=programme.family_size
    )
    programme.benefit_months_1_6 = benefit.months_1_6
    programme.benefit_months_7_12 = benefit.months_7_12
    programme.legal_parameters = legal


def _audit(actor: User, instance, action: str, changes: dict, person_id: int) -> None:
    audit_record_change(
        actor=actor, instance=instance, action=action, changes=changes, person_id=person_id
    )


def _write_goal(actor: User, programme: IntegrationProgramme, data: GoalData) -> IntegrationGoal:
    goal = IntegrationGoal.objects.create(
        programme=programme, area=data.area, description=data.description.strip()
    )
    _audit(
        actor,
        goal,
        AuditAction.CREATE,
        {"programme": programme.pk, "area": goal.area, "description": goal.description},
        programme.person_id,
    )
    for step in data.steps:
        _write_step(actor, goal, step)
    return goal


def _write_step(actor: User, goal: IntegrationGoal, data: StepData) -> IntegrationStep:
    step = IntegrationStep.objects.create(
        goal=goal,
        action=data.action.strip(),
        deadline=data.deadline,
        done_on=data.done_on,
        outcome=data.outcome.strip(),
    )
    _audit(
        actor,
        step,
        AuditAction.CREATE,
        diff({}, snapshot(step, ["goal_id", "action", "deadline", "done_on", "outcome"])),
        goal.programme.person_id,
    )
    return step


# --- programmes -------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: User,
    person: Person,
    applied_on: date,
    starts_on: date,
    ends_on: date,
    kind: str = ProgrammeKind.STATUTORY,
    family_size: int = 1,
    protection_granted_on: date | None = None,
    coordinator: User | None = None,
    application: Application | None = None,
    goals: Sequence[GoalData] = (),
) -> IntegrationProgramme:
    """Open a programme (a draft) for `person`, with its benefit computed from the legal
    parameters in force on `starts_on`, and optionally its first goals and steps.

    All or nothing: any broken date, kind, goal or step raises ValidationError naming every
    problem, and nothing is written.
    """
    _require(actor, "integration.add_integrationprogramme", person)
    programme = IntegrationProgramme(
        centre_id=actor.centre_id,
        person=person,
        kind=kind,
        application=application,
        coordinator=coordinator or actor,
        protection_granted_on=protection_granted_on,
        applied_on=applied_on,
        starts_on=starts_on,
        ends_on=ends_on,
        family_size=family_size,
        created_by=actor,
    )
    errors = _programme_errors(programme) | _goal_errors(goals)
    if (
        IntegrationProgramme.objects.select_for_update()
        .filter(person=person, status__in=OPEN_STATUSES)
        .exists()
    ):
        errors.setdefault("person", []).append(
            _("%(person)s already has an open integration programme.") % {"person": person}
        )
    if errors:
        raise ValidationError(errors)
    _compute_benefit(programme)
    programme.save()
    _audit(
        actor,
        programme,
        AuditAction.CREATE,
        diff({}, snapshot(programme, PROGRAMME_AUDITED)),
        person.pk,
    )
    for goal in goals:
        _write_goal(actor, programme, goal)
    return programme


@transaction.atomic
def programme_update(
    *, actor: User, programme: IntegrationProgramme, data: dict[str, Any]
) -> IntegrationProgramme:
    """Change an open programme's kind, dates, family size, coordinator or application; the
    benefit is computed again. Once a decision on the benefit is drafted, the period, family
    size, kind and application follow the decision and cannot change here."""
    programme = IntegrationProgramme.objects.select_for_update().get(pk=programme.pk)
    _require(actor, "integration.change_integrationprogramme", programme.person)
    _require_open(programme)
    unknown = set(data) - PROGRAMME_EDITABLE
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    before = snapshot(programme, PROGRAMME_AUDITED)
    decided = _live_decision(programme)
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        current = getattr(programme, name)
        if decided and name in DECIDED_FIELDS and value != current:
            errors[name] = [
                _(
                    "A decision on the benefit has been drafted for this programme; discard it "
                    "(or change it by an amending decision) first."
                )
            ]
        setattr(programme, name, value)
    if programme.coordinator_id is None:
        programme.coordinator = actor
    errors = _programme_errors(programme) | errors
    if errors:
        raise ValidationError(errors)
    _compute_benefit(programme)
    changes = diff(before, snapshot(programme, PROGRAMME_AUDITED))
    if not changes:
        return programme
    programme.save()
    _audit(actor, programme, AuditAction.UPDATE, changes, programme.person_id)
    return programme


def _live_decision(programme: IntegrationProgramme) -> Decision | None:
    if programme.decision_id is None:
        return None
    decision = Decision.objects.get(pk=programme.decision_id)
    return None if decision.status == DecisionStatus.DISCARDED else decision


def _set_status(
    actor: User, programme: IntegrationProgramme, changes_to: dict[str, Any]
) -> IntegrationProgramme:
    before = snapshot(programme, PROGRAMME_AUDITED)
    for name, value in changes_to.items():
        setattr(programme, name, value)
    programme.save()
    _audit(
        actor,
        programme,
        AuditAction.UPDATE,
        diff(before, snapshot(programme, PROGRAMME_AUDITED)),
        programme.person_id,
    )
    return programme


@transaction.atomic
def programme_activate(*, actor: User, programme: IntegrationProgramme) -> IntegrationProgramme:
    """Start a drafted programme: it needs at least one goal, each goal a step."""
    programme = IntegrationProgramme.objects.select_for_update().get(pk=programme.pk)
    _require(actor, "integration.change_integrationprogramme", programme.person)
    if programme.status != ProgrammeStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft programme can be started.")})
    goals = list(programme.goals.all())
    if not goals:
        raise ValidationError({"goals": _("Add at least one goal before starting the programme.")})
    if any(not goal.steps.exists() for goal in goals):
        raise ValidationError(
            {"goals": _("Plan at least one step for every goal before starting the programme.")}
        )
    return _set_status(actor, programme, {"status": ProgrammeStatus.ACTIVE})


@transaction.atomic
def programme_close(
    *,
    actor: User,
    programme: IntegrationProgramme,
    status: str,
    closed_on: date,
    closing_note: str = "",
) -> IntegrationProgramme:
    """Complete or discontinue an open programme; a discontinued one needs the reason."""
    programme = IntegrationProgramme.objects.select_for_update().get(pk=programme.pk)
    _require(actor, "integration.change_integrationprogramme", programme.person)
    _require_open(programme)
    errors: dict[str, list[str]] = {}
    if status not in (ProgrammeStatus.COMPLETED, ProgrammeStatus.DISCONTINUED):
        errors["status"] = [_("Choose whether the programme was completed or discontinued.")]
    if closed_on is None:
        errors["closed_on"] = [_("Give the day the programme ended.")]
    elif closed_on < programme.starts_on:
        errors["closed_on"] = [_("The programme cannot end before it starts.")]
    elif closed_on > timezone.localdate():
        errors["closed_on"] = [_("The programme cannot be closed on a future day.")]
    if status == ProgrammeStatus.DISCONTINUED and not (closing_note or "").strip():
        errors["closing_note"] = [_("Give the reason for discontinuing the programme.")]
    if errors:
        raise ValidationError(errors)
    return _set_status(
        actor,
        programme,
        {"status": status, "closed_on": closed_on, "closing_note": (closing_note or "").strip()},
    )


# --- goals, steps, reviews --------------------------------------------------------------------


@transaction.atomic
def goal_add(
    *,
    actor: User,
    programme: IntegrationProgramme,
    area: str,
    description: str,
    steps: Sequence[StepData] = (),
) -> IntegrationGoal:
    """Add a goal in one area (Polish lessons, housing, work, school, health insurance,
    institutions) with its first steps, all or nothing."""
    programme = IntegrationProgramme.objects.select_for_update().get(pk=programme.pk)
    _require(actor, "integration.add_integrationgoal", programme.person)
    _require_open(programme)
    data = GoalData(area=area, description=description or "", steps=tuple(steps))
    errors = _goal_data_errors(data)
    for s, step in enumerate(data.steps, start=1):
        errors |= _step_data_errors(step, where=f"steps.{s}." if len(data.steps) > 1 else "")
    if errors:
        raise ValidationError(errors)
    return _write_goal(actor, programme, data)


@transaction.atomic
def goal_mark_achieved(*, actor: User, goal: IntegrationGoal, achieved_on: date) -> IntegrationGoal:
    goal = (
        IntegrationGoal.objects.select_for_update()
        .select_related("programme__person")
        .get(pk=goal.pk)
    )
    _require(actor, "integration.change_integrationgoal", goal.programme.person)
    _require_open(goal.programme)
    if achieved_on is None or achieved_on > timezone.localdate():
        raise ValidationError({"achieved_on": _("Give the day the goal was achieved.")})
    before = snapshot(goal, ["achieved_on"])
    goal.achieved_on = achieved_on
    goal.save(update_fields=["achieved_on", "updated_at"])
    _audit(
        actor,
        goal,
        AuditAction.UPDATE,
        diff(before, snapshot(goal, ["achieved_on"])),
        goal.programme.person_id,
    )
    return goal


@transaction.atomic
def step_add(
    *,
    actor: User,
    goal: IntegrationGoal,
    action: str,
    deadline: date | None,
    done_on: date | None = None,
    outcome: str = "",
) -> IntegrationStep:
    """Plan a step towards a goal; every step has a deadline."""
    goal = IntegrationGoal.objects.select_related("programme__person").get(pk=goal.pk)
    _require(actor, "integration.add_integrationstep", goal.programme.person)
    _require_open(goal.programme)
    data = StepData(action=action or "", deadline=deadline, done_on=done_on, outcome=outcome or "")
    errors = _step_data_errors(data)
    if errors:
        raise ValidationError(errors)
    return _write_step(actor, goal, data)


@transaction.atomic
def step_mark_done(
    *, actor: User, step: IntegrationStep, done_on: date, outcome: str = ""
) -> IntegrationStep:
    step = (
        IntegrationStep.objects.select_for_update()
        .select_related("goal__programme__person")
        .get(pk=step.pk)
    )
    programme = step.goal.programme
    _require(actor, "integration.change_integrationstep", programme.person)
    _require_open(programme)
    if done_on is None or done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Give the day the step was done.")})
    fields = ["done_on", "outcome"]
    before = snapshot(step, fields)
    step.done_on = done_on
    step.outcome = (outcome or "").strip() or step.outcome
    step.save(update_fields=[*fields, "updated_at"])
    _audit(
        actor, step, AuditAction.UPDATE, diff(before, snapshot(step, fields)), programme.person_id
    )
    return step


@transaction.atomic
def review_add(
    *,
    actor: User,
    programme: IntegrationProgramme,
    reviewed_on: date,
    progress: str,
    changes: str = "",
    next_review_on: date | None = None,
) -> IntegrationReview:
    """Record a review of the programme's progress with the foreigner."""
    programme = IntegrationProgramme.objects.select_for_update().get(pk=programme.pk)
    _require(actor, "integration.add_integrationreview", programme.person)
    _require_open(programme)
    errors: dict[str, list[str]] = {}
    if reviewed_on is None:
        errors["reviewed_on"] = [_("Give the day of the review.")]
    elif reviewed_on > timezone.localdate():
        errors["reviewed_on"] = [_("A review cannot be recorded for a future day.")]
    elif reviewed_on < programme.starts_on:
        errors["reviewed_on"] = [_("The review cannot precede the start of the programme.")]
    if not (progress or "").strip():
        errors["progress"] = [_("Describe the progress.")]
    if next_review_on is not None and reviewed_on is not None and next_review_on <= reviewed_on:
        errors["next_review_on"] = [_("The next review must come after this one.")]
    if errors:
        raise ValidationError(errors)
    review = IntegrationReview.objects.create(
        programme=programme,
        reviewed_on=reviewed_on,
        progress=progress.strip(),
        changes=(changes or "").strip(),
        next_review_on=next_review_on,
        recorded_by=actor,
    )
    _audit(
        actor,
        review,
        AuditAction.CREATE,
        diff({}, snapshot(review, ["programme_id", "reviewed_on", "progress", "changes"])),
        programme.person_id,
    )
    return review


# --- the benefit ----------------------------------------------------------------------------


@transaction.atomic
def programme_decision_draft(
    *,
    actor: User,
    programme: IntegrationProgramme,
    payment_method: str,
    bank_account: str = "",
) -> Decision:
    """Draft the decision granting the programme's monthly benefit for its whole period, from
    the person's application for it; payments plan the amounts of months 1–6 and 7–12."""
    programme = IntegrationProgramme.objects.select_for_update().get(pk=programme.pk)
    _require(actor, "integration.change_integrationprogramme", programme.person)
    _require_open(programme)
    if programme.kind != ProgrammeKind.STATUTORY:
        raise ValidationError(
            {"kind": _("The centre's own integration plan carries no statutory benefit.")}
        )
    if programme.application_id is None:
        raise ValidationError(
            {
                "application": _(
                    "Link the person's application for the integration benefit to the "
                    "programme first."
                )
            }
        )
    if _live_decision(programme) is not None:
        raise ValidationError(
            {"decision": _("A decision on the benefit has already been drafted.")}
        )
    errors = _programme_errors(programme)
    if errors:
        raise ValidationError(errors)
    decision = decision_draft(
        actor=actor,
        application=programme.application,
        benefit=BenefitKind.INTEGRATION,
        period_from=programme.starts_on,
        period_until=programme.ends_on,
        payment_method=payment_method,
        bank_account=bank_account,
        family_size=programme.family_size,
    )
    _set_status(actor, programme, {"decision": decision})
    return decision
