"""Who sees a Blue Card: its current staff members and the head — nobody else, anywhere.

Every role and district walks every page of the app (enumerated from its urlpatterns, so a new
page cannot be forgotten), both API endpoints, the registry's search, person and household
pages, the audit log and the audit API. To everyone but the members and the head a card's
page is 404 (not 403) and nothing elsewhere shows its number, its text or that it exists.
"""

import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, reverse

from gops.accounts.services import api_token_create
from gops.accounts.tests.factories import make_user
from gops.bluecards import services
from gops.bluecards.models import BlueCard
from gops.bluecards.urls import urlpatterns
from gops.people.selectors import person_queryset_for_user

from .conftest import TODAY
from .factories import CIRCUMSTANCES

pytestmark = pytest.mark.django_db

# Words that tell a card exists, in Polish and in the source language.
TELLTALES = ("Niebieska", "Niebieskiej", "Blue Card")
MEMBERS = {"head", "worker_a", "assistant_member"}
WITH_BLUE_CARD_ROLE = MEMBERS | {"worker_b", "assistant", "worker_a2"}


@pytest.fixture
def users(centre, district_a, head, worker_a, worker_b, assistant, finance, dpo, administrator):
    return {
        "head": head,
        "worker_a": worker_a,
        "worker_b": worker_b,
        "assistant": assistant,
        "assistant_member": make_user("asystent2", role="family_assistant", centre=centre),
        "finance": finance,
        "dpo": dpo,
        "administrator": administrator,
        "organiser": make_user("zajecia", role="activities_organiser", centre=centre),
        "shelter": make_user("schronisko", role="shelter_coordinator", centre=centre),
        "worker_a2": make_user(
            "pracownik3", role="social_worker", centre=centre, district=district_a
        ),
    }


@pytest.fixture
def full_card(card, users, worker_a):
    """The card at the group, with a staff and an external member and a planned meeting."""
    card = services.blue_card_update(
        actor=worker_a,
        blue_card=card,
        circumstances=CIRCUMSTANCES,
        team_name="ZI Testowo",
        sent_to_team_on=TODAY,
        group_received_on=TODAY,
    )
    services.blue_card_member_add(actor=worker_a, blue_card=card, user=users["assistant_member"])
    services.blue_card_member_add(
        actor=worker_a, blue_card=card, name="asp. Jan Nowak", institution="KPP Testowo"
    )
    services.blue_card_meeting_plan(
        actor=worker_a, blue_card=card, planned_on=TODAY + timedelta(days=2)
    )
    return card


def _card_urls(card: BlueCard, family) -> dict[str, tuple[str, bool]]:
    """{name: (url, is about this card)} for every page of the app."""
    values = {
        "pk": card.pk,
        "member_pk": card.members.filter(user__isnull=True).first().pk,
        "meeting_pk": card.meetings.first().pk,
        "person_pk": family["woman"].pk,
    }
    urls = {}
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = list(pattern.pattern.regex.groupindex)
        unknown = set(names) - set(values)
        assert not unknown, f"add a value for {unknown} of {pattern.name} to this test"
        url = reverse(f"bluecards:{pattern.name}", kwargs={n: values[n] for n in names})
        urls[pattern.name] = (url, "pk" in names)
    return urls


def _outside_menu(html: str) -> str:
    """The page without its site header: the menu may name the area to the roles that work
    in it, which says nothing about any card."""
    return re.sub(r'<header class="site-header">.*?</header>', "", html, flags=re.S)


def _assert_nothing_of(card: BlueCard, text: str, where: str, *, words: bool = True) -> None:
    """No number, no text; with `words`, nothing saying that Blue Cards are involved (not
    checked on the app's own empty list and form A, which are about Blue Cards by nature)."""
    assert card.number not in text, where
    assert "NK/2025" not in text, where
    assert CIRCUMSTANCES not in text, where
    if not words:
        return
    body = _outside_menu(text)
    for word in TELLTALES:
        assert word not in body, f"{word!r} on {where}"


@pytest.fixture
def api(client):
    tokens = {}

    def call(user, path, method="get", body=None):
        if user.pk not in tokens:
            tokens[user.pk] = api_token_create(user=user)
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(
            f"/api/v1{path}", body, HTTP_AUTHORIZATION=f"Bearer {tokens[user.pk]}", **kwargs
        )

    return call


