"""API of the Blue Card procedure: open it with form A, read one card.

The same selectors and services as the pages: a card the token's user is not a member of
(and, for anyone without a Blue Card permission, every path here) answers 404, like a card
that never existed. Reading a card is audited.
"""

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from gops.api.fields import IsoDate, ObjectId
from gops.audit.services import audit_record_view
from gops.people.selectors import person_queryset_for_user

from . import selectors, services
from .models import BlueCard, ParticipantRole

router = Router(tags=["bluecards"])

Role = Literal[tuple(ParticipantRole.values)]  # type: ignore[valid-type]


class ParticipantIn(Schema):
    person_id: ObjectId
    role: Role = Field(description="experiencing, using or child_witness")


class BlueCardIn(Schema):
    opened_on: IsoDate = Field(description="the day form A was filled in; not in the future")
    circumstances: str = Field(description="what happened, as on form A (stored encrypted)")
    participants: list[ParticipantIn] = Field(
        description="at least one person experiencing and one using violence"
    )
    team_name: str = ""
    sent_to_team_on: IsoDate | None = None


class ParticipantOut(Schema):
    id: int
    person_id: int
    role: str


class BlueCardDeadlineOut(Schema):
    code: str
    due_on: date | None
    done_on: date | None
    overdue: bool
    late: bool


class BlueCardMemberOut(Schema):
    id: int
    user_id: int | None
    name: str
    institution: str
    function: str
    removed_on: date | None


class MeetingOut(Schema):
    id: int
    planned_on: date
    held_on: date | None


class FormOut(Schema):
    id: int
    kind: str
    filled_on: date
    participant_id: int | None


class BlueCardOut(Schema):
    id: int
    number: str
    status: str
    opened_on: date
    circumstances: str
    team_name: str
    sent_to_team_on: date | None
    group_received_on: date | None
    closed_on: date | None
    closing_reason: str
    participants: list[ParticipantOut]
    forms: list[FormOut]
    members: list[BlueCardMemberOut]
    meetings: list[MeetingOut]
    deadlines: list[BlueCardDeadlineOut]


def _card_out(card: BlueCard) -> dict:
    return {
        "id": card.pk,
        "number": card.number,
        "status": card.status,
        "opened_on": card.opened_on,
        "circumstances": card.circumstances or "",
        "team_name": card.team_name,
        "sent_to_team_on": card.sent_to_team_on,
        "group_received_on": card.group_received_on,
        "closed_on": card.closed_on,
        "closing_reason": card.closing_reason,
        "participants": [
            {"id": p.pk, "person_id": p.person_id, "role": p.role} for p in card.participants.all()
        ],
        "forms": [
            {
                "id": f.pk,
                "kind": f.kind,
                "filled_on": f.filled_on,
                "participant_id": f.participant_id,
            }
            for f in card.forms.all()
        ],
        "members": [
            {
                "id": m.pk,
                "user_id": m.user_id,
                "name": m.name,
                "institution": m.institution,
                "function": m.function,
                "removed_on": m.removed_on,
            }
            for m in card.members.all()
        ],
        "meetings": [
            {"id": m.pk, "planned_on": m.planned_on, "held_on": m.held_on}
            for m in card.meetings.all()
        ],
        "deadlines": [
            {
                "code": d.code,
                "due_on": d.due_on,
                "done_on": d.done_on,
                "overdue": d.overdue,
                "late": d.late,
            }
            for d in selectors.blue_card_deadlines(blue_card=card, today=timezone.localdate())
        ],
    }


@router.post(
    "/blue-cards",
    response={201: BlueCardOut},
    summary="Open the Blue Card procedure (form A); 404 without the right to open one",
)
def blue_card_create(request, payload: BlueCardIn):
    user = request.user
    if not selectors.may_open_blue_card(user):
        raise Http404
    ids = [p.person_id for p in payload.participants]
    persons = {p.pk: p for p in person_queryset_for_user(user=user).filter(pk__in=ids)}
    if len(persons) != len(set(ids)):
        raise ValidationError({"participants": _("Unknown person.")})
    by_role: dict[str, list] = {role: [] for role in ParticipantRole.values}
    for p in payload.participants:
        by_role[p.role].append(persons[p.person_id])
    card = services.blue_card_open(
        actor=user,
        opened_on=payload.opened_on,
        circumstances=payload.circumstances,
        team_name=payload.team_name,
        sent_to_team_on=payload.sent_to_team_on,
        experiencing=by_role[ParticipantRole.EXPERIENCING],
        using=by_role[ParticipantRole.USING],
        child_witnesses=by_role[ParticipantRole.CHILD_WITNESS],
    )
    return Status(201, _card_out(card))


@router.get(
    "/blue-cards/{blue_card_id}",
    response=BlueCardOut,
    summary="One Blue Card; 404 unless the user is a member of it or the head",
)
def blue_card_detail(request, blue_card_id: ObjectId):
    card = selectors.blue_card_get_for_user(user=request.user, blue_card_id=blue_card_id)
    audit_record_view(actor=request.user, instance=card)
    return _card_out(card)
