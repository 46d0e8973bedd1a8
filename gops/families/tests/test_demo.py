"""The demo's family assistance: a full caseload for the assistant, plans, visits,
assessments (one overdue), children, childcare, and two families in monitoring."""

from datetime import date

import pytest
import time_machine
from django.db.models import Count

from gops.accounts.models import User
from gops.demo.families import families_seed
from gops.demo.services import demo_centre_seed
from gops.families.models import (
    ChildcareSupport,
    ChildProfile,
    FamilyAssessment,
    FamilyContact,
    FamilySupport,
    PlanStep,
    SupportStatus,
)
from gops.families.selectors import assistant_caseload

pytestmark = pytest.mark.django_db

TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY):
        yield


def test_the_demo_gives_the_assistant_a_full_caseload_and_two_monitored_families():
    result = demo_centre_seed(persons=100, seed=7, today=TODAY)
    staff = {u.username: u for u in User.objects.filter(centre=result.centre)}
    families_seed(centre=result.centre, staff=staff, today=TODAY)

    assistant = staff["asystent"]
    assert assistant_caseload(assistant=assistant) == 15
    active = FamilySupport.objects.filter(status=SupportStatus.ACTIVE)
    assert FamilySupport.objects.filter(status=SupportStatus.MONITORING).count() == 2
    for support in active.select_related("household", "social_worker"):
        assert support.household.memberships.filter(relation="child").exists()
        assert support.social_worker.district_id == support.household.district_id
        assert 3 <= support.plan.steps.count() <= 4
        assert support.contacts.count() >= 3
        assert support.household.family_assistant_id == assistant.pk
    overdue_steps = PlanStep.objects.filter(
        plan__support__status=SupportStatus.ACTIVE,
        status__in=["planned", "in_progress"],
        deadline__lt=TODAY,
    )
    assert overdue_steps.values("plan").distinct().count() == 15
    assert PlanStep.objects.filter(status="done").exists()
    overdue = FamilyAssessment.objects.filter(done_on__isnull=True, due_on__lt=TODAY)
    assert overdue.count() == 1
    assert FamilyAssessment.objects.filter(done_on__isnull=False).exists()
    assert ChildProfile.objects.count() >= 15
    assert ChildcareSupport.objects.exists()
    assert FamilyContact.objects.filter(kind="monitoring").count() == 2
    assert not active.values("household").annotate(n=Count("id")).filter(n__gt=1).exists()

    counts = (FamilySupport.objects.count(), PlanStep.objects.count())
    families_seed(centre=result.centre, staff=staff, today=TODAY)
    assert (FamilySupport.objects.count(), PlanStep.objects.count()) == counts
