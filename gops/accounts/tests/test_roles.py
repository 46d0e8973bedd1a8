"""Staff roles: one group per role, carrying exactly the permissions the code lists."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission

from gops.accounts import roles
from gops.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


def group_permissions(group: Group) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_every_role_is_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLE_PERMISSIONS)


@pytest.mark.parametrize("role", sorted(roles.ROLE_PERMISSIONS))
def test_each_role_group_has_exactly_the_permissions_of_its_role(role):
    group = Group.objects.get(name=role)
    assert group_permissions(group) == set(roles.ROLE_PERMISSIONS[role])


def test_no_role_lists_a_permission_twice_or_one_that_does_not_exist():
    for perms in roles.ROLE_PERMISSIONS.values():
        assert len(perms) == len(set(perms))
        for perm in perms:
            app_label, codename = perm.split(".")
            assert Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists(), perm


def test_every_role_has_a_label():
    assert set(roles.ROLE_LABELS) == set(roles.ROLE_PERMISSIONS)


def test_the_migration_creates_the_groups_of_every_role():
    module = importlib.import_module("gops.accounts.migrations.0002_create_role_groups")
    assert set(module.ROLES) == set(roles.ROLE_PERMISSIONS)


def test_syncing_roles_removes_a_permission_granted_by_hand_and_restores_a_missing_one():
    finance = Group.objects.get(name=roles.FINANCE)
    finance.permissions.add(Permission.objects.get(codename="view_restricted_notes"))
    finance.permissions.remove(Permission.objects.get(codename="view_all_persons"))
    Group.objects.filter(name=roles.ACTIVITIES_ORGANISER).delete()

    roles.sync_roles(Group.objects, Permission.objects)
    roles.sync_roles(Group.objects, Permission.objects)  # idempotent

    assert group_permissions(finance) == set(roles.ROLE_PERMISSIONS[roles.FINANCE])
    assert "people.view_restricted_notes" not in group_permissions(finance)
    restored = Group.objects.get(name=roles.ACTIVITIES_ORGANISER)
    assert group_permissions(restored) == set(roles.ROLE_PERMISSIONS[roles.ACTIVITIES_ORGANISER])
    assert Group.objects.filter(name=roles.FINANCE).count() == 1


def test_a_user_has_the_permissions_of_their_role_only(centre, settings):
    worker = make_user("pracownik", role=roles.SOCIAL_WORKER, centre=centre)
    assert worker.has_role(roles.SOCIAL_WORKER)
    assert not worker.has_role(roles.HEAD)
    assert worker.has_perm("people.add_income")
    assert not worker.has_perm("people.change_person_district")
    assert not worker.has_perm("audit.view_auditentry")
    label = str(roles.ROLE_LABELS[roles.SOCIAL_WORKER])
    assert [str(name) for name in worker.role_names] == [label]
