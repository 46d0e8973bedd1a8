"""Computing the lists of people at risk and marking rows handled.

`atrisk_refresh` reads the registry, decisions, payments, interviews, shelter nights, Blue
Cards and family assistance of one centre, and brings the rows of every list in step with it
in one transaction: new rows for persons newly found, `last_found_on` moved for those found
again (handled rows stay handled), `still_applies` cleared for those no longer found.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gops.accounts.models import Centre, User
from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change
from gops.benefits.models import Decision, DecisionKind, DecisionStatus
from gops.benefits.selectors import LegalParametersMissing, legal_parameters_on
from gops.bluecards.models import BlueCardParticipant, BlueCardStatus
from gops.cases.models import BenefitKind, CommunityInterview, InterviewStatus
from gops.families.models import FamilySupport, SupportStatus
from gops.payments.models import Payment, PaymentStatus
from gops.people.models import DisabilityDegree, HouseholdMembership, Income, Person, Relation
from gops.shelter.models import NightRecord

from . import rules
from .models import AtRiskEntry, ListCode

# Found: person_id -> (household_id, reason, blue_card_id)
Found = dict[int, tuple[int | None, str, int | None]]


def homeless_unseen_nights() -> int:
    return getattr(settings, "ATRISK_HOMELESS_UNSEEN_NIGHTS", rules.HOMELESS_UNSEEN_NIGHTS)


def document_alert_days() -> int:
    return getattr(settings, "DOCUMENT_EXPIRY_ALERT_DAYS", 60)


# --- Reading the centre's data ---------------------------------------------------------------


def _active_members(centre: Centre) -> dict[int, list[tuple[int, str]]]:
    """household_id -> [(person_id, relation)] of current members."""
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = HouseholdMembership.objects.filter(
        left_on__isnull=True, household__centre=centre
    ).values_list("household_id", "person_id", "relation")
    for household_id, person_id, relation in rows.order_by("household_id", "id"):
        members[household_id].append((person_id, relation))
    return members


def _granting_decisions(centre: Centre, today: date, benefit: str | None = None):
    """Issued granting decisions in force on `today` (not revoked or suspended)."""
    changed = Decision.objects.filter(
        status=DecisionStatus.ISSUED,
        kind__in=(DecisionKind.REVOKING, DecisionKind.SUSPENDING),
        changes_decision__isnull=False,
    ).values("changes_decision_id")
    qs = Decision.objects.filter(
        centre=centre, status=DecisionStatus.ISSUED, kind=DecisionKind.GRANTING
    ).exclude(pk__in=changed)
    if benefit is not None:
        qs = qs.filter(benefit=benefit)
    rows = qs.values_list(
        "person_id", "application__household_id", "period_from", "period_until", "issued_on"
    )
    return [
        (person_id, household_id)
        for person_id, household_id, period_from, period_until, issued_on in rows
        if rules.decision_in_force(
            period_from=period_from, period_until=period_until, issued_on=issued_on, today=today
        )
    ]


def _low_income(centre: Centre, today: date) -> Found | None:
    try:
        parameters = legal_parameters_on(today)
    except LegalParametersMissing:
        return None  # no criterion in force: leave the list as it was
    members = _active_members(centre)
    person_household = {p: h for h, ms in members.items() for p, _r in ms}
    helped = {person_id for person_id, _h in _granting_decisions(centre, today)}
    helped |= set(
        Payment.objects.filter(
            centre=centre,
            status=PaymentStatus.PAID,
            paid_on__gte=rules.payment_window_start(today),
            paid_on__lte=today,
        ).values_list("person_id", flat=True)
    )
    month_of: dict[int, date] = {}
    by_month: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    incomes = Income.objects.filter(person_id__in=person_household.keys(), month__lte=today)
    for person_id, month, net, counts in incomes.values_list(
        "person_id", "month", "net_amount", "counts_as_income"
    ):
        household_id = person_household[person_id]
        month_of[household_id] = max(month_of.get(household_id, month), month)
        if counts:
            by_month[(household_id, month)] += net
    found: Found = {}
    for household_id, month in month_of.items():
        persons = members[household_id]
        if any(person_id in helped for person_id, _r in persons):
            continue
        count = len(persons)
        per_person = rules.income_per_person(total=by_month[(household_id, month)], persons=count)
        criterion = rules.criterion_for(
            persons=count,
            single=parameters.single_criterion,
            per_person=parameters.per_person_criterion,
        )
        if not rules.within_income_criterion(per_person_income=per_person, criterion=criterion):
            continue
        listed = next((p for p, r in persons if r == Relation.HEAD), persons[0][0])
        found[listed] = (
            household_id,
            rules.low_income_reason(
                per_person_income=per_person, criterion=criterion, persons=count, month=month
            ),
            None,
        )
    return found


def _interview_update(centre: Centre, today: date) -> Found:
    recipients = _granting_decisions(centre, today, benefit=BenefitKind.PERMANENT)
    current = dict(
        HouseholdMembership.objects.filter(
            left_on__isnull=True, person_id__in=[p for p, _h in recipients]
        ).values_list("person_id", "household_id")
    )
    last_done = dict(
        CommunityInterview.objects.filter(centre=centre, status=InterviewStatus.DONE)
        .values("household_id")
        .annotate(last=Max("conducted_on"))
        .values_list("household_id", "last")
    )
    found: Found = {}
    for person_id, application_household in recipients:
        household_id = current.get(person_id, application_household)
        last = last_done.get(household_id)
        listed, due = rules.interview_update_listed(last_interview_on=last, today=today)
        if listed:
            found[person_id] = (
                household_id,
                rules.interview_update_reason(last_interview_on=last, due=due, today=today),
                None,
            )
    return found


def _documents(centre: Centre, today: date) -> Found:
    limit = today + timedelta(days=document_alert_days())
    persons = list(
        Person.objects.filter(centre=centre)
        .filter(Q(disability_valid_until__lte=limit) | Q(residence_document_valid_until__lte=limit))
        .values_list(
            "pk", "disability_degree", "disability_valid_until", "residence_document_valid_until"
        )
    )
    households = _households_of([row[0] for row in persons])
    found: Found = {}
    for person_id, degree, disability_until, residence_until in persons:
        days = document_alert_days()
        disability = (
            disability_until
            if degree != DisabilityDegree.NONE
            and rules.document_listed(valid_until=disability_until, today=today, alert_days=days)
            else None
        )
        residence = (
            residence_until
            if rules.document_listed(valid_until=residence_until, today=today, alert_days=days)
            else None
        )
        if disability is None and residence is None:
            continue
        found[person_id] = (
            households.get(person_id),
            rules.documents_reason(
                disability_until=disability, residence_until=residence, today=today
            ),
            None,
        )
    return found


def _households_of(person_ids) -> dict[int, int]:
    return dict(
        HouseholdMembership.objects.filter(
            left_on__isnull=True, person_id__in=list(person_ids)
        ).values_list("person_id", "household_id")
    )


def _homeless_unseen(centre: Centre, today: date) -> Found:
    nights = homeless_unseen_nights()
    if not rules.is_winter(today) or nights < 1:
        return {}
    homeless = list(
        Person.objects.filter(centre=centre, homeless=True).values_list("pk", flat=True)
    )
    last_seen = dict(
        NightRecord.objects.filter(person_id__in=homeless, present=True, night__lt=today)
        .values("person_id")
        .annotate(last=Max("night"))
        .values_list("person_id", "last")
    )
    households = _households_of(homeless)
    found: Found = {}
    for person_id in homeless:
        last = last_seen.get(person_id)
        if rules.homeless_unseen(last_seen_night=last, today=today, nights=nights):
            found[person_id] = (
                households.get(person_id),
                rules.homeless_reason(last_seen_night=last, nights=nights),
                None,
            )
    return found


def _children_blue_card(centre: Centre, today: date) -> Found:
    participants = BlueCardParticipant.objects.filter(
        blue_card__centre=centre, blue_card__status=BlueCardStatus.OPEN
    ).values_list("person_id", "blue_card_id")
    card_of_person: dict[int, int] = {}
    for person_id, card_id in participants.order_by("blue_card__opened_on", "blue_card_id"):
        card_of_person.setdefault(person_id, card_id)
    households = _households_of(card_of_person.keys())
    card_of_household: dict[int, int] = {}
    for person_id, household_id in households.items():
        card_of_household.setdefault(household_id, card_of_person[person_id])
    supported = set(
        FamilySupport.objects.filter(
            household_id__in=card_of_household.keys(), status=SupportStatus.ACTIVE
        ).values_list("household_id", flat=True)
    )
    children = HouseholdMembership.objects.filter(
        left_on__isnull=True, household_id__in=card_of_household.keys()
    ).values_list("person_id", "household_id", "person__birth_date")
    found: Found = {}
    for person_id, household_id, birth_date in children:
        if rules.child_blue_card_listed(
            birth_date=birth_date,
            today=today,
            open_blue_card=True,
            active_family_support=household_id in supported,
        ):
            found[person_id] = (
                household_id,
                rules.CHILD_BLUE_CARD_REASON,
                card_of_household[household_id],
            )
    return found


COMPUTATIONS = {
    ListCode.LOW_INCOME_NO_HELP: _low_income,
    ListCode.INTERVIEW_UPDATE: _interview_update,
    ListCode.DOCUMENT_EXPIRY: _documents,
    ListCode.HOMELESS_UNSEEN: _homeless_unseen,
    ListCode.CHILD_BLUE_CARD: _children_blue_card,
}


# --- Writing the rows -----------------------------------------------------------------------


def _sync(*, centre: Centre, list_code: str, found: Found, today: date) -> int:
    existing = {
        entry.person_id: entry
        for entry in AtRiskEntry.objects.filter(
            centre=centre, list_code=list_code, still_applies=True
        )
    }
    gone = [entry.pk for person_id, entry in existing.items() if person_id not in found]
    if gone:
        AtRiskEntry.objects.filter(pk__in=gone).update(
            still_applies=False, updated_at=timezone.now()
        )
    changed, new = [], []
    for person_id, (household_id, reason, blue_card_id) in found.items():
        entry = existing.get(person_id)
        if entry is None:
            new.append(
                AtRiskEntry(
                    centre=centre,
                    list_code=list_code,
                    person_id=person_id,
                    household_id=household_id,
                    reason=reason,
                    blue_card_id=blue_card_id,
                    first_found_on=today,
                    last_found_on=today,
                )
            )
            continue
        if (entry.household_id, entry.reason, entry.blue_card_id, entry.last_found_on) != (
            household_id,
            reason,
            blue_card_id,
            today,
        ):
            entry.household_id, entry.reason, entry.blue_card_id = (
                household_id,
                reason,
                blue_card_id,
            )
            entry.last_found_on = max(entry.last_found_on, today)
            entry.updated_at = timezone.now()
            changed.append(entry)
    AtRiskEntry.objects.bulk_create(new)
    AtRiskEntry.objects.bulk_update(
        changed, ["household_id", "reason", "blue_card_id", "last_found_on", "updated_at"]
    )
    return len(found)


@transaction.atomic
def atrisk_refresh(*, centre: Centre, today: date) -> dict[str, int]:
    """Recompute every list of `centre` as of `today`; how many persons each list holds.

    Idempotent: running it again the same day changes nothing. A list whose inputs are missing
    (no income criterion in force) is left as it was.
    """
    Centre.objects.select_for_update().filter(pk=centre.pk).first()  # one refresh at a time
    counts: dict[str, int] = {}
    for list_code, compute in COMPUTATIONS.items():
        found = compute(centre, today)
        if found is None:
            counts[list_code] = AtRiskEntry.objects.filter(
                centre=centre, list_code=list_code, still_applies=True
            ).count()
            continue
        counts[list_code] = _sync(centre=centre, list_code=list_code, found=found, today=today)
    return counts


def atrisk_refresh_all(*, today: date | None = None) -> dict[int, dict[str, int]]:
    """Every centre's lists (the nightly task and the management command)."""
    today = today or timezone.localdate()
    return {
        centre.pk: atrisk_refresh(centre=centre, today=today)
        for centre in Centre.objects.order_by("pk")
    }


@transaction.atomic
def atrisk_mark_handled(*, actor: User, entry: AtRiskEntry, note: str) -> AtRiskEntry:
    """Record that `actor` dealt with the row, with what was done (audited)."""
    from .selectors import atrisk_entries_for_user

    if not actor.has_perm("atrisk.change_atriskentry"):
        raise PermissionDenied
    entry = atrisk_entries_for_user(actor).select_for_update().filter(pk=entry.pk).first()
    if entry is None:
        raise Http404
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Describe what was done.")})
    if entry.handled_on is not None:
        raise ValidationError(_("This entry has already been marked handled."))
    entry.handled_by = actor
    entry.handled_on = timezone.localdate()
    entry.handling_note = note
    entry.save(update_fields=["handled_by", "handled_on", "handling_note", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=entry,
        action=AuditAction.UPDATE,
        changes={
            "handled_on": [None, entry.handled_on.isoformat()],
            "handling_note": ["", note],
        },
        person_id=entry.person_id,
        household_id=entry.household_id,
    )
    return entry
