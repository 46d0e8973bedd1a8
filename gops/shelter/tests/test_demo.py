"""seed_demo's shelter: facilities, emergency placements of the homeless, counted nights."""

from datetime import date

import pytest
import time_machine

from gops.demo.services import demo_centre_seed
from gops.shelter import selectors
from gops.shelter.models import Bed, Facility, HomelessnessExitPlan, NightRecord, Placement

pytestmark = pytest.mark.django_db

TODAY = date(2026, 1, 15)


def test_the_demo_places_its_homeless_persons_and_counts_the_nights():
    with time_machine.travel(TODAY):
        demo_centre_seed(persons=60, seed=7, today=TODAY)
        assert Facility.objects.count() == 3
        assert Bed.objects.filter(out_of_use=True).count() == 1
        assert Bed.objects.filter(season_from__isnull=False).exists()
        current = Placement.objects.filter(check_out__isnull=True)
        assert current.exists()
        assert not current.filter(emergency=False).exists()
        assert Placement.objects.filter(check_out__isnull=False).exists()
        assert NightRecord.objects.exists()
        assert HomelessnessExitPlan.objects.count() == 1
        counts = (Placement.objects.count(), NightRecord.objects.count())
        demo_centre_seed(persons=60, seed=7, today=TODAY)
        assert (Placement.objects.count(), NightRecord.objects.count()) == counts
        from gops.accounts.models import User

        coordinator = User.objects.get(username="schronisko")
        rows = selectors.board(user=coordinator, night=TODAY)
        assert sum(row.occupied for row in rows) == current.count()
