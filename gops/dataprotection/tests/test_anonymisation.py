from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum

from gops.audit.models import AuditEntry
from gops.benefits.models import Decision
from gops.cases import services as case_services
from gops.cases.models import Application, CommunityInterview
from gops.cases.tests.factories import make_application
from gops.dataprotection import services
from gops.dataprotection.models import AnonymisationStatus
from gops.dataprotection.tests.helpers import DPO_PERMS, HEAD_PERMS, WORKER_PERMS, grant
from gops.payments import services as payment_services
from gops.payments.models import Payment
from gops.payments.tests.finance_factories import issued_permanent, issued_purpose
from gops.people.models import Income, Person

pytestmark = pytest.mark.django_db


def totals(person):
    return {
        "payments": Payment.objects.filter(person=person).aggregate(s=Sum("amount"))["s"],
        "decisions": dict(
            Decision.objects.filter(person=person)
            .values_list("benefit")
            .annotate(n=Count("id"))
            .values_list("benefit", "n")
        ),
        "incomes": Income.objects.filter(person=person).aggregate(s=Sum("net_amount"))["s"],
    }


@pytest.fixture
def paid_person(worker_a, head, finance):
    """A woman with a permanent and a purpose allowance, paid in July 2025, case closed."""
    decision = issued_permanent(worker_a, head, number=1, period_until=date(2025, 9, 30))
    issued_purpose(worker_a, head, application=decision.application)
    payment_services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    case_services.case_note_add(actor=worker_a, person=decision.person, text="Rozmowa o lekach.")
    Application.objects.filter(pk=decision.application_id).update(status="final")
    return Person.objects.get(pk=decision.person_id)


def test_anonymisation_keeps_totals_and_removes_identifying_data(paid_person, worker_a, head):
    person = paid_person
    before = totals(person)
    assert before["payments"] > 0
    assert sum(before["decisions"].values()) == 2
    old = {"pesel": person.pesel, "surnames": person.surnames, "street": person.registered_street}
    year, sex = person.birth_date.year, person.sex
    first_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()

    request = services.anonymisation_request(
        actor=grant(worker_a, *WORKER_PERMS), person=person, reason="Upłynął okres przechowywania."
    )
    services.anonymisation_approve(actor=grant(head, *HEAD_PERMS), request=request)

    person.refresh_from_db()
    assert person.full_name == "Osoba zanonimizowana"
    assert person.pesel is None
    assert (person.registered_street, person.registered_city, person.phone, person.email) == (
        "",
        "",
        "",
        "",
    )
    assert person.birth_date == date(year, 1, 1)
    assert person.sex == sex
    assert totals(person) == before
    interview = CommunityInterview.objects.get(application__applicant=person)
    assert interview.diagnosis == ""
    assert interview.needs == ""
    member = next(m for m in interview.snapshot["members"] if m["person_id"] == person.pk)
    assert member["pesel"] is None
    assert member["surnames"] == ""
    assert member["incomes"]  # the amounts the decision was based on stay
    assert not person.case_notes.exclude(text="").exists()
    assert not Decision.objects.filter(person=person).exclude(ruling="").exists()
    request.refresh_from_db()
    assert request.status == AnonymisationStatus.DONE
    # Audited, with field names only: no old value of an identifying field in the new entries.
    new_entries = AuditEntry.objects.filter(id__gt=first_audit, person_id=person.pk)
    assert new_entries.filter(object_type="people.person", changes__has_key="pesel").exists()
    dumped = str(list(new_entries.values_list("changes", flat=True)))
    for value in old.values():
        assert value not in dumped


def test_only_the_head_approves(paid_person, worker_a, dpo, head):
    request = services.anonymisation_request(
        actor=grant(dpo, *DPO_PERMS), person=paid_person, reason="Wniosek osoby (art. 17 RODO)."
    )
    for someone in (grant(worker_a, *WORKER_PERMS), grant(dpo, *DPO_PERMS)):
        with pytest.raises(PermissionDenied):
            services.anonymisation_approve(actor=someone, request=request)
    paid_person.refresh_from_db()
    assert paid_person.surnames == "Nowak-1"
    with pytest.raises(PermissionDenied):
        services.anonymisation_request(actor=head, person=paid_person, reason="x")


