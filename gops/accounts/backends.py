"""Django's model authentication, loading the signed-in user as every page needs them."""

import time
from collections import defaultdict

from django.contrib.auth import backends
from django.contrib.auth.models import Permission
from django.db import connection, transaction

from .models import User

# The permissions of each role group, kept by each process for a few seconds: every page
# asked the database for them (the most expensive of a page's fixed queries), and they change
# only when roles.sync_roles runs at a migration or a superuser edits a group in the admin.
# A change through the ORM clears the table in its own process, now and again when its
# transaction commits (another thread may have read the old rows meanwhile); other processes
# (gunicorn's other workers, the job consumer) read it again within
# GROUP_PERMISSIONS_SECONDS. Inside a transaction nothing is kept, so a rolled-back change can
# never stay behind.
GROUP_PERMISSIONS_SECONDS = 5.0
_group_permissions: dict[int, frozenset[str]] | None = None
_read_at = 0.0


def _clear() -> None:
    global _group_permissions
    _group_permissions = None


def group_permissions_clear(**kwargs) -> None:
    """Signal receiver: a group, a permission or a group's permissions changed."""
    _clear()
    transaction.on_commit(_clear, using=kwargs.get("using"))


def _all_group_permissions() -> dict[int, frozenset[str]]:
    global _group_permissions, _read_at
    table = _group_permissions
    if table is not None and time.monotonic() - _read_at < GROUP_PERMISSIONS_SECONDS:
        return table
    by_group: dict[int, set[str]] = defaultdict(set)
    for group_id, app_label, codename in Permission.objects.filter(group__isnull=False).values_list(
        "group__id", "content_type__app_label", "codename"
    ):
        by_group[group_id].add(f"{app_label}.{codename}")
    table = {group_id: frozenset(perms) for group_id, perms in by_group.items()}
    if not connection.in_atomic_block:
        _group_permissions, _read_at = table, time.monotonic()
    return table


class ModelBackend(backends.ModelBackend):
    """ModelBackend whose signed-in user comes with their centre and their role groups (the
    header of every page shows both), and whose group permissions come from the per-process
    table above instead of a query per request (at most one query per process every
    GROUP_PERMISSIONS_SECONDS)."""

    def get_user(self, user_id):
        user = (
            User._default_manager.select_related("centre")
            .prefetch_related("groups")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_group_permissions(self, user_obj, obj=None):
        if user_obj.is_superuser or not user_obj.is_active or user_obj.is_anonymous or obj:
            return super().get_group_permissions(user_obj, obj)
        if not hasattr(user_obj, "_group_perm_cache"):
            table = _all_group_permissions()
            user_obj._group_perm_cache = set().union(
                *(table.get(group.pk, frozenset()) for group in user_obj.groups.all())
            )
        return user_obj._group_perm_cache


__all__ = ["ModelBackend", "group_permissions_clear"]
