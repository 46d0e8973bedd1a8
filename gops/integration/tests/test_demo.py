"""The demo seed: two running programmes and residence documents due, once."""

from datetime import timedelta

import pytest

from gops.demo.integration import integration_seed
from gops.integration import selectors
from gops.integration.models import IntegrationProgramme, IntegrationReview, IntegrationStep
from gops.people import services as people_services
from gops.people.tests.factories import make_foreigner

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(head, district_a):
    persons = []
    for i, (country, status) in enumerate(
        [
            ("BY", "refugee_status"),
            ("BY", "temporary_residence"),
            ("UA", "temporary_protection_ua"),
            ("UA", "temporary_protection_ua"),
        ]
    ):
        person = make_foreigner(
            actor=head,
            district=district_a,
            surnames=f"Nazwisko{i}",
            citizenship=country,
            residence_status=status,
            id_document_number=f"AB{i:06d}",
            residence_document_valid_until=TODAY + timedelta(days=700),
        )
        people_services.household_create(actor=head, members=[(person, "head")])
        persons.append(person)
    return persons


def test_the_seed_opens_two_programmes_and_documents_due_once(head, worker_a, centre, registry):
    staff = {"kierownik": head, "pracownik1": worker_a}
    integration_seed(centre=centre, staff=staff, today=TODAY)
    programmes = list(IntegrationProgramme.objects.filter(centre=centre))
    assert len(programmes) == 2
    assert {p.status for p in programmes} == {"active"}
    assert {p.person.residence_status for p in programmes} == {
        "refugee_status",
        "subsidiary_protection",
    }
    assert all(p.benefit_months_1_6 for p in programmes)
    areas = {g.area for p in programmes for g in p.goals.all()}
    assert {"polish_lessons", "housing", "work", "school"} <= areas
    assert IntegrationStep.objects.filter(done_on__isnull=False).exists()
    assert IntegrationStep.objects.filter(done_on__isnull=True).exists()
    assert IntegrationReview.objects.count() == 1
    alerts = selectors.documents_expiring(user=head, today=TODAY)
    assert [a.days_left for a in alerts] == [-5, 20, 45]
    assert any(p.person.needs_interpreter for p in programmes)

    integration_seed(centre=centre, staff=staff, today=TODAY)
    assert IntegrationProgramme.objects.filter(centre=centre).count() == 2