def test_a_person_with_an_open_application_cannot_be_anonymised(worker_a, head, english_messages):
    application = make_application(actor=worker_a)
    worker = grant(worker_a, *WORKER_PERMS)
    with pytest.raises(ValidationError) as exc:
        services.anonymisation_request(actor=worker, person=application.applicant, reason="x")
    assert "still open" in exc.value.messages[0]


def test_the_open_application_blocks_the_approval_too(paid_person, worker_a, head):
    request = services.anonymisation_request(
        actor=grant(worker_a, *WORKER_PERMS), person=paid_person, reason="Koniec okresu."
    )
    Application.objects.filter(applicant=paid_person).update(status="registered")
    with pytest.raises(ValidationError):
        services.anonymisation_approve(actor=grant(head, *HEAD_PERMS), request=request)
    paid_person.refresh_from_db()
    assert paid_person.surnames == "Nowak-1"


def test_the_workers_narratives_in_other_areas_are_cleared(paid_person, worker_a, head):
    """The social contract, its reviews, advice and referrals name the person's health and life:
    they are blanked; their dates and kinds stay for the statistics."""
    from gops.cases.models import SocialContract
    from gops.referrals import services as referral_services
    from gops.referrals.models import Advice, Referral
    from gops.referrals.tests.factories import make_institution, make_referral

    person = paid_person
    worker = grant(
        worker_a,
        "cases.add_socialcontract",
        "cases.change_socialcontract",
        "referrals.add_advice",
        "referrals.add_referral",
    )
    contract = case_services.social_contract_create(
        actor=worker,
        person=person,
        signed_on=date(2025, 7, 1),
        valid_from=date(2025, 7, 1),
        valid_until=date(2025, 12, 31),
        situation="Leczenie odwykowe od 2024 r.",
        goals="Terapia",
        person_obligations="Udział w terapii",
        centre_obligations="Zasiłek celowy",
    )
    case_services.social_contract_review(
        actor=worker, contract=contract, reviewed_on=date(2025, 8, 1), notes="Terapia trwa."
    )
    institution = make_institution(centre=person.centre)
    make_referral(actor=worker, person=person, institution=institution, purpose="Poradnia AA")
    referral_services.advice_log(
        actor=worker, topic="Zdrowie", person=person, notes="Depresja, leczenie."
    )

    request = services.anonymisation_request(
        actor=grant(worker_a, *WORKER_PERMS), person=person, reason="Upłynął okres przechowywania."
    )
    services.anonymisation_approve(actor=grant(head, *HEAD_PERMS), request=request)

    contract = SocialContract.objects.get(pk=contract.pk)
    assert (contract.situation, contract.goals, contract.person_obligations) == ("", "", "")
    assert contract.signed_on == date(2025, 7, 1)
    assert [r.notes for r in contract.reviews.all()] == [""]
    assert list(Referral.objects.filter(person=person).values_list("purpose", flat=True)) == [""]
    assert list(Advice.objects.filter(person=person).values_list("notes", "topic")) == [
        ("", "Zdrowie")
    ]
    # The approval's audit entry names what was cleared, never the text.
    entry = AuditEntry.objects.filter(person_id=person.pk).order_by("-id").first()
    assert "cases.socialcontract" in entry.changes
    assert "Terapia" not in str(entry.changes)


def test_the_audit_says_an_encrypted_field_was_anonymised(paid_person, worker_a, head):
    Person.objects.filter(pk=paid_person.pk).update(restricted_notes="")
    person = Person.objects.get(pk=paid_person.pk)
    person.restricted_notes = "Choroba psychiczna"
    person.save()
    request = services.anonymisation_request(
        actor=grant(worker_a, *WORKER_PERMS), person=person, reason="Upłynął okres przechowywania."
    )
    services.anonymisation_approve(actor=grant(head, *HEAD_PERMS), request=request)
    entry = AuditEntry.objects.filter(
        object_type="people.person", changes__has_key="restricted_notes"
    ).latest("id")
    assert entry.changes["restricted_notes"] == [None, services.ANONYMISED_MARK]
