"""Families with children, registered through the people services, and their assistance."""

from datetime import date
from itertools import count

from stdnum.pl import pesel as stdnum_pesel

from gops.families import services
from gops.people.models import Household, Relation
from gops.people.services import household_create
from gops.people.tests.factories import make_person

_serial = count(100)


def pesel_for(birth: date, *, female: bool) -> str:
    """A valid PESEL for `birth`, unique within a test run."""
    month = birth.month + (20 if birth.year >= 2000 else 0)
    serial = next(_serial) % 1000
    sex_digit = (serial % 5) * 2 + (0 if female else 1)
    base = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial:03d}{sex_digit}"
    return base + stdnum_pesel.calc_check_digit(base)


def make_family(*, actor, district=None, surname: str = "Kowalska", children: int = 1) -> Household:
    """A mother with `children` children, registered by `actor` (a social worker)."""
    extra = {"district": district} if district is not None else {}
    mother_birth = date(1988, 4, 12)
    mother = make_person(
        actor=actor,
        first_names="Anna",
        surnames=surname,
        pesel=pesel_for(mother_birth, female=True),
        **extra,
    )
    members = [(mother, Relation.HEAD)]
    for n in range(children):
        birth = date(2014 + 3 * n, 2, 10 + n)
        child = make_person(
            actor=actor,
            first_names=("Zofia", "Jan", "Maja", "Piotr")[n % 4],
            surnames=surname,
            pesel=pesel_for(birth, female=n % 2 == 0),
            **extra,
        )
        members.append((child, Relation.CHILD))
    return household_create(actor=actor, members=members, joined_on=date(2020, 1, 1))


def make_support(*, head, household, assistant, social_worker=None, started_on=None, **kwargs):
    return services.family_support_assign(
        actor=head,
        household=household,
        assistant=assistant,
        social_worker=social_worker,
        started_on=started_on,
        **kwargs,
    )