@pytest.mark.parametrize(
    "who",
    [
        "head",
        "worker_a",
        "assistant_member",
        "worker_b",
        "assistant",
        "finance",
        "dpo",
        "administrator",
        "organiser",
        "shelter",
        "worker_a2",
    ],
)
def test_only_members_and_the_head_see_the_card_anywhere(
    who, users, full_card, family, client, api
):
    card = full_card
    user = users[who]
    client.force_login(user)
    urls = _card_urls(card, family)
    sees = who in MEMBERS

    for name, (url, about_card) in urls.items():
        response = client.get(url)
        where = f"{who} GET {name} {url}"
        if name == "person_panel":
            # On the person's page: shown to a member who may open that page at all.
            assert response.status_code == 200, where
            if sees and person_queryset_for_user(user=user).filter(pk=family["woman"].pk):
                assert card.number in response.content.decode(), where
            else:
                assert response.content == b"", where
            continue
        if sees:
            assert response.status_code == 200, where
            if name in ("list", "detail", "export") or about_card:
                assert card.number in response.content.decode(), where
            continue
        if about_card or who not in WITH_BLUE_CARD_ROLE:
            assert response.status_code == 404, where
            _assert_nothing_of(card, response.content.decode(), where)
        else:
            # The list, the export and form A of a worker who is not a member: no card in them.
            assert response.status_code == 200, where
            _assert_nothing_of(card, response.content.decode(), where, words=False)

    # Writing is refused the same way, and nothing changes.
    if not sees:
        for name, (url, about_card) in urls.items():
            if about_card:
                response = client.post(url, {"action": "save", "reason": "no_grounds"})
                assert response.status_code == 404, f"{who} POST {name}"
        card.refresh_from_db()
        assert card.status == "open"
        assert card.members.filter(removed_on__isnull=True).count() == 3

    # The API.
    response = api(user, f"/blue-cards/{card.pk}")
    if sees:
        assert response.status_code == 200
        assert response.json()["number"] == card.number
    else:
        assert response.status_code == 404, who
        _assert_nothing_of(card, response.content.decode(), f"{who} API GET")
    if who not in WITH_BLUE_CARD_ROLE:
        body = {
            "opened_on": TODAY.isoformat(),
            "circumstances": "x",
            "participants": [
                {"person_id": family["woman"].pk, "role": "experiencing"},
                {"person_id": family["man"].pk, "role": "using"},
            ],
        }
        assert api(user, "/blue-cards", "post", body).status_code == 404, who
        assert BlueCard.objects.count() == 1

    if who == "head":
        return  # the head sees the card, and its audit entries, everywhere.
    # Everything else about the persons of the card: the registry, households, the audit.
    woman, household = family["woman"], family["household"]
    pages = {
        "person page": reverse("people:person_detail", args=[woman.pk]),
        "household page": reverse("people:household_detail", args=[household.pk]),
        "audit log": reverse("audit:entry_list"),
        "audit log of the person": reverse("audit:entry_list") + f"?person={woman.pk}",
    }
    for where, url in pages.items():
        _assert_nothing_of(card, client.get(url).content.decode(), f"{who} {where}")
    # The registry search is a POST (no PESEL or name in a URL).
    found = client.post(reverse("people:person_list"), {"q": "Zawadzka"})
    _assert_nothing_of(card, found.content.decode(), f"{who} person search")
    for path in (
        f"/audit?person_id={woman.pk}",
        "/audit",
        "/persons?q=Zawadzka",
        f"/persons/{woman.pk}",
        f"/households/{household.pk}",
    ):
        _assert_nothing_of(card, api(user, path).content.decode(), f"{who} API {path}")


def test_the_matrix_looks_at_pages_that_name_the_persons(users, full_card, family, client):
    """The registry pages above do show the participants to the district's workers: the
    absence of the card there is not the absence of the page."""
    client.force_login(users["worker_a2"])
    page = client.get(reverse("people:person_detail", args=[family["woman"].pk]))
    assert page.status_code == 200
    assert "Zawadzka" in page.content.decode()
    client.force_login(users["head"])
    log = client.get(reverse("audit:entry_list")).content.decode()
    assert full_card.number in log  # the head's audit log does show the card


def test_a_removed_member_loses_access(users, full_card, family, client, api, worker_a):
    assistant = users["assistant_member"]
    member = full_card.members.get(user=assistant, removed_on__isnull=True)
    client.force_login(assistant)
    assert client.get(reverse("bluecards:detail", args=[full_card.pk])).status_code == 200
    services.blue_card_member_remove(actor=worker_a, member=member)
    assert client.get(reverse("bluecards:detail", args=[full_card.pk])).status_code == 404
    assert full_card.number not in client.get(reverse("bluecards:list")).content.decode()
    panel = client.get(reverse("bluecards:person_panel", args=[family["woman"].pk]))
    assert panel.content == b""
    assert api(assistant, f"/blue-cards/{full_card.pk}").status_code == 404


@pytest.mark.parametrize("username", ["pracownik2", "ksiegowa", "zajecia", "admin"])
def test_acceptance_with_api_tokens_a_card_of_pracownik1_is_invisible(
    username, users, full_card, family, client, api
):
    user = next(u for u in users.values() if u.username == username)
    assert api(user, f"/blue-cards/{full_card.pk}").status_code == 404
    assert api(user, f"/blue-cards/{full_card.pk + 1000}").status_code == 404
    for path in ("/persons?q=Zawadzka", "/audit", f"/audit?person_id={family['woman'].pk}"):
        _assert_nothing_of(full_card, api(user, path).content.decode(), f"{username} {path}")
    client.force_login(user)
    for name in ("detail", "edit", "close"):
        url = reverse(f"bluecards:{name}", args=[full_card.pk])
        assert client.get(url).status_code == 404
    listing = client.get(reverse("bluecards:list"))
    assert full_card.number not in listing.content.decode()
