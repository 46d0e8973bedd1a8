"""Writes of advice and referrals: the institution directory (and its CSV import), advice,
referrals with the person's consent and their outcomes, employment profiles."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gops.accounts.models import User
from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change, audited_save, diff, snapshot
from gops.cases.models import SocialContract
from gops.core.imports import ImportReport, csv_dict_reader
from gops.people.models import Person

from .models import (
    WORK_KINDS,
    Advice,
    EmploymentProfile,
    Institution,
    InstitutionKind,
    OutcomeKind,
    Referral,
    ReferralKind,
    ReferralState,
)

INSTITUTION_FIELDS = [
    "name",
    "kind",
    "address",
    "phone",
    "email",
    "website",
    "opening_hours",
    "services",
    "eligibility",
    "languages",
]

_PROFILE_AUDITED = [
    "education",
    "skills",
    "languages",
    "registered_at_labour_office",
    "registered_since",
    "barrier_care_duties",
    "barrier_health",
    "barrier_transport",
    "barrier_addiction",
    "notes",
]

# Allowed state changes of a referral.
TRANSITIONS = {
    ReferralState.SENT: {ReferralState.ACCEPTED, ReferralState.REFUSED},
    ReferralState.ACCEPTED: {ReferralState.DONE},
}


@transaction.atomic
def institution_save(*, actor: User, institution: Institution) -> Institution:
    """Add an institution to the directory of the actor's centre, or change it, audited."""
    adding = institution._state.adding
    perm = "referrals.add_institution" if adding else "referrals.change_institution"
    if not actor.has_perm(perm):
        raise PermissionDenied
    if adding:
        institution.centre_id = actor.centre_id
    elif institution.centre_id != actor.centre_id:
        raise PermissionDenied
    return audited_save(actor=actor, instance=institution, fields=INSTITUTION_FIELDS)


def _kind_of(value: str) -> str | None:
    """A type from its code (labour_office) or its label, any case."""
    wanted = value.strip().lower()
    for code, label in InstitutionKind.choices:
        if wanted in (code, str(label).lower()):
            return code
    return None


@transaction.atomic
def institutions_import_csv(*, actor: User, text: str) -> ImportReport:
    """Import institutions from CSV text with a header row (name, kind, address, phone, email,
    website, opening_hours, services, eligibility, languages; name and kind required).

    All or nothing: one broken row and nothing is imported; the report lists every broken row
    with its reasons.
    """
    if not actor.has_perm("referrals.add_institution"):
        raise PermissionDenied
    report = ImportReport(max_listed=None)
    reader = csv_dict_reader(text)
    header = reader.fieldnames
    if not header or "name" not in [h.strip() for h in header]:
        report.add_error(1, _("The first row must name the columns; 'name' is missing."))
        return report
    existing = set(
        Institution.objects.filter(centre_id=actor.centre_id).values_list("name", flat=True)
    )
    seen: dict[str, int] = {}
    valid: list[Institution] = []
    for row in reader:
        number = reader.line_num
        data = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        if not any(data.values()):
            continue
        reasons = []
        kind = _kind_of(data.get("kind", ""))
        if kind is None:
            reasons.append(_("unknown type “%(kind)s”") % {"kind": data.get("kind", "")})
        name = data.get("name", "")
        if name in existing:
            reasons.append(_("“%(name)s” is already in the directory") % {"name": name})
        elif name and name in seen:
            reasons.append(_("“%(name)s” repeats row %(row)s") % {"name": name, "row": seen[name]})
        seen.setdefault(name, number)
        institution = Institution(
            centre_id=actor.centre_id,
            **{f: data.get(f, "") for f in INSTITUTION_FIELDS if f != "kind"},
            kind=kind or "",
        )
        try:
            institution.full_clean(exclude=["kind", "centre"], validate_constraints=False)
        except ValidationError as exc:
            for name_, messages in exc.message_dict.items():
                label = Institution._meta.get_field(name_).verbose_name
                reasons += [f"{label}: {m}" for m in messages]
        if reasons:
            report.add_error(number, "; ".join(reasons))
        else:
            valid.append(institution)
    if report.errors:
        return report
    for institution in valid:
        institution.save()
        audit_record_change(
            actor=actor,
            instance=institution,
            action=AuditAction.CREATE,
            changes={"imported": True, **diff({}, snapshot(institution, INSTITUTION_FIELDS))},
        )
    report.imported = len(valid)
    return report


def _check_institutions(actor: User, institutions: Iterable[Institution]) -> list[Institution]:
    institutions = list(institutions)
    if any(i.centre_id != actor.centre_id for i in institutions):
        raise ValidationError({"institutions": _("Unknown institution.")})
    return institutions


@transaction.atomic
def advice_log(
    *,
    actor: User,
    topic: str,
    institutions: Iterable[Institution] = (),
    person: Person | None = None,
    notes: str = "",
    given_on: date | None = None,
) -> Advice:
    """Log advice given, to a registered person or (without `person`) an anonymous walk-in."""
    if not actor.has_perm("referrals.add_advice"):
        raise PermissionDenied
    if person is not None and person.centre_id != actor.centre_id:
        raise ValidationError({"person": _("Unknown person.")})
    topic = (topic or "").strip()
    if not topic:
        raise ValidationError({"topic": _("Give the topic of the advice.")})
    institutions = _check_institutions(actor, institutions)
    advice = Advice(
        centre_id=actor.centre_id,
        person=person,
        topic=topic,
        notes=notes,
        given_by=actor,
        given_on=given_on or timezone.localdate(),
    )
    advice.full_clean()
    advice.save()
    advice.institutions.set(institutions)
    audit_record_change(
        actor=actor,
        instance=advice,
        action=AuditAction.CREATE,
        changes={
            "topic": [None, topic],
            "institutions": [None, [i.pk for i in institutions]],
            "anonymous": [None, person is None],
        },
        person_id=person.pk if person else None,
    )
    return advice


