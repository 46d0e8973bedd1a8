"""Assigning within the caseload limit, the plan, contacts, assessments, closing, childcare."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gops.audit.models import AuditAction, AuditEntry
from gops.families import services
from gops.families.models import (
    ChildcareSupport,
    ChildProfile,
    FamilyAssessment,
    FamilyContact,
    FamilySupport,
    FamilyWorkPlan,
    PlanStep,
    SupportStatus,
)
from gops.families.selectors import assistant_caseload
from gops.people.models import Household

from .factories import make_family, make_support

pytestmark = pytest.mark.django_db


@pytest.fixture
def families(worker_a, district_a):
    return [
        make_family(actor=worker_a, district=district_a, surname=f"Rodzina{i}") for i in range(16)
    ]


def _close(head, support, **kwargs):
    data = dict(
        closed_on=date(2025, 6, 10),
        outcome="goals_achieved",
        closing_summary="Rodzina samodzielnie zarządza budżetem.",
    )
    data.update(kwargs)
    return services.family_support_close(actor=head, support=support, **data)


# --- caseload ----------------------------------------------------------------------------


def test_the_fifteenth_family_is_accepted_and_the_sixteenth_refused_with_the_reason(
    head, assistant, families
):
    for household in families[:15]:
        make_support(head=head, household=household, assistant=assistant)
    assert assistant_caseload(assistant=assistant) == 15

    with pytest.raises(ValidationError) as excinfo:
        make_support(head=head, household=families[15], assistant=assistant)

    message = excinfo.value.message_dict["assistant"][0]
    assert str(assistant) in message
    assert "15 families" in message
    assert "the limit is 15" in message
    assert not FamilySupport.objects.filter(household=families[15]).exists()
    assert Household.objects.get(pk=families[15].pk).family_assistant_id is None
    assert FamilyWorkPlan.objects.count() == 15


def test_the_limit_is_a_setting(head, assistant, families, settings):
    settings.FAMILY_ASSISTANT_CASELOAD_LIMIT = 2
    make_support(head=head, household=families[0], assistant=assistant)
    make_support(head=head, household=families[1], assistant=assistant)
    with pytest.raises(ValidationError, match="the limit is 2"):
        make_support(head=head, household=families[2], assistant=assistant)


def test_closing_a_family_frees_a_place_and_monitoring_does_not_count(head, assistant, families):
    supports = [make_support(head=head, household=h, assistant=assistant) for h in families[:15]]
    _close(head, supports[0], monitoring_until=date(2025, 12, 1))
    assert FamilySupport.objects.get(pk=supports[0].pk).status == SupportStatus.MONITORING
    assert assistant_caseload(assistant=assistant) == 14

    sixteenth = make_support(head=head, household=families[15], assistant=assistant)

    assert sixteenth.status == SupportStatus.ACTIVE
    assert assistant_caseload(assistant=assistant) == 15
    assert FamilySupport.objects.filter(assistant=assistant).count() == 16


def test_assigning_starts_a_plan_schedules_the_first_assessment_and_sets_the_household(
    support, family, assistant
):
    assert support.plan.steps.count() == 0
    assessment = FamilyAssessment.objects.get(support=support)
    assert assessment.due_on == date(2025, 7, 15)
    assert assessment.done_on is None
    assert Household.objects.get(pk=family.pk).family_assistant == assistant
    entry = AuditEntry.objects.get(object_type="families.familysupport", action=AuditAction.CREATE)
    assert entry.household_id == family.pk


def test_a_family_gets_one_active_assistant(head, support, family, centre):
    from gops.accounts.tests.factories import make_user

    other = make_user("asystent2", role="family_assistant", centre=centre)
    with pytest.raises(ValidationError) as excinfo:
        make_support(head=head, household=family, assistant=other)
    assert "household" in excinfo.value.message_dict


def test_only_the_head_assigns(worker_a, assistant, family):
    with pytest.raises(PermissionDenied):
        make_support(head=worker_a, household=family, assistant=assistant)
    with pytest.raises(PermissionDenied):
        make_support(head=assistant, household=family, assistant=assistant)
    assert not FamilySupport.objects.exists()


def test_the_assistant_must_be_a_family_assistant(head, worker_b, family):
    with pytest.raises(ValidationError) as excinfo:
        make_support(head=head, household=family, assistant=worker_b)
    assert "assistant" in excinfo.value.message_dict
    assert not FamilySupport.objects.exists()


# --- plan ----------------------------------------------------------------------------------


def test_a_step_without_a_deadline_is_refused_and_nothing_written(support, assistant):
    with pytest.raises(ValidationError) as excinfo:
        services.plan_step_add(
            actor=assistant,
            support=support,
            goal="Regularne posyłanie dzieci do szkoły",
            action="Codzienna kontrola frekwencji",
            deadline=None,
            expected_effect="Frekwencja powyżej 90%",
        )
    assert "deadline" in excinfo.value.message_dict["deadline"][0]
    assert not PlanStep.objects.exists()


def test_the_assistant_adds_steps_and_the_social_worker_agrees_the_plan(
    support, assistant, worker_a
):
    step = services.plan_step_add(
        actor=assistant,
        support=support,
        goal="Uporządkowanie budżetu domowego",
        action="Wspólne planowanie wydatków co tydzień",
        deadline=date(2025, 9, 30),
        expected_effect="Brak zaległości czynszowych",
        responsible="matka z asystentem",
    )
    plan = services.work_plan_update(
        actor=worker_a,
        support=support,
        agreed_on=date(2025, 2, 1),
        agreed_with_family=True,
        agreed_with_social_worker=True,
        notes="Plan omówiony na spotkaniu w ośrodku.",
    )
    assert plan.agreed_with_social_worker
    assert plan.agreed_with_family
    assert list(plan.steps.all()) == [step]
    with pytest.raises(PermissionDenied):
        services.plan_step_add(
            actor=worker_a,
            support=support,
            goal="x",
            action="x",
            deadline=date(2025, 9, 30),
            expected_effect="x",
        )


def test_an_agreed_plan_needs_its_date(support, assistant):
    with pytest.raises(ValidationError) as excinfo:
        services.work_plan_update(
            actor=assistant,
            support=support,
            agreed_on=None,
            agreed_with_family=True,
            agreed_with_social_worker=False,
        )
    assert "agreed_on" in excinfo.value.message_dict


def test_a_step_is_done_with_its_date_and_an_abandoned_one_needs_a_reason(support, assistant):
    step = services.plan_step_add(
        actor=assistant,
        support=support,
        goal="Zapisanie dziecka do przedszkola",
        action="Złożenie wniosku",
        deadline=date(2025, 3, 1),
        expected_effect="Miejsce w przedszkolu",
    )
    with pytest.raises(ValidationError):
        services.plan_step_update(actor=assistant, step=step, status="abandoned")
    done = services.plan_step_update(
        actor=assistant, step=step, status="done", outcome="Przyjęta od września"
    )
    assert done.completed_on == date(2025, 6, 10)
    assert PlanStep.objects.get(pk=step.pk).status == "done"


def test_another_assistant_cannot_write_to_a_family_not_theirs(support, centre):
    from gops.accounts.tests.factories import make_user

    other = make_user("asystent2", role="family_assistant", centre=centre)
    with pytest.raises(PermissionDenied):
        services.contact_record(
            actor=other,
            support=support,
            happened_on=date(2025, 6, 1),
            kind="home_visit",
            notes="Wizyta",
        )
    assert not FamilyContact.objects.exists()


# --- contacts and assessments ----------------------------------------------------------------


def test_a_visit_is_logged(support, assistant):
    contact = services.contact_record(
        actor=assistant,
        support=support,
        happened_on=date(2025, 6, 9),
        kind="home_visit",
        notes="Dzieci zadbane, w domu porządek.",
        duration_minutes=90,
        participants="matka, dwoje dzieci",
    )
    assert contact.recorded_by == assistant
    with pytest.raises(ValidationError) as excinfo:
        services.contact_record(
            actor=assistant, support=support, happened_on=date(2025, 6, 11), kind="phone", notes="x"
        )
    assert "happened_on" in excinfo.value.message_dict
    assert FamilyContact.objects.count() == 1


def test_the_assessment_done_schedules_the_next_half_a_year_later(support, assistant):
    done = services.assessment_record(
        actor=assistant,
        support=support,
        done_on=date(2025, 6, 5),
        progress="improved",
        recommendation="continue",
        summary="Poprawa organizacji dnia dzieci.",
    )
    assert done.due_on == date(2025, 7, 15)
    pending = FamilyAssessment.objects.get(support=support, done_on__isnull=True)
    assert pending.due_on == date(2025, 12, 5)
    assert FamilyAssessment.objects.filter(support=support).count() == 2


def test_an_assessment_past_its_date_is_flagged_overdue(head, assistant, worker_a, district_a):
    from gops.families.selectors import family_support_file, family_support_list_for_user

    household = make_family(actor=worker_a, district=district_a, surname="Zaległa")
    support = make_support(
        head=head, household=household, assistant=assistant, started_on=date(2024, 11, 1)
    )
    file = family_support_file(support=support, today=date(2025, 6, 10))
    assert file["pending_assessment"].due_on == date(2025, 5, 1)
    assert file["assessment_overdue"] is True
    row = family_support_list_for_user(user=assistant, today=date(2025, 6, 10)).get()
    assert row.assessment_due == date(2025, 5, 1)
    assert not family_support_file(support=support, today=date(2025, 4, 30))["assessment_overdue"]


def test_an_incomplete_assessment_is_refused_and_nothing_changes(support, assistant):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_record(
            actor=assistant,
            support=support,
            done_on=None,
            progress="",
            recommendation="",
            summary="",
        )
    assert {"done_on", "progress", "recommendation", "summary"} <= set(excinfo.value.message_dict)
    assert FamilyAssessment.objects.get(support=support).done_on is None


# --- closing and monitoring ------------------------------------------------------------------


def test_closing_with_monitoring_frees_the_household_and_cancels_the_pending_assessment(
    head, support, family, assistant
):
    closed = _close(head, support, monitoring_until=date(2025, 12, 31))
    assert closed.status == SupportStatus.MONITORING
    assert closed.outcome == "goals_achieved"
    assert Household.objects.get(pk=family.pk).family_assistant_id is None
    assert not FamilyAssessment.objects.filter(support=support, done_on__isnull=True).exists()
    contact = services.contact_record(
        actor=assistant,
        support=closed,
        happened_on=date(2025, 6, 10),
        kind="monitoring",
        notes="Telefon kontrolny",
    )
    assert contact.pk
    with pytest.raises(ValidationError):
        services.contact_record(
            actor=assistant,
            support=closed,
            happened_on=date(2025, 6, 10),
            kind="home_visit",
            notes="x",
        )
    ended = services.family_support_monitoring_end(actor=assistant, support=closed)
    assert ended.status == SupportStatus.CLOSED


def test_closing_needs_an_outcome_and_a_summary(head, support):
    with pytest.raises(ValidationError) as excinfo:
        _close(head, support, outcome="", closing_summary="")
    assert {"outcome", "closing_summary"} <= set(excinfo.value.message_dict)
    assert FamilySupport.objects.get(pk=support.pk).status == SupportStatus.ACTIVE


def test_the_assistant_cannot_close_the_work(assistant, support):
    with pytest.raises(PermissionDenied):
        _close(assistant, support)


def test_a_monitored_family_assigned_again_ends_the_monitoring(head, support, family, assistant):
    _close(head, support, monitoring_until=date(2025, 12, 31))
    again = make_support(head=head, household=family, assistant=assistant)
    assert FamilySupport.objects.get(pk=support.pk).status == SupportStatus.CLOSED
    assert again.status == SupportStatus.ACTIVE


# --- children and childcare ------------------------------------------------------------------


def test_children_and_childcare_support_are_recorded(support, assistant, family):
    from gops.families.selectors import household_children

    first, second = household_children(household=family)
    profile = services.child_profile_save(
        actor=assistant,
        support=support,
        child=first,
        education_setting="primary_school",
        institution_name="Szkoła Podstawowa nr 2",
        special_needs="orzeczenie o potrzebie kształcenia specjalnego",
    )
    again = services.child_profile_save(
        actor=assistant, support=support, child=first, education_setting="secondary_school"
    )
    assert again.pk == profile.pk
    assert ChildProfile.objects.count() == 1
    item = services.childcare_support_add(
        actor=assistant,
        support=support,
        kind="day_support",
        started_on=date(2025, 2, 1),
        child=second,
        provider="Świetlica środowiskowa „Promyk”",
    )
    finished = services.childcare_support_finish(
        actor=assistant, item=item, ended_on=date(2025, 6, 1), outcome="Poprawa ocen"
    )
    assert ChildcareSupport.objects.get(pk=finished.pk).ended_on == date(2025, 6, 1)
    parents = services.childcare_support_add(
        actor=assistant, support=support, kind="parenting_course", started_on=date(2025, 3, 1)
    )
    assert parents.child is None


def test_a_child_of_another_family_is_refused(support, assistant, worker_a, district_a):
    from gops.families.selectors import household_children

    other = make_family(actor=worker_a, district=district_a, surname="Obca")
    stranger = household_children(household=other).first()
    with pytest.raises(ValidationError) as excinfo:
        services.child_profile_save(
            actor=assistant, support=support, child=stranger, education_setting="home"
        )
    assert "child" in excinfo.value.message_dict
    assert not ChildProfile.objects.exists()
