"""No page runs a query per row it shows (issue 10 §3: no N+1 queries).

Every page, panel, export and API list that shows rows is rendered twice: with a few rows of
what it lists and with about three times as many. The number of SQL queries must be the same:
a page whose count grows with its rows runs a query per row (an N+1), which a list of
thousands of rows turns into thousands of queries. On failure the statements that ran more
often with more rows are printed: the missing ``select_related`` / ``prefetch_related`` is
usually plain from them.

The pages are rendered in the world of the access matrix (access_matrix.build_world: one
object of every kind in district A, owned by ``worker_own``), built once for the module; each
test adds its rows in a savepoint of its own, rolled back after it.

ADDING A PAGE: one entry in PAGES below: who views it (a role of access_matrix.ROLES), its
path, and how to add one more row of what it lists (through the services and the apps' test
factories). The adder returns a text the page shows for that row, so that rows the page does
not show fail the test instead of passing it unseen (None for a binary download or a page of
totals). A page whose count grows by design gives ``per_row`` (queries per row) and says why
in ``why``: the test then pins the growth to exactly that.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from stdnum.pl import pesel as stdnum_pesel

from .access_matrix import (
    ASSISTANT,
    DPO,
    FINANCE,
    HEAD,
    ORGANISER,
    SHELTER,
    WORKER_OWN,
    build_world,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Rows added before the first count, and then before the second: about three times as many.
FEW = 2
MORE = 4

_serial = itertools.count(1)


# --- Making rows -------------------------------------------------------------------------------


def _word(n: int) -> str:
    """Three letters naming row `n` ("aab"): names are letters, and each is unique on a page."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "".join(letters[(n // 26**i) % 26] for i in (2, 1, 0))


def _pesel(n: int, *, female: bool = False) -> str:
    """A valid PESEL of someone born in 1930–1998, a different one for each `n` below 25,000."""
    birth = date(1930, 1, 1) + timedelta(days=n * 7 % 25_000)
    body = f"{birth:%y%m%d}{n % 1000:03d}{(n % 5) * 2 + (0 if female else 1)}"
    return body + stdnum_pesel.calc_check_digit(body)


def _count(ctx, name: str) -> int:
    """1, 2, 3, … for each call within a test: for rows that must follow one another."""
    value = getattr(ctx, name, 0) + 1
    setattr(ctx, name, value)
    return value


def _person(w, n: int, *, surname: str = "Liczny", female: bool = False, **data):
    from gops.people.tests.factories import make_person

    return make_person(
        actor=w.worker_own,
        first_names="Anna" if female else "Jan",
        surnames=f"{surname}{_word(n)}",
        pesel=_pesel(n, female=female),
        **data,
    )


def _household_of(w, person):
    from gops.people import services as people_services

    return people_services.household_create(actor=w.worker_own, members=[(person, "head")])


def _application_with(w, n: int, benefits: list[str]):
    from gops.cases import services as case_services

    person = _person(w, n)
    return case_services.application_register(
        actor=w.worker_own,
        household=_household_of(w, person),
        applicant=person,
        received_on=timezone.localdate(),
        benefits_requested=benefits,
        reasons=["poverty"],
    )


def _interviewed(w, application):
    from gops.cases import services as case_services

    interview = application.interviews.get()
    case_services.interview_record(
        actor=w.worker_own,
        interview=interview,
        conducted_on=application.received_on,
        needs="Pomoc finansowa.",
        diagnosis="Dochód poniżej kryterium.",
        help_plan="Zasiłek celowy.",
    )
    application.refresh_from_db()
    return application


def _paid_purpose_allowance(w, n: int, *, person=None, household=None):
    """An application of `person` (Halina by default), interviewed, a purpose allowance of
    100 + n zł issued on it and paid at once: an application, a decision and a payment."""
    from gops.benefits import services as benefit_services
    from gops.cases import services as case_services
    from gops.payments import services as payment_services

    today = timezone.localdate()
    application = case_services.application_register(
        actor=w.worker_own,
        household=household or w.household,
        applicant=person or w.person,
        received_on=today,
        benefits_requested=["purpose"],
        reasons=["poverty"],
    )
    _interviewed(w, application)
    decision = benefit_services.decision_draft(
        actor=w.worker_own,
        application=application,
        benefit="purpose",
        amount=Decimal(100 + n),
        payment_method="cash",
    )
    decision = benefit_services.decision_issue(actor=w.users[HEAD], decision=decision)
    payment_services.urgent_payment_make(actor=w.users[FINANCE], decision=decision)
    return decision


# --- The registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A page (or panel, export, API list) that shows rows, and how to add one more row.

    ``path(w, ctx)`` is the URL (called before each request, outside the count);
    ``add(w, ctx, n)`` adds the `n`-th row of what the page lists and returns a text the page
    shows for it; ``setup(w, ctx)`` prepares what the rows hang on, once per test. ``ctx`` is
    the test's own namespace.
    """

    name: str
    role: str
    path: Callable[[SimpleNamespace, SimpleNamespace], str]
    add: Callable[[SimpleNamespace, SimpleNamespace, int], str | None]
    setup: Callable[[SimpleNamespace, SimpleNamespace], None] | None = None
    method: str = "GET"
    data: dict | Callable[[SimpleNamespace, SimpleNamespace], dict] | None = None
    htmx: bool = False
    api: bool = False
    # Queries each row adds by design, and why.
    per_row: int = 0
    why: str = ""


def url(name: str, query: str = "", **objects: str):
    """A `path`: the URL `name` with each argument the pk of an attribute of the world or of
    the test's namespace (``url("people:person_detail", pk="person")``)."""

    def path(w, ctx):
        kwargs = {
            arg: (getattr(ctx, attr, None) or getattr(w, attr)).pk for arg, attr in objects.items()
        }
        return reverse(name, kwargs=kwargs) + query

    return path


def api(path: str, **objects: str):
    """An API `path` ("/api/v1/persons/{person_id}") filled from the world and the test."""

    def fill(w, ctx):
        kwargs = {
            arg: (getattr(ctx, attr, None) or getattr(w, attr)).pk for arg, attr in objects.items()
        }
        return "/api/v1" + path.format(**kwargs)

    return fill


# People ----------------------------------------------------------------------------------------


def add_person(w, ctx, n):
    return _person(w, n).surnames


