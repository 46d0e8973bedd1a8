"""Writes of the Blue Card procedure: opening it with form A, the persons in it, forms B–D,
the team and group steps, the group's members and meetings, and closing it.

Every write is one transaction, checks that the actor may see the card (a current member or
the head, ``selectors``), validates everything before it writes anything, and is audited with
the card or its child object as the instance, so the entries are "bluecards.…" and hidden from
everyone but the head. The audit never holds the plain text of the encrypted fields or a name.
"""

import secrets
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from gops.accounts import roles
from gops.accounts.models import Centre, User
from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change, diff, snapshot
from gops.people.models import Person
from gops.people.selectors import person_queryset_for_user

from . import selectors
from .models import (
    BlueCard,
    BlueCardForm,
    BlueCardMeeting,
    BlueCardMember,
    BlueCardParticipant,
    BlueCardStatus,
    ClosingReason,
    FormKind,
    ParticipantRole,
)

# Written into the audit instead of the text of an encrypted field.
ENCRYPTED = "[encrypted]"
NUMBER_PREFIX = "NK"
# Staff who may be members of a card (besides external members recorded by name).
MEMBER_ROLES = (roles.SOCIAL_WORKER, roles.FAMILY_ASSISTANT, roles.HEAD)
# The forms recorded after opening, and whom each one concerns.
FORM_PARTICIPANT_ROLES = {
    FormKind.B: (ParticipantRole.EXPERIENCING, ParticipantRole.CHILD_WITNESS),
    FormKind.C: (ParticipantRole.EXPERIENCING, ParticipantRole.CHILD_WITNESS),
    FormKind.D: (ParticipantRole.USING,),
}
# Filled by the diagnostic-and-support group: only once the card has reached it.
GROUP_FORMS = (FormKind.C, FormKind.D)


# --- Checks shared by the services -----------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _require_card(actor: User, blue_card: BlueCard, perm: str) -> BlueCard:
    """The card, locked, if `actor` has `perm` and may see it; else PermissionDenied."""
    if not actor.has_perm(perm):
        raise PermissionDenied
    locked = (
        selectors.blue_card_queryset_for_user(user=actor)
        .select_for_update()
        .filter(pk=blue_card.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    return locked


def _require_open(blue_card: BlueCard) -> None:
    if blue_card.status != BlueCardStatus.OPEN:
        raise ValidationError(
            {"__all__": _("The procedure is closed: it can no longer be changed.")}
        )


def _not_in_future(errors: dict, field: str, value: date | None, today: date) -> None:
    if value is not None and value > today:
        errors.setdefault(field, []).append(_("The date cannot be in the future."))


def _not_before(errors: dict, field: str, value: date | None, start: date | None, msg) -> None:
    if value is not None and start is not None and value < start:
        errors.setdefault(field, []).append(msg)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def _encrypted_change(before: str | None, after: str | None) -> list | None:
    """The audit's old → new pair for an encrypted field, without the text."""
    if (before or "") == (after or ""):
        return None
    return [ENCRYPTED if before else None, ENCRYPTED if after else None]


def _visible_persons(actor: User, persons: Iterable[Person]) -> list[Person]:
    persons = list(persons)
    visible = set(
        person_queryset_for_user(user=actor)
        .filter(pk__in=[p.pk for p in persons])
        .values_list("pk", flat=True)
    )
    if any(p.pk not in visible for p in persons):
        raise ValidationError({"participants": _("Unknown person.")})
    return persons


def _is_minor(person: Person, on: date) -> bool | None:
    born = person.birth_date
    if not born:
        return None
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return years < 18


# Unambiguous letters and digits (no 0/O, 1/I).
NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
NUMBER_LENGTH = 6


def _next_number(centre_id: int, year: int) -> str:
    """A new NK/{year}/{6 random characters}.

    Random, not consecutive: a sequence would tell whoever opens a card how many others the
    centre has that they may not see. The unique constraint guards the (unlikely) repeat.
    """
    prefix = f"{NUMBER_PREFIX}/{year}/"
    while True:
        suffix = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))
        number = prefix + suffix
        if not BlueCard.objects.filter(centre_id=centre_id, number=number).exists():
            return number


def _compact(changes: dict) -> dict:
    """Audit changes without the entries that did not change (None)."""
    return {k: v for k, v in changes.items() if v is not None}


