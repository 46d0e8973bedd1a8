"""The audit trail: what it records, and that nobody can rewrite it (ORM or SQL)."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from gops.audit import context
from gops.audit.context import RequestContext
from gops.audit.models import AppendOnlyError, AuditAction, AuditEntry
from gops.audit.services import (
    audit_record_change,
    audit_record_search,
    audit_record_view,
    diff,
    snapshot,
)
from gops.people.tests.factories import make_person


@pytest.fixture
def web_request():
    """As if the audit middleware had seen a request from 10.1.2.3."""
    token = context.set_current(RequestContext(ip="10.1.2.3", channel="web"))
    yield
    context.reset(token)


@pytest.fixture
def person(worker_a):
    return make_person(actor=worker_a)


@pytest.fixture
def entry(worker_a, person):
    return AuditEntry.objects.filter(person_id=person.pk).get()


def test_viewing_a_file_writes_one_view_entry_with_who_where_and_whose(
    worker_a, person, web_request
):
    before = AuditEntry.objects.count()
    audit_record_view(actor=worker_a, instance=person, person_id=person.pk)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert entry.actor == worker_a
    assert entry.actor_username == "pracownik1"
    assert entry.ip == "10.1.2.3"
    assert entry.channel == "web"
    assert entry.person_id == person.pk
    assert entry.centre_id == person.centre_id
    assert entry.object_type == "people.person"
    assert entry.object_id == str(person.pk)
    assert entry.object_repr == "Kowalski Jan"
    assert entry.changes == {}


def test_outside_a_request_the_entry_has_no_ip_and_the_system_channel(worker_a, person):
    entry = audit_record_view(actor=worker_a, instance=person, person_id=person.pk)
    entry.refresh_from_db()
    assert entry.ip is None
    assert entry.channel == "system"


def test_the_request_context_ends_with_the_request(web_request):
    assert context.current() == RequestContext(ip="10.1.2.3", channel="web")


def test_the_request_context_does_not_leak_into_the_next_test():
    assert context.current() == RequestContext(ip=None, channel="system")


def test_a_search_is_recorded_with_its_query_and_result_count(worker_a, web_request):
    entry = audit_record_search(actor=worker_a, query="kowal", result_count=3)
    entry.refresh_from_db()
    assert entry.action == AuditAction.SEARCH
    assert entry.object_type == "people"
    assert entry.changes == {"query": "kowal", "results": 3}
    assert entry.centre_id == worker_a.centre_id
    assert entry.ip == "10.1.2.3"


def test_a_change_made_by_the_system_has_no_actor(person):
    entry = audit_record_change(
        actor=None, instance=person, action=AuditAction.UPDATE, changes={"phone": ["", "1"]}
    )
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_username == ""
    assert entry.centre_id == person.centre_id


def test_a_view_is_not_a_change():
    with pytest.raises(AssertionError):
        audit_record_change(actor=None, instance=None, action=AuditAction.VIEW)


def test_snapshot_and_diff_give_old_and_new_values_in_plain_json(person):
    before = snapshot(person, ["phone", "birth_date", "district"])
    assert before == {
        "phone": "",
        "birth_date": "1944-05-14",
        "district": person.district_id,
    }
    after = dict(before, phone="600100200")
    assert diff(before, after) == {"phone": ["", "600100200"]}
    assert diff(before, before) == {}


def test_money_in_a_snapshot_keeps_its_grosze(person):
    person.net = Decimal("12.50")
    person.round = Decimal("12")
    assert snapshot(person, ["net", "round"]) == {"net": "12.50", "round": "12"}


# --- Append-only --------------------------------------------------------------------------


def test_an_entry_cannot_be_saved_again(entry):
    entry.object_repr = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "Kowalski Jan"


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_updated_or_deleted_in_bulk(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    # bulk_update opens an atomic block without a savepoint: give it one to fail in.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["object_repr"])
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "Kowalski Jan"


def test_the_database_refuses_an_update_in_raw_sql(entry):
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    sql = f"UPDATE {table} SET object_repr = %s WHERE id = %s"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, ["forged", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "Kowalski Jan"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite keeps DELETE possible for the test runner; the ORM guards it there",
)
def test_the_database_refuses_a_delete_in_raw_sql(entry):
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
