"""The machinery of the access-control matrix (test_access_matrix.py holds the matrix itself).

- ``page_keys`` / ``admin_keys`` / ``api_keys`` enumerate every endpoint that takes an object
  id: URL patterns with a path parameter (URL name, e.g. ``people:person_detail``; the
  admin's too) and django-ninja operations with one (``GET /api/v1/persons/{person_id}``).
- ``build_world`` creates, once, one object of every kind in district A of the centre, owned
  by the social worker ``worker_own`` (his district, his case), through the services and the
  apps' test factories; and one user of every role (``ROLES``), plus staff of another centre.
- ``Case`` says, for one endpoint and one object, which roles may use it (``ok``), which get
  403 (``forbidden``, ``read_only``), which get an empty 200 (``empty``: an htmx panel that
  looks the same whether or not the object exists); every other signed-in role gets 404.
- ``signed_in_sessions`` signs every user in once for the module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.urls import URLPattern, URLResolver, get_resolver

# --- Roles -----------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
WORKER_OWN = "worker_own"  # social worker of district A, the case worker of the objects
WORKER_COLLEAGUE = "worker_colleague"  # social worker of district A, not assigned
WORKER_OTHER = "worker_other"  # social worker of district B
HEAD = "head"
ASSISTANT = "assistant_assigned"  # the family assistant of the family in the world
ASSISTANT_OTHER = "assistant_other"  # a family assistant of the centre, not of that family
FINANCE = "finance"
SHELTER = "shelter_coordinator"
ORGANISER = "activities_organiser"
DPO = "dpo"
ADMINISTRATOR = "administrator"
HEAD_ELSEWHERE = "head_other_centre"  # the head of another centre on the same installation
ADMIN_ELSEWHERE = "administrator_other_centre"

# (role name in the matrix, username, group, centre "a"/"b", district "a"/"b"/None, extra)
ROLES: list[tuple[str, str, str | None, str, str | None, dict]] = [
    (WORKER_OWN, "pracownik1", "social_worker", "a", "a", {}),
    (WORKER_COLLEAGUE, "pracownik3", "social_worker", "a", "a", {}),
    (WORKER_OTHER, "pracownik2", "social_worker", "a", "b", {}),
    (HEAD, "kierownik", "head", "a", None, {"may_sign_decisions": True}),
    (ASSISTANT, "asystent", "family_assistant", "a", None, {}),
    (ASSISTANT_OTHER, "asystent2", "family_assistant", "a", None, {}),
    (FINANCE, "ksiegowa", "finance", "a", None, {}),
    (SHELTER, "schronisko", "shelter_coordinator", "a", None, {}),
    (ORGANISER, "zajecia", "activities_organiser", "a", None, {}),
    (DPO, "iod", "data_protection_officer", "a", None, {}),
    (ADMINISTRATOR, "admin", "administrator", "a", None, {"is_staff": True}),
    (HEAD_ELSEWHERE, "kierownik-b", "head", "b", None, {"may_sign_decisions": True}),
    (ADMIN_ELSEWHERE, "admin-b", "administrator", "b", None, {"is_staff": True}),
]
ROLE_NAMES = [ANONYMOUS] + [r[0] for r in ROLES]
EVERYONE = frozenset(ROLE_NAMES) - {ANONYMOUS}


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


# --- Expected outcomes -------------------------------------------------------------------------

OK = "ok"
NOT_FOUND = "404"
FORBIDDEN = "403"  # a permission checked before the object is fetched
READ_ONLY = "403 read-only"  # 403 on an object the role may see, for what it may not do
EMPTY = "empty"  # 200 with an empty body
LOGIN = "login"  # anonymous: redirect to the login page, 401 from the API


@dataclass(frozen=True)
class Case:
    """One endpoint applied to one object of the world.

    ``args`` maps the world to the URL's keyword arguments; ``ok`` are the roles that may use
    it; ``forbidden`` those that get 403 from a permission checked before the object is
    fetched (so 403 for any id); ``read_only`` those that get 403 on an object they may see
    but not change; ``empty`` those that get an empty 200 (for any id); every other signed-in
    role must get 404.
    """

    args: Callable[[SimpleNamespace], dict]
    ok: frozenset[str]
    forbidden: frozenset[str] = frozenset()
    read_only: frozenset[str] = frozenset()
    # Signed-in roles sent to a sign-in page (the admin's, for staff-only pages).
    login: frozenset[str] = frozenset()
    empty: frozenset[str] = frozenset()
    method: str = "GET"
    body: Callable[[SimpleNamespace], dict] | None = None
    # What "ok" answers: for a GET 200 unless given; for a write any answer of a handled
    # request (done, refused as invalid, or a redirect with a message), never 401/403/404.
    ok_status: tuple[int, ...] | None = None
    # An ok answer may be an empty 200 (a panel with nothing the role may see in it).
    blank_ok: bool = False
    # A 403 or an empty answer is the same for an id that exists nowhere (checked unless off).
    same_for_missing: bool = True
    variant: str = ""
    why: str = ""  # the rule, in a few words, shown when a cell fails

    def expected(self, role: str) -> str:
        if role == ANONYMOUS or role in self.login:
            return LOGIN
        for outcome, members in (
            (OK, self.ok),
            (FORBIDDEN, self.forbidden),
            (READ_ONLY, self.read_only),
            (EMPTY, self.empty),
        ):
            if role in members:
                return outcome
        return NOT_FOUND

    def ok_statuses(self, method: str) -> tuple[int, ...]:
        if self.ok_status is not None:
            return self.ok_status
        if method == "GET":
            return (200,)
        return (200, 201, 204, 302, 400, 409, 422)


# --- Enumerating the endpoints -----------------------------------------------------------------

# Path parameters that name no object: the admin's app index (a fixed choice of app labels)
# and its catch-all for unknown URLs.
NOT_OBJECT_PARAMETERS = {"app_label", "url"}
PATH_PARAMETER = re.compile(
    r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<regex_name>\w+)>"
)


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name, prefix + str(pattern.pattern)


def _object_params(route: str) -> list[str]:
    names = []
    for match in PATH_PARAMETER.finditer(route):
        name = match.group("name") or match.group("regex_name")
        if name and name not in NOT_OBJECT_PARAMETERS:
            names.append(name)
    return names


def _url_key(namespace: str | None, name: str | None, route: str) -> str:
    if name:
        return f"{namespace}:{name}" if namespace else name
    # An unnamed pattern (the admin's "<object_id>/" redirect) is known by its route.
    return f"{namespace or ''}:{route}"


def page_keys() -> dict[str, str]:
    """{URL name: route} of every page (not API, not admin) taking an object id."""
    keys = {}
    for namespace, name, route in _walk(get_resolver()):
        if namespace in ("api", "admin") or (namespace or "").startswith(("api:", "admin:")):
            continue
        if _object_params(route):
            keys[_url_key(namespace, name, route)] = route
    return keys


def admin_keys() -> dict[str, str]:
    """{URL name: route} of every admin page taking an object id."""
    keys = {}
    for namespace, name, route in _walk(get_resolver()):
        if namespace == "admin" and _object_params(route):
            keys[_url_key(namespace, name, route)] = route
    return keys


def api_keys() -> dict[str, str]:
    """{"METHOD /api/v1/path/{id}": path} of every API operation with a path parameter."""
    from gops.api.api import api

    schema = api.get_openapi_schema()
    keys = {}
    for path, operations in schema["paths"].items():
        if "{" not in path:
            continue
        for method in operations:
            if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                keys[f"{method.upper()} {path}"] = path
    return keys


# --- The world -------------------------------------------------------------------------------


def signed_in_sessions(users: dict) -> dict[str, str]:
    """{role: session key} of a signed-in session per user, made once for the whole module
    (signing in for each of thousands of cells would be most of the run's time).

    As the root conftest's ``force_login`` does, a user with a confirmed authenticator gets
    a session that has given its code (django_otp keeps the device's id in the session).
    """
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from gops.accounts.two_factor import confirmed_device

    keys = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        device = confirmed_device(user)
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def build_world(*, media_root) -> SimpleNamespace:
    """Every kind of object once, in district A of centre A, owned by ``worker_own``."""
    import time_machine
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from gops.accounts.models import ApiToken
    from gops.accounts.services import api_token_create
    from gops.accounts.tests.factories import (
        make_centre,
        make_district,
        make_totp_device,
        make_user,
    )
    from gops.accounts.two_factor import confirmed_device, two_factor_required
    from gops.activities import services as activity_services
    from gops.activities.tests.factories import make_activity
    from gops.atrisk.models import AtRiskEntry, ListCode
    from gops.audit.models import AuditEntry
    from gops.benefits import services as benefit_services
    from gops.benefits.models import CareFeeScale, LegalParameters
    from gops.bluecards import services as bluecard_services
    from gops.bluecards.tests.factories import make_family, open_card
    from gops.cases import services as case_services
    from gops.dataprotection import services as dataprotection_services
    from gops.families import services as family_services
    from gops.families.tests.factories import make_support
    from gops.integration.tests.factories import make_programme
    from gops.jobs.models import Job, JobStatus
    from gops.payments import services as payment_services
    from gops.payments.models import Budget, Difference
    from gops.payments.tests.finance_factories import (
        issued_permanent,
        issued_purpose,
        revoke,
    )
    from gops.people.models import Person
    from gops.people.tests.factories import make_foreigner, make_person
    from gops.referrals.tests.factories import make_institution, make_referral
    from gops.shelter import services as shelter_services
    from gops.shelter.tests.factories import make_facility, place

    w = SimpleNamespace()
    w.centre = make_centre()
    w.centre_b = make_centre(name="Miejski Ośrodek Pomocy Społecznej w Innowie", teryt="1465028")
    districts = {
        "a": make_district(centre=w.centre, name="Rejon A"),
        "b": make_district(centre=w.centre, name="Rejon B"),
    }
    make_district(centre=w.centre_b, name="Rejon 1")
    w.district_a = districts["a"]
    centres = {"a": w.centre, "b": w.centre_b}
    w.users = {}
    for role, username, group, centre, district, extra in ROLES:
        w.users[role] = make_user(
            username,
            role=group,
            centre=centres[centre],
            district=districts[district] if district else None,
            **extra,
        )
    w.tokens = {role: api_token_create(user=user) for role, user in w.users.items()}
    # Roles with wide access need a second factor: their authenticators.
    for user in w.users.values():
        if two_factor_required(user):
            make_totp_device(user)
    w.sessions = signed_in_sessions(w.users)
    u = w.users
    w.worker_own = u[WORKER_OWN]
    own, head, finance = u[WORKER_OWN], u[HEAD], u[FINANCE]
    today = timezone.localdate()
    w.today = today

    # Halina: an issued permanent allowance (paid on the July 2025 payroll), an issued
    # purpose allowance paid at once and then revoked (a debt), a draft, a served decision
    # under appeal, a social contract, a referral, a shelter stay and a programme for leaving
    # homelessness. Everything was registered by her case worker.
    permanent = issued_permanent(own, head, number=1, method="bank_transfer")
    w.person = permanent.person
    Person.objects.filter(pk=w.person.pk).update(case_worker=own)
    w.application = permanent.application
    w.household = w.application.household
    w.membership = w.household.memberships.get(person=w.person)
    w.income = w.person.incomes.first()
    w.decision = permanent
    purpose = issued_purpose(own, head, application=w.application)
    payment_services.urgent_payment_make(actor=finance, decision=purpose, on=date(2025, 6, 20))
    revoke(own, head, purpose, effective_from=date(2025, 6, 20), on=date(2025, 7, 10))
    payment_services.schedules_sync(centre=w.centre, until_month=date(2025, 7, 1))
    with time_machine.travel(date(2025, 7, 25)):
        w.payroll = payment_services.payroll_generate(actor=finance, month=date(2025, 7, 1))
        w.payroll = payment_services.payroll_approve(actor=head, payroll=w.payroll)
    w.payment = w.payroll.payments.get(person=w.person)
    w.schedule_item = w.payment.item
    with time_machine.travel(date(2025, 8, 20)):
        w.debt = payment_services.debt_create(
            actor=finance,
            person=w.person,
            source_decision=purpose,
            amount=Decimal("400.00"),
            reason="Nieprawdziwe informacje o sytuacji (art. 6 pkt 16 u.p.s.).",
            decision_number="ZW/1/2025",
            issued_on=date(2025, 8, 20),
            instalments=[(date(2025, 9, 15), Decimal("400.00"))],
            differences=list(Difference.objects.filter(person=w.person)),
        )
    with time_machine.travel(date(2025, 6, 25)):
        benefit_services.decision_serve(actor=own, decision=permanent, served_on=date(2025, 6, 25))
        w.appeal = benefit_services.appeal_lodge(
            actor=own, decision=permanent, lodged_on=date(2025, 6, 25), notes="Za mało."
        )
    w.decision.refresh_from_db()
    w.draft = benefit_services.decision_draft(
        actor=own,
        application=w.application,
        benefit="periodic",
        period_from=date(2025, 9, 1),
        period_until=date(2025, 11, 30),
        payment_method="cash",
    )
    w.contract = case_services.social_contract_create(
        actor=own,
        person=w.person,
        signed_on=today,
        valid_from=today,
        valid_until=today + timedelta(days=180),
        situation="Samotna, niskie dochody.",
        goals="Uporządkowanie spraw mieszkaniowych.",
        person_obligations="Udział w spotkaniach.",
        centre_obligations="Pomoc w załatwieniu spraw.",
    )
    case_services.case_note_add(
        actor=own, person=w.person, application=w.application, text="Notatka z pracy socjalnej."
    )
    w.institution = make_institution(centre=w.centre)
    w.referral = make_referral(actor=own, person=w.person, institution=w.institution)
    w.facility = make_facility(centre=w.centre, beds=2)
    w.bed = w.facility.beds.order_by("pk").last()
    w.placement = place(
        actor=u[SHELTER],
        person=w.person,
        bed=w.facility.beds.order_by("pk").first(),
        check_in=today - timedelta(days=1),
    )
    w.exit_plan = shelter_services.exit_plan_create(
        actor=own,
        person=w.person,
        agreed_on=today,
        goals="Mieszkanie treningowe.",
        steps=[("documents", "Wyrobić dowód osobisty", today + timedelta(days=60))],
    )

    # The Zawadzki family of district A: its family assistant, and a Blue Card opened by
    # worker_own (its only member besides the head's general right to see every card).
    w.family = make_family(actor=own, district=w.district_a)
    w.family_household = w.family["household"]
    w.family_woman, w.family_child = w.family["woman"], w.family["child"]
    w.support = make_support(
        head=head, household=w.family_household, assistant=u[ASSISTANT], social_worker=own
    )
    w.plan_step = family_services.plan_step_add(
        actor=u[ASSISTANT],
        support=w.support,
        goal="Regularne posiłki dzieci",
        action="Plan tygodniowych zakupów",
        deadline=today + timedelta(days=30),
        expected_effect="Dzieci jedzą trzy posiłki dziennie",
    )
    w.childcare = family_services.childcare_support_add(
        actor=u[ASSISTANT],
        support=w.support,
        kind="school_supplies",
        started_on=today,
        child=w.family["child"],
    )
    w.card = open_card(actor=own, family=w.family, opened_on=today, sent_to_team_on=today)
    w.card = bluecard_services.blue_card_update(
        actor=own,
        blue_card=w.card,
        circumstances=w.card.circumstances,
        team_name=w.card.team_name,
        sent_to_team_on=today,
        group_received_on=today,
    )
    w.card_member = w.card.members.get(user=own)
    w.meeting = bluecard_services.blue_card_meeting_plan(
        actor=own, blue_card=w.card, planned_on=today + timedelta(days=3)
    )

    # Olena, a foreigner of district A, with an integration programme.
    with time_machine.travel(date(2025, 6, 10)):
        w.foreigner = make_foreigner(
            actor=own,
            first_names="Aliaksandr",
            surnames="Kazlou",
            sex="M",
            citizenship="BY",
            residence_status="refugee_status",
            id_document_type="residence_card",
            id_document_number="RC1234567",
            residence_document_valid_until=date(2027, 1, 31),
        )
        w.programme = make_programme(actor=own, person=w.foreigner)
    w.goal = w.programme.goals.order_by("pk").first()
    w.integration_step = w.goal.steps.order_by("pk").first()

    # An activity of the centre with Halina registered.
    w.activity = make_activity(actor=u[ORGANISER])
    w.session = w.activity.sessions.order_by("pk").first()
    w.registration = activity_services.registration_create(
        actor=own, activity=w.activity, person=w.person
    )

    # Data protection: a request to anonymise a person with nothing open.
    w.dormant = make_person(
        actor=own, first_names="Zbigniew", surnames="Dawny", pesel="51021512355"
    )
    w.anonymisation = dataprotection_services.anonymisation_request(
        actor=own, person=w.dormant, reason="Brak kontaktu od 12 lat."
    )

    # Rows of the lists of people at risk: an ordinary one and one of the Blue Card list.
    w.atrisk = AtRiskEntry.objects.create(
        centre=w.centre,
        list_code=ListCode.LOW_INCOME_NO_HELP,
        person=w.person,
        household=w.household,
        reason="Dochód poniżej kryterium",
        first_found_on=today,
        last_found_on=today,
    )
    w.atrisk_blue_card = AtRiskEntry.objects.create(
        centre=w.centre,
        list_code=ListCode.CHILD_BLUE_CARD,
        person=w.family["child"],
        household=w.family_household,
        blue_card=w.card,
        reason="Niebieska Karta bez asystenta rodziny",
        first_found_on=today,
        last_found_on=today,
    )

    # A finished background job of worker_own, with its file.
    from django.test import override_settings

    w.job = Job.objects.create(
        centre=w.centre,
        requested_by=own,
        kind="atrisk.refresh",
        title="Odświeżenie list",
        status=JobStatus.DONE,
        result_name="wynik.txt",
        content_type="text/plain",
    )
    with override_settings(MEDIA_ROOT=str(media_root)):
        w.job.result.save("wynik.txt", ContentFile(b"gotowe\n"))

    # Rows only the admin shows.
    from django.contrib.contenttypes.models import ContentType

    w.group = Group.objects.get(name="social_worker")
    w.person_type = ContentType.objects.get_for_model(Person)
    w.totp_device = confirmed_device(head) or make_totp_device(head)
    w.audit_entry = AuditEntry.objects.filter(person_id=w.person.pk).order_by("pk").first()
    w.api_token = ApiToken.objects.filter(user=own).first()
    w.legal_parameters = LegalParameters.objects.order_by("-valid_from").first()
    w.care_fee_scale = CareFeeScale.objects.create(
        centre=w.centre,
        valid_from=date(2025, 1, 1),
        hourly_cost=Decimal("30.00"),
        resolution="Uchwała nr I/1/2025",
    )
    w.budget = Budget.objects.create(
        centre=w.centre,
        year=2025,
        benefit="permanent",
        funding="own",
        planned=Decimal("100000.00"),
    )
    w.access_attempt = AccessAttempt.objects.create(
        username="ktos", ip_address="10.0.0.1", user_agent="test", failures_since_start=1
    )
    w.access_log = AccessLog.objects.create(
        username="pracownik1", ip_address="10.0.0.1", user_agent="test"
    )
    w.access_failure = AccessFailureLog.objects.create(
        username="ktos", ip_address="10.0.0.1", user_agent="test"
    )
    return w
