"""The access-control matrix: every page, API operation and admin page that takes an object id,
for every role, against an object of district A (owned by ``worker_own``).

Each cell asserts what the role gets: ``ok`` (the page, or a handled write), 404 (the object
does not exist for that role: the rule for another district's, another centre's or a Blue
Card's objects), 403 (a permission the role lacks, checked before the object is fetched or on
an object the role may see anyway), an empty 200 (an htmx panel that answers the same whether
the object exists or not), or a redirect to the login page (401 from the API) when signed out.

A 403 or an empty answer must not reveal that the object exists: the same request for an id
that exists nowhere gets the same answer. A refused request writes nothing (no audit row).

A page's POST is sent with an empty form: it shows who reaches the object (404 for everyone
else), not what they may write. The API's writes carry a valid body, so there the services'
own refusals show too (403 for a role that sees the object but may not do this).

ADDING AN ENDPOINT: every URL pattern with a path parameter, every API operation with one and
every admin page with one must have an entry in MATRIX below, keyed by its URL name
(``app:name``), by ``"METHOD /api/v1/path/{param}"``, or by the admin's URL name. Give the
object it takes (``ids(pk="decision")``: attributes of the world built in access_matrix.py;
add the object there if it is new) and the roles that may use it; the test then checks every
other role gets 404. Objects of the world live in district A and belong to ``worker_own``.
"""

import json
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from gops.audit.models import AuditEntry

