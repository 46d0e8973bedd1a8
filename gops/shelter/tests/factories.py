"""Facilities, beds and placements for the shelter's tests."""

from datetime import date

from gops.people.models import Person

from .. import services
from ..models import Bed, Facility, FacilityKind, Placement

# A person's sex comes from their PESEL.
MAN_PESEL = "44051401359"
WOMAN_PESEL = "58031512348"


def make_facility(*, centre, beds: int = 0, **kwargs) -> Facility:
    """A facility of the centre with `beds` plain beds in room 1 (labels 1, 2, …)."""
    defaults = dict(
        name="Noclegownia przy ul. Zimowej",
        kind=FacilityKind.NIGHT_SHELTER,
        street="ul. Zimowa 5",
        postal_code="00-001",
        city="Testowo",
    )
    defaults.update(kwargs)
    facility = Facility.objects.create(centre=centre, **defaults)
    for number in range(1, beds + 1):
        make_bed(facility=facility, label=str(number))
    return facility


def make_shelter(*, centre, beds: int = 0, **kwargs) -> Facility:
    """A schronisko run by an organisation under contract: placements need a decision."""
    defaults = dict(
        name="Schronisko Brata Alberta",
        kind=FacilityKind.HOMELESS_SHELTER,
        operator="Towarzystwo Pomocy im. św. Brata Alberta",
    )
    defaults.update(kwargs)
    return make_facility(centre=centre, beds=beds, **defaults)


def make_bed(*, facility: Facility, room: str = "1", label: str = "1", **kwargs) -> Bed:
    return Bed.objects.create(facility=facility, room=room, label=label, **kwargs)


def place(*, actor, person: Person, bed: Bed, check_in: date, **kwargs) -> Placement:
    """An emergency placement into `bed` through the service."""
    kwargs.setdefault("emergency", True)
    return services.placement_create(
        actor=actor, person=person, bed=bed, check_in=check_in, **kwargs
    )
