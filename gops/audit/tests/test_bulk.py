"""audit_record_changes: many entries at once, the same as audit_record_change writes them."""

import pytest
from django.db import connection

from gops.audit import context
from gops.audit.context import RequestContext
from gops.audit.models import AuditAction, AuditEntry
from gops.audit.services import Change, audit_record_change, audit_record_changes
from gops.people.tests.factories import make_person

# What an entry says, besides its id and time.
COMPARED = [
    "actor_id",
    "actor_username",
    "centre_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "person_id",
    "household_id",
    "changes",
    "ip",
    "channel",
]


@pytest.fixture
def web_request():
    token = context.set_current(RequestContext(ip="10.1.2.3", channel="web"))
    yield
    context.reset(token)


@pytest.fixture
def persons(worker_a):
    return [
        make_person(actor=worker_a, pesel="44051401359", first_names="Jan"),
        make_person(actor=worker_a, pesel="85110245743", first_names="Anna"),
    ]


def _changes(person) -> dict:
    return {
        "first_names": [None, person.first_names],
        "restricted_notes": [None, "Poufne"],
        "phone": ["", "123"],
    }


def test_bulk_entries_are_the_entries_written_one_by_one(worker_a, persons, web_request):
    start = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    for person in persons:
        audit_record_change(
            actor=worker_a,
            instance=person,
            action=AuditAction.UPDATE,
            changes=_changes(person),
            person_id=person.pk,
        )
    one_by_one = list(AuditEntry.objects.filter(id__gt=start).order_by("id").values(*COMPARED))
    middle = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()

    written = audit_record_changes(
        actor=worker_a,
        action=AuditAction.UPDATE,
        changes=(Change(p, _changes(p), person_id=p.pk) for p in persons),
        batch_size=1,
    )

    assert written == 2
    bulk = list(AuditEntry.objects.filter(id__gt=middle).order_by("id").values(*COMPARED))
    assert bulk == one_by_one
    assert bulk[0]["changes"]["restricted_notes"] == [None, "[encrypted]"]
    assert bulk[0]["ip"] == "10.1.2.3"
    assert bulk[0]["channel"] == "web"
    assert all(e.at is not None for e in AuditEntry.objects.filter(id__gt=middle))


def test_a_bulk_of_nothing_writes_nothing(worker_a):
    before = AuditEntry.objects.count()
    assert audit_record_changes(actor=worker_a, action=AuditAction.CREATE, changes=[]) == 0
    assert AuditEntry.objects.count() == before


def test_only_writes_are_recorded_in_bulk(worker_a, persons):
    with pytest.raises(AssertionError):
        audit_record_changes(
            actor=worker_a, action=AuditAction.VIEW, changes=[Change(persons[0], {})]
        )


def test_on_postgresql_the_entries_are_copied_in_with_one_statement(worker_a, persons):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    from django.test.utils import CaptureQueriesContext

    many = [Change(persons[0], {"phone": [str(n), str(n + 1)]}) for n in range(50)]
    with CaptureQueriesContext(connection) as queries:
        audit_record_changes(actor=worker_a, action=AuditAction.UPDATE, changes=many)
    # A COPY is not logged as a query: nothing of the 50 entries went through INSERTs.
    assert not [q for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert AuditEntry.objects.filter(changes__phone=["49", "50"]).count() == 1
