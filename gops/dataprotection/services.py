"""Anonymising a person: requested by the DPO or a social worker, approved by the head.

What stays: the person row and its key (so decisions, payments and statistics still add up),
year of birth, sex, citizenship, degree of disability, incomes and every amount.
What goes: names, PESEL, documents, addresses, contacts, free-text notes about the person.
The audit trail records the names of the fields cleared, never their old values.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gops.accounts.models import User
from gops.audit.models import AuditAction
from gops.audit.services import ANONYMISED, audit_record_change
from gops.people.models import Person

from .models import AnonymisationRequest, AnonymisationStatus

ANONYMOUS_FIRST_NAMES = "Osoba"
ANONYMOUS_SURNAMES = "zanonimizowana"
ANONYMISED_MARK = ANONYMISED

# Person fields replaced, with the value they get.
PERSON_FIELDS_CLEARED = {
    "pesel": None,
    "id_document_type": "",
    "id_document_number": "",
    "residence_document_valid_until": None,
    "languages_spoken": "",
    "registered_street": "",
    "registered_postal_code": "",
    "registered_city": "",
    "actual_same_as_registered": True,
    "actual_street": "",
    "actual_postal_code": "",
    "actual_city": "",
    "phone": "",
    "email": "",
    "restricted_notes": "",
}
APPLICATION_TEXT_FIELDS = ("description", "closed_reason", "reason_other")
INTERVIEW_TEXT_FIELDS = (
    "needs",
    "diagnosis",
    "help_plan",
    "material_situation",
    "health",
    "work_and_education",
    "housing",
)
SNAPSHOT_IDENTIFYING_KEYS = ("first_names", "surnames", "pesel")


def open_applications(person: Person):
    """Applications still being dealt with that concern `person` (as applicant or member)."""
    from gops.cases import rules as case_rules
    from gops.cases.models import Application

    return (
        Application.objects.filter(Q(applicant=person) | Q(household__memberships__person=person))
        .exclude(status__in=case_rules.CLOSED)
        .distinct()
    )


def _check_may_be_anonymised(person: Person) -> None:
    if open_applications(person).exists():
        raise ValidationError(
            _(
                "The person has an application that is still open; close it (final decision, "
                "withdrawal or leaving it without consideration) before anonymising."
            )
        )
    if AnonymisationRequest.objects.filter(person=person, status=AnonymisationStatus.DONE).exists():
        raise ValidationError(_("The person has already been anonymised."))


@transaction.atomic
def anonymisation_request(*, actor: User, person: Person, reason: str) -> AnonymisationRequest:
    """Ask the head to anonymise `person` (the DPO or a social worker)."""
    if not actor.has_perm("dataprotection.add_anonymisationrequest"):
        raise PermissionDenied
    if person.centre_id != actor.centre_id:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for anonymising the person.")})
    _check_may_be_anonymised(person)
    if AnonymisationRequest.objects.filter(
        person=person, status=AnonymisationStatus.PENDING
    ).exists():
        raise ValidationError(_("An anonymisation of this person is already waiting for approval."))
    request = AnonymisationRequest.objects.create(
        centre_id=person.centre_id, person=person, reason=reason, requested_by=actor
    )
    audit_record_change(
        actor=actor,
        instance=request,
        action=AuditAction.CREATE,
        changes={"status": [None, request.status]},
        person_id=person.pk,
    )
    return request


@transaction.atomic
def anonymisation_reject(*, actor: User, request: AnonymisationRequest) -> AnonymisationRequest:
    if not actor.has_perm("dataprotection.approve_anonymisation"):
        raise PermissionDenied
    request = AnonymisationRequest.objects.select_for_update().get(pk=request.pk)
    if request.centre_id != actor.centre_id:
        raise PermissionDenied
    if request.status != AnonymisationStatus.PENDING:
        raise ValidationError(_("The request has already been decided."))
    request.status = AnonymisationStatus.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=request,
        action=AuditAction.UPDATE,
        changes={"status": [AnonymisationStatus.PENDING, request.status]},
        person_id=request.person_id,
    )
    return request


@transaction.atomic
def anonymisation_approve(*, actor: User, request: AnonymisationRequest) -> Person:
    """The head approves: the person's identifying data is replaced, in one transaction."""
    if not actor.has_perm("dataprotection.approve_anonymisation"):
        raise PermissionDenied
    request = AnonymisationRequest.objects.select_for_update().get(pk=request.pk)
    if request.centre_id != actor.centre_id:
        raise PermissionDenied
    if request.status != AnonymisationStatus.PENDING:
        raise ValidationError(_("The request has already been decided."))
    person = Person.objects.select_for_update().get(pk=request.person_id)
    _check_may_be_anonymised(person)

    _anonymise_person(actor=actor, person=person)
    cleared_elsewhere = _anonymise_related(actor=actor, person=person)

    request.status = AnonymisationStatus.DONE
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=request,
        action=AuditAction.UPDATE,
        # Field names only: the old values are exactly what must disappear.
        changes={
            "status": [AnonymisationStatus.PENDING, request.status],
            **{label: [None, ANONYMISED_MARK] for label, n in cleared_elsewhere.items() if n},
        },
        person_id=person.pk,
    )
    return person


