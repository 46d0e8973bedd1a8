"""Reads of the shelter: the nightly board, availability, placements, flags."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from gops.accounts.models import User
from gops.benefits.models import Decision

from .models import Bed, Facility, NightRecord, Placement

# A person placed but not seen at the night count for this many nights is flagged.
NOT_SEEN_NIGHTS = 3


def facility_queryset_for_user(*, user: User) -> QuerySet[Facility]:
    if not user.is_authenticated or not user.has_perm("shelter.view_facility"):
        return Facility.objects.none()
    return Facility.objects.filter(centre_id=user.centre_id)


def facility_get_for_user(*, user: User, facility_id: int) -> Facility:
    facility = facility_queryset_for_user(user=user).filter(pk=facility_id).first()
    if facility is None:
        raise Http404
    return facility


def bed_get_for_user(*, user: User, bed_id: int) -> Bed:
    bed = (
        Bed.objects.filter(facility__in=facility_queryset_for_user(user=user), pk=bed_id)
        .select_related("facility")
        .first()
    )
    if bed is None:
        raise Http404
    return bed


def shelter_decision_get_for_user(*, user: User, decision_id: int) -> Decision:
    """A decision of the user's centre to place a person from. The coordinator places from a
    decision without reading it: the service checks it grants this person shelter."""
    if not user.is_authenticated or not user.has_perm("shelter.add_placement"):
        raise Http404
    decision = Decision.objects.filter(centre_id=user.centre_id, pk=decision_id).first()
    if decision is None:
        raise Http404
    return decision


def placement_queryset_for_user(*, user: User) -> QuerySet[Placement]:
    if not user.is_authenticated or not user.has_perm("shelter.view_placement"):
        return Placement.objects.none()
    return Placement.objects.filter(centre_id=user.centre_id)


def placement_get_for_user(*, user: User, placement_id: int) -> Placement:
    placement = (
        placement_queryset_for_user(user=user)
        .select_related("person", "bed", "facility")
        .filter(pk=placement_id)
        .first()
    )
    if placement is None:
        raise Http404
    return placement


def occupied_on(night: date) -> Q:
    """Placements that hold their bed on `night` (check-out is the morning after the last
    night)."""
    return Q(check_in__lte=night) & (Q(check_out__isnull=True) | Q(check_out__gt=night))


def usable_beds(*, night: date) -> Q:
    """Beds in use on `night`: not out of use, and within their season if seasonal."""
    return Q(out_of_use=False, facility__active=True) & (
        Q(season_from__isnull=True) | Q(season_from__lte=night, season_until__gte=night)
    )


def free_beds(
    *,
    facility_ids,
    night: date,
    sex: str | None = None,
    wheelchair: bool = False,
) -> QuerySet[Bed]:
    """Beds free on `night` (and not held by an open placement), fitting sex and access."""
    taken = Placement.objects.filter(bed=OuterRef("pk")).filter(
        occupied_on(night) | Q(check_out__isnull=True)
    )
    qs = Bed.objects.filter(usable_beds(night=night), facility_id__in=facility_ids).exclude(
        Exists(taken)
    )
    if sex:
        qs = qs.filter(sex__in=["any", sex], facility__admits__in=["any", sex])
    if wheelchair:
        qs = qs.filter(wheelchair_access=True)
    return qs.order_by("facility_id", "room", "label", "pk")


@dataclass
class BoardRow:
    facility: Facility
    beds: int = 0
    occupied: int = 0
    free: list[Bed] = field(default_factory=list)

    @property
    def free_count(self) -> int:
        return len(self.free)


def board(
    *,
    user: User,
    night: date,
    kind: str | None = None,
    sex: str | None = None,
    wheelchair: bool = False,
) -> list[BoardRow]:
    """The nightly board: per facility the usable beds, how many are taken, which are free."""
    facilities = facility_queryset_for_user(user=user).filter(active=True)
    if kind:
        facilities = facilities.filter(kind=kind)
    rows = {f.pk: BoardRow(facility=f) for f in facilities}
    for bed in Bed.objects.filter(usable_beds(night=night), facility_id__in=rows):
        rows[bed.facility_id].beds += 1
    occupied = Placement.objects.filter(occupied_on(night), facility_id__in=rows)
    for placement in occupied.only("facility_id"):
        rows[placement.facility_id].occupied += 1
    for bed in free_beds(facility_ids=list(rows), night=night, sex=sex, wheelchair=wheelchair):
        rows[bed.facility_id].free.append(bed)
    return list(rows.values())


def night_list(*, user: User, night: date) -> QuerySet[Placement]:
    """Who is expected where on `night`: the printable list for the night."""
    return (
        placement_queryset_for_user(user=user)
        .filter(occupied_on(night))
        .select_related("person", "bed", "facility")
        .order_by("facility__name", "bed__room", "bed__label")
    )


def not_seen(*, user: User, today: date, nights: int = NOT_SEEN_NIGHTS) -> QuerySet[Placement]:
    """Active placements whose person was not recorded present in the last `nights` nights."""
    since = today - timedelta(days=nights)
    seen = NightRecord.objects.filter(
        placement=OuterRef("pk"), present=True, night__gte=since, night__lt=today
    )
    return (
        placement_queryset_for_user(user=user)
        .filter(check_out__isnull=True, check_in__lte=since)
        .exclude(Exists(seen))
        .select_related("person", "facility", "bed")
    )
