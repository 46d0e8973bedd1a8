from django.contrib.auth.models import Permission

from gops.accounts.models import User

# What roles.py should give (it is not changed by this app's tests; see docs/ochrona-danych.md).
HEAD_PERMS = [
    "dataprotection.access_report",
    "dataprotection.approve_anonymisation",
    "dataprotection.view_anonymisationrequest",
    "dataprotection.view_register",
]
DPO_PERMS = [
    "people.view_person",
    "people.view_all_persons",
    "dataprotection.access_report",
    "dataprotection.add_anonymisationrequest",
    "dataprotection.view_anonymisationrequest",
    "dataprotection.view_register",
]
WORKER_PERMS = ["dataprotection.add_anonymisationrequest"]
ADMINISTRATOR_PERMS = ["dataprotection.view_register"]


def grant(user: User, *perms: str) -> User:
    """Give `user` permissions and return a fresh copy (permissions are cached on the object)."""
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)
