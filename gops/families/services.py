"""Writes of family assistance: assigning an assistant within the caseload limit, the plan of
work and its steps, the contacts log, the half-yearly assessments, the children and the
childcare support, closing the work and the monitoring after it.

Every service runs in one transaction, checks the actor's permission and that the actor sees
the family (``selectors.family_support_queryset_for_user``), and writes its audit entry with
the household's id.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gops.accounts.models import User
from gops.accounts.roles import FAMILY_ASSISTANT, SOCIAL_WORKER
from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change, diff, snapshot
from gops.people import services as people_services
from gops.people.models import Household, Person

from . import rules
from .models import (
    ChildcareKind,
    ChildcareSupport,
    ChildProfile,
    ClosureOutcome,
    ContactKind,
    EducationSetting,
    FamilyAssessment,
    FamilyContact,
    FamilySupport,
    FamilyWorkPlan,
    PlanStep,
    Progress,
    Recommendation,
    StepStatus,
    SupportStatus,
)
from .selectors import assistant_caseload, family_support_queryset_for_user

PLAN_FIELDS = ["agreed_on", "agreed_with_family", "agreed_with_social_worker", "notes"]
STEP_FIELDS = [
    "goal",
    "action",
    "responsible",
    "deadline",
    "expected_effect",
    "status",
    "completed_on",
    "outcome",
]
CLOSE_FIELDS = ["status", "closed_on", "outcome", "closing_summary", "monitoring_until"]


def caseload_limit() -> int:
    return settings.FAMILY_ASSISTANT_CASELOAD_LIMIT


def _require(actor: User, perm: str, support: FamilySupport) -> None:
    """The actor holds `perm` and sees the family (assistant, its social worker or the head)."""
    if not actor.has_perm(perm):
        raise PermissionDenied
    if not family_support_queryset_for_user(user=actor).filter(pk=support.pk).exists():
        raise PermissionDenied


def _lock(support: FamilySupport) -> FamilySupport:
    return FamilySupport.objects.select_for_update().get(pk=support.pk)


def _require_status(support: FamilySupport, *allowed: str, field: str = "__all__") -> None:
    if support.status not in allowed:
        raise ValidationError(
            {
                field: _("The family's assistance is %(status)s: this cannot be changed now.")
                % {"status": SupportStatus(support.status).label}
            }
        )


def _audit(
    actor: User,
    instance,
    support: FamilySupport,
    action: str,
    changes: dict,
) -> None:
    audit_record_change(
        actor=actor,
        instance=instance,
        action=action,
        changes=changes,
        household_id=support.household_id,
    )


def _not_in_future(errors: dict, field: str, day: date | None, today: date) -> None:
    if day is not None and day > today:
        errors[field] = _("The date cannot be in the future.")


# --- Assigning and closing -------------------------------------------------------------------


@transaction.atomic
def family_support_assign(
    *,
    actor: User,
    household: Household,
    assistant: User,
    social_worker: User | None = None,
    started_on: date | None = None,
    reason: str = "",
) -> FamilySupport:
    """Assign a family assistant to a household, within the assistant's caseload limit.

    Starts an empty plan of work and schedules the first assessment half a year after the
    start. The assistant's user row is locked before the caseload is counted, so two
    concurrent assignments cannot both take the last place. A family still monitored after an
    earlier assistance has that monitoring ended: the work starts again.
    """
    if not actor.has_perm("families.add_familysupport"):
        raise PermissionDenied
    if household.centre_id != actor.centre_id:
        raise PermissionDenied
    today = timezone.localdate()
    started_on = started_on or today
    errors: dict[str, str] = {}
    if not (
        assistant.centre_id == actor.centre_id
        and assistant.is_active
        and assistant.has_role(FAMILY_ASSISTANT)
    ):
        errors["assistant"] = _("Choose a family assistant of the centre.")
    if social_worker is not None and not (
        social_worker.centre_id == actor.centre_id
        and social_worker.is_active
        and social_worker.has_role(SOCIAL_WORKER)
    ):
        errors["social_worker"] = _("Choose a social worker of the centre.")
    _not_in_future(errors, "started_on", started_on, today)
    if errors:
        raise ValidationError(errors)
    household = Household.objects.select_for_update().get(pk=household.pk)
    current = FamilySupport.objects.filter(household=household, status=SupportStatus.ACTIVE).first()
    if current is not None:
        raise ValidationError(
            {
                "household": _("The family already works with the family assistant %(name)s.")
                % {"name": current.assistant}
            }
        )
    # Lock the assistant first: a second assignment waits here until this one commits.
    assistant = User.objects.select_for_update().get(pk=assistant.pk)
    current_count = assistant_caseload(assistant=assistant)
    limit = caseload_limit()
    if rules.caseload_refusal(current=current_count, limit=limit):
        raise ValidationError(
            {
                "assistant": _(
                    "%(name)s already works with %(count)s families; the limit is %(limit)s "
                    "(ustawa o wspieraniu rodziny, art. 15 ust. 4). Close a family's work or "
                    "choose another assistant."
                )
                % {"name": assistant, "count": current_count, "limit": limit}
            }
        )
    for monitored in FamilySupport.objects.select_for_update().filter(
        household=household, status=SupportStatus.MONITORING
    ):
        monitored.status = SupportStatus.CLOSED
        monitored.save(update_fields=["status", "updated_at"])
        _audit(
            actor,
            monitored,
            monitored,
            AuditAction.UPDATE,
            {"status": [SupportStatus.MONITORING.value, SupportStatus.CLOSED.value]},
        )
    support = FamilySupport(
        centre_id=household.centre_id,
        household=household,
        assistant=assistant,
        social_worker=social_worker,
        started_on=started_on,
        reason=(reason or "").strip(),
        created_by=actor,
    )
    support.full_clean()
    support.save()
    FamilyWorkPlan.objects.create(support=support, updated_by=actor)
    assessment = FamilyAssessment.objects.create(
        support=support, due_on=rules.next_assessment_due(started_on)
    )
    people_services.household_assign_family_assistant(
        actor=actor, household=household, assistant=assistant
    )
    _audit(
        actor,
        support,
        support,
        AuditAction.CREATE,
        {
            **diff(
                {},
                snapshot(support, ["assistant_id", "social_worker_id", "started_on", "reason"]),
            ),
            "first_assessment_due": [None, assessment.due_on.isoformat()],
        },
    )
    return support


@transaction.atomic
def family_support_close(
    *,
    actor: User,
    support: FamilySupport,
    closed_on: date,
    outcome: str,
    closing_summary: str,
    monitoring_until: date | None = None,
) -> FamilySupport:
    """Close the work with the family with its outcome; with `monitoring_until` the assistant
    goes on watching how the family manages until then (it no longer counts to the caseload).

    Closing is the head's act, as assigning is: it also takes the assistant off the household.
    The assessment waiting to be done is cancelled.
    """
    if not actor.has_perm("families.add_familysupport"):
        raise PermissionDenied
    _require(actor, "families.change_familysupport", support)
    support = _lock(support)
    _require_status(support, SupportStatus.ACTIVE, field="status")
    before = snapshot(support, CLOSE_FIELDS)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if closed_on is None:
        errors["closed_on"] = _("Give the date the work was closed.")
    else:
        _not_in_future(errors, "closed_on", closed_on, today)
        if closed_on < support.started_on:
            errors["closed_on"] = _("The work cannot close before it started.")
    if outcome not in ClosureOutcome.values:
        errors["outcome"] = _("Choose the outcome of the work.")
    if not (closing_summary or "").strip():
        errors["closing_summary"] = _("Summarise the work with the family.")
    if monitoring_until is not None and closed_on is not None and monitoring_until <= closed_on:
        errors["monitoring_until"] = _("Monitoring must end after the work closed.")
    if errors:
        raise ValidationError(errors)
    support.closed_on = closed_on
    support.outcome = outcome
    support.closing_summary = closing_summary.strip()
    support.monitoring_until = monitoring_until
    support.status = SupportStatus.MONITORING if monitoring_until else SupportStatus.CLOSED
    support.full_clean()
    support.save()
    cancelled = list(
        support.assessments.filter(done_on__isnull=True).values_list("due_on", flat=True)
    )
    support.assessments.filter(done_on__isnull=True).delete()
    household = support.household
    if household.family_assistant_id == support.assistant_id:
        people_services.household_assign_family_assistant(
            actor=actor, household=household, assistant=None
        )
    changes = diff(before, snapshot(support, CLOSE_FIELDS))
    if cancelled:
        changes["cancelled_assessment_due"] = [cancelled[0].isoformat(), None]
    _audit(actor, support, support, AuditAction.UPDATE, changes)
    return support


@transaction.atomic
def family_support_monitoring_end(
    *, actor: User, support: FamilySupport, ended_on: date | None = None
) -> FamilySupport:
    """End the monitoring after closure: the family's file is closed for good."""
    _require(actor, "families.change_familysupport", support)
    support = _lock(support)
    _require_status(support, SupportStatus.MONITORING, field="status")
    ended_on = ended_on or timezone.localdate()
    if ended_on < (support.closed_on or support.started_on):
        raise ValidationError({"ended_on": _("Monitoring cannot end before the work closed.")})
    before = snapshot(support, ["status", "monitoring_until"])
    support.status = SupportStatus.CLOSED
    support.monitoring_until = ended_on
    support.save(update_fields=["status", "monitoring_until", "updated_at"])
    _audit(
        actor,
        support,
        support,
        AuditAction.UPDATE,
        diff(before, snapshot(support, ["status", "monitoring_until"])),
    )
    return support


