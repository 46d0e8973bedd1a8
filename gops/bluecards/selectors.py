"""Permission-checked reads of Blue Cards: the only way any code reads them.

A card is visible to the head (``bluecards.view_all_bluecards``) and to staff who are current
members of it (``BlueCardMember.user``, ``removed_on`` empty). To everyone else it does not
exist: 404, never 403, and no count or list mentions it.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from gops.accounts import roles
from gops.accounts.models import User
from gops.people.selectors import person_search

from . import rules
from .models import BlueCard, BlueCardMeeting, BlueCardMember, BlueCardParticipant, BlueCardStatus


def sees_every_blue_card(user: User) -> bool:
    """The head sees every card. A superuser (a break-glass account, which has every
    permission) does not, unless they hold the head's role: superuser is no role."""
    if not user.has_perm("bluecards.view_all_bluecards"):
        return False
    return not user.is_superuser or user.has_role(roles.HEAD)


def _is_member(user: User):
    return BlueCardMember.objects.filter(
        blue_card=OuterRef("pk"), user=user, removed_on__isnull=True
    )


def blue_card_queryset_for_user(*, user: User) -> QuerySet[BlueCard]:
    if not user.is_authenticated or not user.is_active or user.centre_id is None:
        return BlueCard.objects.none()
    qs = BlueCard.objects.filter(centre_id=user.centre_id)
    if sees_every_blue_card(user):
        return qs
    if not user.has_perm("bluecards.view_bluecard"):
        return BlueCard.objects.none()
    return qs.filter(Exists(_is_member(user)))


def blue_card_get_for_user(*, user: User, blue_card_id: int) -> BlueCard:
    """The card if `user` may see it, else 404 (the same answer as for a card that never was)."""
    card = (
        blue_card_queryset_for_user(user=user)
        .select_related("opened_by")
        .filter(pk=blue_card_id)
        .first()
    )
    if card is None:
        raise Http404
    return card


def blue_cards_of_person(*, user: User, person_id: int) -> QuerySet[BlueCard]:
    """Cards naming the person that `user` may see (for the panel on the person's page)."""
    return (
        blue_card_queryset_for_user(user=user).filter(participants__person_id=person_id).distinct()
    )


def may_open_blue_card(user: User) -> bool:
    """Form A may be filled by a social worker or a family assistant (and the head)."""
    return user.is_authenticated and user.has_perm("bluecards.add_bluecard")


# --- Lists, search and deadlines (the pages and the API read cards only through these) ------


def _first_meeting_on():
    return Subquery(
        BlueCardMeeting.objects.filter(blue_card=OuterRef("pk"), held_on__isnull=False)
        .order_by("held_on")
        .values("held_on")[:1]
    )


def blue_card_list_for_user(
    *, user: User, query: str = "", status: str | None = None
) -> QuerySet[BlueCard]:
    """The cards `user` may see, newest first, with ``first_meeting_on`` annotated.

    `query` finds a card by its number or by a person in it; persons are matched through the
    registry search, so only persons `user` may see in the registry can be searched for.
    """
    qs = (
        blue_card_queryset_for_user(user=user)
        .select_related("opened_by")
        .annotate(first_meeting_on=_first_meeting_on())
    )
    if status:
        qs = qs.filter(status=status)
    query = (query or "").strip()
    if query:
        persons = person_search(user=user, query=query).values("pk")
        qs = qs.filter(
            Q(number__icontains=query)
            | Exists(
                BlueCardParticipant.objects.filter(blue_card=OuterRef("pk"), person__in=persons)
            )
        )
    return qs


@dataclass(frozen=True)
class DeadlineState:
    """A statutory deadline of one card as the pages show it."""

    code: str
    due_on: date | None
    done_on: date | None
    # Not done and past its day (never on a closed card).
    overdue: bool
    # Done, but after its day.
    late: bool


def blue_card_deadlines(*, blue_card: BlueCard, today: date) -> list[DeadlineState]:
    """The three deadlines of LAW.md §6 with their flags; the first meeting is the earliest
    meeting held (``first_meeting_on`` when annotated by ``blue_card_list_for_user``)."""
    if hasattr(blue_card, "first_meeting_on"):
        first_meeting_on = blue_card.first_meeting_on
    else:
        first_meeting_on = blue_card.meetings.filter(held_on__isnull=False).aggregate(
            first=Min("held_on")
        )["first"]
    is_open = blue_card.status == BlueCardStatus.OPEN
    return [
        DeadlineState(
            code=d.code,
            due_on=d.due_on,
            done_on=d.done_on,
            overdue=is_open and d.done_on is None and d.overdue(today),
            late=d.late(),
        )
        for d in rules.deadlines(
            opened_on=blue_card.opened_on,
            sent_to_team_on=blue_card.sent_to_team_on,
            group_received_on=blue_card.group_received_on,
            first_meeting_on=first_meeting_on,
        )
    ]


def staff_who_may_be_members(*, blue_card: BlueCard) -> QuerySet[User]:
    """Active staff of the card's centre who may be added as members and are not members now."""
    current = BlueCardMember.objects.filter(
        blue_card=blue_card, user=OuterRef("pk"), removed_on__isnull=True
    )
    return (
        User.objects.filter(
            centre_id=blue_card.centre_id,
            is_active=True,
            groups__name__in=[roles.SOCIAL_WORKER, roles.FAMILY_ASSISTANT, roles.HEAD],
        )
        .exclude(Exists(current))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
