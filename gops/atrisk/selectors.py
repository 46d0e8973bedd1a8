"""Permission-checked reads of the lists of people at risk.

A row is visible to a user who may see its person (people.selectors.person_queryset_for_user);
a row of the Blue Card list only to a user who may also see that card (the card's members and
the head): to anyone else the row, and its count, do not exist.
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from gops.accounts.models import User
from gops.bluecards.selectors import blue_card_queryset_for_user
from gops.people.selectors import person_queryset_for_user

from .models import AtRiskEntry, ListCode

# Which rows a page shows.
STATUS_OPEN = "open"  # still applies, not handled
STATUS_HANDLED = "handled"
STATUS_ENDED = "ended"  # no longer applies, never handled
STATUSES = (STATUS_OPEN, STATUS_HANDLED, STATUS_ENDED)


def atrisk_entries_for_user(user: User, list_code: str | None = None) -> QuerySet[AtRiskEntry]:
    if not user.is_authenticated or not user.has_perm("atrisk.view_atriskentry"):
        return AtRiskEntry.objects.none()
    qs = AtRiskEntry.objects.filter(
        centre_id=user.centre_id,
        person__in=person_queryset_for_user(user=user).values("pk"),
    ).filter(
        ~Q(list_code=ListCode.CHILD_BLUE_CARD)
        | Q(blue_card__in=blue_card_queryset_for_user(user=user).values("pk"))
    )
    if list_code is not None:
        qs = qs.filter(list_code=list_code)
    return qs


def filter_status(qs: QuerySet[AtRiskEntry], status: str) -> QuerySet[AtRiskEntry]:
    if status == STATUS_HANDLED:
        return qs.filter(handled_on__isnull=False)
    if status == STATUS_ENDED:
        return qs.filter(still_applies=False, handled_on__isnull=True)
    return qs.filter(still_applies=True, handled_on__isnull=True)


def atrisk_counts_for_user(user: User, status: str = STATUS_OPEN) -> dict[str, int]:
    """Rows per list that `user` may see (every list present, zero when empty)."""
    counts = dict.fromkeys(ListCode.values, 0)
    rows = (
        filter_status(atrisk_entries_for_user(user), status)
        .order_by()
        .values("list_code")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["list_code"]] = row["n"]
    return counts


def atrisk_entry_list_for_user(
    user: User, *, list_code: str | None = None, status: str = STATUS_OPEN
) -> QuerySet[AtRiskEntry]:
    return (
        filter_status(atrisk_entries_for_user(user, list_code), status)
        .select_related("person", "household", "handled_by")
        .order_by("first_found_on", "person__surnames_search", "id")
    )


def atrisk_entry_get_for_user(user: User, entry_id: int) -> AtRiskEntry:
    entry = atrisk_entries_for_user(user).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry
