"""Persons in a family of district A and cards opened through the services."""

from datetime import date

from gops.bluecards import services
from gops.bluecards.models import BlueCard
from gops.people.services import household_create
from gops.people.tests.factories import make_person

CIRCUMSTANCES = "Awantura w mieszkaniu, sąsiadka wezwała policję (zdarzenie testowe 731)"


def pesel(prefix: str) -> str:
    """A valid PESEL from its first ten digits."""
    weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
    return prefix + str(
        (10 - sum(w * int(d) for w, d in zip(weights, prefix, strict=True)) % 10) % 10
    )


def make_family(*, actor, district) -> dict:
    """A woman, her partner and their child, one household in `district`."""
    woman = make_person(
        actor=actor,
        district=district,
        first_names="Beata",
        surnames="Zawadzka",
        pesel=pesel("8501010024"),
    )
    man = make_person(
        actor=actor,
        district=district,
        first_names="Robert",
        surnames="Zawadzki",
        pesel=pesel("8203050013"),
    )
    child = make_person(
        actor=actor,
        district=district,
        first_names="Ola",
        surnames="Zawadzka",
        pesel=pesel("1524040028"),
    )
    household = household_create(
        actor=actor,
        members=[(man, "head"), (woman, "partner"), (child, "child")],
        joined_on=date(2020, 1, 1),
    )
    return {"woman": woman, "man": man, "child": child, "household": household}


def open_card(*, actor, family, opened_on, **kwargs) -> BlueCard:
    data = dict(
        actor=actor,
        opened_on=opened_on,
        circumstances=CIRCUMSTANCES,
        experiencing=[family["woman"]],
        using=[family["man"]],
        child_witnesses=[family["child"]],
        team_name="Zespół Interdyscyplinarny w Testowie",
    )
    data.update(kwargs)
    return services.blue_card_open(**data)