def add_income(w, ctx, n):
    from gops.people import services as people_services

    month = date(2010 + n // 12 % 10, n % 12 + 1, 1)
    people_services.income_add(
        actor=w.worker_own,
        person=w.person,
        month=month,
        source="old_age_pension",
        net_amount=Decimal(100 + n),
    )
    return f"{month:%Y-%m}"


def add_member(w, ctx, n):
    from gops.people import services as people_services

    person = _person(w, n)
    people_services.household_add_member(
        actor=w.worker_own, household=w.household, person=person, relation="not_related"
    )
    return person.surnames


# Cases and decisions ---------------------------------------------------------------------------


def add_application(w, ctx, n):
    from gops.cases import services as case_services

    person = _person(w, n)
    return case_services.application_register(
        actor=w.worker_own,
        household=_household_of(w, person),
        applicant=person,
        received_on=timezone.localdate(),
        benefits_requested=["purpose"],
        reasons=["poverty"],
    ).number


def add_applicant(w, ctx, n):
    """An application, shown by its applicant's name."""
    from gops.cases.models import Application

    number = add_application(w, ctx, n)
    return Application.objects.get(centre=w.centre, number=number).applicant.surnames


def add_case_note(w, ctx, n):
    from gops.cases import services as case_services

    note = case_services.case_note_add(
        actor=w.worker_own, person=w.person, application=w.application, text=f"Notatka {_word(n)}"
    )
    return note.text


def add_case_note_event(w, ctx, n):
    """A note on the application: an event of its history."""
    from gops.cases import services as case_services

    note = case_services.case_note_add(
        actor=w.worker_own, person=w.person, application=w.application, text=f"Notatka {_word(n)}"
    )
    return f'"note_id": {note.pk}'


def add_person_case_rows(w, ctx, n):
    """Halina's application, a note on it and a social contract."""
    from gops.cases import services as case_services

    today = timezone.localdate()
    application = case_services.application_register(
        actor=w.worker_own,
        household=w.household,
        applicant=w.person,
        received_on=today,
        benefits_requested=["purpose"],
        reasons=["poverty"],
    )
    case_services.case_note_add(
        actor=w.worker_own, person=w.person, application=application, text=f"Notatka {_word(n)}"
    )
    case_services.social_contract_create(
        actor=w.worker_own,
        person=w.person,
        signed_on=today,
        valid_from=today,
        valid_until=today + timedelta(days=30 + n),
        situation="Sytuacja.",
        goals="Cele.",
        person_obligations="Obowiązki osoby.",
        centre_obligations="Obowiązki ośrodka.",
    )
    return application.number


def add_contract_review(w, ctx, n):
    from gops.cases import services as case_services

    review = case_services.social_contract_review(
        actor=w.worker_own,
        contract=w.contract,
        reviewed_on=timezone.localdate(),
        notes=f"Ocena {_word(n)}",
    )
    return review.notes


def add_decision_of_application(w, ctx, n):
    """Another benefit decided on the application of the world (one decision per benefit)."""
    from gops.benefits import services as benefit_services

    benefit = ["meals", "clothing", "in_kind", "funeral", "special_purpose", "random_event"][n % 6]
    decision = benefit_services.decision_draft(
        actor=w.worker_own,
        application=w.application,
        benefit=benefit,
        amount=Decimal(100 + n) if benefit in ("special_purpose", "random_event") else None,
        payment_method="cash" if benefit in ("special_purpose", "random_event") else "",
        quantity="" if benefit in ("special_purpose", "random_event") else f"{n} szt.",
    )
    return decision.get_benefit_display()


def add_issued_decision(w, ctx, n):
    """A purpose allowance issued (and paid) today, for the decision register of this year."""
    return str(_paid_purpose_allowance(w, n, **_own_household(w, n)).number)


def _own_household(w, n):
    person = _person(w, n)
    return {"person": person, "household": _household_of(w, person)}


CARE_BRACKETS = [
    {"income_up_to_percent": "100", "fee_percent": "0"},
    {"income_up_to_percent": None, "fee_percent": "10"},
]


def setup_care_decision(w, ctx):
    """An issued decision granting care services from July 2025 (the world's fee scale given
    its brackets)."""
    from gops.benefits import services as benefit_services
    from gops.benefits.models import CareFeeScale
    from gops.people import services as people_services

    CareFeeScale.objects.filter(pk=w.care_fee_scale.pk).update(brackets=CARE_BRACKETS)
    with time_machine.travel(date(2025, 6, 2)):
        application = _application_with(w, next(_serial), ["care_services"])
        people_services.income_add(
            actor=w.worker_own,
            person=application.applicant,
            month=date(2025, 5, 1),
            source="old_age_pension",
            net_amount=Decimal("1500.00"),
        )
        _interviewed(w, application)
    with time_machine.travel(date(2025, 6, 25)):
        decision = benefit_services.decision_draft(
            actor=w.worker_own,
            application=application,
            benefit="care_services",
            period_from=date(2025, 7, 1),
            period_until=date(2026, 6, 30),
            quantity="pomoc w codziennych czynnościach",
            care_hours_per_week=Decimal("10"),
        )
        ctx.care_decision = benefit_services.decision_issue(actor=w.users[HEAD], decision=decision)


def add_care_month(w, ctx, n):
    """The hours of care of one more month, July 2025 on."""
    from gops.benefits import services as benefit_services

    month = (date(2025, 6, 1) + timedelta(days=31 * _count(ctx, "care_months"))).replace(day=1)
    with time_machine.travel(month + timedelta(days=40)):
        benefit_services.care_hours_record(
            actor=w.worker_own, decision=ctx.care_decision, month=month, hours=Decimal(30 + n)
        )
    return f"{month:%Y-%m}"


# Payments ------------------------------------------------------------------------------------


def add_payment_of_person(w, ctx, n):
    """A purpose allowance of Halina paid at once: a payment on her page."""
    return _paid_purpose_allowance(w, n).number


def _payroll_of(w, month: date):
    from gops.payments import services as payment_services

    with time_machine.travel(month.replace(day=25)):
        return payment_services.payroll_generate(actor=w.users[FINANCE], month=month)


def add_payee(w, ctx, n, method=None):
    """A permanent allowance from July 2025 and the August 2025 payroll generated again: one
    more payment on it (in cash or by transfer in turn)."""
    from gops.payments.tests.finance_factories import issued_permanent

    decision = issued_permanent(
        w.worker_own,
        w.users[HEAD],
        number=200 + n,
        method=method or ("cash", "bank_transfer")[n % 2],
    )
    ctx.payroll = _payroll_of(w, date(2025, 8, 1))
    return decision.person.surnames


def add_payee_by_transfer(w, ctx, n):
    return add_payee(w, ctx, n, method="bank_transfer")


def add_payroll(w, ctx, n):
    """The payroll of one more month (August 2025 on)."""
    month = (date(2025, 7, 1) + timedelta(days=31 * _count(ctx, "payrolls"))).replace(day=1)
    _payroll_of(w, month)
    return f"{month:%Y-%m}"


def approved_payroll_path(name: str):
    """A payroll approved just before the request (the bank file is made from approved ones
    only, and an approved payroll takes no more rows): each request gets a new month's."""

    def path(w, ctx):
        from gops.payments import services as payment_services

        month = date(2025, 8, 1) + timedelta(days=31 * _count(ctx, "approved"))
        payroll = _payroll_of(w, month.replace(day=1))
        payment_services.payroll_approve(actor=w.users[HEAD], payroll=payroll)
        if name.startswith("/"):
            return name.format(pk=payroll.pk)
        return reverse(name, kwargs={"pk": payroll.pk})

    return path


def add_schedule_month(w, ctx, n):
    """One more month of the permanent allowance planned."""
    from gops.payments import services as payment_services

    ctx.until = getattr(ctx, "until", date(2025, 7, 1))
    ctx.until = (ctx.until + timedelta(days=32)).replace(day=1)
    payment_services.schedules_sync(centre=w.centre, until_month=ctx.until)
    return None


def add_debt(w, ctx, n):
    """Another repayment decision on the world's revoked purpose allowance."""
    from gops.payments import services as payment_services

    today = timezone.localdate()
    debt = payment_services.debt_create(
        actor=w.users[FINANCE],
        person=w.person,
        source_decision=w.debt.source_decision,
        amount=Decimal(10 + n),
        reason="Nieprawdziwe informacje.",
        decision_number=f"ZW/{n}/{today.year}",
        issued_on=today,
        instalments=[(today + timedelta(days=30), Decimal(10 + n))],
    )
    return debt.decision_number


def add_repayment(w, ctx, n):
    from gops.payments import services as payment_services

    settlement = payment_services.debt_repayment_record(
        actor=w.users[FINANCE],
        debt=w.debt,
        amount=Decimal("1.00") + n % 7,
        on=timezone.localdate(),
        note=f"Wpłata {_word(n)}",
    )
    return settlement.note


def add_paid_benefit(w, ctx, n):
    """A purpose allowance of someone new, issued and paid today: a row of this year's
    statistics and budget figures."""
    _paid_purpose_allowance(w, n, **_own_household(w, n))
    return None


# Shelter ---------------------------------------------------------------------------------------


def add_facility(w, ctx, n):
    from gops.shelter.tests.factories import make_facility

    return make_facility(centre=w.centre, beds=2, name=f"Noclegownia {_word(n)}").name


def _placed(w, n, *, check_in, facility=None):
    from gops.shelter.tests.factories import make_bed, place

    bed = make_bed(facility=facility or w.facility, label=f"L{_word(n)}")
    person = _person(w, n)
    place(actor=w.users[SHELTER], person=person, bed=bed, check_in=check_in)
    return person.surnames


def add_placement(w, ctx, n):
    return _placed(w, n, check_in=timezone.localdate() - timedelta(days=1))


def add_unseen_placement(w, ctx, n):
    return _placed(w, n, check_in=timezone.localdate() - timedelta(days=20))


def setup_stayer(w, ctx):
    """A person whose stays are added one after another (a stay is never added before a later
    one: the world's Halina stays tonight)."""
    ctx.stayer = _person(w, next(_serial), surname="Bezdomny")


def add_past_stay(w, ctx, n):
    """A two-night stay in 2024, after the stayer's earlier ones."""
    from gops.shelter import services as shelter_services
    from gops.shelter.tests.factories import place

    check_in = date(2024, 1, 1) + timedelta(days=4 * _count(ctx, "stays"))
    stay = place(actor=w.users[SHELTER], person=ctx.stayer, bed=w.bed, check_in=check_in)
    shelter_services.placement_checkout(
        actor=w.users[SHELTER], placement=stay, on=check_in + timedelta(days=2), reason="left"
    )
    return f"{check_in:%Y-%m-%d}"


def setup_shelter_bed(w, ctx):
    """A bed of a schronisko (placements there need a decision: the search lists them)."""
    from gops.shelter.tests.factories import make_shelter

    ctx.bed = make_shelter(centre=w.centre, beds=1).beds.get()


def add_shelter_candidate(w, ctx, n):
    return _person(w, n, surname="Bezdomny").surnames


def add_exit_plan_review(w, ctx, n):
    from gops.shelter import services as shelter_services

    review = shelter_services.exit_plan_review(
        actor=w.worker_own,
        plan=w.exit_plan,
        reviewed_on=timezone.localdate(),
        notes=f"Postęp {_word(n)}",
    )
    return review.notes


# Families and Blue Cards -----------------------------------------------------------------------


def add_family(w, ctx, n):
    from gops.families.tests.factories import make_family, make_support

    household = make_family(actor=w.worker_own, district=w.district_a, surname=f"Rodzina{_word(n)}")
    make_support(
        head=w.users[HEAD],
        household=household,
        assistant=w.users[ASSISTANT],
        social_worker=w.worker_own,
    )
    return f"Rodzina{_word(n)}"


def add_assistant(w, ctx, n):
    """One more family assistant of the centre, to choose from."""
    from gops.accounts.tests.factories import make_user

    return make_user(
        f"asystent{_word(n)}",
        role="family_assistant",
        centre=w.centre,
        last_name=f"Asystentka{_word(n)}",
    ).last_name


def add_family_work(w, ctx, n):
    """A step of the plan and a contact with the family."""
    from gops.families import services as family_services

    today = timezone.localdate()
    assistant = w.users[ASSISTANT]
    family_services.plan_step_add(
        actor=assistant,
        support=w.support,
        goal=f"Cel {_word(n)}",
        action="Działanie",
        deadline=today + timedelta(days=n),
        expected_effect="Efekt",
    )
    family_services.contact_record(
        actor=assistant,
        support=w.support,
        happened_on=today,
        kind="home_visit",
        notes=f"Wizyta {_word(n)}",
    )
    return f"Cel {_word(n)}"


def add_blue_card(w, ctx, n):
    from gops.bluecards.tests.factories import open_card

    family = {
        "woman": _person(w, n, surname="Niebieska", female=True),
        "man": _person(w, n + 5000, surname="Niebieski"),
        "child": None,
    }
    card = open_card(
        actor=w.worker_own, family=family, opened_on=timezone.localdate(), child_witnesses=[]
    )
    return card.number


def add_blue_card_of_woman(w, ctx, n):
    """Another card naming the woman of the world's family."""
    from gops.bluecards.tests.factories import open_card

    card = open_card(
        actor=w.worker_own,
        family={
            "woman": w.family_woman,
            "man": _person(w, n, surname="Niebieski"),
            "child": None,
        },
        opened_on=timezone.localdate() - timedelta(days=n),
        child_witnesses=[],
    )
    return card.number


def add_blue_card_participant(w, ctx, n, api=False):
    from gops.bluecards import services as bluecard_services

    person = _person(w, n, surname="Uczestnik")
    bluecard_services.blue_card_participant_add(
        actor=w.worker_own, blue_card=w.card, person=person, role="experiencing"
    )
    # The API names participants by their ids.
    return f'"person_id": {person.pk}' if api else person.surnames


# Integration, activities, referrals ------------------------------------------------------------


def _foreigner(w, n):
    from gops.people.tests.factories import make_foreigner

    with time_machine.travel(date(2025, 6, 10)):
        return make_foreigner(
            actor=w.worker_own,
            surnames=f"Kowalenko{_word(n)}",
            residence_status="refugee_status",
            id_document_type="residence_card",
            id_document_number=f"RC{n:07d}",
            residence_document_valid_until=date(2026, 12, 31),
        )


def add_foreigner(w, ctx, n):
    return _foreigner(w, n).surnames


def add_programme(w, ctx, n):
    from gops.integration.tests.factories import make_programme

    person = _foreigner(w, n)
    with time_machine.travel(date(2025, 6, 10)):
        make_programme(actor=w.worker_own, person=person)
    return person.surnames


def add_goal(w, ctx, n):
    from gops.integration import services as integration_services

    goal = integration_services.goal_add(
        actor=w.worker_own,
        programme=w.programme,
        area="polish_lessons",
        description=f"Cel {_word(n)}",
        steps=[
            integration_services.StepData(
                action=f"Krok {_word(n)}", deadline=timezone.localdate() + timedelta(days=n)
            )
        ],
    )
    return goal.description


def add_activity(w, ctx, n):
    from gops.activities.tests.factories import make_activity

    return make_activity(actor=w.users[ORGANISER], title=f"Zajęcia {_word(n)}").title


def add_public_activity(w, ctx, n):
    from gops.activities.tests.factories import make_activity

    return make_activity(actor=w.users[ORGANISER], title=f"Zajęcia {_word(n)}", public=True).title


def add_registration(w, ctx, n):
    from gops.activities import services as activity_services

    person = _person(w, n)
    activity_services.registration_create(actor=w.worker_own, activity=w.activity, person=person)
    return person.surnames


def add_registration_of_person(w, ctx, n):
    """Halina registered for one more activity."""
    from gops.activities import services as activity_services
    from gops.activities.tests.factories import make_activity

    activity = make_activity(actor=w.users[ORGANISER], title=f"Zajęcia {_word(n)}")
    activity_services.registration_create(actor=w.worker_own, activity=activity, person=w.person)
    return activity.title


def add_institution(w, ctx, n):
    from gops.referrals.tests.factories import make_institution

    return make_institution(centre=w.centre, name=f"Instytucja {_word(n)}").name


def add_referral_of_person(w, ctx, n):
    """An institution, Halina referred to it, and advice naming it."""
    from gops.referrals import services as referral_services
    from gops.referrals.tests.factories import make_institution, make_referral

    institution = make_institution(centre=w.centre, name=f"Instytucja {_word(n)}")
    make_referral(actor=w.worker_own, person=w.person, institution=institution)
    referral_services.advice_log(
        actor=w.worker_own, topic="Porada", institutions=[institution], person=w.person
    )
    return institution.name


def add_overdue_referral(w, ctx, n):
    from gops.referrals.tests.factories import make_referral

    person = _person(w, n)
    with time_machine.travel(timezone.localdate() - timedelta(days=30)):
        make_referral(
            actor=w.worker_own,
            person=person,
            institution=w.institution,
            follow_up_on=timezone.localdate() + timedelta(days=1),
        )
    return person.surnames


def add_finished_training(w, ctx, n):
    """A training referral with its outcome: counted on the activation page (totals only)."""
    from gops.referrals.tests.factories import finish, make_work_referral

    referral = make_work_referral(
        actor=w.worker_own, person=_person(w, n), institution=w.institution
    )
    finish(
        actor=w.worker_own,
        referral=referral,
        outcome_kind=("employed", "completed_training")[n % 2],
    )
    return None


def add_referral_to_institution(w, ctx, n):
    from gops.referrals.tests.factories import make_referral

    person = _person(w, n)
    make_referral(actor=w.worker_own, person=person, institution=w.institution)
    return None


# Dashboards ---------------------------------------------------------------------------------------


def add_dashboard_rows(w, ctx, n):
    """A social worker with an application of their own (a row of the caseload table) and a
    facility (a row of the occupancy table)."""
    from gops.accounts.tests.factories import make_user
    from gops.cases import services as case_services
    from gops.people.tests.factories import make_person

    worker = make_user(
        f"socjalny{_word(n)}",
        role="social_worker",
        centre=w.centre,
        district=w.district_a,
        last_name=f"Socjalny{_word(n)}",
    )
    person = make_person(actor=worker, surnames=f"Liczny{_word(n)}", pesel=_pesel(n))
    case_services.application_register(
        actor=worker,
        household=_household_of(w, person),
        applicant=person,
        received_on=timezone.localdate(),
        benefits_requested=["purpose"],
        reasons=["poverty"],
    )
    return add_facility(w, ctx, n)


# Data protection -------------------------------------------------------------------------------


def add_dormant_person(w, ctx, n):
    """A person registered in 2005 and not heard of since: past the retention period."""
    with time_machine.travel(date(2005, 1, 1) + timedelta(days=n)):
        return _person(w, n, surname="Dawny").surnames


def add_anonymisation_request(w, ctx, n):
    from gops.dataprotection import services as dataprotection_services

    with time_machine.travel(date(2005, 1, 1) + timedelta(days=n)):
        person = _person(w, n, surname="Dawny")
    dataprotection_services.anonymisation_request(
        actor=w.worker_own, person=person, reason="Brak kontaktu od lat."
    )
    return person.surnames


# Lists of people at risk, audit, jobs ----------------------------------------------------------


def add_atrisk_entry(w, ctx, n):
    """A row as the refresh job writes it (the lists have no service adding a single row)."""
    from gops.atrisk.models import AtRiskEntry, ListCode

    person = _person(w, n)
    today = timezone.localdate()
    AtRiskEntry.objects.create(
        centre=w.centre,
        list_code=ListCode.LOW_INCOME_NO_HELP,
        person=person,
        household=_household_of(w, person),
        reason="Dochód poniżej kryterium",
        first_found_on=today,
        last_found_on=today,
    )
    return person.surnames


def add_audited_person(w, ctx, n):
    """A person registered by another worker each time: an audit entry of its own actor."""
    from gops.accounts.tests.factories import make_user

    worker = make_user(
        f"licz{_word(n)}", role="social_worker", centre=w.centre, district=w.district_a
    )
    from gops.people.tests.factories import make_person

    make_person(actor=worker, first_names="Jan", surnames=f"Audytowany{_word(n)}", pesel=_pesel(n))
    return f"licz{_word(n)}"


def add_job(w, ctx, n):
    from gops.jobs.models import Job, JobStatus

    Job.objects.create(
        centre=w.centre,
        requested_by=w.worker_own,
        kind="atrisk.refresh",
        title=f"Zadanie {_word(n)}",
        status=JobStatus.DONE,
    )
    return f"Zadanie {_word(n)}"


# --- The pages -------------------------------------------------------------------------------


PAGES = [
    # The registry: the list, search results (page and htmx), a person's page, a household.
    Page("people:person_list", HEAD, url("people:person_list"), add_person),
    Page("people:person_list as worker", WORKER_OWN, url("people:person_list"), add_person),
    Page(
        "people:person_list search",
        WORKER_OWN,
        url("people:person_list"),
        add_person,
        method="POST",
        data={"q": "Liczny"},
    ),
    Page(
        "people:person_list search htmx",
        WORKER_OWN,
        url("people:person_list"),
        add_person,
        method="POST",
        data={"q": "Liczny"},
        htmx=True,
    ),
    Page(
        "people:person_detail incomes",
        WORKER_OWN,
        url("people:person_detail", pk="person"),
        add_income,
    ),
    Page(
        "people:person_detail incomes and audit panel",
        HEAD,
        url("people:person_detail", pk="person"),
        add_income,
    ),
    Page(
        "people:household_detail members",
        WORKER_OWN,
        url("people:household_detail", pk="household"),
        add_member,
    ),
    Page(
        "people:household_member_search",
        WORKER_OWN,
        url("people:household_member_search", pk="household"),
        add_person,
        method="POST",
        data={"q": "Liczny"},
        htmx=True,
    ),
    # The panels of a person's page.
    Page(
        "cases:person_panel",
        WORKER_OWN,
        url("cases:person_panel", person_pk="person"),
        add_person_case_rows,
        htmx=True,
    ),
    Page(
        "payments:person_panel",
        FINANCE,
        url("payments:person_panel", person_pk="person"),
        add_payment_of_person,
        htmx=True,
    ),
    Page(
        "payments:person_history",
        FINANCE,
        url("payments:person_history", person_pk="person"),
        add_payment_of_person,
    ),
    Page(
        "shelter:person_panel",
        WORKER_OWN,
        url("shelter:person_panel", person_pk="stayer"),
        # The panel shows the five latest stays only: no row to look for.
        lambda w, ctx, n: add_past_stay(w, ctx, n) and None,
        setup=setup_stayer,
        htmx=True,
    ),
    Page(
        "shelter:person_history",
        WORKER_OWN,
        url("shelter:person_history", person_pk="stayer"),
        add_past_stay,
        setup=setup_stayer,
    ),
    Page(
        "referrals:person_panel",
        WORKER_OWN,
        url("referrals:person_panel", person_pk="person"),
        add_referral_of_person,
        htmx=True,
    ),
    Page(
        "activities:person_panel",
        WORKER_OWN,
        url("activities:person_panel", person_pk="person"),
        add_registration_of_person,
        htmx=True,
    ),
    Page(
        "bluecards:person_panel",
        WORKER_OWN,
        url("bluecards:person_panel", person_pk="family_woman"),
        add_blue_card_of_woman,
        htmx=True,
        per_row=1,
        why="opening the panel shows each card, and each card shown is audited (a VIEW entry)",
    ),
    # Cases and decisions.
    Page("cases:application_list", HEAD, url("cases:application_list"), add_application),
    Page(
        "cases:application_list as worker",
        WORKER_OWN,
        url("cases:application_list"),
        add_application,
    ),
    Page(
        "cases:application_detail notes and events",
        WORKER_OWN,
        url("cases:application_detail", pk="application"),
        add_case_note,
    ),
    Page(
        "cases:contract_detail reviews",
        WORKER_OWN,
        url("cases:contract_detail", pk="contract"),
        add_contract_review,
    ),
    Page(
        "benefits:application_panel decisions",
        WORKER_OWN,
        url("benefits:application_panel", application_pk="application"),
        add_decision_of_application,
        htmx=True,
    ),
    Page(
        "benefits:decision_register",
        HEAD,
        url("benefits:decision_register"),
        add_issued_decision,
    ),
    Page("benefits:deadlines", WORKER_OWN, url("benefits:deadlines"), add_application),
    Page(
        "benefits:deadlines all", HEAD, url("benefits:deadlines", query="?all=1"), add_application
    ),
    # Payments.
    Page("payments:payroll_list", FINANCE, url("payments:payroll_list"), add_payroll),
    Page(
        "payments:payroll_detail",
        FINANCE,
        url("payments:payroll_detail", pk="payroll"),
        add_payee,
    ),
    Page(
        "payments:payroll_xlsx",
        FINANCE,
        url("payments:payroll_xlsx", pk="payroll"),
        lambda w, ctx, n: add_payee(w, ctx, n) and None,
    ),
    Page(
        "payments:payroll_cash_list",
        FINANCE,
        url("payments:payroll_cash_list", pk="payroll"),
        lambda w, ctx, n: add_payee(w, ctx, n) and None,
    ),
    Page(
        "payments:payroll_bank_file",
        FINANCE,
        approved_payroll_path("payments:payroll_bank_file"),
        add_payee_by_transfer,
    ),
    Page(
        "payments:decision_panel schedule",
        FINANCE,
        url("payments:decision_panel", decision_pk="decision"),
        add_schedule_month,
        htmx=True,
    ),
    Page(
        "finance:contributions",
        FINANCE,
        url("finance:contributions", query="?month=2025-08"),
        add_payee,
    ),
    Page(
        "finance:contributions_csv",
        FINANCE,
        url("finance:contributions_csv", query="?month=2025-08"),
        add_payee,
    ),
    Page(
        "benefits:decision_detail care months",
        WORKER_OWN,
        url("benefits:decision_detail", pk="care_decision"),
        add_care_month,
        setup=setup_care_decision,
    ),
    Page("finance:debt_list", FINANCE, url("finance:debt_list"), add_debt),
    Page("finance:debt_detail", FINANCE, url("finance:debt_detail", pk="debt"), add_repayment),
    Page(
        "finance:budget_overview",
        FINANCE,
        lambda w, ctx: reverse("finance:budget_overview") + f"?year={timezone.localdate().year}",
        add_paid_benefit,
    ),
    # Statistics.
    Page(
        "reports:mrpips03",
        HEAD,
        lambda w, ctx: reverse("reports:mrpips03") + f"?year={timezone.localdate().year}",
        add_paid_benefit,
    ),
    Page(
        "reports:mrpips03_detail",
        HEAD,
        lambda w, ctx: (
            reverse("reports:mrpips03_detail")
            + f"?year={timezone.localdate().year}&measure=persons"
        ),
        add_paid_benefit,
    ),
    Page(
        "reports:mrpips03_csv",
        HEAD,
        lambda w, ctx: reverse("reports:mrpips03_csv") + f"?year={timezone.localdate().year}",
        add_paid_benefit,
    ),
    # Shelter.
    Page(
        "shelter:exit_plan_detail reviews",
        WORKER_OWN,
        url("shelter:exit_plan_detail", pk="exit_plan"),
        add_exit_plan_review,
    ),
    Page("shelter:board", SHELTER, url("shelter:board"), add_facility),
    Page("shelter:night_list", SHELTER, url("shelter:night_list"), add_placement),
    Page("shelter:not_seen", SHELTER, url("shelter:not_seen"), add_unseen_placement),
    Page(
        "shelter:facility_detail",
        SHELTER,
        url("shelter:facility_detail", pk="facility"),
        add_placement,
    ),
    Page(
        "shelter:place search",
        SHELTER,
        lambda w, ctx: reverse("shelter:place") + f"?bed={ctx.bed.pk}",
        add_shelter_candidate,
        setup=setup_shelter_bed,
        method="POST",
        data=lambda w, ctx: {"bed": ctx.bed.pk, "q": "Bezdomny"},
    ),
    Page(
        "shelter:money",
        SHELTER,
        url("shelter:money"),
        lambda w, ctx, n: add_placement(w, ctx, n) and None,
    ),
    Page(
        "shelter:claims_csv",
        SHELTER,
        url("shelter:claims_csv"),
        lambda w, ctx, n: add_placement(w, ctx, n) and None,
    ),
    # Audit, lists of people at risk, jobs.
    Page("audit:entry_list", HEAD, url("audit:entry_list"), add_audited_person),
    Page("atrisk:list", WORKER_OWN, url("atrisk:list"), add_atrisk_entry),
    Page("atrisk:list as head", HEAD, url("atrisk:list"), add_atrisk_entry),
    Page("jobs:list", WORKER_OWN, url("jobs:list"), add_job),
    # Families and Blue Cards.
    Page("families:support_list", HEAD, url("families:support_list"), add_family),
    Page(
        "families:support_list as assistant",
        ASSISTANT,
        url("families:support_list"),
        add_family,
    ),
    Page(
        "families:support_detail",
        ASSISTANT,
        url("families:support_detail", pk="support"),
        add_family_work,
    ),
    Page(
        "families:assign assistants",
        HEAD,
        url("families:assign", household_pk="household"),
        add_assistant,
    ),
    Page("bluecards:list", WORKER_OWN, url("bluecards:list"), add_blue_card),
    Page("bluecards:export", WORKER_OWN, url("bluecards:export"), add_blue_card),
    Page(
        "bluecards:create search",
        WORKER_OWN,
        url("bluecards:create"),
        add_person,
        method="POST",
        data={"q": "Liczny"},
    ),
    Page(
        "bluecards:participant_add search",
        WORKER_OWN,
        url("bluecards:participant_add", pk="card"),
        add_person,
        method="POST",
        data={"q": "Liczny"},
    ),
    Page(
        "bluecards:detail participants",
        WORKER_OWN,
        url("bluecards:detail", pk="card"),
        add_blue_card_participant,
    ),
    # Integration, activities, referrals.
    Page(
        "integration:programme_list",
        WORKER_OWN,
        url("integration:programme_list"),
        add_programme,
    ),
    Page("integration:foreigners", WORKER_OWN, url("integration:foreigners"), add_foreigner),
    Page(
        "integration:programme_detail goals",
        WORKER_OWN,
        url("integration:programme_detail", pk="programme"),
        add_goal,
    ),
    Page("activities:list", WORKER_OWN, url("activities:list"), add_activity),
    Page("activities:calendar", WORKER_OWN, url("activities:calendar"), add_activity),
    Page("activities:ical", WORKER_OWN, url("activities:ical"), add_public_activity),
    Page(
        "activities:detail registrations",
        WORKER_OWN,
        url("activities:detail", pk="activity"),
        add_registration,
    ),
    Page(
        "activities:attendance",
        ORGANISER,
        url("activities:attendance", session_pk="session"),
        add_registration,
    ),
    Page(
        "activities:attendance_print",
        ORGANISER,
        url("activities:attendance_print", session_pk="session"),
        add_registration,
    ),
    Page(
        "referrals:advice_log institutions",
        WORKER_OWN,
        url("referrals:advice_log"),
        add_institution,
    ),
    Page(
        "referrals:advice_log search",
        WORKER_OWN,
        url("referrals:advice_log"),
        add_person,
        method="POST",
        data={"q": "Liczny"},
    ),
    Page("referrals:directory", WORKER_OWN, url("referrals:directory"), add_institution),
    Page("referrals:follow_ups", WORKER_OWN, url("referrals:follow_ups"), add_overdue_referral),
    Page(
        "referrals:institution_detail",
        WORKER_OWN,
        url("referrals:institution_detail", pk="institution"),
        add_referral_to_institution,
    ),
    Page("referrals:activation", WORKER_OWN, url("referrals:activation"), add_finished_training),
    # Dashboards and the data protection officer's pages.
    Page("dashboards:head", HEAD, url("dashboards:head"), add_dashboard_rows),
    Page(
        "dashboards:worker",
        WORKER_OWN,
        url("dashboards:worker"),
        lambda w, ctx, n: add_application(w, ctx, n) and None,
    ),
    Page("dataprotection:retention", DPO, url("dataprotection:retention"), add_dormant_person),
    Page(
        "dataprotection:retention pending requests",
        DPO,
        url("dataprotection:retention"),
        add_anonymisation_request,
    ),
    # The API's lists.
    Page("GET /api/v1/persons", WORKER_OWN, api("/persons"), add_person, api=True),
    Page(
        "POST /api/v1/persons/search",
        WORKER_OWN,
        api("/persons/search"),
        add_person,
        api=True,
        method="POST",
        data={"q": "Liczny"},
    ),
    Page(
        "GET /api/v1/persons/{person_id}/incomes",
        WORKER_OWN,
        api("/persons/{pk}/incomes", pk="person"),
        add_income,
        api=True,
    ),
    Page(
        "GET /api/v1/households/{household_id}",
        WORKER_OWN,
        api("/households/{pk}", pk="household"),
        add_member,
        api=True,
    ),
    Page(
        "GET /api/v1/applications/{application_id}",
        WORKER_OWN,
        api("/applications/{pk}", pk="application"),
        add_case_note_event,
        api=True,
    ),
    Page(
        "GET /api/v1/decisions/{decision_id}/care-hours",
        WORKER_OWN,
        api("/decisions/{pk}/care-hours", pk="care_decision"),
        add_care_month,
        setup=setup_care_decision,
        api=True,
    ),
    Page(
        "GET /api/v1/reports/mrpips03",
        HEAD,
        lambda w, ctx: f"/api/v1/reports/mrpips03?year={timezone.localdate().year}",
        add_paid_benefit,
        api=True,
    ),
    Page(
        "GET /api/v1/payrolls/{payroll_id}/bank-file",
        FINANCE,
        approved_payroll_path("/api/v1/payrolls/{pk}/bank-file"),
        add_payee_by_transfer,
        api=True,
    ),
    Page("GET /api/v1/deadlines", WORKER_OWN, api("/deadlines"), add_applicant, api=True),
    Page("GET /api/v1/institutions", WORKER_OWN, api("/institutions"), add_institution, api=True),
    Page("GET /api/v1/activities", WORKER_OWN, api("/activities"), add_activity, api=True),
    Page(
        "GET /api/v1/payrolls/{payroll_id}",
        FINANCE,
        api("/payrolls/{pk}", pk="payroll"),
        add_payee,
        api=True,
    ),
    Page("GET /api/v1/audit", HEAD, api("/audit"), add_audited_person, api=True),
    Page(
        "GET /api/v1/shelter/facilities",
        SHELTER,
        api("/shelter/facilities"),
        add_facility,
        api=True,
    ),
    Page(
        "GET /api/v1/shelter/availability",
        SHELTER,
        api("/shelter/availability"),
        add_facility,
        api=True,
    ),
    Page(
        "GET /api/v1/families/{household_id}/plan",
        ASSISTANT,
        api("/families/{pk}/plan", pk="family_household"),
        add_family_work,
        api=True,
    ),
    Page(
        "GET /api/v1/blue-cards/{blue_card_id}",
        WORKER_OWN,
        api("/blue-cards/{pk}", pk="card"),
        lambda w, ctx, n: add_blue_card_participant(w, ctx, n, api=True),
        api=True,
    ),
    Page(
        "GET /api/v1/integration-programmes/{programme_id}",
        WORKER_OWN,
        api("/integration-programmes/{pk}", pk="programme"),
        add_goal,
        api=True,
    ),
]


# --- Running a page ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker, media_root):
    """The access matrix's world, once for the module; each test runs in a savepoint."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=str(media_root)),
        transaction.atomic(),
    ):
        yield build_world(media_root=media_root)
        transaction.set_rollback(True)


@pytest.fixture
def world(built_world, db, settings, media_root):
    settings.MEDIA_ROOT = str(media_root)
    return built_world


def _request(client: Client, w, ctx, page: Page):
    path = page.path(w, ctx)
    data = page.data(w, ctx) if callable(page.data) else page.data
    headers = {}
    if page.api:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {w.tokens[page.role]}"
    else:
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[page.role]
    if page.htmx:
        headers["HTTP_HX_REQUEST"] = "true"
    if page.method == "GET":
        call = lambda: client.get(path, **headers)  # noqa: E731
    elif page.api:
        call = lambda: client.post(path, data, content_type="application/json", **headers)  # noqa: E731
    else:
        call = lambda: client.post(path, data, **headers)  # noqa: E731
    with CaptureQueriesContext(connection) as queries:
        response = call()
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, f"{page.name}: {response.status_code} for {path}"
    text = body.decode("utf-8", "replace")
    if page.api and response["Content-Type"].startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return [q["sql"] for q in queries.captured_queries], text


_SAVEPOINT = re.compile(r'"s\d+_x\d+"')
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_IN_LIST = re.compile(r"IN \((?:\s*(?:\?|%s)\s*,?)+\)")


def _shape(sql: str) -> str:
    """The statement without its values: the same query for another row looks the same."""
    return _IN_LIST.sub("IN (…)", _LITERALS.sub("?", _SAVEPOINT.sub("?", sql)))


def _growth(few: list[str], many: list[str]) -> str:
    before, after = Counter(map(_shape, few)), Counter(map(_shape, many))
    lines = [
        f"  {before[sql]} → {after[sql]}×  {sql[:600]}" for sql in after if after[sql] > before[sql]
    ]
    return "\n".join(lines) or "  (no statement ran more often; other statements changed)"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_query_count_does_not_grow_with_the_rows_shown(world, page):
    ctx = SimpleNamespace()
    client = Client()
    if page.setup:
        page.setup(world, ctx)
    markers = [page.add(world, ctx, next(_serial)) for _ in range(FEW)]
    _request(client, world, ctx, page)  # warm caches (content types, translations)
    few, _body = _request(client, world, ctx, page)
    markers += [page.add(world, ctx, next(_serial)) for _ in range(MORE)]
    many, body = _request(client, world, ctx, page)
    missing = [m for m in markers if m is not None and m not in body]
    assert not missing, f"{page.name} does not show the rows added: {missing}"
    expected = len(few) + page.per_row * MORE
    assert len(many) == expected, (
        f"{page.name}: {len(few)} queries with {FEW} rows added, {len(many)} with "
        f"{FEW + MORE} (expected {expected}): a query per row shown.\n"
        f"Statements that ran more often:\n{_growth(few, many)}"
    )


# --- Every page is in the registry, or shows no rows -------------------------------------------

WRITE = "a write (POST) answered by a redirect"
FORM = "a form: its choices are one query whatever their number"
ONE = "one object, with no rows of other objects"
FILE = "a file of one object"
SHOWS_NO_ROWS = {
    **dict.fromkeys(
        [
            "accounts:login",
            "accounts:logout",
            "accounts:logout_everywhere",
            "accounts:otp_remove",
            "people:income_delete",
            "people:household_create",
            "people:household_member_add",
            "people:household_member_end",
            "cases:application_close",
            "cases:note_add",
            "benefits:decision_issue",
            "benefits:decision_discard",
            "benefits:decision_serve",
            "benefits:appeal_lodge",
            "benefits:appeal_forward",
            "benefits:appeal_decide",
            "benefits:care_hours_record",
            "payments:payroll_approve",
            "payments:payment_outcome",
            "payments:item_correct_account",
            "payments:urgent_payment",
            "finance:debt_repayment",
            "finance:debt_waive",
            "finance:debt_set_off",
            "referrals:referral_outcome",
            "activities:register",
            "activities:registration_cancel",
            "shelter:night_count",
            "shelter:bed_out_of_use",
            "shelter:placement_checkout",
            "shelter:exit_plan_close",
            "families:childcare_finish",
            "families:monitoring_end",
            "bluecards:member_remove",
            "bluecards:meeting_held",
            "integration:programme_activate",
            "integration:goal_achieved",
            "integration:step_done",
            "atrisk:handle",
            "atrisk:refresh",
            "dataprotection:anonymisation_decide",
            "POST /api/v1/persons",
        ],
        WRITE,
    ),
    **dict.fromkeys(
        [
            "accounts:password_change",
            "accounts:otp_verify",
            "accounts:otp_enrol",
            "accounts:profile",
            "people:person_create",
            "people:person_import",
            "people:person_edit",
            "people:income_create",
            "people:household_edit",
            "cases:application_create",
            "cases:interview_record",
            "cases:contract_create",
            "benefits:decision_create",
            "benefits:decision_edit",
            "benefits:decision_change",
            "finance:debt_create",
            "referrals:institution_create",
            "referrals:institution_import",
            "referrals:institution_edit",
            "referrals:referral_create",
            "referrals:employment_profile",
            "activities:create",
            "shelter:facility_create",
            "shelter:facility_edit",
            "shelter:bed_add",
            "shelter:exit_plan_create",
            "families:plan_update",
            "families:step_add",
            "families:step_update",
            "families:contact_add",
            "families:assessment_record",
            "families:child_save",
            "families:childcare_add",
            "families:support_close",
            "bluecards:edit",
            "bluecards:form_add",
            "bluecards:member_add",
            "bluecards:meeting_plan",
            "bluecards:meeting_record",
            "bluecards:close",
            "integration:programme_create",
            "integration:programme_edit",
            "integration:programme_application",
            "integration:programme_close",
            "integration:programme_decision",
            "integration:goal_add",
            "integration:step_add",
            "integration:review_add",
            "dataprotection:access_report",
            "dataprotection:anonymisation_request",
        ],
        FORM,
    ),
    **dict.fromkeys(
        [
            "home",
            "referrals:referral_detail",
            "finance:budget_panel",
            "families:household_panel",
            "jobs:detail",
            "jobs:progress",
            "GET /api/v1/persons/{person_id}",
            "GET /api/v1/decisions/{decision_id}",
        ],
        ONE,
    ),
    "integration:person_panel": "a person's integration programmes: one open at a time",
    "dataprotection:register": "the register of processing: a fixed text, no rows of the database",
    **dict.fromkeys(
        [
            "benefits:decision_pdf",
            "referrals:referral_letter",
            "integration:letter",
            "jobs:download",
            "dataprotection:register_pdf",
            "GET /api/v1/decisions/{decision_id}/pdf",
        ],
        FILE,
    ),
}


def _key(page: Page) -> str:
    """The URL name ("people:person_list") or API operation ("GET /api/v1/persons")."""
    words = page.name.split(" ")
    return " ".join(words[:2]) if page.api else words[0]


def _endpoints() -> set[str]:
    from django.urls import get_resolver

    from gops.api.api import api

    from .access_matrix import _url_key, _walk

    keys = {
        _url_key(namespace, name, route)
        for namespace, name, route in _walk(get_resolver())
        if not (namespace or "").startswith(("admin", "api"))
    }
    for path, operations in api.get_openapi_schema()["paths"].items():
        keys |= {f"{method.upper()} {path}" for method in operations if method == "get"}
    return keys | {"POST /api/v1/persons/search", "POST /api/v1/persons"}


def test_every_page_is_in_the_registry_or_shows_no_rows():
    missing = sorted(_endpoints() - {_key(p) for p in PAGES} - set(SHOWS_NO_ROWS))
    assert not missing, (
        f"Pages neither in PAGES nor in SHOWS_NO_ROWS: {', '.join(missing)}. A page that shows "
        "rows gets an entry in PAGES (gops/core/tests/test_query_counts.py); one that does not "
        "is named in SHOWS_NO_ROWS with the reason."
    )


def test_the_registry_names_pages_that_exist():
    stale = sorted(({_key(p) for p in PAGES} | set(SHOWS_NO_ROWS)) - _endpoints())
    assert not stale, f"No such page: {', '.join(stale)}"


def test_every_page_has_a_unique_name():
    names = [p.name for p in PAGES]
    assert len(names) == len(set(names))


def test_a_page_growing_by_design_says_why():
    assert all(p.why for p in PAGES if p.per_row)
