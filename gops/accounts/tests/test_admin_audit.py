"""Changing a staff account's roles in the admin is audited: roles decide who sees data."""

from django.contrib.auth.models import Group

from gops.audit.models import AuditEntry


def test_granting_a_role_in_the_admin_writes_an_audit_entry(client, administrator, worker_a):
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    head = Group.objects.get(name="head")
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
    assert entry.changes["groups"] == [["social_worker"], ["head", "social_worker"]]