def _audit_participant(actor: User, participant: BlueCardParticipant) -> None:
    # Only the role: the person's name stays out of the audit trail.
    audit_record_change(
        actor=actor,
        instance=participant,
        action=AuditAction.CREATE,
        changes={"blue_card": [None, participant.blue_card_id], "role": [None, participant.role]},
    )


def _audit_member(actor: User, member: BlueCardMember, action: str, changes: dict) -> None:
    audit_record_change(actor=actor, instance=member, action=action, changes=changes)


# --- Opening: form A --------------------------------------------------------------------------


@transaction.atomic
def blue_card_open(
    *,
    actor: User,
    opened_on: date,
    circumstances: str,
    experiencing: Iterable[Person],
    using: Iterable[Person],
    child_witnesses: Iterable[Person] = (),
    team_name: str = "",
    sent_to_team_on: date | None = None,
) -> BlueCard:
    """Open the procedure with form A: a social worker, a family assistant or the head.

    No consent of the person experiencing violence is needed. At least one person experiencing
    and one using violence, all of them persons of the registry the actor may see; a child
    witnessing violence is optional. The actor becomes a member of the card.
    """
    if not selectors.may_open_blue_card(actor) or actor.centre_id is None:
        raise PermissionDenied
    today = _today()
    experiencing, using, child_witnesses = list(experiencing), list(using), list(child_witnesses)
    circumstances = _clean_text(circumstances)
    team_name = _clean_text(team_name)
    errors: dict[str, list] = {}
    if opened_on is None:
        errors.setdefault("opened_on", []).append(_("Give the date form A was filled in."))
    _not_in_future(errors, "opened_on", opened_on, today)
    _not_in_future(errors, "sent_to_team_on", sent_to_team_on, today)
    _not_before(
        errors,
        "sent_to_team_on",
        sent_to_team_on,
        opened_on,
        _("Form A cannot be sent to the team before it was filled in."),
    )
    if not circumstances:
        errors.setdefault("circumstances", []).append(
            _("Describe the circumstances, as on form A.")
        )
    if not experiencing:
        errors.setdefault("participants", []).append(
            _("Choose at least one person experiencing violence.")
        )
    if not using:
        errors.setdefault("participants", []).append(
            _("Choose at least one person using violence.")
        )
    everyone = experiencing + using + child_witnesses
    if len({p.pk for p in everyone}) != len(everyone):
        errors.setdefault("participants", []).append(
            _("A person can have only one role in the procedure.")
        )
    for child in child_witnesses:
        if opened_on and _is_minor(child, opened_on) is False:
            errors.setdefault("participants", []).append(
                _("A child witnessing violence must be under 18.")
            )
            break
    _raise(errors)
    _visible_persons(actor, everyone)

    # Numbers are consecutive per centre and year: the centre row serialises the openings
    # (the unique constraint is the last guard).
    centre = Centre.objects.select_for_update().get(pk=actor.centre_id)
    card = BlueCard.objects.create(
        centre=centre,
        number=_next_number(centre.pk, opened_on.year),
        opened_on=opened_on,
        opened_by=actor,
        circumstances=circumstances,
        team_name=team_name,
        sent_to_team_on=sent_to_team_on,
    )
    audit_record_change(
        actor=actor,
        instance=card,
        action=AuditAction.CREATE,
        changes=_compact(
            {
                "number": [None, card.number],
                "opened_on": [None, opened_on.isoformat()],
                "circumstances": [None, ENCRYPTED],
                "team_name": [None, team_name] if team_name else None,
                "sent_to_team_on": [None, sent_to_team_on.isoformat()] if sent_to_team_on else None,
            }
        ),
    )
    form_a = BlueCardForm.objects.create(
        blue_card=card, kind=FormKind.A, filled_on=opened_on, recorded_by=actor
    )
    audit_record_change(
        actor=actor,
        instance=form_a,
        action=AuditAction.CREATE,
        changes={"blue_card": [None, card.pk], "kind": [None, FormKind.A]},
    )
    for role, persons in (
        (ParticipantRole.EXPERIENCING, experiencing),
        (ParticipantRole.USING, using),
        (ParticipantRole.CHILD_WITNESS, child_witnesses),
    ):
        for person in persons:
            _audit_participant(
                actor,
                BlueCardParticipant.objects.create(blue_card=card, person=person, role=role),
            )
    member = BlueCardMember.objects.create(
        blue_card=card,
        user=actor,
        name=actor.get_full_name() or actor.username,
        institution=centre.name,
        function=_("opened the procedure"),
    )
    _audit_member(actor, member, AuditAction.CREATE, {"user": [None, actor.pk]})
    return card


