"""Writes of the shelter: placements (one bed per person, one person per bed), check-out, the
night count, facilities and beds, programmes for leaving homelessness."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from gops.accounts.models import User
from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change, audited_save
from gops.benefits.models import Decision, DecisionKind, DecisionStatus
from gops.cases.models import BenefitKind
from gops.core.errors import ConflictError
from gops.people.models import Person

from . import selectors
from .models import (
    Bed,
    CheckoutReason,
    ExitPlanReview,
    ExitPlanStatus,
    ExitPlanStep,
    Facility,
    FacilityKind,
    HomelessnessExitPlan,
    NightRecord,
    Placement,
)

# Facilities that take a person in an emergency, without a decision (u.p.s. art. 48a).
EMERGENCY_KINDS = {FacilityKind.NIGHT_SHELTER, FacilityKind.WARMING_CENTRE}


def _check_bed_fits(bed: Bed, person: Person, night: date, wheelchair: bool) -> None:
    if bed.out_of_use:
        raise ValidationError({"bed": _("This bed is out of use.")})
    # Seasonal when it has a start; without an end it is never in season, as on the board.
    if bed.season_from and not (bed.season_until and bed.season_from <= night <= bed.season_until):
        raise ValidationError({"bed": _("This seasonal bed is not in use on that night.")})
    if bed.sex not in ("any", person.sex) or bed.facility.admits not in ("any", person.sex):
        raise ValidationError({"bed": _("This bed is for the other sex.")})
    if wheelchair and not bed.wheelchair_access:
        raise ValidationError({"bed": _("This bed has no wheelchair access.")})


@transaction.atomic
def placement_create(
    *,
    actor: User,
    person: Person,
    check_in: date,
    facility: Facility | None = None,
    bed: Bed | None = None,
    decision: Decision | None = None,
    emergency: bool = False,
    fee_per_night: Decimal | None = None,
    wheelchair: bool = False,
) -> Placement:
    """Place a person in a bed: the bed given, or the first free bed that fits in the facility.

    From a shelter decision, or as an emergency intervention in a night shelter or warming
    centre. When racing for the last bed, exactly one placement wins; the others get a
    ConflictError (no bed fits) — the database holds one person per bed.
    """
    if not actor.has_perm("shelter.add_placement"):
        raise PermissionDenied
    if person.centre_id != actor.centre_id:
        raise ValidationError({"person_id": _("Unknown person.")})
    facility = bed.facility if bed is not None else facility
    if facility is None or facility.centre_id != actor.centre_id:
        raise ValidationError({"facility_id": _("Choose a facility or a bed.")})
    if not facility.active:
        raise ValidationError({"facility_id": _("This facility is closed.")})
    if decision is not None:
        if not (
            decision.person_id == person.pk
            and decision.benefit == BenefitKind.SHELTER
            and decision.kind == DecisionKind.GRANTING
            and decision.status == DecisionStatus.ISSUED
        ):
            raise ValidationError(
                {"decision_id": _("Give an issued decision granting this person shelter.")}
            )
        if fee_per_night is None:
            # Odpłatność is what the decision set.
            fee_per_night = decision.shelter_fee_per_night
    elif not emergency:
        raise ValidationError(
            {"decision_id": _("A placement needs a shelter decision, or is an emergency.")}
        )
    elif facility.kind not in EMERGENCY_KINDS:
        raise ValidationError(
            {
                "emergency": _(
                    "Without a decision a person is placed only in a night shelter or "
                    "a warming centre (u.p.s. art. 48a)."
                )
            }
        )
    if check_in > timezone.localdate():
        raise ValidationError({"check_in": _("Check-in cannot be in the future.")})
    current = Placement.objects.filter(person=person, check_out__isnull=True).first()
    if current is not None:
        raise ValidationError(
            {
                "person_id": _("%(person)s is already placed in %(facility)s.")
                % {"person": person, "facility": current.facility}
            }
        )
    if Placement.objects.filter(person=person, check_out__gt=check_in).exists():
        raise ValidationError(
            {"check_in": _("%(person)s already stayed elsewhere that night.") % {"person": person}}
        )
    if bed is not None:
        _check_bed_fits(bed, person, check_in, wheelchair)
        free = Bed.objects.filter(pk=bed.pk)
    else:
        free = selectors.free_beds(
            facility_ids=[facility.pk], night=check_in, sex=person.sex, wheelchair=wheelchair
        )
    # A back-dated check-in must not overlap a stay in the bed that has ended since.
    free = free.exclude(
        Exists(Placement.objects.filter(bed=OuterRef("pk"), check_out__gt=check_in))
    )
    skip_locked = connection.features.has_select_for_update_skip_locked
    tried: list[int] = []
    while True:
        # One bed at a time: racing requests lock different beds instead of queueing for the
        # same one, and none holds a bed it will not take.
        candidates = free.exclude(pk__in=tried)
        if skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        candidate = candidates.first()
        if candidate is None:
            break
        tried.append(candidate.pk)
        try:
            with transaction.atomic():
                placement = Placement.objects.create(
                    centre_id=actor.centre_id,
                    person=person,
                    bed=candidate,
                    facility=facility,
                    decision=decision,
                    emergency=decision is None,
                    check_in=check_in,
                    fee_per_night=fee_per_night,
                    placed_by=actor,
                )
        except IntegrityError:
            # Someone took this bed (or placed this person) a moment ago.
            if Placement.objects.filter(person=person, check_out__isnull=True).exists():
                raise ValidationError(
                    {
                        "person_id": _("%(person)s has just been placed by someone else.")
                        % {"person": person}
                    }
                ) from None
            continue
        audit_record_change(
            actor=actor,
            instance=placement,
            action=AuditAction.CREATE,
            person_id=person.pk,
            changes={
                "bed": [None, str(candidate)],
                "check_in": [None, check_in.isoformat()],
                "emergency": [None, placement.emergency],
            },
        )
        return placement
    if bed is not None:
        raise ConflictError(_("This bed is taken."), field="bed_id")
    raise ConflictError(_("No free bed fits in %(facility)s.") % {"facility": facility})


@transaction.atomic
def placement_checkout(*, actor: User, placement: Placement, on: date, reason: str) -> Placement:
    """Check-out with a reason; the bed is free from that night on."""
    if not actor.has_perm("shelter.change_placement"):
        raise PermissionDenied
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.check_out is not None:
        raise ValidationError(_("This stay has already ended."))
    if reason not in CheckoutReason.values:
        raise ValidationError({"reason": _("Choose why the person leaves.")})
    if on < placement.check_in:
        raise ValidationError({"on": _("Check-out cannot be before check-in.")})
    placement.check_out, placement.checkout_reason = on, reason
    placement.save(update_fields=["check_out", "checkout_reason", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=placement,
        action=AuditAction.UPDATE,
        person_id=placement.person_id,
        changes={"check_out": [None, on.isoformat()], "checkout_reason": [None, reason]},
    )
    return placement


@transaction.atomic
def night_count_record(
    *, actor: User, facility: Facility, night: date, present_placement_ids: set[int]
) -> int:
    """The night count: for every stay in the facility that night, whether the person slept
    there. Recording the night again replaces it. Returns how many were present."""
    if not actor.has_perm("shelter.add_nightrecord"):
        raise PermissionDenied
    if night > timezone.localdate():
        raise ValidationError({"night": _("A night is counted once it has come.")})
    stays = Placement.objects.filter(selectors.occupied_on(night), facility=facility)
    present = 0
    for placement in stays.select_related("person"):
        here = placement.pk in present_placement_ids
        present += here
        NightRecord.objects.update_or_create(
            bed_id=placement.bed_id,
            night=night,
            defaults={
                "centre_id": facility.centre_id,
                "placement": placement,
                "person_id": placement.person_id,
                "facility": facility,
                "present": here,
                "recorded_by": actor,
            },
        )
    audit_record_change(
        actor=actor,
        instance=facility,
        action=AuditAction.UPDATE,
        changes={"night_count": [None, f"{night.isoformat()}: {present}"]},
    )
    return present


@transaction.atomic
def bed_out_of_use_set(*, actor: User, bed: Bed, out_of_use: bool, reason: str = "") -> Bed:
    if not actor.has_perm("shelter.change_bed"):
        raise PermissionDenied
    if out_of_use and not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if out_of_use and Placement.objects.filter(bed=bed, check_out__isnull=True).exists():
        raise ValidationError(_("Someone sleeps in this bed; move them first."))
    before = bed.out_of_use
    bed.out_of_use, bed.out_of_use_reason = out_of_use, reason if out_of_use else ""
    bed.save(update_fields=["out_of_use", "out_of_use_reason", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=bed,
        action=AuditAction.UPDATE,
        changes={"out_of_use": [before, out_of_use], "reason": [None, reason]},
    )
    return bed


@transaction.atomic
def exit_plan_create(
    *,
    actor: User,
    person: Person,
    agreed_on: date,
    goals: str,
    steps: list[tuple[str, str, date]],
    social_contract=None,
) -> HomelessnessExitPlan:
    """Agree an individual programme for leaving homelessness with the person: goals and
    steps (area, action, due date)."""
    if not actor.has_perm("shelter.add_homelessnessexitplan"):
        raise PermissionDenied
    if not goals.strip():
        raise ValidationError({"goals": _("Give the goals agreed with the person.")})
    if social_contract is not None and social_contract.person_id != person.pk:
        raise ValidationError({"social_contract": _("Choose a contract of this person.")})
    plan = HomelessnessExitPlan.objects.create(
        centre_id=actor.centre_id,
        person=person,
        worker=actor,
        agreed_on=agreed_on,
        goals=goals,
        social_contract=social_contract,
    )
    for area, action, due_on in steps:
        step = ExitPlanStep(plan=plan, area=area, action=action, due_on=due_on)
        step.full_clean()
        step.save()
    audit_record_change(
        actor=actor,
        instance=plan,
        action=AuditAction.CREATE,
        person_id=person.pk,
        changes={"goals": [None, goals]},
    )
    return plan


@transaction.atomic
def exit_plan_review(
    *,
    actor: User,
    plan: HomelessnessExitPlan,
    reviewed_on: date,
    notes: str,
    done_step_ids: set[int] = frozenset(),
) -> ExitPlanReview:
    if not actor.has_perm("shelter.change_homelessnessexitplan"):
        raise PermissionDenied
    if not notes.strip():
        raise ValidationError({"notes": _("Describe the progress.")})
    plan.steps.filter(pk__in=done_step_ids, done_on__isnull=True).update(done_on=reviewed_on)
    review = ExitPlanReview.objects.create(
        plan=plan, reviewed_on=reviewed_on, reviewer=actor, notes=notes
    )
    audit_record_change(
        actor=actor,
        instance=plan,
        action=AuditAction.UPDATE,
        person_id=plan.person_id,
        changes={"review": [None, notes]},
    )
    return review


_FACILITY_AUDITED = [
    "name",
    "kind",
    "street",
    "postal_code",
    "city",
    "phone",
    "operator",
    "contract_price_per_night",
    "contract_from",
    "contract_until",
    "admits",
    "wheelchair_accessible",
    "pets_allowed",
    "admits_intoxicated",
    "active",
]
_BED_AUDITED = ["room", "label", "sex", "wheelchair_access", "season_from", "season_until"]


@transaction.atomic
def facility_save(*, actor: User, facility: Facility) -> Facility:
    """Register or change a facility of the actor's centre (own or under contract), audited."""
    adding = facility._state.adding
    if not actor.has_perm("shelter.add_facility" if adding else "shelter.change_facility"):
        raise PermissionDenied
    if adding:
        facility.centre_id = actor.centre_id
    elif facility.centre_id != actor.centre_id:
        raise PermissionDenied
    return audited_save(actor=actor, instance=facility, fields=_FACILITY_AUDITED)


