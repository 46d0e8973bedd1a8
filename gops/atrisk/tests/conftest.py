"""Test data for the lists: permissions on the roles (until gops.accounts.roles grants them),
persons, decisions, interviews, shelter nights."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission

from gops.accounts.tests.factories import make_user
from gops.benefits.models import Decision, DecisionKind, DecisionStatus
from gops.cases.models import CommunityInterview, InterviewStatus
from gops.families.tests.factories import pesel_for
from gops.people.models import Income
from gops.people.services import household_create
from gops.people.tests.factories import make_person

# A winter day: list 4 runs; the 2025 criteria are in force (1010 zł single, 823 zł per person).
TODAY = date(2026, 1, 15)


@pytest.fixture
def atrisk_grants(db):
    """Head and social workers see and handle the lists (see the report for roles.py)."""
    perms = Permission.objects.filter(
        content_type__app_label="atrisk", codename__in=["view_atriskentry", "change_atriskentry"]
    )
    for name in ("head", "social_worker"):
        Group.objects.get(name=name).permissions.add(*perms)


@pytest.fixture
def worker_a2(centre, district_a):
    """A second social worker of district A: not a member of anyone's Blue Card."""
    return make_user("pracownik3", role="social_worker", centre=centre, district=district_a)


_n = iter(range(1, 10_000))


def person(actor, *, born=date(1970, 5, 5), female=False, **data):
    data.setdefault("first_names", "Jan")
    data.setdefault("surnames", f"Testowy{next(_n)}")
    return make_person(actor=actor, pesel=pesel_for(born, female=female), **data)


def household(actor, *members, joined_on=date(2020, 1, 1)):
    """The first member is the head; the others are children."""
    pairs = [(members[0], "head"), *[(m, "child") for m in members[1:]]]
    return household_create(actor=actor, members=pairs, joined_on=joined_on)


def income(person, amount, month=date(2025, 12, 1), **kwargs):
    return Income.objects.create(
        person=person, month=month, source="wages", net_amount=Decimal(amount), **kwargs
    )


def application_for(actor, household, applicant, received_on=date(2025, 6, 2)):
    from gops.cases import services

    return services.application_register(
        actor=actor,
        household=household,
        applicant=applicant,
        received_on=received_on,
        benefits_requested=["permanent"],
        reasons=["poverty"],
        urgent=False,
    )


_seq = iter(range(1, 10_000))


def issued_decision(
    *,
    actor,
    signer,
    household,
    person,
    benefit="permanent",
    period_from,
    period_until=None,
    issued_on=None,
    kind=DecisionKind.GRANTING,
    changes=None,
):
    application = changes.application if changes else application_for(actor, household, person)
    seq = next(_seq)
    return Decision.objects.create(
        centre_id=actor.centre_id,
        application=application,
        changes_decision=changes,
        kind=kind,
        benefit=benefit,
        status=DecisionStatus.ISSUED,
        person=person,
        number=f"D/{seq}/2025",
        year=2025,
        sequence=seq,
        period_from=period_from,
        period_until=period_until,
        amount=Decimal("500.00"),
        drafted_by=actor,
        signed_by=signer,
        issued_on=issued_on or period_from or TODAY,
    )


def done_interview(*, actor, household, conducted_on):
    return CommunityInterview.objects.create(
        centre_id=household.centre_id,
        household=household,
        status=InterviewStatus.DONE,
        due_on=conducted_on,
        conducted_on=conducted_on,
        conducted_by=actor,
    )
