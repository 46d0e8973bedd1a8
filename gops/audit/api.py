from datetime import datetime

from ninja import Query, Router, Schema

from gops.api.fields import IsoDate, ObjectId

from . import selectors

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    at: datetime
    user: str
    user_id: int | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    person_id: int | None
    household_id: int | None
    ip: str | None
    channel: str
    changes: dict


class AuditList(Schema):
    items: list[AuditEntryOut]
    count: int


@router.get("", response=AuditList, summary="The audit trail (head and data protection officer)")
def audit_list(
    request,
    person_id: ObjectId | None = None,
    user_id: ObjectId | None = None,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
    action: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
):
    qs = selectors.audit_list(
        user=request.user,
        person_id=person_id,
        actor_id=user_id,
        date_from=date_from,
        date_to=date_to,
        action=action,
    )
    items = [
        {
            "id": e.pk,
            "at": e.at,
            "user": e.actor_username,
            "user_id": e.actor_id,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object_repr": e.object_repr,
            "person_id": e.person_id,
            "household_id": e.household_id,
            "ip": e.ip,
            "channel": e.channel,
            "changes": e.changes,
        }
        for e in qs[offset : offset + limit]
    ]
    return {"items": items, "count": qs.count()}
