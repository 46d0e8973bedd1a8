"""Each list on data built to hit it and data built to miss it; the refresh keeps handled rows,
clears rows that no longer apply and is idempotent."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from gops.accounts.tests.factories import make_user
from gops.atrisk import services
from gops.atrisk.models import AtRiskEntry, ListCode
from gops.audit.models import AuditEntry
from gops.benefits.models import DecisionKind
from gops.bluecards.tests.factories import make_family, open_card
from gops.families.tests.factories import make_support
from gops.people.models import Person
from gops.shelter.models import NightRecord
from gops.shelter.tests.factories import make_facility, place

from .conftest import TODAY, done_interview, household, income, issued_decision, person

pytestmark = pytest.mark.usefixtures("legal_parameters_rows", "atrisk_grants")


def refresh(centre, today=TODAY):
    return services.atrisk_refresh(centre=centre, today=today)


def listed(list_code, *, still=True):
    return set(
        AtRiskEntry.objects.filter(list_code=list_code, still_applies=still).values_list(
            "person_id", flat=True
        )
    )


# --- 1. income below the criterion, no help --------------------------------------------------


def test_low_income_without_help_is_listed_with_the_numbers(centre, worker_a, head):
    mother, child = person(worker_a, female=True), person(worker_a, born=date(2015, 3, 3))
    home = household(worker_a, mother, child)
    income(mother, "1000.00", month=date(2025, 11, 1))
    income(mother, "1500.00")  # December, the latest month: 750 zł per person ≤ 823 zł
    poor_single = person(worker_a)
    household(worker_a, poor_single)
    income(poor_single, "1010.00")  # exactly the single criterion
    refresh(centre)
    assert listed(ListCode.LOW_INCOME_NO_HELP) == {mother.pk, poor_single.pk}
    entry = AtRiskEntry.objects.get(person=mother)
    assert entry.household == home
    assert "750,00 zł" in entry.reason
    assert "823,00 zł" in entry.reason
    assert "12.2025" in entry.reason


def test_income_above_the_criterion_or_help_in_force_is_not_listed(centre, worker_a, head):
    rich = person(worker_a)
    household(worker_a, rich)
    income(rich, "1010.01")
    helped = person(worker_a)
    helped_home = household(worker_a, helped)
    income(helped, "300.00")
    issued_decision(
        actor=worker_a,
        signer=head,
        household=helped_home,
        person=helped,
        benefit="periodic",
        period_from=date(2025, 12, 1),
        period_until=date(2026, 5, 31),
    )
    revoked = person(worker_a)
    revoked_home = household(worker_a, revoked)
    income(revoked, "300.00")
    grant = issued_decision(
        actor=worker_a,
        signer=head,
        household=revoked_home,
        person=revoked,
        benefit="periodic",
        period_from=date(2025, 12, 1),
        period_until=date(2026, 5, 31),
    )
    issued_decision(
        actor=worker_a,
        signer=head,
        household=revoked_home,
        person=revoked,
        benefit="periodic",
        period_from=date(2026, 1, 1),
        kind=DecisionKind.REVOKING,
        changes=grant,
    )
    not_counted = person(worker_a)
    household(worker_a, not_counted)
    income(not_counted, "5000.00", counts_as_income=True)
    income(not_counted, "100.00", month=date(2025, 10, 1))  # an older month is not the latest
    refresh(centre)
    assert listed(ListCode.LOW_INCOME_NO_HELP) == {revoked.pk}


# --- 2. permanent allowance: interview update --------------------------------------------------


def test_permanent_allowance_with_the_update_due_or_overdue_is_listed(centre, worker_a, head):
    due_soon, overdue, fresh, ended = (person(worker_a) for _ in range(4))
    for recipient, last, until in (
        (due_soon, date(2025, 7, 20), None),  # due 2026-01-20
        (overdue, date(2025, 5, 1), None),  # due 2025-11-01
        (fresh, date(2025, 12, 1), None),  # due 2026-06-01
        (ended, date(2025, 5, 1), date(2025, 12, 31)),  # the allowance has ended
    ):
        home = household(worker_a, recipient)
        done_interview(actor=worker_a, household=home, conducted_on=last)
        issued_decision(
            actor=worker_a,
            signer=head,
            household=home,
            person=recipient,
            period_from=date(2025, 6, 1),
            period_until=until,
        )
    refresh(centre)
    assert listed(ListCode.INTERVIEW_UPDATE) == {due_soon.pk, overdue.pk}
    assert "20.01.2026" in AtRiskEntry.objects.get(person=due_soon).reason
    assert "zaległa od 01.11.2025" in AtRiskEntry.objects.get(person=overdue).reason


# --- 3. expiring documents -------------------------------------------------------------------


def test_expiring_or_expired_documents_are_listed(centre, worker_a):
    expiring, expired, later, permanent, foreigner = (person(worker_a) for _ in range(5))
    Person.objects.filter(pk=expiring.pk).update(
        disability_degree="moderate", disability_valid_until=TODAY + timedelta(days=60)
    )
    Person.objects.filter(pk=expired.pk).update(
        disability_degree="significant", disability_valid_until=TODAY - timedelta(days=3)
    )
    Person.objects.filter(pk=later.pk).update(
        disability_degree="light",
        disability_valid_until=TODAY + timedelta(days=61),
        residence_document_valid_until=TODAY + timedelta(days=200),
    )
    Person.objects.filter(pk=permanent.pk).update(disability_degree="moderate")
    Person.objects.filter(pk=foreigner.pk).update(
        residence_document_valid_until=TODAY + timedelta(days=10)
    )
    refresh(centre)
    assert listed(ListCode.DOCUMENT_EXPIRY) == {expiring.pk, expired.pk, foreigner.pk}
    assert "Dokument pobytowy traci ważność 25.01.2026" in (
        AtRiskEntry.objects.get(person=foreigner).reason
    )


# --- 4. homeless persons not seen in a shelter -------------------------------------------------


def test_homeless_not_seen_for_three_nights_in_winter(centre, worker_a, settings):
    coordinator = make_user("koordynator", role="shelter_coordinator", centre=centre)
    settings.ATRISK_HOMELESS_UNSEEN_NIGHTS = 3
    facility = make_facility(centre=centre, beds=2)
    beds = list(facility.beds.all())
    unseen, seen, housed = (person(worker_a) for _ in range(3))
    Person.objects.filter(pk__in=[unseen.pk, seen.pk]).update(homeless=True)
    for who, bed, night in (
        (unseen, beds[0], TODAY - timedelta(days=4)),
        (seen, beds[1], TODAY - timedelta(days=3)),
    ):
        placement = place(actor=coordinator, person=who, bed=bed, check_in=night)
        NightRecord.objects.create(
            centre=centre,
            night=night,
            placement=placement,
            person=who,
            bed=bed,
            facility=facility,
            recorded_by=coordinator,
        )
    refresh(centre)
    assert listed(ListCode.HOMELESS_UNSEEN) == {unseen.pk}
    assert "11.01.2026" in AtRiskEntry.objects.get(person=unseen).reason
    # Out of winter nobody is on the list, and the winter row no longer applies.
    refresh(centre, today=date(2026, 5, 15))
    assert listed(ListCode.HOMELESS_UNSEEN) == set()
    assert listed(ListCode.HOMELESS_UNSEEN, still=False) == {unseen.pk}


# --- 5. children: Blue Card without a family assistant ------------------------------------------


def test_children_of_a_blue_card_family_without_an_assistant(
    centre, district_a, worker_a, head, assistant
):
    family = make_family(actor=worker_a, district=district_a)
    card = open_card(actor=worker_a, family=family, opened_on=date(2025, 12, 1))
    refresh(centre)
    assert listed(ListCode.CHILD_BLUE_CARD) == {family["child"].pk}  # the adults are not
    entry = AtRiskEntry.objects.get(list_code=ListCode.CHILD_BLUE_CARD)
    assert entry.blue_card == card
    assert entry.household == family["household"]
    assert "procedurą „Niebieskie Karty”" in entry.reason
    assert card.number not in entry.reason
    # A family assistant starts work: the child is no longer on the list.
    make_support(head=head, household=family["household"], assistant=assistant)
    refresh(centre)
    assert listed(ListCode.CHILD_BLUE_CARD) == set()


# --- the refresh -------------------------------------------------------------------------------


def test_refresh_is_idempotent_and_keeps_handled_rows(centre, worker_a):
    a, b = person(worker_a), person(worker_a)
    Person.objects.filter(pk__in=[a.pk, b.pk]).update(
        residence_document_valid_until=TODAY + timedelta(days=5)
    )
    first = refresh(centre)
    rows = list(AtRiskEntry.objects.order_by("pk").values())
    assert refresh(centre) == first
    assert list(AtRiskEntry.objects.order_by("pk").values()) == rows
    entry = AtRiskEntry.objects.get(person=a)
    services.atrisk_mark_handled(actor=worker_a, entry=entry, note="Zadzwoniono, złoży wniosek.")
    refresh(centre, today=TODAY + timedelta(days=1))
    entry.refresh_from_db()
    assert entry.handled_by == worker_a
    assert entry.still_applies
    assert entry.last_found_on == TODAY + timedelta(days=1)
    assert entry.first_found_on == TODAY
    assert AtRiskEntry.objects.filter(person=a).count() == 1
    # b's document is renewed: the row no longer applies; a new expiry opens a new row.
    Person.objects.filter(pk=b.pk).update(residence_document_valid_until=date(2030, 1, 1))
    refresh(centre, today=TODAY + timedelta(days=2))
    assert listed(ListCode.DOCUMENT_EXPIRY) == {a.pk}
    assert listed(ListCode.DOCUMENT_EXPIRY, still=False) == {b.pk}
    Person.objects.filter(pk=b.pk).update(residence_document_valid_until=TODAY)
    refresh(centre, today=TODAY + timedelta(days=3))
    assert AtRiskEntry.objects.filter(person=b).count() == 2
    assert listed(ListCode.DOCUMENT_EXPIRY) == {a.pk, b.pk}


def test_marking_handled_is_audited_and_needs_a_note(centre, worker_a, worker_b):
    who = person(worker_a)
    Person.objects.filter(pk=who.pk).update(residence_document_valid_until=TODAY)
    refresh(centre)
    entry = AtRiskEntry.objects.get(person=who)
    with pytest.raises(ValidationError):
        services.atrisk_mark_handled(actor=worker_a, entry=entry, note="  ")
    from django.http import Http404

    with pytest.raises(Http404):  # worker_b (district B) does not see the person
        services.atrisk_mark_handled(actor=worker_b, entry=entry, note="Nie mój rejon.")
    services.atrisk_mark_handled(actor=worker_a, entry=entry, note="Umówiono wizytę.")
    entry.refresh_from_db()
    assert entry.handled_on is not None
    assert entry.handling_note == "Umówiono wizytę."
    audit = AuditEntry.objects.filter(person_id=who.pk, object_type__icontains="atrisk").last()
    assert audit is not None
    assert audit.actor_id == worker_a.pk
    with pytest.raises(ValidationError):
        services.atrisk_mark_handled(actor=worker_a, entry=entry, note="Jeszcze raz.")


def test_the_demo_seed_runs_the_refresh(centre, worker_a, head):
    from gops.demo.atrisk import atrisk_seed

    who = person(worker_a)
    Person.objects.filter(pk=who.pk).update(residence_document_valid_until=TODAY)
    counts = atrisk_seed(centre=centre, staff={"head": head}, today=TODAY)
    assert counts[ListCode.DOCUMENT_EXPIRY] == 1
    assert listed(ListCode.DOCUMENT_EXPIRY) == {who.pk}