def _anonymise_person(*, actor: User, person: Person) -> list[str]:
    values = dict(PERSON_FIELDS_CLEARED)
    values["first_names"] = ANONYMOUS_FIRST_NAMES
    values["surnames"] = ANONYMOUS_SURNAMES
    if person.birth_date:
        values["birth_date"] = date(person.birth_date.year, 1, 1)
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    for name, value in values.items():
        setattr(person, name, value)
    person.updated_by = actor
    # A new version: an edit form opened before the anonymisation must not write over it.
    person.version += 1
    person.save()  # refreshes the folded search copies as well
    audit_record_change(
        actor=actor,
        instance=person,
        action=AuditAction.UPDATE,
        # {"field": [old, new]} as everywhere, but the old value is never written down.
        changes={name: [None, ANONYMISED_MARK] for name in sorted(changed)},
        person_id=person.pk,
    )
    return sorted(changed)


def _anonymise_related(*, actor: User, person: Person) -> dict[str, int]:
    """Free-text notes and copies of identifying data kept in other records."""
    from gops.benefits.models import Decision
    from gops.cases.models import Application, CaseNote, CommunityInterview
    from gops.payments.models import Payment, ScheduleItem

    counts: dict[str, int] = {}
    applications = Application.objects.filter(applicant=person)
    counts["cases.application"] = applications.update(
        **{name: "" for name in APPLICATION_TEXT_FIELDS}
    )
    # Interviews of the person's own applications: the worker's notes are about them.
    counts["cases.communityinterview"] = CommunityInterview.objects.filter(
        application__applicant=person
    ).update(**{name: "" for name in INTERVIEW_TEXT_FIELDS})
    counts["cases.casenote"] = CaseNote.objects.filter(person=person).update(text="")
    # The household snapshots frozen at interviews name every member: blank this person there.
    scrubbed = 0
    household_ids = list(person.memberships.values_list("household_id", flat=True))
    for interview in CommunityInterview.objects.filter(household_id__in=household_ids):
        members = (interview.snapshot or {}).get("members") or []
        touched = False
        for member in members:
            if member.get("person_id") == person.pk:
                for key in SNAPSHOT_IDENTIFYING_KEYS:
                    if key in member:
                        member[key] = None if key == "pesel" else ""
                if member.get("birth_date"):
                    member["birth_date"] = f"{member['birth_date'][:4]}-01-01"
                touched = True
        if touched:
            CommunityInterview.objects.filter(pk=interview.pk).update(snapshot=interview.snapshot)
            scrubbed += 1
    counts["cases.communityinterview.snapshot"] = scrubbed
    # Decisions keep kind, benefit, amount and period; their texts and the PDF name the person.
    counts["benefits.decision"] = Decision.objects.filter(person=person).update(
        ruling="", reasoning="", amount_change_reason="", bank_account="", pdf=None
    )
    counts["payments.scheduleitem"] = ScheduleItem.objects.filter(person=person).update(
        bank_account=""
    )
    counts["payments.payment"] = Payment.objects.filter(person=person).update(bank_account="")
    counts.update(_anonymise_narratives(person))
    return counts


def _anonymise_narratives(person: Person) -> dict[str, int]:
    """The workers' free text about the person in the other areas of work (GDPR art. 17).

    Dates, statuses, kinds and outcomes chosen from a list stay, so the statistics of each
    area (MRPiPS-03, family work, integration) still add up. Texts about a whole household
    (the family assistant's visit log and assessments) stay with the household.
    """
    from gops.atrisk.models import AtRiskEntry
    from gops.cases.models import ContractReview, SocialContract
    from gops.families.models import ChildProfile
    from gops.integration.models import (
        IntegrationGoal,
        IntegrationProgramme,
        IntegrationReview,
        IntegrationStep,
    )
    from gops.referrals.models import Advice, EmploymentProfile, Referral
    from gops.shelter.models import ExitPlanReview, ExitPlanStep, HomelessnessExitPlan

    contracts = SocialContract.objects.filter(person=person)
    programmes = IntegrationProgramme.objects.filter(person=person)
    exit_plans = HomelessnessExitPlan.objects.filter(person=person)
    return {
        "cases.socialcontract": contracts.update(
            situation="", goals="", person_obligations="", centre_obligations="", outcome=""
        ),
        "cases.contractreview": ContractReview.objects.filter(contract__in=contracts).update(
            notes=""
        ),
        "families.childprofile": ChildProfile.objects.filter(child=person).update(special_needs=""),
        "integration.integrationprogramme": programmes.update(closing_note=""),
        "integration.integrationgoal": IntegrationGoal.objects.filter(
            programme__in=programmes
        ).update(description=""),
        "integration.integrationstep": IntegrationStep.objects.filter(
            goal__programme__in=programmes
        ).update(action="", outcome=""),
        "integration.integrationreview": IntegrationReview.objects.filter(
            programme__in=programmes
        ).update(progress="", changes=""),
        "referrals.advice": Advice.objects.filter(person=person).update(notes=""),
        "referrals.referral": Referral.objects.filter(person=person).update(purpose="", outcome=""),
        "referrals.employmentprofile": EmploymentProfile.objects.filter(person=person).update(
            skills="", notes=""
        ),
        "shelter.exitplanstep": ExitPlanStep.objects.filter(plan__in=exit_plans).update(action=""),
        "shelter.exitplanreview": ExitPlanReview.objects.filter(plan__in=exit_plans).update(
            notes=""
        ),
        "shelter.homelessnessexitplan": exit_plans.update(goals="", outcome=""),
        "atrisk.atriskentry": AtRiskEntry.objects.filter(person=person).update(
            reason="", handling_note=""
        ),
    }
