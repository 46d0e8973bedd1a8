"""Schemathesis against /api/v1/openapi.json: every operation, with the token of a real user,
answers without a 5xx and as its schema says (issue 9 §3).

How it runs:

* The schema is loaded from the WSGI application itself (``/api/v1/openapi.json``), and every
  request goes in-process through that application: middleware, authentication, the views.
* The database holds the demo centre, seeded once for the module (``demo_centre_seed``, 40
  persons, with applications, decisions, payrolls, placements, families, Blue Cards,
  integration programmes) inside a transaction that is rolled back at the end. Each operation
  runs in a savepoint of its own (``django_db``), so POST/PATCH/DELETE write for real and the
  next operation starts again from the seeded data. The requests run in that same
  transaction, which is why Django's ``close_old_connections`` is disconnected meanwhile, as
  Django's test client does. Time stands at the seeding's day.
* Generated ids are often swapped for ids of real objects (``REAL_IDS``), so the operations
  reach their objects, or another district's objects for the social worker (404), not only
  404 for unknown ids.
* Bounded and deterministic: a fixed Hypothesis seed (``derandomize``), no example database;
  the head (who sees the most) gets the coverage phase (boundary values, wrong types, missing
  fields, unexpected methods) and 5 random examples per operation, the social worker of
  district A 5 random examples per operation.

Checks: all of Schemathesis's defaults, among them not_a_server_error,
status_code_conformance (the error answers are documented: ``gops.api.openapi``),
content_type_conformance, response_schema_conformance, response_headers_conformance,
negative_data_rejection, ignored_auth and unsupported_method. positive_data_acceptance also
accepts 404, 409 and 422: a request the schema allows is still refused by the rules of law or
by the state of the object (issuing a decision that is not a draft), with the documented error.
Two generation options are off: the bearer token is always sent (its absence is what
ignored_auth tests), and unknown query parameters, which the API ignores as HTTP APIs usually
do, are not generated.
"""

from datetime import date

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from gops.accounts.models import District, User
from gops.accounts.services import api_token_create
from gops.activities.models import Activity, Registration
from gops.benefits.models import Decision
from gops.bluecards.models import BlueCard
from gops.cases.models import Application, SocialContract
from gops.demo.services import demo_centre_seed
from gops.integration.models import IntegrationProgramme
from gops.payments.models import Payment, Payroll
from gops.people.models import Household, Person
from gops.referrals.models import Institution, Referral
from gops.shelter.models import Bed, Facility, Placement

TODAY = date(2026, 11, 26)
EXAMPLES = 5


def _config(*, coverage: bool) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "generation": {
                "max-examples": EXAMPLES,
                "deterministic": True,
                "database": "none",
                "with-security-parameters": False,
                "allow-extra-parameters": False,
            },
            "phases": {"coverage": {"enabled": coverage}},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ["2xx", 401, 403, 404, 409, 422]}
            },
        }
    )


_application = get_wsgi_application()
full_schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", _application, config=_config(coverage=True)
)
fuzz_schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", _application, config=_config(coverage=False)
)

# Field and parameter names that hold a primary key, and the model it belongs to.
ID_MODELS = {
    "person_id": Person,
    "applicant_id": Person,
    "household_id": Household,
    "application_id": Application,
    "decision_id": Decision,
    "referral_id": Referral,
    "activity_id": Activity,
    "registration_id": Registration,
    "payroll_id": Payroll,
    "payment_id": Payment,
    "placement_id": Placement,
    "blue_card_id": BlueCard,
    "programme_id": IntegrationProgramme,
    "institution_id": Institution,
    "facility_id": Facility,
    "bed_id": Bed,
    "social_contract_id": SocialContract,
    "district_id": District,
    "assistant_id": User,
    "social_worker_id": User,
    "case_worker_id": User,
    "coordinator_id": User,
    "user_id": User,
}

# Filled by the `seeded` fixture before any example is drawn: real primary keys per name.
REAL_IDS: dict[str, list[int]] = {}

USERS = ("kierownik", "pracownik1")  # the head; the social worker of district A


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo centre and a token per user in USERS, rolled back after the module."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        time_machine.travel(TODAY, tick=True),
        transaction.atomic(),
    ):
        demo_centre_seed(persons=40, seed=7, today=TODAY)
        for name, model in ID_MODELS.items():
            REAL_IDS[name] = list(model.objects.order_by("pk").values_list("pk", flat=True)[:50])
        tokens = {name: api_token_create(user=User.objects.get(username=name)) for name in USERS}
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            yield tokens
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            REAL_IDS.clear()
            transaction.set_rollback(True)


def _with_real_ids(value):
    """A strategy for `value` in which each integer id may be swapped for a real object's."""
    if isinstance(value, dict):
        parts = {}
        for key, item in value.items():
            if REAL_IDS.get(key) and isinstance(item, int) and not isinstance(item, bool):
                parts[key] = st.one_of(st.just(item), st.sampled_from(REAL_IDS[key]))
            else:
                parts[key] = _with_real_ids(item)
        return st.fixed_dictionaries(parts)
    if isinstance(value, list):
        return st.tuples(*(_with_real_ids(item) for item in value)).map(list)
    return st.just(value)


for _schema in (full_schema, fuzz_schema):

    @_schema.hook
    def flatmap_path_parameters(context, path_parameters):
        return _with_real_ids(path_parameters)

    @_schema.hook
    def flatmap_query(context, query):
        return _with_real_ids(query)

    @_schema.hook
    def flatmap_body(context, body):
        return _with_real_ids(body)


BOUNDED = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    # The examples of one operation share its savepoint on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
@full_schema.parametrize()
@BOUNDED
def test_every_operation_as_the_head(case, seeded):
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded['kierownik']}"})


@pytest.mark.django_db
@fuzz_schema.parametrize()
@BOUNDED
def test_every_operation_as_a_social_worker(case, seeded):
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded['pracownik1']}"})