@transaction.atomic
def blue_card_update(
    *,
    actor: User,
    blue_card: BlueCard,
    circumstances: str,
    team_name: str = "",
    sent_to_team_on: date | None = None,
    group_received_on: date | None = None,
) -> BlueCard:
    """Correct form A's text and record the team and group steps (LAW.md §6 deadlines)."""
    card = _require_card(actor, blue_card, "bluecards.change_bluecard")
    _require_open(card)
    today = _today()
    circumstances = _clean_text(circumstances)
    team_name = _clean_text(team_name)
    errors: dict[str, list] = {}
    if not circumstances:
        errors.setdefault("circumstances", []).append(
            _("Describe the circumstances, as on form A.")
        )
    _not_in_future(errors, "sent_to_team_on", sent_to_team_on, today)
    _not_in_future(errors, "group_received_on", group_received_on, today)
    _not_before(
        errors,
        "sent_to_team_on",
        sent_to_team_on,
        card.opened_on,
        _("Form A cannot be sent to the team before it was filled in."),
    )
    if group_received_on is not None and sent_to_team_on is None:
        errors.setdefault("group_received_on", []).append(
            _("First record when form A was sent to the team.")
        )
    _not_before(
        errors,
        "group_received_on",
        group_received_on,
        sent_to_team_on,
        _("The group cannot receive the card before the team did."),
    )
    first_meeting = card.meetings.aggregate(first=Min("held_on"))["first"]
    if group_received_on is None and card.meetings.exists():
        errors.setdefault("group_received_on", []).append(
            _("The group has meetings: give the date it received the card.")
        )
    if first_meeting and group_received_on and first_meeting < group_received_on:
        errors.setdefault("group_received_on", []).append(
            _("The group cannot have met before it received the card.")
        )
    _raise(errors)
    fields = ["team_name", "sent_to_team_on", "group_received_on"]
    before = snapshot(card, fields)
    old_text = card.circumstances
    card.circumstances = circumstances
    card.team_name = team_name
    card.sent_to_team_on = sent_to_team_on
    card.group_received_on = group_received_on
    card.save()
    changes = diff(before, snapshot(card, fields))
    if text_change := _encrypted_change(old_text, circumstances):
        changes["circumstances"] = text_change
    audit_record_change(actor=actor, instance=card, action=AuditAction.UPDATE, changes=changes)
    return card


# --- Persons in the procedure --------------------------------------------------------------


@transaction.atomic
def blue_card_participant_add(
    *, actor: User, blue_card: BlueCard, person: Person, role: str
) -> BlueCardParticipant:
    """Add a person of the registry (one the actor may see) to the procedure in `role`."""
    card = _require_card(actor, blue_card, "bluecards.add_bluecardparticipant")
    _require_open(card)
    if role not in ParticipantRole.values:
        raise ValidationError({"role": _("Choose the person's role in the procedure.")})
    _visible_persons(actor, [person])
    if card.participants.filter(person=person).exists():
        raise ValidationError({"person": _("The person is already in the procedure.")})
    if role == ParticipantRole.CHILD_WITNESS and _is_minor(person, _today()) is False:
        raise ValidationError({"role": _("A child witnessing violence must be under 18.")})
    participant = BlueCardParticipant.objects.create(blue_card=card, person=person, role=role)
    _audit_participant(actor, participant)
    return participant


# --- Forms B, C and D ------------------------------------------------------------------------


