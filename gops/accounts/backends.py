"""Django's model authentication, loading the signed-in user as every page needs them."""

from collections import defaultdict

from django.contrib.auth import backends
from django.contrib.auth.models import Permission
from django.db import connection

from .models import User

# The permissions of each role group, read once per process: they are set by migrations
# (roles.sync_roles) and are not editable in the admin, yet every page asked the database for
# them (the most expensive of a page's fixed queries). A change through the ORM clears this
# (signals in apps.py); inside a transaction nothing is cached, so a rolled-back change can
# never stay behind.
_group_permissions: dict[int, frozenset[str]] | None = None


def group_permissions_clear(**kwargs) -> None:
    global _group_permissions
    _group_permissions = None


def _all_group_permissions() -> dict[int, frozenset[str]]:
    global _group_permissions
    if _group_permissions is not None:
        return _group_permissions
    table: dict[int, set[str]] = defaultdict(set)
    for group_id, app_label, codename in Permission.objects.filter(group__isnull=False).values_list(
        "group__id", "content_type__app_label", "codename"
    ):
        table[group_id].add(f"{app_label}.{codename}")
    result = {group_id: frozenset(perms) for group_id, perms in table.items()}
    if not connection.in_atomic_block:
        _group_permissions = result
    return result


class ModelBackend(backends.ModelBackend):
    """ModelBackend whose signed-in user comes with their centre and their role groups (the
    header of every page shows both), and whose group permissions come from the per-process
    table above instead of a query per request."""

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
