"""Permission-checked reads of Blue Cards: the only way any code reads them.

A card is visible to the head (``bluecards.view_all_bluecards``) and to staff who are current
members of it (``BlueCardMember.user``, ``removed_on`` empty). To everyone else it does not
exist: 404, never 403, and no count or list mentions it.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from gops.accounts.models import User

from .models import BlueCard, BlueCardMember


def _is_member(user: User):
    return BlueCardMember.objects.filter(
        blue_card=OuterRef("pk"), user=user, removed_on__isnull=True
    )


def blue_card_queryset_for_user(*, user: User) -> QuerySet[BlueCard]:
    if not user.is_authenticated or not user.is_active or user.centre_id is None:
        return BlueCard.objects.none()
    qs = BlueCard.objects.filter(centre_id=user.centre_id)
    if user.has_perm("bluecards.view_all_bluecards"):
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