@transaction.atomic
def blue_card_form_record(
    *,
    actor: User,
    blue_card: BlueCard,
    kind: str,
    participant: BlueCardParticipant,
    filled_on: date,
    content: str = "",
) -> BlueCardForm:
    """Record form B (given to a person experiencing violence), C (filled by the group with
    that person) or D (filled by the group with the person using violence)."""
    card = _require_card(actor, blue_card, "bluecards.add_bluecardform")
    _require_open(card)
    errors: dict[str, list] = {}
    if kind not in FORM_PARTICIPANT_ROLES:
        errors.setdefault("kind", []).append(_("Choose form B, C or D."))
        _raise(errors)
    if participant is None or participant.blue_card_id != card.pk:
        errors.setdefault("participant", []).append(_("Choose a person of this procedure."))
    elif participant.role not in FORM_PARTICIPANT_ROLES[kind]:
        errors.setdefault("participant", []).append(
            _("Form D concerns the person using violence; forms B and C a person experiencing it.")
        )
    if filled_on is None:
        errors.setdefault("filled_on", []).append(_("Give the date."))
    _not_in_future(errors, "filled_on", filled_on, _today())
    _not_before(
        errors,
        "filled_on",
        filled_on,
        card.opened_on,
        _("The form cannot be dated before the procedure was opened."),
    )
    if kind in GROUP_FORMS:
        if card.group_received_on is None:
            errors.setdefault("kind", []).append(
                _("Forms C and D are filled by the group: first record when it received the card.")
            )
        else:
            _not_before(
                errors,
                "filled_on",
                filled_on,
                card.group_received_on,
                _("The group cannot fill the form before it received the card."),
            )
    _raise(errors)
    content = _clean_text(content)
    form = BlueCardForm.objects.create(
        blue_card=card,
        kind=kind,
        participant=participant,
        filled_on=filled_on,
        content=content or None,
        recorded_by=actor,
    )
    audit_record_change(
        actor=actor,
        instance=form,
        action=AuditAction.CREATE,
        changes=_compact(
            {
                "blue_card": [None, card.pk],
                "kind": [None, kind],
                "participant": [None, participant.pk],
                "filled_on": [None, filled_on.isoformat()],
                "content": [None, ENCRYPTED] if content else None,
            }
        ),
    )
    return form


# --- Members of the group ------------------------------------------------------------------


def _may_be_member(user: User, centre_id: int) -> bool:
    return (
        user.is_active
        and user.centre_id == centre_id
        and user.groups.filter(name__in=MEMBER_ROLES).exists()
    )


@transaction.atomic
def blue_card_member_add(
    *,
    actor: User,
    blue_card: BlueCard,
    user: User | None = None,
    name: str = "",
    institution: str = "",
    function: str = "",
) -> BlueCardMember:
    """Add a member: staff of the centre (who then sees the card) or, without `user`, an
    external member of the group by name and institution (police, school, health care)."""
    card = _require_card(actor, blue_card, "bluecards.add_bluecardmember")
    _require_open(card)
    name, institution, function = _clean_text(name), _clean_text(institution), _clean_text(function)
    if user is not None:
        if not _may_be_member(user, card.centre_id):
            raise ValidationError(
                {"user": _("Only a social worker, a family assistant or the head can be a member.")}
            )
        if card.members.filter(user=user, removed_on__isnull=True).exists():
            raise ValidationError({"user": _("This person is already a member.")})
        name = name or user.get_full_name() or user.username
        institution = institution or card.centre.name
    else:
        errors: dict[str, list] = {}
        if not name:
            errors.setdefault("name", []).append(_("Give the member's name."))
        if not institution:
            errors.setdefault("institution", []).append(_("Give the member's institution."))
        _raise(errors)
    member = BlueCardMember.objects.create(
        blue_card=card, user=user, name=name, institution=institution, function=function
    )
    # External members' names are personal data of third parties: only the institution.
    _audit_member(
        actor,
        member,
        AuditAction.CREATE,
        {
            "blue_card": [None, card.pk],
            "user": [None, user.pk if user else None],
            "institution": [None, institution],
        },
    )
    return member