@transaction.atomic
def referral_create(
    *,
    actor: User,
    person: Person,
    institution: Institution,
    purpose: str,
    consent_given: bool,
    consent_on: date | None = None,
    kind: str = ReferralKind.SERVICE,
    follow_up_on: date | None = None,
    social_contract: SocialContract | None = None,
) -> Referral:
    """Refer a person to an institution. Without the person's consent nothing is written: their
    data must not leave the centre."""
    if not actor.has_perm("referrals.add_referral"):
        raise PermissionDenied
    if not consent_given:
        raise ValidationError(
            {
                "consent_given": _(
                    "The person has not consented to the referral: their data cannot be "
                    "passed to the institution. Record the consent first."
                )
            }
        )
    today = timezone.localdate()
    consent_on = consent_on or today
    errors = {}
    if person.centre_id != actor.centre_id:
        errors["person"] = _("Unknown person.")
    if institution.centre_id != actor.centre_id:
        errors["institution"] = _("Unknown institution.")
    if kind not in ReferralKind.values:
        errors["kind"] = _("Choose one of the allowed values.")
    if not (purpose or "").strip():
        errors["purpose"] = _("Give the purpose of the referral.")
    if consent_on > today:
        errors["consent_on"] = _("Consent cannot be dated in the future.")
    if follow_up_on is not None and follow_up_on < consent_on:
        errors["follow_up_on"] = _("The follow-up cannot be before the referral.")
    if social_contract is not None and social_contract.person_id != person.pk:
        errors["social_contract"] = _("This social contract is not the person's.")
    if errors:
        raise ValidationError(errors)
    referral = Referral(
        centre_id=actor.centre_id,
        person=person,
        institution=institution,
        kind=kind,
        purpose=purpose.strip(),
        consent_given=True,
        consent_on=consent_on,
        follow_up_on=follow_up_on,
        social_contract=social_contract,
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    audit_record_change(
        actor=actor,
        instance=referral,
        action=AuditAction.CREATE,
        changes=diff(
            {},
            snapshot(
                referral,
                ["institution_id", "kind", "purpose", "consent_on", "follow_up_on"],
            ),
        ),
        person_id=person.pk,
    )
    return referral


@transaction.atomic
def referral_outcome_record(
    *,
    actor: User,
    referral: Referral,
    state: str,
    outcome: str = "",
    outcome_kind: str = "",
    outcome_on: date | None = None,
    follow_up_on: date | None = None,
) -> Referral:
    """Move a referral on: sent → accepted or refused, accepted → done, with the outcome.

    Work and training referrals that end (refused, done) need an outcome kind: employed,
    completed training, dropped out, refused.
    """
    if not actor.has_perm("referrals.change_referral") or referral.centre_id != actor.centre_id:
        raise PermissionDenied
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    before = snapshot(current, ["state", "outcome", "outcome_kind", "outcome_on", "follow_up_on"])
    if state not in TRANSITIONS.get(current.state, set()):
        raise ValidationError(
            {
                "state": _("A referral that is %(current)s cannot become %(new)s.")
                % {
                    "current": ReferralState(current.state).label,
                    "new": ReferralState(state).label if state in ReferralState.values else state,
                }
            }
        )
    ends = state in (ReferralState.REFUSED, ReferralState.DONE)
    outcome = (outcome or "").strip()
    errors = {}
    if current.kind in WORK_KINDS:
        if ends and not outcome_kind and state == ReferralState.REFUSED:
            outcome_kind = OutcomeKind.REFUSED
        if ends and outcome_kind not in OutcomeKind.values:
            errors["outcome_kind"] = _(
                "Give the result: employed, completed training, dropped out or refused."
            )
        if not ends and outcome_kind:
            errors["outcome_kind"] = _("The result is given when the referral ends.")
    elif outcome_kind:
        errors["outcome_kind"] = _("Only work and training referrals have a result.")
    if state == ReferralState.DONE and not outcome:
        errors["outcome"] = _("Describe the outcome.")
    today = timezone.localdate()
    outcome_on = outcome_on or today
    if outcome_on > today:
        errors["outcome_on"] = _("The outcome cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    current.state = state
    current.outcome = outcome or current.outcome
    current.outcome_kind = outcome_kind or ""
    if ends:
        current.outcome_on = outcome_on
        current.follow_up_on = None
    elif follow_up_on is not None:
        current.follow_up_on = follow_up_on
    current.full_clean()
    current.save()
    audit_record_change(
        actor=actor,
        instance=current,
        action=AuditAction.UPDATE,
        changes=diff(
            before,
            snapshot(current, ["state", "outcome", "outcome_kind", "outcome_on", "follow_up_on"]),
        ),
        person_id=current.person_id,
    )
    return current


@transaction.atomic
def employment_profile_save(*, actor: User, profile: EmploymentProfile) -> EmploymentProfile:
    """Record or change a person's employment profile, audited."""
    adding = profile._state.adding
    perm = "referrals.add_employmentprofile" if adding else "referrals.change_employmentprofile"
    if not actor.has_perm(perm) or profile.person.centre_id != actor.centre_id:
        raise PermissionDenied
    if not profile.registered_at_labour_office:
        profile.registered_since = None
    audited_save(actor=actor, instance=profile, fields=_PROFILE_AUDITED)
    return profile
