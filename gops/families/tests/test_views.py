"""Pages: who sees a family (assistant, its social worker, the head) and who gets 404; the
assistant's list with the caseload; assigning; recording a visit and a plan step."""

from datetime import date

import pytest
from django.urls import reverse

from gops.accounts.tests.factories import make_user
from gops.audit.models import AuditAction, AuditEntry
from gops.families import services
from gops.families.models import FamilyContact, FamilySupport, PlanStep

from .factories import make_family

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(support, assistant, family):
    """The support with a step, a contact and childcare, so that every URL has an object."""
    step = services.plan_step_add(
        actor=assistant,
        support=support,
        goal="Regularna nauka",
        action="Odrabianie lekcji z dziećmi",
        deadline=date(2025, 5, 1),
        expected_effect="Promocja do następnej klasy",
    )
    item = services.childcare_support_add(
        actor=assistant, support=support, kind="school_supplies", started_on=date(2025, 2, 1)
    )
    return support, step, item


def _urls(support, step, item):
    pk = support.pk
    return [
        reverse("families:support_detail", args=[pk]),
        reverse("families:plan_update", args=[pk]),
        reverse("families:step_add", args=[pk]),
        reverse("families:step_update", args=[pk, step.pk]),
        reverse("families:contact_add", args=[pk]),
        reverse("families:assessment_record", args=[pk]),
        reverse("families:child_save", args=[pk]),
        reverse("families:childcare_add", args=[pk]),
        reverse("families:childcare_finish", args=[pk, item.pk]),
        reverse("families:support_close", args=[pk]),
        reverse("families:assign", args=[support.household_id]),
    ]


@pytest.fixture
def outsiders(worker_b, finance, administrator, dpo, centre):
    organiser = make_user("zajecia", role="activities_organiser", centre=centre)
    return [worker_b, finance, organiser, administrator, dpo]


def test_outsiders_get_404_on_every_page_and_see_nothing(client, filled, outsiders):
    support, step, item = filled
    for user in outsiders:
        client.force_login(user)
        for url in _urls(*filled):
            assert client.get(url).status_code == 404, (user.username, url)
            assert client.post(url, {}).status_code == 404, (user.username, url)
        monitoring = reverse("families:monitoring_end", args=[support.pk])
        assert client.post(monitoring).status_code == 404
        panel = client.get(reverse("families:household_panel", args=[support.household_id]))
        assert panel.status_code == 200, user.username
        assert panel.content.strip() == b"", user.username
        listing = client.get(reverse("families:support_list"))
        assert listing.status_code in (200, 404)
        assert str(support.household).encode() not in listing.content


def test_the_assistant_the_social_worker_and_the_head_see_the_family(
    client, filled, assistant, worker_a, head
):
    support = filled[0]
    for user in (assistant, worker_a, head):
        client.force_login(user)
        response = client.get(support.get_absolute_url())
        assert response.status_code == 200, user.username
        assert "Regularna nauka" in response.content.decode()
        listing = client.get(reverse("families:support_list")).content.decode()
        assert str(support.household) in listing
        panel = client.get(reverse("families:household_panel", args=[support.household_id]))
        assert support.get_absolute_url() in panel.content.decode()
    views = AuditEntry.objects.filter(action=AuditAction.VIEW, household_id=support.household_id)
    assert views.count() == 3


def test_the_assistants_list_shows_the_caseload_and_overdue_items(client, filled, assistant):
    client.force_login(assistant)
    page = client.get(reverse("families:support_list")).content.decode()
    assert "My families: 1 of 15." in page
    # The step's deadline (1 May) has passed.
    assert 'class="badge overdue">1<' in page


def test_the_head_sees_every_assistants_caseload(client, filled, head):
    client.force_login(head)
    page = client.get(reverse("families:support_list")).content.decode()
    assert "Caseloads of the family assistants" in page
    assert "1 / 15" in page


def test_the_head_assigns_through_the_form_and_the_sixteenth_is_refused(
    client, head, assistant, worker_a, district_a, settings
):
    settings.FAMILY_ASSISTANT_CASELOAD_LIMIT = 1
    first = make_family(actor=worker_a, district=district_a, surname="Pierwsza")
    second = make_family(actor=worker_a, district=district_a, surname="Druga")
    client.force_login(head)
    panel = client.get(reverse("families:household_panel", args=[first.pk])).content.decode()
    assert reverse("families:assign", args=[first.pk]) in panel
    data = {
        "assistant": assistant.pk,
        "social_worker": worker_a.pk,
        "started_on": "2025-06-02",
        "reason": "Niewydolność wychowawcza",
    }
    response = client.post(reverse("families:assign", args=[first.pk]), data)
    support = FamilySupport.objects.get(household=first)
    assert response.status_code == 302
    assert response.url == support.get_absolute_url()

    refused = client.post(reverse("families:assign", args=[second.pk]), data)
    assert refused.status_code == 200
    assert "already works with 1 families; the limit is 1" in refused.content.decode()
    assert not FamilySupport.objects.filter(household=second).exists()


def test_the_assistant_logs_a_visit_and_adds_a_step(client, support, assistant):
    client.force_login(assistant)
    response = client.post(
        reverse("families:contact_add", args=[support.pk]),
        {"happened_on": "2025-06-09", "kind": "home_visit", "notes": "Wizyta w domu."},
    )
    assert response.status_code == 302
    assert FamilyContact.objects.get(support=support).notes == "Wizyta w domu."

    missing = client.post(
        reverse("families:step_add", args=[support.pk]),
        {"goal": "Praca", "action": "Rejestracja w PUP", "expected_effect": "Zatrudnienie"},
    )
    assert missing.status_code == 200
    assert "Give the deadline of the step" in missing.content.decode()
    assert not PlanStep.objects.exists()


def test_the_social_worker_may_not_add_steps_but_sees_no_link(client, support, worker_a):
    client.force_login(worker_a)
    page = client.get(support.get_absolute_url()).content.decode()
    assert reverse("families:step_add", args=[support.pk]) not in page
    assert client.get(reverse("families:step_add", args=[support.pk])).status_code == 403


def test_another_assistant_does_not_see_the_family(client, filled, centre):
    other = make_user("asystent2", role="family_assistant", centre=centre)
    support = filled[0]
    client.force_login(other)
    assert client.get(support.get_absolute_url()).status_code == 404
    listing = client.get(reverse("families:support_list")).content.decode()
    assert str(support.household) not in listing
    assert "My families: 0 of 15." in listing


def test_the_head_closes_with_monitoring(client, support, head):
    client.force_login(head)
    response = client.post(
        reverse("families:support_close", args=[support.pk]),
        {
            "closed_on": "2025-06-10",
            "outcome": "goals_achieved",
            "closing_summary": "Cele planu osiągnięte.",
            "monitoring_until": "2025-12-10",
        },
    )
    assert response.status_code == 302
    assert FamilySupport.objects.get(pk=support.pk).status == "monitoring"


def test_anonymous_users_are_sent_to_log_in(client, support):
    response = client.get(support.get_absolute_url())
    assert response.status_code == 302
    assert "logowanie" in response.url
