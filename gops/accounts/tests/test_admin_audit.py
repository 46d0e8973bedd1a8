"""Changing a staff account's roles in the admin is audited: roles decide who sees data."""

from django.contrib.auth.models import Group

from gops.audit.models import AuditEntry


def test_granting_a_role_in_the_admin_writes_an_audit_entry(client, administrator, worker_a):
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    head = Group.objects.get(name="family_assistant")
    form = client.get(f"/admin/accounts/user/{worker_a.pk}/change/")
    assert form.status_code == 200
    data = {
        "username": worker_a.username,
        "first_name": worker_a.first_name,
        "last_name": worker_a.last_name,
        "email": "",
        "is_active": "on",
        "groups": [str(g.pk) for g in worker_a.groups.all()] + [str(head.pk)],
        "centre": worker_a.centre_id,
        "district": worker_a.district_id,
        "position": "",
        "language": "pl",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "08:00:00",
    }
    response = client.post(f"/admin/accounts/user/{worker_a.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(worker_a.pk))
    assert entry.actor_username == "admin"
    assert entry.changes["groups"] == [["social_worker"], ["family_assistant", "social_worker"]]


def test_an_administrator_cannot_make_anyone_head_nor_change_their_own_roles(
    client, administrator, worker_a
):
    """The head's role opens every file, Blue Cards included: only a superuser grants it."""
    client.force_login(administrator)
    head = Group.objects.get(name="head")
    data = {
        "username": worker_a.username,
        "first_name": worker_a.first_name,
        "last_name": worker_a.last_name,
        "email": "",
        "is_active": "on",
        "groups": [str(head.pk)],
        "centre": worker_a.centre_id,
        "district": worker_a.district_id,
        "position": "",
        "language": "pl",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "08:00:00",
    }
    response = client.post(f"/admin/accounts/user/{worker_a.pk}/change/", data)
    assert response.status_code == 200  # the form with an error
    assert not worker_a.has_role("head")
    own = dict(data, username=administrator.username, groups=[str(head.pk)])
    client.post(f"/admin/accounts/user/{administrator.pk}/change/", own)
    assert not administrator.has_role("head")
