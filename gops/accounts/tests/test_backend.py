"""The authentication backend: the user with their centre and groups, and the role
permissions read once per process but never stale after a change."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from gops.accounts import backends
from gops.accounts.models import User


def _fresh(user) -> User:
    return backends.ModelBackend().get_user(user.pk)


@pytest.mark.django_db(transaction=True)
def test_a_change_of_a_groups_permissions_is_seen_at_once(worker_a):
    group = Group.objects.create(name="test-role")
    worker_a.groups.add(group)
    perm = Permission.objects.get(content_type__app_label="audit", codename="view_auditentry")
    assert not _fresh(worker_a).has_perm("audit.view_auditentry")
    assert backends._group_permissions is not None  # read once, kept for the process
    group.permissions.add(perm)
    assert _fresh(worker_a).has_perm("audit.view_auditentry")
    group.permissions.remove(perm)
    assert not _fresh(worker_a).has_perm("audit.view_auditentry")
    group.permissions.add(perm)
    group.delete()
    assert not _fresh(worker_a).has_perm("audit.view_auditentry")


@pytest.mark.django_db(transaction=True)
def test_permissions_read_inside_a_rolled_back_transaction_are_not_kept(worker_a):
    group = Group.objects.create(name="test-role")
    worker_a.groups.add(group)
    perm = Permission.objects.get(content_type__app_label="audit", codename="view_auditentry")
    seen = []

    def grant_then_fail():
        with transaction.atomic():
            group.permissions.add(perm)
            seen.append(_fresh(worker_a).has_perm("audit.view_auditentry"))
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        grant_then_fail()
    assert seen == [True]
    assert not _fresh(worker_a).has_perm("audit.view_auditentry")


@pytest.mark.django_db
def test_the_user_comes_with_centre_and_groups(worker_a, django_assert_num_queries):
    with django_assert_num_queries(2):  # the user with the centre, then the groups
        user = _fresh(worker_a)
    with django_assert_num_queries(0):
        assert user.centre.name
        assert user.role_names


@pytest.mark.django_db(transaction=True)
def test_a_change_made_by_another_process_is_seen_within_seconds(worker_a, monkeypatch):
    """Another process's change sends no signal here (the raw DELETE stands for it): the table
    is read again after GROUP_PERMISSIONS_SECONDS."""
    from django.db import connection

    group = Group.objects.create(name="test-role")
    worker_a.groups.add(group)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="audit", codename="view_auditentry")
    )
    clock = [1000.0]
    monkeypatch.setattr(backends.time, "monotonic", lambda: clock[0])
    assert _fresh(worker_a).has_perm("audit.view_auditentry")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM auth_group_permissions WHERE group_id = %s", [group.pk])
    clock[0] += backends.GROUP_PERMISSIONS_SECONDS - 0.5
    assert _fresh(worker_a).has_perm("audit.view_auditentry")  # the few seconds it may lag
    clock[0] += 1
    assert not _fresh(worker_a).has_perm("audit.view_auditentry")


@pytest.mark.django_db(transaction=True)
def test_a_table_read_by_another_thread_before_the_commit_is_dropped_at_the_commit(worker_a):
    group = Group.objects.create(name="test-role")
    worker_a.groups.add(group)
    perm = Permission.objects.get(content_type__app_label="audit", codename="view_auditentry")
    group.permissions.add(perm)
    with transaction.atomic():
        group.permissions.remove(perm)
        # Another thread, outside this transaction, reads the committed (old) rows meanwhile.
        backends._group_permissions = {group.pk: frozenset({"audit.view_auditentry"})}
        backends._read_at = backends.time.monotonic()
    assert backends._group_permissions is None
    assert not _fresh(worker_a).has_perm("audit.view_auditentry")
