"""Who sees which rows and counts; the list page and marking handled through it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from gops.atrisk import selectors, services
from gops.atrisk.models import AtRiskEntry, ListCode
from gops.bluecards.tests.factories import make_family, open_card
from gops.people.models import Person

from .conftest import TODAY, person

pytestmark = [
    pytest.mark.usefixtures("atrisk_grants", "english_messages"),
    pytest.mark.urls("gops.atrisk.tests.urls"),
]


@pytest.fixture
def blue_card_child(centre, district_a, worker_a):
    """A child on list 5 of a card opened by worker_a (its member), in district A."""
    family = make_family(actor=worker_a, district=district_a)
    open_card(actor=worker_a, family=family, opened_on=date(2025, 12, 1))
    services.atrisk_refresh(centre=centre, today=TODAY)
    return family["child"]


def test_the_blue_card_list_is_visible_to_the_member_and_the_head_only(
    client, blue_card_child, worker_a, worker_a2, head
):
    entry = AtRiskEntry.objects.get(list_code=ListCode.CHILD_BLUE_CARD)
    for user in (worker_a, head):
        assert list(selectors.atrisk_entries_for_user(user)) == [entry]
        assert selectors.atrisk_counts_for_user(user)[ListCode.CHILD_BLUE_CARD] == 1
        client.force_login(user)
        page = client.get(reverse("atrisk:list") + "?lista=child_blue_card").content.decode()
        assert str(blue_card_child) in page
        assert 'id="tab-child_blue_card">' in page
        assert '(<span class="count">1</span>)' in page
    # worker_a2 sees the child (same district) but not the card: neither the row nor a count.
    assert Person.objects.filter(pk=blue_card_child.pk, district=worker_a2.district).exists()
    assert list(selectors.atrisk_entries_for_user(worker_a2)) == []
    assert selectors.atrisk_counts_for_user(worker_a2)[ListCode.CHILD_BLUE_CARD] == 0
    client.force_login(worker_a2)
    for url in (reverse("atrisk:list"), reverse("atrisk:list") + "?lista=child_blue_card"):
        page = client.get(url).content.decode()
        assert str(blue_card_child) not in page
        assert '(<span class="count">1</span>)' not in page
    response = client.post(reverse("atrisk:handle", args=[entry.pk]), {"note": "Sprawdzam."})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.handled_on is None


def test_rows_follow_person_visibility(client, centre, worker_a, worker_b, finance):
    who = person(worker_a)
    Person.objects.filter(pk=who.pk).update(residence_document_valid_until=TODAY)
    services.atrisk_refresh(centre=centre, today=TODAY)
    assert selectors.atrisk_counts_for_user(worker_a)[ListCode.DOCUMENT_EXPIRY] == 1
    assert selectors.atrisk_counts_for_user(worker_b)[ListCode.DOCUMENT_EXPIRY] == 0
    client.force_login(finance)  # no permission on the lists
    assert client.get(reverse("atrisk:list")).status_code == 404


def test_mark_handled_through_the_page(client, centre, worker_a):
    who = person(worker_a)
    Person.objects.filter(pk=who.pk).update(
        disability_degree="moderate", disability_valid_until=TODAY + timedelta(days=20)
    )
    services.atrisk_refresh(centre=centre, today=TODAY)
    entry = AtRiskEntry.objects.get(person=who)
    client.force_login(worker_a)
    page = client.get(reverse("atrisk:list")).content.decode()
    assert f'for="note-{entry.pk}"' in page
    assert entry.reason in page
    assert who.get_absolute_url() in page
    response = client.post(reverse("atrisk:handle", args=[entry.pk]), {"note": "Wniosek do ZON."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.handled_by == worker_a
    assert entry.handling_note == "Wniosek do ZON."
    assert f'id="entry-{entry.pk}"' not in client.get(reverse("atrisk:list")).content.decode()
    handled = client.get(reverse("atrisk:list") + "?stan=handled").content.decode()
    assert "Wniosek do ZON." in handled
    assert client.get(reverse("atrisk:handle", args=[entry.pk])).status_code == 405
