"""The pages: form A with the registry search, the card, the list's flags, clear messages on
bad input, and the audit of every read."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from gops.audit.models import AuditEntry
from gops.bluecards import services
from gops.bluecards.models import BlueCard, BlueCardMeeting

from .conftest import TODAY
from .factories import CIRCUMSTANCES, open_card

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language."""


@pytest.fixture
def signed_in(client, worker_a):
    client.force_login(worker_a)
    return client


def _form_a(family, **changes):
    data = {
        "action": "save",
        "opened_on": TODAY.isoformat(),
        "circumstances": CIRCUMSTANCES,
        "team_name": "ZI Testowo",
        "sent_to_team_on": "",
        f"role_{family['woman'].pk}": "experiencing",
        f"role_{family['man'].pk}": "using",
        f"role_{family['child'].pk}": "child_witness",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_form_a_finds_persons_and_opens_the_card(signed_in, family, worker_a):
    url = reverse("bluecards:create")
    assert signed_in.get(url).status_code == 200
    found = signed_in.post(url, {"action": "search", "q": "Zawadzk", "circumstances": "abc"})
    page = found.content.decode()
    assert "Zawadzka Beata" in page
    assert f'name="role_{family["man"].pk}"' in page
    assert "abc" in page  # what was typed survives the search
    search = AuditEntry.objects.get(action="search")
    assert search.object_type == "bluecards.search"

    response = signed_in.post(url, _form_a(family))
    card = BlueCard.objects.get()
    assert response.status_code == 302
    assert response.url == card.get_absolute_url()
    assert card.participants.count() == 3
    assert card.members.get().user == worker_a


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"opened_on": (TODAY + timedelta(days=1)).isoformat()},
            "The date cannot be in the future.",
        ),
        (
            {"sent_to_team_on": (TODAY - timedelta(days=1)).isoformat()},
            "Form A cannot be sent to the team before it was filled in.",
        ),
        ({"role_MAN": None}, "Choose at least one person using violence."),
    ],
)
def test_bad_form_a_gives_a_clear_message_and_writes_nothing(signed_in, family, changes, message):
    data = _form_a(family, **{k: v for k, v in changes.items() if k != "role_MAN"})
    if "role_MAN" in changes:
        del data[f"role_{family['man'].pk}"]
    response = signed_in.post(reverse("bluecards:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BlueCard.objects.exists()


def test_a_person_outside_the_workers_registry_cannot_be_smuggled_in(client, worker_b, family):
    client.force_login(worker_b)
    response = client.post(reverse("bluecards:create"), _form_a(family))
    assert response.status_code == 200
    assert "Choose at least one person experiencing violence." in response.content.decode()
    assert not BlueCard.objects.exists()


def test_the_card_page_shows_everything_and_is_audited(signed_in, card):
    response = signed_in.get(reverse("bluecards:detail", args=[card.pk]))
    page = response.content.decode()
    assert card.number in page
    assert CIRCUMSTANCES in page
    assert "Zawadzka Beata" in page
    view = AuditEntry.objects.get(action="view")
    assert (view.object_type, view.object_id) == ("bluecards.bluecard", str(card.pk))
    assert "Zawadz" not in view.object_repr


def test_the_list_flags_an_overdue_deadline(signed_in, worker_a, family):
    late = open_card(actor=worker_a, family=family, opened_on=date(2025, 5, 26))
    fresh = open_card(actor=worker_a, family=family, opened_on=TODAY)
    page = signed_in.get(reverse("bluecards:list")).content.decode()
    rows = {n: page.split(n, 1)[1].split("</tr>", 1)[0] for n in (late.number, fresh.number)}
    assert "deadline overdue" in rows[late.number]
    assert "deadline overdue" not in rows[fresh.number]
    detail = signed_in.get(reverse("bluecards:detail", args=[late.pk])).content.decode()
    assert "overdue" in detail
    found = signed_in.post(reverse("bluecards:list"), {"q": late.number}).content.decode()
    assert late.number in found
    assert fresh.number not in found
    by_name = signed_in.post(reverse("bluecards:list"), {"q": "Zawadzka"}).content.decode()
    assert late.number in by_name
    # Every list shown is a read and recorded: the plain list and the two searches.
    queries = AuditEntry.objects.filter(object_type="bluecards.search").order_by("id")
    assert [e.changes["query"] for e in queries] == ["", late.number, "Zawadzka"]


def test_closing_without_a_reason_is_refused_with_a_message(signed_in, card):
    url = reverse("bluecards:close", args=[card.pk])
    response = signed_in.post(url, {"closed_on": TODAY.isoformat(), "reason": ""})
    assert "Choose the reason for closing." in response.content.decode()
    card.refresh_from_db()
    assert card.status == "open"
    response = signed_in.post(
        url, {"closed_on": TODAY.isoformat(), "reason": "no_grounds", "note": "Brak podstaw"}
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == "closed"


def test_a_meeting_for_a_past_day_is_refused_with_a_message(signed_in, worker_a, card):
    services.blue_card_update(
        actor=worker_a,
        blue_card=card,
        circumstances=CIRCUMSTANCES,
        sent_to_team_on=TODAY,
        group_received_on=TODAY,
    )
    url = reverse("bluecards:meeting_plan", args=[card.pk])
    response = signed_in.post(url, {"planned_on": (TODAY - timedelta(days=1)).isoformat()})
    assert "A meeting can be planned only for today or a later day." in response.content.decode()
    assert not BlueCardMeeting.objects.exists()
    response = signed_in.post(url, {"planned_on": (TODAY + timedelta(days=3)).isoformat()})
    assert response.status_code == 302
    meeting = BlueCardMeeting.objects.get()
    record = reverse("bluecards:meeting_record", args=[card.pk, meeting.pk])
    assert signed_in.get(record).status_code == 200


def test_members_are_added_and_removed_on_their_pages(signed_in, card, assistant, client):
    url = reverse("bluecards:member_add", args=[card.pk])
    assert assistant.get_full_name() in signed_in.get(url).content.decode()
    assert signed_in.post(url, {"user": assistant.pk}).status_code == 302
    signed_in.post(url, {"name": "pedagog Anna Lis", "institution": "SP nr 1 w Testowie"})
    assert card.members.filter(removed_on__isnull=True).count() == 3
    member = card.members.get(user=assistant)
    remove = reverse("bluecards:member_remove", args=[card.pk, member.pk])
    assert signed_in.post(remove).status_code == 302
    client.force_login(assistant)
    assert client.get(reverse("bluecards:detail", args=[card.pk])).status_code == 404


def test_the_person_panel_lists_the_card_for_a_member_and_audits_it(signed_in, card, family):
    url = reverse("bluecards:person_panel", args=[family["woman"].pk])
    page = signed_in.get(url).content.decode()
    assert card.number in page
    assert "person experiencing violence" in page
    assert AuditEntry.objects.filter(action="view", object_type="bluecards.bluecard").exists()


def test_the_export_has_no_names_and_no_text(signed_in, card):
    csv_text = signed_in.get(reverse("bluecards:export")).content.decode()
    assert card.number in csv_text
    assert "Zawadz" not in csv_text
    assert CIRCUMSTANCES not in csv_text
