from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from gops.bluecards.selectors import sees_every_blue_card

from .models import AuditEntry

BLUE_CARD_OBJECTS = "bluecards."


def audit_list(
    *,
    user,
    person_id: int | None = None,
    actor_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    action: str | None = None,
) -> QuerySet[AuditEntry]:
    """The centre's audit trail, for the head and the data protection officer only."""
    if not user.has_perm("audit.view_auditentry"):
        raise PermissionDenied
    qs = AuditEntry.objects.filter(centre_id=user.centre_id).select_related("actor")
    if not sees_every_blue_card(user):
        # Even that a Blue Card exists is shown only to its members and the head.
        qs = qs.exclude(object_type__startswith=BLUE_CARD_OBJECTS)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action=action)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return qs


def audit_for_person(*, user, person_id: int, limit: int = 20) -> list[AuditEntry]:
    """Who viewed or changed this file: the panel on a person's page (head and DPO)."""
    if not user.has_perm("audit.view_auditentry"):
        return []
    return list(audit_list(user=user, person_id=person_id)[:limit])