# --- The plan of work ------------------------------------------------------------------------


@transaction.atomic
def work_plan_update(
    *,
    actor: User,
    support: FamilySupport,
    agreed_on: date | None,
    agreed_with_family: bool,
    agreed_with_social_worker: bool,
    notes: str = "",
) -> FamilyWorkPlan:
    """Record the plan's agreement with the family and the social worker, and its notes."""
    _require(actor, "families.change_familyworkplan", support)
    support = _lock(support)
    _require_status(support, SupportStatus.ACTIVE)
    plan, _created = FamilyWorkPlan.objects.select_for_update().get_or_create(support=support)
    before = snapshot(plan, PLAN_FIELDS)
    errors: dict[str, str] = {}
    if (agreed_with_family or agreed_with_social_worker) and agreed_on is None:
        errors["agreed_on"] = _("Give the date the plan was agreed.")
    _not_in_future(errors, "agreed_on", agreed_on, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    plan.agreed_on = agreed_on
    plan.agreed_with_family = agreed_with_family
    plan.agreed_with_social_worker = agreed_with_social_worker
    plan.notes = (notes or "").strip()
    plan.updated_by = actor
    plan.full_clean()
    plan.save()
    _audit(actor, plan, support, AuditAction.UPDATE, diff(before, snapshot(plan, PLAN_FIELDS)))
    return plan


@transaction.atomic
def plan_step_add(
    *,
    actor: User,
    support: FamilySupport,
    goal: str,
    action: str,
    deadline: date | None,
    expected_effect: str,
    responsible: str = "",
) -> PlanStep:
    """Add a goal to the plan with its action, deadline and expected effect (all required)."""
    _require(actor, "families.add_planstep", support)
    support = _lock(support)
    _require_status(support, SupportStatus.ACTIVE)
    plan, _created = FamilyWorkPlan.objects.get_or_create(support=support)
    errors: dict[str, str] = {}
    if not (goal or "").strip():
        errors["goal"] = _("Give the goal of the step.")
    if not (action or "").strip():
        errors["action"] = _("Describe the action.")
    if deadline is None:
        errors["deadline"] = _("Give the deadline of the step: every action of the plan has one.")
    elif deadline < support.started_on:
        errors["deadline"] = _("The deadline cannot be before the work started.")
    if not (expected_effect or "").strip():
        errors["expected_effect"] = _("Describe the expected effect.")
    if errors:
        raise ValidationError(errors)
    step = PlanStep(
        plan=plan,
        goal=goal.strip(),
        action=action.strip(),
        deadline=deadline,
        expected_effect=expected_effect.strip(),
        responsible=(responsible or "").strip(),
    )
    step.full_clean()
    step.save()
    _audit(actor, step, support, AuditAction.CREATE, diff({}, snapshot(step, STEP_FIELDS)))
    return step


@transaction.atomic
def plan_step_update(
    *,
    actor: User,
    step: PlanStep,
    status: str,
    outcome: str = "",
    completed_on: date | None = None,
    deadline: date | None = None,
) -> PlanStep:
    """Move a step on (planned → in progress → done or abandoned), with its outcome; a new
    deadline may be set while it is open."""
    support = step.plan.support
    _require(actor, "families.change_planstep", support)
    _lock(support)
    _require_status(support, SupportStatus.ACTIVE)
    step = PlanStep.objects.select_for_update().get(pk=step.pk)
    before = snapshot(step, STEP_FIELDS)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if status not in StepStatus.values:
        errors["status"] = _("Choose one of the allowed values.")
    ends = status in (StepStatus.DONE, StepStatus.ABANDONED)
    outcome = (outcome or "").strip()
    if ends:
        completed_on = completed_on or today
        _not_in_future(errors, "completed_on", completed_on, today)
        if status == StepStatus.ABANDONED and not outcome:
            errors["outcome"] = _("Say why the step was abandoned.")
    else:
        completed_on = None
    if deadline is not None and deadline < support.started_on:
        errors["deadline"] = _("The deadline cannot be before the work started.")
    if errors:
        raise ValidationError(errors)
    step.status = status
    step.completed_on = completed_on
    step.outcome = outcome or step.outcome
    if deadline is not None:
        step.deadline = deadline
    step.full_clean()
    step.save()
    _audit(actor, step, support, AuditAction.UPDATE, diff(before, snapshot(step, STEP_FIELDS)))
    return step


# --- Contacts and assessments ----------------------------------------------------------------


@transaction.atomic
def contact_record(
    *,
    actor: User,
    support: FamilySupport,
    happened_on: date | None,
    kind: str,
    notes: str,
    duration_minutes: int | None = None,
    participants: str = "",
) -> FamilyContact:
    """Log a visit or another contact with the family (during the work or its monitoring)."""
    _require(actor, "families.add_familycontact", support)
    support = _lock(support)
    _require_status(support, SupportStatus.ACTIVE, SupportStatus.MONITORING)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if happened_on is None:
        errors["happened_on"] = _("Give the date of the contact.")
    else:
        _not_in_future(errors, "happened_on", happened_on, today)
        if happened_on < support.started_on:
            errors["happened_on"] = _("The contact cannot be before the work started.")
    if kind not in ContactKind.values:
        errors["kind"] = _("Choose one of the allowed values.")
    elif support.status == SupportStatus.MONITORING and kind != ContactKind.MONITORING:
        errors["kind"] = _("After closure only monitoring contacts are logged.")
    if not (notes or "").strip():
        errors["notes"] = _("Describe the contact.")
    if errors:
        raise ValidationError(errors)
    contact = FamilyContact(
        support=support,
        happened_on=happened_on,
        kind=kind,
        duration_minutes=duration_minutes,
        participants=(participants or "").strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    contact.full_clean()
    contact.save()
    _audit(
        actor,
        contact,
        support,
        AuditAction.CREATE,
        diff({}, snapshot(contact, ["happened_on", "kind", "duration_minutes", "participants"])),
    )
    return contact


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    support: FamilySupport,
    done_on: date | None,
    progress: str,
    recommendation: str,
    summary: str,
) -> FamilyAssessment:
    """Record the half-yearly assessment waiting to be done and schedule the next one half a
    year later (art. 15 ust. 1 pkt 16)."""
    _require(actor, "families.change_familyassessment", support)
    support = _lock(support)
    _require_status(support, SupportStatus.ACTIVE)
    pending = support.assessments.select_for_update().filter(done_on__isnull=True).first()
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if done_on is None:
        errors["done_on"] = _("Give the date of the assessment.")
    else:
        _not_in_future(errors, "done_on", done_on, today)
        if done_on < support.started_on:
            errors["done_on"] = _("The assessment cannot be before the work started.")
    if progress not in Progress.values:
        errors["progress"] = _("Choose how the family's situation changed.")
    if recommendation not in Recommendation.values:
        errors["recommendation"] = _("Choose the recommendation.")
    if not (summary or "").strip():
        errors["summary"] = _("Write the assessment of the family's situation.")
    if errors:
        raise ValidationError(errors)
    if pending is None:
        pending = FamilyAssessment(support=support, due_on=done_on)
    before = snapshot(pending, ["done_on", "progress", "recommendation"])
    pending.done_on = done_on
    pending.progress = progress
    pending.recommendation = recommendation
    pending.summary = summary.strip()
    pending.recorded_by = actor
    pending.full_clean(validate_constraints=False)
    pending.save()
    following = FamilyAssessment.objects.create(
        support=support, due_on=rules.next_assessment_due(done_on)
    )
    _audit(
        actor,
        pending,
        support,
        AuditAction.UPDATE,
        {
            **diff(before, snapshot(pending, ["done_on", "progress", "recommendation"])),
            "next_due": [None, following.due_on.isoformat()],
        },
    )
    return pending


# --- Children and childcare support ----------------------------------------------------------


def _household_child(support: FamilySupport, child: Person | None, errors: dict) -> None:
    if child is None:
        return
    if not support.household.memberships.filter(person=child, left_on__isnull=True).exists():
        errors["child"] = _("Choose a child of the family.")


@transaction.atomic
def child_profile_save(
    *,
    actor: User,
    support: FamilySupport,
    child: Person,
    education_setting: str,
    institution_name: str = "",
    special_needs: str = "",
) -> ChildProfile:
    """Record (or update) a child of the family: nursery or school, and special needs."""
    existing = ChildProfile.objects.filter(support=support, child=child).first()
    perm = "families.change_childprofile" if existing else "families.add_childprofile"
    _require(actor, perm, support)
    support = _lock(support)
    _require_status(support, SupportStatus.ACTIVE, SupportStatus.MONITORING)
    errors: dict[str, str] = {}
    _household_child(support, child, errors)
    if education_setting not in EducationSetting.values:
        errors["education_setting"] = _("Choose one of the allowed values.")
    if errors:
        raise ValidationError(errors)
    profile = existing or ChildProfile(support=support, child=child)
    fields = ["education_setting", "institution_name", "special_needs"]
    before = snapshot(profile, fields) if existing else {}
    profile.education_setting = education_setting
    profile.institution_name = (institution_name or "").strip()
    profile.special_needs = (special_needs or "").strip()
    profile.full_clean(validate_constraints=False)
    profile.save()
    audit_record_change(
        actor=actor,
        instance=profile,
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        changes=diff(before, snapshot(profile, fields)),
        household_id=support.household_id,
        person_id=child.pk,
    )
    return profile


@transaction.atomic
def childcare_support_add(
    *,
    actor: User,
    support: FamilySupport,
    kind: str,
    started_on: date | None,
    child: Person | None = None,
    provider: str = "",
    ended_on: date | None = None,
    outcome: str = "",
) -> ChildcareSupport:
    """Record support for the children's care: a day-support facility, a nursery or
    kindergarten place, school supplies, holiday care, a parenting course."""
    _require(actor, "families.add_childcaresupport", support)
    support = _lock(support)
    _require_status(support, SupportStatus.ACTIVE, SupportStatus.MONITORING)
    errors: dict[str, str] = {}
    if kind not in ChildcareKind.values:
        errors["kind"] = _("Choose the kind of support.")
    if started_on is None:
        errors["started_on"] = _("Give the date the support started.")
    elif ended_on is not None and ended_on < started_on:
        errors["ended_on"] = _("The support cannot end before it started.")
    _household_child(support, child, errors)
    if errors:
        raise ValidationError(errors)
    item = ChildcareSupport(
        support=support,
        child=child,
        kind=kind,
        provider=(provider or "").strip(),
        started_on=started_on,
        ended_on=ended_on,
        outcome=(outcome or "").strip(),
        recorded_by=actor,
    )
    item.full_clean()
    item.save()
    audit_record_change(
        actor=actor,
        instance=item,
        action=AuditAction.CREATE,
        changes=diff({}, snapshot(item, ["kind", "child_id", "provider", "started_on"])),
        household_id=support.household_id,
        person_id=child.pk if child else None,
    )
    return item


@transaction.atomic
def childcare_support_finish(
    *, actor: User, item: ChildcareSupport, ended_on: date | None, outcome: str
) -> ChildcareSupport:
    """Record when the childcare support ended and with what outcome."""
    support = item.support
    _require(actor, "families.change_childcaresupport", support)
    item = ChildcareSupport.objects.select_for_update().get(pk=item.pk)
    errors: dict[str, str] = {}
    if ended_on is None:
        errors["ended_on"] = _("Give the date the support ended.")
    elif ended_on < item.started_on:
        errors["ended_on"] = _("The support cannot end before it started.")
    if not (outcome or "").strip():
        errors["outcome"] = _("Describe the outcome.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(item, ["ended_on", "outcome"])
    item.ended_on = ended_on
    item.outcome = outcome.strip()
    item.full_clean()
    item.save()
    audit_record_change(
        actor=actor,
        instance=item,
        action=AuditAction.UPDATE,
        changes=diff(before, snapshot(item, ["ended_on", "outcome"])),
        household_id=support.household_id,
        person_id=item.child_id,
    )
    return item