@transaction.atomic
def blue_card_member_remove(
    *, actor: User, member: BlueCardMember, removed_on: date | None = None
) -> BlueCardMember:
    """End a membership: a member of staff no longer sees the card from then on."""
    card = _require_card(actor, member.blue_card, "bluecards.change_bluecardmember")
    member = BlueCardMember.objects.select_for_update().get(pk=member.pk, blue_card=card)
    if member.removed_on is not None:
        raise ValidationError({"__all__": _("The member has already been removed.")})
    removed_on = removed_on or _today()
    if member.user_id is not None and not (
        card.members.filter(user__isnull=False, removed_on__isnull=True)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ValidationError({"__all__": _("The card must keep at least one member of staff.")})
    member.removed_on = removed_on
    member.save(update_fields=["removed_on", "updated_at"])
    _audit_member(actor, member, AuditAction.UPDATE, {"removed_on": [None, removed_on.isoformat()]})
    return member


# --- Meetings of the group -----------------------------------------------------------------


def _require_group(card: BlueCard) -> None:
    if card.group_received_on is None:
        raise ValidationError(
            {"__all__": _("The group meets once it has received the card: record that date first.")}
        )


@transaction.atomic
def blue_card_meeting_plan(
    *, actor: User, blue_card: BlueCard, planned_on: date
) -> BlueCardMeeting:
    """Plan a meeting of the diagnostic-and-support group, today or later."""
    card = _require_card(actor, blue_card, "bluecards.add_bluecardmeeting")
    _require_open(card)
    _require_group(card)
    if planned_on is None:
        raise ValidationError({"planned_on": _("Give the date of the meeting.")})
    if planned_on < _today():
        raise ValidationError(
            {"planned_on": _("A meeting can be planned only for today or a later day.")}
        )
    meeting = BlueCardMeeting.objects.create(
        blue_card=card, planned_on=planned_on, recorded_by=actor
    )
    audit_record_change(
        actor=actor,
        instance=meeting,
        action=AuditAction.CREATE,
        changes={"blue_card": [None, card.pk], "planned_on": [None, planned_on.isoformat()]},
    )
    return meeting


@transaction.atomic
def blue_card_meeting_record(
    *,
    actor: User,
    blue_card: BlueCard,
    held_on: date,
    attendees: str = "",
    minutes: str = "",
    meeting: BlueCardMeeting | None = None,
) -> BlueCardMeeting:
    """Record that the group met: a planned `meeting`, or (without it) one not planned here."""
    card = _require_card(actor, blue_card, "bluecards.change_bluecardmeeting")
    _require_open(card)
    _require_group(card)
    if meeting is not None:
        meeting = (
            BlueCardMeeting.objects.select_for_update()
            .filter(pk=meeting.pk, blue_card=card)
            .first()
        )
        if meeting is None:
            raise PermissionDenied
    errors: dict[str, list] = {}
    if held_on is None:
        errors.setdefault("held_on", []).append(_("Give the date of the meeting."))
    _not_in_future(errors, "held_on", held_on, _today())
    _not_before(
        errors,
        "held_on",
        held_on,
        card.group_received_on,
        _("The group cannot have met before it received the card."),
    )
    _raise(errors)
    attendees, minutes = _clean_text(attendees), _clean_text(minutes)
    if meeting is None:
        meeting = BlueCardMeeting(blue_card=card, planned_on=held_on, recorded_by=actor)
        action = AuditAction.CREATE
        old_minutes = None
        before = {}
    else:
        action = AuditAction.UPDATE
        old_minutes = meeting.minutes
        before = snapshot(meeting, ["held_on", "attendees"])
    meeting.held_on = held_on
    meeting.attendees = attendees[:500]
    meeting.minutes = minutes or None
    meeting.save()
    # Who attended may name people from outside the centre: recorded as changed, not copied.
    changes = diff(before, {"held_on": held_on.isoformat()})
    if before.get("attendees", "") != meeting.attendees:
        changes["attendees"] = ["[…]" if before.get("attendees") else None, "[…]"]
    if text_change := _encrypted_change(old_minutes, meeting.minutes):
        changes["minutes"] = text_change
    if action == AuditAction.CREATE:
        changes["blue_card"] = [None, card.pk]
    audit_record_change(actor=actor, instance=meeting, action=action, changes=changes)
    return meeting


# --- Closing ---------------------------------------------------------------------------------


@transaction.atomic
def blue_card_close(
    *, actor: User, blue_card: BlueCard, closed_on: date, reason: str, note: str = ""
) -> BlueCard:
    """Close the procedure on one of the two statutory grounds (art. 9d ust. 10)."""
    card = _require_card(actor, blue_card, "bluecards.change_bluecard")
    _require_open(card)
    errors: dict[str, list] = {}
    if reason not in ClosingReason.values:
        errors.setdefault("reason", []).append(_("Choose the reason for closing."))
    if closed_on is None:
        errors.setdefault("closed_on", []).append(_("Give the date of closing."))
    _not_in_future(errors, "closed_on", closed_on, _today())
    _not_before(
        errors,
        "closed_on",
        closed_on,
        card.opened_on,
        _("The procedure cannot be closed before it was opened."),
    )
    _raise(errors)
    note = _clean_text(note)
    card.status = BlueCardStatus.CLOSED
    card.closed_on = closed_on
    card.closing_reason = reason
    card.closing_note = note or None
    card.save()
    audit_record_change(
        actor=actor,
        instance=card,
        action=AuditAction.UPDATE,
        changes=_compact(
            {
                "status": [BlueCardStatus.OPEN, BlueCardStatus.CLOSED],
                "closed_on": [None, closed_on.isoformat()],
                "closing_reason": [None, reason],
                "closing_note": [None, ENCRYPTED] if note else None,
            }
        ),
    )
    return card
