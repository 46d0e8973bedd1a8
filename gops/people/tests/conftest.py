"""A second centre, to show that one centre's staff never reach another centre's registry."""

import pytest

from gops.accounts.tests.factories import make_centre, make_district, make_user


@pytest.fixture
def other_centre(db):
    return make_centre(name="Miejski Ośrodek Pomocy Społecznej w Innowie", teryt="1261011")


@pytest.fixture
def other_district(other_centre):
    return make_district(centre=other_centre, name="Rejon A")


@pytest.fixture
def other_head(other_centre):
    return make_user("kierownik-inny", role="head", centre=other_centre)


@pytest.fixture
def other_worker(other_centre, other_district):
    return make_user(
        "pracownik-inny", role="social_worker", centre=other_centre, district=other_district
    )
