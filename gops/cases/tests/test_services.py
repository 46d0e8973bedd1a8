from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gops.audit.models import AuditEntry
from gops.cases import services
from gops.cases.models import Application, CaseEvent, CommunityInterview
from gops.cases.tests.factories import (
    make_application,
    make_household_with_applicant,
    record_interview,
)
from gops.people import services as people_services

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2025, 6, 20))
def test_registration_schedules_the_interview_14_working_days_ahead(worker_a):
    application = make_application(actor=worker_a, received_on=date(2025, 6, 2))
    assert application.status == "interview_scheduled"
    assert application.interview_due_on == date(2025, 6, 23)
    assert application.decision_due_on == date(2025, 7, 2)
    assert application.number == "OPS/1/2025"
    interview = CommunityInterview.objects.get(application=application)
    assert interview.due_on == date(2025, 6, 23)
    codes = list(application.events.values_list("code", flat=True))
    assert codes == ["registered", "interview_scheduled"]
    assert AuditEntry.objects.filter(object_type="cases.application", action="create").count() == 1


def test_an_unknown_art_7_code_is_refused_and_nothing_is_written(worker_a):
    household, person = make_household_with_applicant(actor=worker_a)
    with pytest.raises(ValidationError) as exc:
        services.application_register(
            actor=worker_a,
            household=household,
            applicant=person,
            received_on=date(2025, 6, 2),
            benefits_requested=["permanent"],
            reasons=["bad_luck"],
        )
    assert "reasons" in exc.value.message_dict
    assert "art. 7" in exc.value.message_dict["reasons"][0]
    assert Application.objects.count() == 0
    assert CaseEvent.objects.count() == 0


def test_other_reason_needs_a_description(worker_a):
    household, person = make_household_with_applicant(actor=worker_a)
    with pytest.raises(ValidationError) as exc:
        services.application_register(
            actor=worker_a,
            household=household,
            applicant=person,
            received_on=date(2025, 6, 2),
            benefits_requested=["purpose"],
            reasons=["other"],
        )
    assert "reason_other" in exc.value.message_dict


def test_the_applicant_must_belong_to_the_household(worker_a):
    household, _person = make_household_with_applicant(actor=worker_a)
    from gops.people.tests.factories import make_foreigner

    stranger = make_foreigner(actor=worker_a)
    with pytest.raises(ValidationError) as exc:
        services.application_register(
            actor=worker_a,
            household=household,
            applicant=stranger,
            received_on=date(2025, 6, 2),
            benefits_requested=["purpose"],
            reasons=["poverty"],
        )
    assert "applicant" in exc.value.message_dict


def test_finance_cannot_register_an_application(worker_a, finance):
    household, person = make_household_with_applicant(actor=worker_a)
    with pytest.raises(PermissionDenied):
        services.application_register(
            actor=finance,
            household=household,
            applicant=person,
            received_on=date(2025, 6, 2),
            benefits_requested=["purpose"],
            reasons=["poverty"],
        )


@time_machine.travel(date(2025, 6, 20))
def test_the_interview_freezes_the_household_and_incomes_of_the_month_before(worker_a):
    application = make_application(actor=worker_a, received_on=date(2025, 6, 2))
    people_services.income_add(
        actor=worker_a,
        person=application.applicant,
        month=date(2025, 5, 1),
        source="old_age_pension",
        net_amount=Decimal("300.00"),
    )
    people_services.income_add(
        actor=worker_a,
        person=application.applicant,
        month=date(2025, 6, 1),
        source="wages",
        net_amount=Decimal("999.00"),
    )
    interview = record_interview(
        actor=worker_a, application=application, conducted_on=date(2025, 6, 10)
    )
    assert interview.status == "done"
    assert interview.snapshot["month"] == "2025-05"
    member = interview.snapshot["members"][0]
    assert member["incomes"] == [
        {
            "source": "old_age_pension",
            "net_amount": "300.00",
            "counts_as_income": True,
            "farm_hectares": None,
        }
    ]
    application.refresh_from_db()
    assert application.status == "interview_done"
    # A later change in the registry does not change the snapshot.
    people_services.person_update(
        actor=worker_a, person=application.applicant, data={"surnames": "Zmieniona"}
    )
    interview.refresh_from_db()
    assert interview.snapshot["members"][0]["surnames"] == "Kowalski"


@time_machine.travel(date(2025, 6, 20))
def test_mandatory_parts_of_the_questionnaire_are_required(worker_a):
    application = make_application(actor=worker_a, received_on=date(2025, 6, 2))
    with pytest.raises(ValidationError) as exc:
        services.interview_record(
            actor=worker_a,
            interview=application.interviews.get(),
            conducted_on=date(2025, 6, 10),
            needs="x",
            diagnosis="",
            help_plan=" ",
        )
    assert set(exc.value.message_dict) == {"diagnosis", "help_plan"}


@time_machine.travel(date(2025, 6, 20))
def test_an_application_can_be_withdrawn_but_not_reopened(worker_a):
    application = make_application(actor=worker_a, received_on=date(2025, 6, 2))
    services.application_close(
        actor=worker_a,
        application=application,
        status="withdrawn",
        reason="Wniosek wycofany pisemnie.",
    )
    application.refresh_from_db()
    assert application.status == "withdrawn"
    with pytest.raises(ValidationError):
        services.application_close(
            actor=worker_a, application=application, status="left_without_consideration", reason="x"
        )
