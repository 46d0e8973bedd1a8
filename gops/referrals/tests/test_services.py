"""Directory search and import, advice, referrals (consent, states, follow-ups), employment
profiles and activation counts."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gops.audit.models import AuditEntry
from gops.referrals import selectors, services
from gops.referrals.models import (
    Advice,
    EmploymentProfile,
    Institution,
    InstitutionKind,
    OutcomeKind,
    Referral,
    ReferralKind,
    ReferralState,
)

from .factories import finish, make_institution, make_referral, make_work_referral

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def pup(centre):
    return make_institution(centre=centre)


def test_search_finds_institutions_by_words_and_type(worker, centre, pup):
    bank = make_institution(
        centre=centre,
        name="Bank Żywności",
        kind=InstitutionKind.FOOD_BANK,
        services="paczki",
        languages="polski",
    )
    assert list(selectors.institution_search(user=worker, query="szkolenia")) == [pup]
    assert list(selectors.institution_search(user=worker, query="paczki")) == [bank]
    assert list(selectors.institution_search(user=worker, query="", kind="food_bank")) == [bank]
    assert list(selectors.institution_search(user=worker, query="english")) == [pup]


def test_search_shows_nothing_to_a_user_without_the_permission(finance, pup):
    assert not selectors.institution_search(user=finance, query="").exists()


CSV_GOOD = (
    "name;kind;address;phone;services;languages\n"
    "PCPR w Testowie;family_support_centre;ul. Kwiatowa 1;22 111 22 33;piecza zastępcza;polski\n"
    "Punkt nieodpłatnej pomocy prawnej;legal_aid;Urząd Gminy;;porady prawne;polski, українська\n"
)


def test_csv_import_imports_every_row_and_audits_it(worker):
    report = services.institutions_import_csv(actor=worker, text=CSV_GOOD)
    assert report.ok
    assert report.imported == 2
    assert Institution.objects.filter(centre_id=worker.centre_id).count() == 2
    assert AuditEntry.objects.filter(object_type="referrals.institution").count() == 2


def test_csv_import_with_a_broken_row_imports_nothing_and_reports_the_rows(worker, pup):
    text = (
        "name,kind,email\n"
        "Poradnia uzależnień,addiction,\n"
        "Coś,nonsense,\n"
        f"{pup.name},labour_office,\n"
        "Fundacja,ngo,not-an-email\n"
        "Poradnia uzależnień,addiction,\n"
    )
    report = services.institutions_import_csv(actor=worker, text=text)
    assert not report.ok
    assert report.imported == 0
    rows = dict(report.errors)
    assert set(rows) == {3, 4, 5, 6}
    assert "unknown type" in rows[3]
    assert "already in the directory" in rows[4]
    assert "e-mail" in rows[5]
    assert "repeats row 2" in rows[6]
    assert Institution.objects.count() == 1


def test_csv_import_without_a_header_reports_it(worker):
    report = services.institutions_import_csv(actor=worker, text="a,b\n1,2\n")
    assert report.errors
    assert report.errors[0][0] == 1


def test_advice_is_logged_for_an_anonymous_walk_in(worker, pup):
    advice = services.advice_log(actor=worker, topic="Dodatek mieszkaniowy", institutions=[pup])
    assert advice.person is None
    assert list(advice.institutions.all()) == [pup]
    assert advice.given_on == TODAY


def test_advice_for_a_person_shows_in_their_summary(worker, person, pup):
    services.advice_log(actor=worker, topic="Praca", institutions=[pup], person=person)
    summary = selectors.person_summary(user=worker, person=person)
    assert [a.topic for a in summary["advice"]] == ["Praca"]


def test_a_referral_without_consent_is_refused_and_nothing_is_written(worker, person, pup):
    with pytest.raises(ValidationError) as exc:
        services.referral_create(
            actor=worker, person=person, institution=pup, purpose="x", consent_given=False
        )
    assert "consent" in exc.value.message_dict["consent_given"][0]
    assert not Referral.objects.exists()
    assert not AuditEntry.objects.filter(object_type="referrals.referral").exists()


def test_the_database_refuses_a_referral_without_consent(worker, person, pup):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            centre_id=worker.centre_id,
            person=person,
            institution=pup,
            purpose="x",
            consent_given=False,
            consent_on=TODAY,
            created_by=worker,
        )


def test_a_referral_goes_sent_accepted_done(worker, person, pup):
    referral = make_referral(actor=worker, person=person, institution=pup)
    assert referral.state == ReferralState.SENT
    assert referral.consent_on == TODAY
    referral = services.referral_outcome_record(
        actor=worker, referral=referral, state="accepted", follow_up_on=date(2025, 7, 1)
    )
    assert referral.state == "accepted"
    assert referral.follow_up_on == date(2025, 7, 1)
    referral = services.referral_outcome_record(
        actor=worker, referral=referral, state="done", outcome="Zarejestrowany w PUP"
    )
    assert referral.state == "done"
    assert referral.outcome_on == TODAY
    assert referral.follow_up_on is None


@pytest.mark.parametrize(
    ("first", "then"), [("done", None), ("accepted", "refused"), ("refused", "accepted")]
)
def test_a_referral_moves_only_along_allowed_transitions(worker, person, pup, first, then):
    referral = make_referral(actor=worker, person=person, institution=pup)
    if then is None:
        with pytest.raises(ValidationError):
            services.referral_outcome_record(
                actor=worker, referral=referral, state=first, outcome="x"
            )
        return
    services.referral_outcome_record(actor=worker, referral=referral, state=first, outcome="x")
    with pytest.raises(ValidationError):
        services.referral_outcome_record(actor=worker, referral=referral, state=then, outcome="x")


def test_a_work_referral_needs_a_result_when_it_ends(worker, person, pup):
    referral = make_work_referral(actor=worker, person=person, institution=pup)
    services.referral_outcome_record(actor=worker, referral=referral, state="accepted")
    with pytest.raises(ValidationError) as exc:
        services.referral_outcome_record(
            actor=worker, referral=referral, state="done", outcome="koniec"
        )
    assert "outcome_kind" in exc.value.message_dict


def test_a_service_referral_has_no_work_result(worker, person, pup):
    referral = make_referral(actor=worker, person=person, institution=pup)
    with pytest.raises(ValidationError):
        services.referral_outcome_record(
            actor=worker, referral=referral, state="refused", outcome_kind="employed"
        )


def test_a_refused_work_referral_counts_as_refused(worker, person, pup):
    referral = make_work_referral(actor=worker, person=person, institution=pup)
    referral = services.referral_outcome_record(actor=worker, referral=referral, state="refused")
    assert referral.outcome_kind == OutcomeKind.REFUSED


def test_overdue_follow_ups_lists_open_referrals_past_their_date(worker, person, pup):
    overdue = make_referral(actor=worker, person=person, institution=pup, follow_up_on=TODAY)
    make_referral(actor=worker, person=person, institution=pup, follow_up_on=date(2025, 6, 30))
    closed = make_referral(actor=worker, person=person, institution=pup, follow_up_on=TODAY)
    services.referral_outcome_record(actor=worker, referral=closed, state="refused")
    with time_machine.travel(date(2025, 6, 20)):
        assert list(selectors.overdue_follow_ups(user=worker, today=date(2025, 6, 20))) == [overdue]


def test_referrals_are_scoped_to_the_persons_a_worker_may_see(worker, other_worker, person, pup):
    make_referral(actor=worker, person=person, institution=pup, follow_up_on=TODAY)
    assert selectors.referral_queryset_for_user(user=worker).count() == 1
    assert selectors.referral_queryset_for_user(user=other_worker).count() == 0
    assert not selectors.overdue_follow_ups(user=other_worker, today=date(2026, 1, 1)).exists()


def test_activation_counts_persons_and_outcomes_per_kind(worker, person, district_a, pup):
    from gops.people.tests.factories import make_person

    other = make_person(actor=worker, district=district_a, first_names="Ewa", pesel="58031512348")
    finish(
        actor=worker,
        referral=make_work_referral(actor=worker, person=person, institution=pup),
        outcome_kind=OutcomeKind.COMPLETED_TRAINING,
    )
    finish(
        actor=worker,
        referral=make_work_referral(
            actor=worker, person=person, institution=pup, kind=ReferralKind.JOB_OFFER
        ),
        outcome_kind=OutcomeKind.EMPLOYED,
    )
    make_work_referral(actor=worker, person=other, institution=pup, kind=ReferralKind.CIS)
    make_referral(actor=worker, person=other, institution=pup)  # a service: not activation
    counts = selectors.activation_counts(user=worker, year=2025)
    assert counts.persons_activated == 2
    assert counts.referrals == 3
    assert counts.outcomes == {
        "training": {"completed_training": 1},
        "job_offer": {"employed": 1},
        "cis": {"": 1},
    }
    rows = {r["kind"]: r for r in counts.rows()}
    assert rows["job_offer"]["outcomes"] == [1, 0, 0, 0]
    assert rows["cis"]["pending"] == 1
    assert selectors.activation_counts(user=worker, year=2024).persons_activated == 0


def test_employment_profile_is_saved_and_audited(worker, person):
    profile = EmploymentProfile(
        person=person,
        education="vocational",
        registered_at_labour_office=True,
        registered_since=date(2024, 1, 2),
        barrier_transport=True,
    )
    services.employment_profile_save(actor=worker, profile=profile)
    assert EmploymentProfile.objects.get(person=person).barrier_transport
    assert AuditEntry.objects.filter(object_type="referrals.employmentprofile").exists()


def test_finance_may_not_write_referrals(finance, person, pup):
    with pytest.raises(PermissionDenied):
        services.advice_log(actor=finance, topic="x")
    with pytest.raises(PermissionDenied):
        make_referral(actor=finance, person=person, institution=pup)
    assert not Advice.objects.exists()