from .access_matrix import (
    ADMIN_ELSEWHERE,
    ADMINISTRATOR,
    ANONYMOUS,
    ASSISTANT,
    ASSISTANT_OTHER,
    DPO,
    EMPTY,
    EVERYONE,
    FINANCE,
    FORBIDDEN,
    HEAD,
    HEAD_ELSEWHERE,
    LOGIN,
    NOT_FOUND,
    OK,
    ORGANISER,
    PATH_PARAMETER,
    READ_ONLY,
    ROLE_NAMES,
    SHELTER,
    WORKER_COLLEAGUE,
    WORKER_OTHER,
    WORKER_OWN,
    Case,
    admin_keys,
    api_keys,
    build_world,
    page_keys,
    roles,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ids(**attrs: str):
    """URL arguments from the world: ``ids(pk="decision", appeal_pk="appeal")``."""
    return lambda w: {param: getattr(w, attr).pk for param, attr in attrs.items()}


# --- Who sees what (the rules of the selectors, spelled out) -----------------------------------

# A person of district A whose case worker is worker_own (people.selectors): the district's
# workers, the case worker, and the roles that see the whole centre's registry.
PERSON_READERS = roles(WORKER_OWN, WORKER_COLLEAGUE, HEAD, FINANCE, SHELTER, DPO)
# ... may change it (person_can_write): the district's workers and the head.
PERSON_WRITERS = roles(WORKER_OWN, WORKER_COLLEAGUE, HEAD)
# ... may see but not change it: 403 on the write pages.
PERSON_READ_ONLY = PERSON_READERS - PERSON_WRITERS
# A person of the family with a family assistant: the assistant sees its members too.
FAMILY_PERSON_READERS = PERSON_READERS | {ASSISTANT}
# Households (people.view_household): the district's workers and the head (and the family's
# assistant, for the family's household).
HOUSEHOLD_READERS = roles(WORKER_OWN, WORKER_COLLEAGUE, HEAD)
# Applications, contracts, integration programmes: case work in the district, and the head.
CASE_READERS = roles(WORKER_OWN, WORKER_COLLEAGUE, HEAD)
# An issued decision: case readers, and finance (issued decisions of the centre, to pay).
ISSUED_DECISION_READERS = CASE_READERS | {FINANCE}
# Payrolls, payments, debts: finance and the head.
MONEY_READERS = roles(HEAD, FINANCE)
# Family assistance: the family's assistant, its social worker (worker_own) and the head.
FAMILY_READERS = roles(ASSISTANT, WORKER_OWN, HEAD)
# A Blue Card: its members (worker_own opened it) and the head; nobody else, ever.
BLUE_CARD_READERS = roles(WORKER_OWN, HEAD)
# Centre-wide directories and rooms, not tied to a district.
INSTITUTION_READERS = roles(
    HEAD, WORKER_OWN, WORKER_COLLEAGUE, WORKER_OTHER, ASSISTANT, ASSISTANT_OTHER
)
ACTIVITY_READERS = INSTITUTION_READERS | {ORGANISER}
FACILITY_READERS = roles(HEAD, SHELTER, WORKER_OWN, WORKER_COLLEAGUE, WORKER_OTHER)
# Shelter pages about a person: the facility readers who also see the person.
SHELTER_PERSON_READERS = FACILITY_READERS & PERSON_READERS


def lacking(*holders: frozenset[str]) -> frozenset[str]:
    """403 for every role of either centre outside `holders` (a permission decorator)."""
    return EVERYONE - frozenset().union(*holders)


# Roles holding a permission (roles.py), both centres (the other centre has a head and an
# administrator): for 403s from permission decorators checked before the object is fetched.
P_ADD_HOUSEHOLD = roles(HEAD, HEAD_ELSEWHERE, WORKER_OWN, WORKER_COLLEAGUE, WORKER_OTHER)
P_CASE_WORK = P_ADD_HOUSEHOLD  # cases.add_application, add_socialcontract, benefits.add_decision
P_MONEY = roles(HEAD, HEAD_ELSEWHERE, FINANCE)  # payments.view_payment, add_debt
P_VIEW_INSTITUTION = INSTITUTION_READERS | {HEAD_ELSEWHERE}
P_VIEW_REFERRAL = P_VIEW_INSTITUTION  # referrals.view_referral
P_REFERRAL_WORK = P_CASE_WORK  # referrals.add_referral, change_referral, view_employmentprofile
P_VIEW_ACTIVITY = ACTIVITY_READERS | {HEAD_ELSEWHERE}  # also activities.view_registration
P_ATTENDANCE = roles(HEAD, HEAD_ELSEWHERE, ORGANISER)
P_SHELTER_READ = FACILITY_READERS | {HEAD_ELSEWHERE}  # view_facility, view_placement, exit plans
P_INTEGRATION = P_CASE_WORK
P_LETTERS = P_CASE_WORK | {ASSISTANT, ASSISTANT_OTHER}  # view_person and view_application
P_ACCESS_REPORT = roles(HEAD, HEAD_ELSEWHERE, DPO)
P_ANONYMISATION_REQUEST = roles(WORKER_OWN, WORKER_COLLEAGUE, WORKER_OTHER, DPO)
P_APPROVE_ANONYMISATION = roles(HEAD, HEAD_ELSEWHERE)
P_CHANGE_HOUSEHOLD = P_ADD_HOUSEHOLD

PAGE = "page"
API = "api"
ADMIN = "admin"

# fmt: off
MATRIX: dict[str, Case | list[Case]] = {
    # --- people ---------------------------------------------------------------------------
    "people:person_detail": [
        Case(ids(pk="person"), ok=PERSON_READERS),
        Case(ids(pk="family_woman"), ok=FAMILY_PERSON_READERS, variant="family",
             why="the family's assistant sees its members; another assistant does not"),
    ],
    "people:person_edit": Case(
        ids(pk="person"), ok=PERSON_WRITERS, read_only=PERSON_READ_ONLY,
        why="seeing a person is not changing it: 403 for the read-only roles",
    ),
    "people:income_create": Case(ids(pk="person"), ok=PERSON_WRITERS, read_only=PERSON_READ_ONLY),
    "people:income_delete": Case(
        ids(pk="person", income_pk="income"), method="POST",
        ok=PERSON_WRITERS, read_only=PERSON_READ_ONLY,
    ),
    "people:household_create": Case(
        ids(pk="person"), method="POST",
        ok=PERSON_WRITERS, forbidden=lacking(P_ADD_HOUSEHOLD),
    ),
    "people:household_detail": [
        Case(ids(pk="household"), ok=HOUSEHOLD_READERS),
        Case(ids(pk="family_household"), ok=HOUSEHOLD_READERS | {ASSISTANT}, variant="family"),
    ],
    "people:household_edit": Case(
        ids(pk="household"), ok=HOUSEHOLD_READERS, forbidden=lacking(P_CHANGE_HOUSEHOLD),
    ),
    "people:household_member_search": Case(
        ids(pk="household"), method="POST",
        ok=HOUSEHOLD_READERS, forbidden=lacking(P_CHANGE_HOUSEHOLD),
    ),
    "people:household_member_add": Case(ids(pk="household"), method="POST", ok=HOUSEHOLD_READERS),
    "people:household_member_end": Case(
        ids(pk="household", membership_pk="membership"), method="POST", ok=HOUSEHOLD_READERS,
    ),
    # --- cases ----------------------------------------------------------------------------
    "cases:application_create": Case(
        ids(household_pk="household"), ok=CASE_READERS, forbidden=lacking(P_CASE_WORK),
    ),
    "cases:application_detail": Case(ids(pk="application"), ok=CASE_READERS),
    "cases:interview_record": Case(
        ids(pk="application"), ok=CASE_READERS, ok_status=(302,),
        why="the interview is done: the page sends back to the application",
    ),
    "cases:application_close": Case(ids(pk="application"), method="POST", ok=CASE_READERS),
    "cases:note_add": Case(ids(pk="application"), method="POST", ok=CASE_READERS),
    "cases:person_panel": Case(ids(person_pk="person"), ok=PERSON_READERS),
    "cases:contract_create": Case(
        ids(person_pk="person"), ok=PERSON_WRITERS, forbidden=lacking(P_CASE_WORK),
    ),
    "cases:contract_detail": Case(ids(pk="contract"), ok=CASE_READERS),
    # --- benefits -------------------------------------------------------------------------
    "benefits:decision_change": Case(
        ids(pk="decision"), ok=CASE_READERS, forbidden=lacking(P_CASE_WORK),
    ),
    "benefits:application_panel": Case(ids(application_pk="application"), ok=CASE_READERS),
    "benefits:decision_create": Case(
        ids(application_pk="application"), ok=CASE_READERS, forbidden=lacking(P_CASE_WORK),
    ),
    "benefits:decision_edit": Case(
        ids(pk="draft"), ok=CASE_READERS, forbidden=lacking(P_CASE_WORK),
    ),
    "benefits:decision_detail": [
        Case(ids(pk="decision"), ok=ISSUED_DECISION_READERS, variant="issued"),
        Case(ids(pk="draft"), ok=CASE_READERS, variant="draft",
             why="finance sees issued decisions only"),
    ],
    "benefits:decision_issue": Case(
        ids(pk="draft"), method="POST", ok=roles(HEAD),
        read_only=roles(WORKER_OWN, WORKER_COLLEAGUE),
        why="only staff who may sign decisions issue them",
    ),
    "benefits:decision_discard": Case(ids(pk="draft"), method="POST", ok=CASE_READERS),
    "benefits:decision_serve": Case(ids(pk="decision"), method="POST", ok=ISSUED_DECISION_READERS),
    "benefits:decision_pdf": Case(ids(pk="decision"), ok=ISSUED_DECISION_READERS),
    "benefits:care_hours_record": Case(
        ids(pk="decision"), method="POST", ok=ISSUED_DECISION_READERS,
    ),
    "benefits:appeal_lodge": Case(ids(pk="decision"), method="POST", ok=ISSUED_DECISION_READERS),
    "benefits:appeal_forward": Case(
        ids(pk="decision", appeal_pk="appeal"), method="POST", ok=ISSUED_DECISION_READERS,
    ),
    "benefits:appeal_decide": Case(
        ids(pk="decision", appeal_pk="appeal"), method="POST", ok=ISSUED_DECISION_READERS,
    ),
    # --- payments -------------------------------------------------------------------------
    "payments:payroll_detail": Case(ids(pk="payroll"), ok=MONEY_READERS),
    "payments:payroll_approve": Case(
        ids(pk="payroll"), method="POST", ok=roles(HEAD), read_only=roles(FINANCE),
        why="finance prepares the payroll, the head approves it",
    ),
    "payments:payroll_bank_file": Case(ids(pk="payroll"), ok=MONEY_READERS),
    "payments:payroll_cash_list": Case(ids(pk="payroll"), ok=MONEY_READERS),
    "payments:payroll_xlsx": Case(ids(pk="payroll"), ok=MONEY_READERS),
    "payments:payment_outcome": Case(ids(pk="payment"), method="POST", ok=MONEY_READERS),
    "payments:item_correct_account": Case(
        ids(pk="schedule_item"), method="POST", ok=roles(FINANCE),
        why="only payments.change_payment (finance) reaches a schedule item",
    ),
    "payments:decision_panel": Case(ids(decision_pk="decision"), ok=ISSUED_DECISION_READERS),
    "payments:urgent_payment": Case(
        ids(decision_pk="decision"), method="POST", ok=roles(FINANCE), read_only=CASE_READERS,
        why="paying is finance's (payments.add_payment)",
    ),
    "payments:person_history": Case(
        ids(person_pk="person"), ok=MONEY_READERS, forbidden=lacking(P_MONEY),
    ),
    "payments:person_panel": Case(ids(person_pk="person"), ok=PERSON_READERS, blank_ok=True),
    "finance:budget_panel": Case(ids(decision_pk="draft"), ok=CASE_READERS),
    "finance:debt_detail": Case(ids(pk="debt"), ok=MONEY_READERS),
    "finance:debt_repayment": Case(ids(pk="debt"), method="POST", ok=MONEY_READERS),
    "finance:debt_waive": Case(ids(pk="debt"), method="POST", ok=MONEY_READERS),
    "finance:debt_set_off": Case(ids(pk="debt"), method="POST", ok=MONEY_READERS),
    "finance:debt_create": Case(
        ids(person_pk="person"), ok=MONEY_READERS, forbidden=lacking(P_MONEY),
    ),
    # --- referrals ------------------------------------------------------------------------
    "referrals:institution_detail": Case(
        ids(pk="institution"), ok=INSTITUTION_READERS, forbidden=lacking(P_VIEW_INSTITUTION),
    ),
    "referrals:institution_edit": Case(
        ids(pk="institution"), ok=INSTITUTION_READERS - {ASSISTANT, ASSISTANT_OTHER},
        read_only=roles(ASSISTANT, ASSISTANT_OTHER),
    ),
    "referrals:referral_detail": Case(
        ids(pk="referral"), ok=CASE_READERS, forbidden=lacking(P_VIEW_REFERRAL),
    ),
    "referrals:referral_outcome": Case(
        ids(pk="referral"), method="POST", ok=CASE_READERS, forbidden=lacking(P_REFERRAL_WORK),
    ),
    "referrals:referral_letter": Case(
        ids(pk="referral"), ok=CASE_READERS, forbidden=lacking(P_VIEW_REFERRAL),
    ),
    "referrals:referral_create": Case(
        ids(person_pk="person"), ok=PERSON_WRITERS, forbidden=lacking(P_REFERRAL_WORK),
    ),
    "referrals:employment_profile": Case(
        ids(person_pk="person"), ok=CASE_READERS, forbidden=lacking(P_REFERRAL_WORK),
    ),
    "referrals:person_panel": Case(
        ids(person_pk="person"), ok=CASE_READERS, forbidden=lacking(P_VIEW_REFERRAL),
    ),
    # --- activities (an activity is the whole centre's; its list of persons too) ------------
    "activities:detail": Case(
        ids(pk="activity"), ok=ACTIVITY_READERS, forbidden=lacking(P_VIEW_ACTIVITY),
    ),
    "activities:register": Case(
        ids(pk="activity"), method="POST", body=lambda w: {"person": w.person.pk},
        ok=CASE_READERS, forbidden=lacking(P_VIEW_ACTIVITY),
        why="the activity is the centre's, the person registered must be visible",
    ),
    "activities:registration_cancel": Case(
        ids(pk="activity", registration_pk="registration"), method="POST",
        ok=ACTIVITY_READERS, forbidden=lacking(P_VIEW_ACTIVITY),
    ),
    "activities:attendance": Case(
        ids(session_pk="session"), ok=roles(HEAD, ORGANISER), forbidden=lacking(P_ATTENDANCE),
    ),
    "activities:attendance_print": Case(
        ids(session_pk="session"), ok=ACTIVITY_READERS, forbidden=lacking(P_VIEW_ACTIVITY),
    ),
    "activities:person_panel": Case(ids(person_pk="person"), ok=PERSON_READERS),
    # --- shelter (facilities and stays are the whole centre's) ------------------------------
    "shelter:facility_detail": Case(
        ids(pk="facility"), ok=FACILITY_READERS, forbidden=lacking(P_SHELTER_READ),
    ),
    "shelter:facility_edit": Case(
        ids(pk="facility"), ok=roles(HEAD, SHELTER),
        read_only=roles(WORKER_OWN, WORKER_COLLEAGUE, WORKER_OTHER),
    ),
    "shelter:bed_add": Case(
        ids(pk="facility"), ok=FACILITY_READERS,
        why="the form shows for anyone who sees the facility; the service refuses the write",
    ),
    "shelter:night_count": Case(ids(pk="facility"), method="POST", ok=FACILITY_READERS),
    "shelter:bed_out_of_use": Case(
        ids(pk="bed"), method="POST", ok=roles(HEAD, SHELTER),
        read_only=roles(WORKER_OWN, WORKER_COLLEAGUE, WORKER_OTHER),
    ),
    "shelter:placement_checkout": Case(ids(pk="placement"), method="POST", ok=FACILITY_READERS),
    "shelter:person_history": Case(
        ids(person_pk="person"), ok=SHELTER_PERSON_READERS, forbidden=lacking(P_SHELTER_READ),
    ),
    "shelter:person_panel": Case(
        ids(person_pk="person"), ok=SHELTER_PERSON_READERS, forbidden=lacking(P_SHELTER_READ),
    ),
    "shelter:exit_plan_create": Case(
        ids(person_pk="person"), ok=SHELTER_PERSON_READERS, forbidden=lacking(P_SHELTER_READ),
    ),
    "shelter:exit_plan_detail": Case(
        ids(pk="exit_plan"), ok=SHELTER_PERSON_READERS, forbidden=lacking(P_SHELTER_READ),
    ),
    "shelter:exit_plan_close": Case(
        ids(pk="exit_plan"), method="POST",
        ok=SHELTER_PERSON_READERS, forbidden=lacking(P_SHELTER_READ),
    ),
    # --- families -------------------------------------------------------------------------
    "families:support_detail": Case(ids(pk="support"), ok=FAMILY_READERS),
    "families:plan_update": Case(ids(pk="support"), ok=FAMILY_READERS),
    "families:step_add": Case(
        ids(pk="support"), ok=roles(ASSISTANT, HEAD), read_only=roles(WORKER_OWN),
        why="the family's social worker reads the plan; the assistant writes its steps",
    ),
    "families:step_update": Case(
        ids(pk="support", step_pk="plan_step"), ok=roles(ASSISTANT, HEAD),
        read_only=roles(WORKER_OWN),
    ),
    "families:contact_add": Case(ids(pk="support"), ok=FAMILY_READERS),
    "families:assessment_record": Case(
        ids(pk="support"), ok=roles(ASSISTANT, HEAD), read_only=roles(WORKER_OWN),
    ),
    "families:child_save": Case(
        ids(pk="support"), ok=roles(ASSISTANT, HEAD), read_only=roles(WORKER_OWN),
    ),
    "families:childcare_add": Case(
        ids(pk="support"), ok=roles(ASSISTANT, HEAD), read_only=roles(WORKER_OWN),
    ),
    "families:childcare_finish": Case(
        ids(pk="support", item_pk="childcare"), ok=roles(ASSISTANT, HEAD),
        read_only=roles(WORKER_OWN),
    ),
    "families:support_close": Case(
        ids(pk="support"), ok=roles(HEAD), read_only=roles(ASSISTANT, WORKER_OWN),
    ),
    "families:monitoring_end": Case(
        ids(pk="support"), method="POST", ok=roles(ASSISTANT, HEAD), read_only=roles(WORKER_OWN),
    ),
    "families:household_panel": Case(
        ids(household_pk="family_household"), ok=FAMILY_READERS,
        empty=EVERYONE - FAMILY_READERS,
        why="the household page shows nothing rather than a panel it may not show",
    ),
    "families:assign": Case(
        ids(household_pk="household"), ok=roles(HEAD),
        why="only the head assigns an assistant; anyone else gets 404",
    ),
    # --- Blue Cards: 404 for everyone not a member of the card and not the head --------------
    **{
        f"bluecards:{name}": Case(ids(**args), ok=BLUE_CARD_READERS, method=method)
        for name, args, method in [
            ("detail", {"pk": "card"}, "GET"),
            ("edit", {"pk": "card"}, "GET"),
            ("participant_add", {"pk": "card"}, "GET"),
            ("form_add", {"pk": "card"}, "GET"),
            ("member_add", {"pk": "card"}, "GET"),
            ("member_remove", {"pk": "card", "member_pk": "card_member"}, "GET"),
            ("meeting_plan", {"pk": "card"}, "GET"),
            ("meeting_held", {"pk": "card"}, "GET"),
            ("meeting_record", {"pk": "card", "meeting_pk": "meeting"}, "GET"),
            ("close", {"pk": "card"}, "GET"),
        ]
    },
    "bluecards:person_panel": Case(
        ids(person_pk="family_woman"), ok=BLUE_CARD_READERS, empty=EVERYONE - BLUE_CARD_READERS,
        why="the person's page looks the same whether or not a card names them",
    ),
    # --- integration ----------------------------------------------------------------------
    "integration:programme_detail": Case(ids(pk="programme"), ok=CASE_READERS),
    **{
        f"integration:{name}": Case(ids(**args), ok=CASE_READERS, method="POST")
        for name, args in [
            ("programme_edit", {"pk": "programme"}),
            ("programme_application", {"pk": "programme"}),
            ("programme_activate", {"pk": "programme"}),
            ("programme_close", {"pk": "programme"}),
            ("programme_decision", {"pk": "programme"}),
            ("goal_add", {"pk": "programme"}),
            ("goal_achieved", {"pk": "programme", "goal_pk": "goal"}),
            ("step_add", {"pk": "programme", "goal_pk": "goal"}),
            ("step_done", {"pk": "programme", "step_pk": "integration_step"}),
            ("review_add", {"pk": "programme"}),
        ]
    },
    "integration:programme_create": Case(
        ids(person_pk="foreigner"), ok=PERSON_WRITERS, forbidden=lacking(P_INTEGRATION),
    ),
    "integration:letter": Case(
        ids(person_pk="foreigner"), ok=CASE_READERS, forbidden=lacking(P_LETTERS),
    ),
    "integration:person_panel": Case(ids(person_pk="foreigner"), ok=PERSON_READERS),
    # --- background jobs: the requester's only ----------------------------------------------
    "jobs:detail": Case(ids(pk="job"), ok=roles(WORKER_OWN)),
    "jobs:progress": Case(
        ids(pk="job"), ok=roles(WORKER_OWN), ok_status=(286,),
        why="a finished job answers 286: htmx stops polling",
    ),
    "jobs:download": Case(ids(pk="job"), ok=roles(WORKER_OWN)),
    # --- data protection ------------------------------------------------------------------
    "dataprotection:access_report": Case(
        ids(person_pk="person"), ok=roles(HEAD, DPO), forbidden=lacking(P_ACCESS_REPORT),
    ),
    "dataprotection:anonymisation_request": Case(
        ids(person_pk="dormant"), ok=roles(WORKER_OWN, WORKER_COLLEAGUE, DPO),
        forbidden=lacking(P_ANONYMISATION_REQUEST),
    ),
    "dataprotection:anonymisation_decide": Case(
        ids(pk="anonymisation"), method="POST", ok=roles(HEAD),
        forbidden=lacking(P_APPROVE_ANONYMISATION),
    ),
    # --- lists of people at risk ------------------------------------------------------------
    "atrisk:handle": [
        Case(ids(pk="atrisk"), method="POST", ok=CASE_READERS, variant="low_income"),
        Case(ids(pk="atrisk_blue_card"), method="POST", ok=BLUE_CARD_READERS,
             variant="blue_card", why="a Blue Card row exists only for the card's readers"),
    ],
    # --- API (bearer tokens; a write carries a valid body, so that only access decides) ------
    "GET /api/v1/persons/{person_id}": [
        Case(ids(person_id="person"), ok=PERSON_READERS),
        Case(ids(person_id="family_woman"), ok=FAMILY_PERSON_READERS, variant="family"),
    ],
    "PATCH /api/v1/persons/{person_id}": Case(
        ids(person_id="person"), body=lambda w: {"languages_spoken": "polski", "version": 1},
        ok=PERSON_WRITERS, read_only=PERSON_READ_ONLY,
    ),
    "POST /api/v1/persons/{person_id}/incomes": Case(
        ids(person_id="person"),
        body=lambda w: {"month": "2025-09-01", "source": "wages", "net_amount": "100.00"},
        ok=PERSON_WRITERS, read_only=PERSON_READ_ONLY,
    ),
    "GET /api/v1/persons/{person_id}/incomes": Case(ids(person_id="person"), ok=PERSON_READERS),
    "GET /api/v1/households/{household_id}": Case(
        ids(household_id="household"), ok=HOUSEHOLD_READERS,
    ),
    "PATCH /api/v1/households/{household_id}": Case(
        ids(household_id="household"), body=lambda w: {"notes": "Uwagi", "version": 1},
        ok=HOUSEHOLD_READERS,
    ),
    "GET /api/v1/applications/{application_id}": Case(
        ids(application_id="application"), ok=CASE_READERS,
    ),
    "POST /api/v1/applications/{application_id}/interview": Case(
        ids(application_id="application"), body=lambda w: {"conducted_on": "2025-06-10"},
        ok=CASE_READERS,
    ),
    "POST /api/v1/applications/{application_id}/decision": Case(
        ids(application_id="application"), body=lambda w: {"benefit": "permanent"},
        ok=CASE_READERS,
    ),
    "GET /api/v1/decisions/{decision_id}": [
        Case(ids(decision_id="decision"), ok=ISSUED_DECISION_READERS, variant="issued"),
        Case(ids(decision_id="draft"), ok=CASE_READERS, variant="draft"),
    ],
    "PATCH /api/v1/decisions/{decision_id}": [
        Case(
            ids(decision_id="draft"), body=lambda w: {"reasoning": "Uzasadnienie.", "version": 1},
            ok=CASE_READERS, variant="draft",
        ),
        Case(
            ids(decision_id="decision"), body=lambda w: {"reasoning": "Uzasadnienie."},
            ok=CASE_READERS, read_only=roles(FINANCE), variant="issued",
        ),
    ],
    "POST /api/v1/decisions/{decision_id}/issue": Case(
        ids(decision_id="draft"), ok=roles(HEAD), read_only=roles(WORKER_OWN, WORKER_COLLEAGUE),
    ),
    "POST /api/v1/decisions/{decision_id}/serve": Case(
        ids(decision_id="decision"), body=lambda w: {"served_on": "2025-06-26"},
        ok=CASE_READERS, read_only=roles(FINANCE),
    ),
    "POST /api/v1/decisions/{decision_id}/change": Case(
        ids(decision_id="decision"),
        body=lambda w: {"kind": "revoking", "effective_from": "2025-09-01", "reasoning": "Zmiana."},
        ok=CASE_READERS, read_only=roles(FINANCE),
    ),
    "GET /api/v1/decisions/{decision_id}/pdf": Case(
        ids(decision_id="decision"), ok=ISSUED_DECISION_READERS,
    ),
    "POST /api/v1/decisions/{decision_id}/appeal": Case(
        ids(decision_id="decision"), body=lambda w: {"lodged_on": "2025-06-26"},
        ok=CASE_READERS, read_only=roles(FINANCE),
    ),
    "POST /api/v1/decisions/{decision_id}/care-hours": Case(
        ids(decision_id="decision"), body=lambda w: {"month": "2025-07", "hours": "10.0"},
        ok=CASE_READERS, read_only=roles(FINANCE),
    ),
    "GET /api/v1/decisions/{decision_id}/care-hours": Case(
        ids(decision_id="decision"), ok=ISSUED_DECISION_READERS,
    ),
    "POST /api/v1/referrals/{referral_id}/outcome": Case(
        ids(referral_id="referral"), body=lambda w: {"state": "accepted"}, ok=CASE_READERS,
    ),
    "POST /api/v1/activities/{activity_id}/registrations": Case(
        ids(activity_id="activity"), body=lambda w: {"person_id": w.person.pk}, ok=CASE_READERS,
        why="the activity is the centre's, the person registered must be visible",
    ),
    "DELETE /api/v1/activities/{activity_id}/registrations/{registration_id}": Case(
        ids(activity_id="activity", registration_id="registration"), ok=ACTIVITY_READERS,
    ),
    "GET /api/v1/payrolls/{payroll_id}": Case(ids(payroll_id="payroll"), ok=MONEY_READERS),
    "POST /api/v1/payrolls/{payroll_id}/approve": Case(
        ids(payroll_id="payroll"), ok=roles(HEAD), read_only=roles(FINANCE),
    ),
    "GET /api/v1/payrolls/{payroll_id}/bank-file": Case(
        ids(payroll_id="payroll"), ok=MONEY_READERS,
    ),
    "POST /api/v1/payments/{payment_id}/outcome": Case(
        ids(payment_id="payment"), body=lambda w: {"outcome": "paid", "on": "2025-07-28"},
        ok=roles(FINANCE), read_only=roles(HEAD),
        why="finance records what the bank or the cash desk did",
    ),
    "POST /api/v1/shelter/placements/{placement_id}/checkout": Case(
        ids(placement_id="placement"), body=lambda w: {"on": str(w.today), "reason": "left"},
        ok=roles(HEAD, SHELTER), read_only=roles(WORKER_OWN, WORKER_COLLEAGUE, WORKER_OTHER),
    ),
    "POST /api/v1/families/{household_id}/assistant": Case(
        ids(household_id="household"),
        body=lambda w: {"assistant_id": w.users[ASSISTANT_OTHER].pk}, ok=roles(HEAD),
    ),
    "GET /api/v1/families/{household_id}/plan": Case(
        ids(household_id="family_household"), ok=FAMILY_READERS,
    ),
    "POST /api/v1/families/{household_id}/plan": Case(
        ids(household_id="family_household"), body=lambda w: {"plan": {"notes": "Uwagi"}},
        ok=FAMILY_READERS,
    ),
    "GET /api/v1/blue-cards/{blue_card_id}": Case(
        ids(blue_card_id="card"), ok=BLUE_CARD_READERS,
    ),
    "GET /api/v1/integration-programmes/{programme_id}": Case(
        ids(programme_id="programme"), ok=CASE_READERS,
    ),
}
# fmt: on

# --- The admin: staff only (the administrator of each centre); every other role is sent to
# the admin's sign-in page. The administrator has the model permissions of roles.py and sees
# only rows of their own centre (a superuser, no role, sees all): a row of another centre does
# not exist for them (the admin's "does not exist" answer: back to the admin's index).
STAFF = roles(ADMINISTRATOR, ADMIN_ELSEWHERE)
NOT_STAFF = EVERYONE - STAFF

# model (URL prefix): (world attribute, staff with a permission to view the model, whether its
# rows are each centre's). A row of centre A does not exist for the other centre's
# administrator when rows are the centre's; staff without the permission get 403.
ADMIN_MODELS = {
    "auth_group": ("group", STAFF, False),  # the roles: the same in every centre
    "accounts_user": ("worker_own", STAFF, True),
    "accounts_centre": ("centre", STAFF, True),
    "accounts_district": ("district_a", STAFF, True),
    # No role reads these: the permission refuses before any row is looked for.
    "accounts_apitoken": ("api_token", frozenset(), True),
    "audit_auditentry": ("audit_entry", frozenset(), False),
    "axes_accessattempt": ("access_attempt", frozenset(), False),
    "axes_accesslog": ("access_log", frozenset(), False),
    "axes_accessfailurelog": ("access_failure", frozenset(), False),
    "otp_totp_totpdevice": ("totp_device", frozenset(), False),
    "benefits_legalparameters": ("legal_parameters", STAFF, False),  # the law's, for all
    "benefits_carefeescale": ("care_fee_scale", STAFF, True),
    "payments_budget": ("budget", frozenset(), True),
    "payments_debt": ("debt", frozenset(), True),
}
# Staff for whom a row of centre A does not exist, where rows are each centre's.
OTHER_CENTRE_STAFF = roles(ADMIN_ELSEWHERE)


def _admin_entries() -> dict:
    entries = {}
    for model, (attr, holders, per_centre) in ADMIN_MODELS.items():
        app, name = model.rsplit("_", 1) if model.startswith("otp_") else model.split("_", 1)
        hidden = OTHER_CENTRE_STAFF if per_centre else frozenset()
        # The change page checks the permission first, then looks for the row.
        entries[f"admin:{model}_change"] = Case(
            ids(object_id=attr),
            ok=holders - hidden,
            forbidden=STAFF - holders,
            login=NOT_STAFF,
        )
        # The history page looks for the row first, then checks the permission (Django's
        # order): staff without the permission learn whether an id exists, nothing more.
        entries[f"admin:{model}_history"] = Case(
            ids(object_id=attr),
            ok=holders - hidden,
            forbidden=STAFF - holders - hidden,
            login=NOT_STAFF,
            same_for_missing=False,
        )
        # Nobody deletes through the admin: no role has a delete permission.
        entries[f"admin:{model}_delete"] = Case(
            ids(object_id=attr),
            ok=frozenset(),
            forbidden=STAFF,
            login=NOT_STAFF,
        )
        # admin/<app>/<model>/<id>/ only redirects to the change page, for any id.
        entries[f"admin:admin/{app}/{name}/<path:object_id>/"] = Case(
            ids(object_id=attr),
            ok=STAFF,
            login=NOT_STAFF,
            ok_status=(302,),
        )
    # A device's key and QR code: never shown in the admin (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    for view in ("config", "qrcode"):
        entries[f"admin:otp_totp_totpdevice_{view}"] = Case(
            ids(pk="totp_device"),
            ok=frozenset(),
            forbidden=STAFF,
            login=NOT_STAFF,
        )
    return entries


MATRIX.update(_admin_entries())
MATRIX.update(
    {
        "admin:auth_user_password_change": Case(
            ids(id="worker_own"),
            ok=roles(ADMINISTRATOR),
            login=NOT_STAFF,
            why="an administrator sets passwords of their own centre's staff only",
        ),
        # The admin's "view on site" link: a redirect to the object's page, for staff who may
        # see the object; to anyone else the object does not exist.
        "admin:view_on_site": Case(
            ids(content_type_id="person_type", object_id="person"),
            ok=frozenset(),
            login=NOT_STAFF,
            why="the administrator sees no person: it does not exist for them",
        ),
    }
)


def _all_cases() -> list[tuple[str, Case]]:
    out = []
    for key, entry in MATRIX.items():
        for case in entry if isinstance(entry, list) else [entry]:
            out.append((key, case))
    return out


def _kind(key: str) -> str:
    if key.split(" ", 1)[0] in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        return API
    if key.startswith("admin:"):
        return ADMIN
    return PAGE


# --- The world, once for the module ------------------------------------------------------------


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker, media_root):
    """Every object once; each test runs in a savepoint of its own (pytest-django's ``db``),
    so a write one cell makes is gone for the next."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=str(media_root)),
        transaction.atomic(),
    ):
        yield build_world(media_root=media_root)
        transaction.set_rollback(True)


@pytest.fixture
def world(built_world, db):
    return built_world


@pytest.fixture(scope="module")
def shared_client():
    # One client for the module: a new one loads the middleware again (whitenoise indexes
    # every static file), which would be most of each cell's time.
    return Client()


@pytest.fixture
def matrix_client(shared_client):
    shared_client.cookies.clear()
    return shared_client


# --- Requests ----------------------------------------------------------------------------------

ROUTES = {**page_keys(), **admin_keys(), **api_keys()}
MISSING_ID = 987654


def _path(route: str, args: dict) -> str:
    """The route with its parameters filled in ("osoby/<int:pk>/" → "/osoby/7/")."""

    def fill(match: re.Match) -> str:
        name = match.group("name") or match.group("regex_name")
        return str(args[name])

    if route.startswith("/"):  # an API path: /api/v1/persons/{person_id}
        return re.sub(r"\{(\w+)\}", lambda m: str(args[m.group(1)]), route)
    return "/" + PATH_PARAMETER.sub(fill, route.lstrip("^").rstrip("$"))


def _request(client, world, key: str, case: Case, role: str, *, missing: bool = False):
    args = case.args(world)
    if missing:
        args = dict.fromkeys(args, MISSING_ID)
    kind = _kind(key)
    client.cookies.clear()
    if kind == API:
        method, route = key.split(" ", 1)
        headers = {}
        if role != ANONYMOUS:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
        body = case.body(world) if case.body else None
        return client.generic(
            method,
            _path(route, args),
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            **headers,
        )
    if role != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    path = _path(ROUTES[key], args)
    if case.method == "GET":
        return client.get(path)
    return client.generic(
        case.method,
        path,
        urlencode(case.body(world) if case.body else {}),
        content_type="application/x-www-form-urlencoded",
    )


def _is_login_redirect(response, kind: str) -> bool:
    if kind == API:
        return response.status_code == 401
    location = response.get("Location", "")
    return response.status_code == 302 and ("/logowanie/" in location or "/login/" in location)


def _describe(response) -> str:
    location = response.get("Location", "")
    return f"{response.status_code}" + (f" → {location}" if location else "")


def _method(key: str, case: Case) -> str:
    return key.split(" ", 1)[0] if _kind(key) == API else case.method


def _verdict(response, expected: str, case: Case, kind: str, method: str) -> bool:
    status = response.status_code
    if expected == LOGIN:
        return _is_login_redirect(response, kind)
    if expected == NOT_FOUND:
        if kind == ADMIN and status == 302:
            # The admin's answer for a row it does not show: back to its index, with a message.
            return response.get("Location") == "/admin/"
        return status == 404
    if expected in (FORBIDDEN, READ_ONLY):
        return status == 403
    if expected == EMPTY:
        return status == 200 and _body(response).strip() == b""
    # OK: the endpoint's answer, and never a sign-in page or an empty panel.
    if _is_login_redirect(response, kind) or status not in case.ok_statuses(method):
        return False
    if method == "GET" and status == 200 and kind == PAGE and not case.blank_ok:
        return _body(response).strip() != b""
    return True


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _label(key: str, case: Case) -> str:
    return f"{key}[{case.variant}]" if case.variant else key


CELLS = [
    pytest.param(key, case, role, id=f"{_label(key, case)}-{role}")
    for key, case in _all_cases()
    for role in ROLE_NAMES
]


@pytest.mark.parametrize(("key", "case", "role"), CELLS)
def test_access(matrix_client, world, key, case, role):
    kind = _kind(key)
    method = _method(key, case)
    expected = case.expected(role)
    audit_rows = AuditEntry.objects.count()
    response = _request(matrix_client, world, key, case, role)
    where = f"{_label(key, case)} as {role}"
    rule = f" (rule: {case.why})" if case.why else ""
    assert _verdict(response, expected, case, kind, method), (
        f"{where}: expected {expected}, got {_describe(response)}{rule}"
    )
    if expected != OK:
        assert AuditEntry.objects.count() == audit_rows, f"{where}: a refused request wrote"
    if expected in (FORBIDDEN, EMPTY) and case.same_for_missing:
        # The same answer for an object that exists nowhere: no way to probe for ids.
        missing = _request(matrix_client, world, key, case, role, missing=True)
        assert _verdict(missing, expected, case, kind, method), (
            f"{where}: {expected} for the object but {_describe(missing)} for a missing id: "
            "the answer reveals whether the object exists"
        )


# --- Completeness ------------------------------------------------------------------------------

HOW_TO_ADD = (
    "Add an entry to MATRIX in gops/core/tests/test_access_matrix.py: the object the endpoint "
    "takes (ids(pk=...) naming an object of access_matrix.build_world; add one there if it is "
    "new) and which roles may use it, which get 403 and which an empty panel; every other role "
    "must get 404."
)


def test_every_endpoint_taking_an_object_id_has_an_entry_in_the_matrix():
    missing = sorted(set(ROUTES) - set(MATRIX))
    assert not missing, f"No access-matrix entry for {', '.join(missing)}. {HOW_TO_ADD}"


def test_every_entry_of_the_matrix_is_an_endpoint_that_still_exists():
    stale = sorted(set(MATRIX) - set(ROUTES))
    assert not stale, (
        f"The access matrix names endpoints that no longer exist (or take no object id): "
        f"{', '.join(stale)}. Remove or rename their entries."
    )


def test_no_cell_has_two_answers():
    for key, case in _all_cases():
        sets = [case.ok, case.forbidden, case.read_only, case.empty, case.login]
        for i, first in enumerate(sets):
            for second in sets[i + 1 :]:
                assert not first & second, f"{_label(key, case)}: {sorted(first & second)}"


def test_every_role_of_roles_py_is_in_the_matrix():
    from gops.accounts.roles import ROLE_PERMISSIONS

    from .access_matrix import ROLES

    missing = set(ROLE_PERMISSIONS) - {group for _name, _user, group, *_rest in ROLES}
    assert not missing, (
        f"Roles without a user in the access matrix: {', '.join(sorted(missing))}. Add one to "
        "ROLES in gops/core/tests/access_matrix.py and say in MATRIX what it may use."
    )


def test_each_entry_fills_every_parameter_of_its_route(built_world, db):
    for key, case in _all_cases():
        route = ROUTES.get(key)
        if route is None:
            continue
        params = (
            set(re.findall(r"\{(\w+)\}", route))
            if route.startswith("/")
            else {m.group("name") or m.group("regex_name") for m in PATH_PARAMETER.finditer(route)}
        )
        assert set(case.args(built_world)) == params, f"{key}: parameters {sorted(params)}"
