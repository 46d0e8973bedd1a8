"""The demo cards: written through the services, as described, once."""

import pytest

from gops.accounts.models import User
from gops.bluecards.models import BlueCard
from gops.bluecards.selectors import blue_card_deadlines, blue_card_queryset_for_user
from gops.demo.bluecards import bluecards_seed
from gops.demo.services import demo_centre_seed

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_demo_cards_on_the_demo_centre():
    result = demo_centre_seed(persons=40, seed=7, today=TODAY)
    staff = {u.username: u for u in User.objects.filter(centre=result.centre)}
    bluecards_seed(centre=result.centre, staff=staff, today=TODAY)
    bluecards_seed(centre=result.centre, staff=staff, today=TODAY)  # idempotent

    cards = list(BlueCard.objects.filter(centre=result.centre).order_by("pk"))
    assert len(cards) == 3
    assert {c.opened_by.username for c in cards} == {"pracownik1"}
    overdue, at_group, closed = cards
    assert blue_card_deadlines(blue_card=overdue, today=TODAY)[0].overdue
    assert at_group.meetings.filter(held_on__isnull=False).exists()
    assert sorted(at_group.forms.values_list("kind", flat=True)) == ["A", "B", "C", "D"]
    assert set(at_group.members.filter(user__isnull=True).values_list("function", flat=True)) == {
        "dzielnicowy",
        "pedagog szkolny",
    }
    assert closed.status == "closed"
    # The family assistant is a member of one card and sees that one only; pracownik2 none.
    assert list(blue_card_queryset_for_user(user=staff["asystent"])) == [at_group]
    assert not blue_card_queryset_for_user(user=staff["pracownik2"]).exists()
    for card in cards:
        persons = [p.person for p in card.participants.select_related("person")]
        assert all(p.district_id == staff["pracownik1"].district_id for p in persons)