@transaction.atomic
def bed_add(*, actor: User, facility: Facility, bed: Bed) -> Bed:
    """Add a bed (a seasonal one with its season) to a facility, audited."""
    if not actor.has_perm("shelter.add_bed") or facility.centre_id != actor.centre_id:
        raise PermissionDenied
    bed.facility = facility
    if bool(bed.season_from) != bool(bed.season_until):
        raise ValidationError({"season_until": _("Give both ends of the season, or neither.")})
    return audited_save(actor=actor, instance=bed, fields=_BED_AUDITED)


@transaction.atomic
def exit_plan_close(
    *, actor: User, plan: HomelessnessExitPlan, status: str, outcome: str
) -> HomelessnessExitPlan:
    """End a programme with its outcome: completed or broken off."""
    if not actor.has_perm("shelter.change_homelessnessexitplan"):
        raise PermissionDenied
    if status not in (ExitPlanStatus.COMPLETED, ExitPlanStatus.BROKEN_OFF):
        raise ValidationError({"status": _("Choose: completed or broken off.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Describe the outcome.")})
    plan = HomelessnessExitPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != ExitPlanStatus.ACTIVE:
        raise ValidationError(_("This programme has already ended."))
    plan.status, plan.outcome = status, outcome
    plan.save(update_fields=["status", "outcome", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=plan,
        action=AuditAction.UPDATE,
        person_id=plan.person_id,
        changes={"status": ["active", status], "outcome": [None, outcome]},
    )
    return plan
