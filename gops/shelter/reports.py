"""Money and statistics of the shelter: monthly cost per facility, amounts to claim from other
gminas (u.p.s. art. 101 ust. 2 and 7), occupancy, length of stay, departures to housing.

Which nights are paid for: for a facility and a night with a night count (any NightRecord of
that facility and night), the nights of the persons recorded present; for a night without a
count, every placement that held a bed that night. A count is the better evidence, and a night
nobody counted is still a night the operator will invoice.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gops.accounts.models import User

from .models import Bed, CheckoutReason, Facility, NightRecord, Placement
from .selectors import facility_queryset_for_user

ZERO = Decimal("0.00")


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the month of `month`."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _nights(first: date, last: date):
    night = first
    while night <= last:
        yield night
        night += timedelta(days=1)


@dataclass
class StayNights:
    """The paid nights of one placement within a month."""

    placement: Placement
    nights: int
    price: Decimal | None  # the facility's contract price per night

    @property
    def cost(self) -> Decimal:
        return (self.price or ZERO) * self.nights

    @property
    def fees(self) -> Decimal:
        return (self.placement.fee_per_night or ZERO) * self.nights


def stay_nights(*, user: User, month: date) -> list[StayNights]:
    """Paid nights per placement in the month (see the module docstring for the rule), up to
    and including tonight: nights still to come are not paid for yet."""
    first, last = month_bounds(month)
    last = min(last, timezone.localdate())
    facilities = facility_queryset_for_user(user=user)
    placements = list(
        Placement.objects.filter(facility__in=facilities, check_in__lte=last)
        .filter(Q(check_out__isnull=True) | Q(check_out__gt=first))
        .select_related("facility", "person")
        .order_by("facility__name", "check_in", "pk")
    )
    records = NightRecord.objects.filter(
        facility__in=facilities, night__gte=first, night__lte=last
    ).values_list("facility_id", "night", "placement_id", "present")
    counted: set[tuple[int, date]] = set()
    present: set[tuple[int, date]] = set()
    for facility_id, night, placement_id, here in records:
        counted.add((facility_id, night))
        if here:
            present.add((placement_id, night))
    result = []
    for placement in placements:
        # Check-out is the morning after the last night.
        until = min(last, placement.check_out - timedelta(days=1)) if placement.check_out else last
        nights = sum(
            1
            for night in _nights(max(first, placement.check_in), until)
            if (placement.facility_id, night) not in counted or (placement.pk, night) in present
        )
        if nights:
            result.append(
                StayNights(placement, nights, placement.facility.contract_price_per_night)
            )
    return result


@dataclass
class FacilityCost:
    facility: Facility
    nights: int = 0
    cost: Decimal = ZERO


def facility_costs(*, user: User, month: date) -> list[FacilityCost]:
    """Monthly cost per facility (nights × contract price), to check the operator's invoice."""
    rows = {f.pk: FacilityCost(f) for f in facility_queryset_for_user(user=user)}
    for stay in stay_nights(user=user, month=month):
        row = rows[stay.placement.facility_id]
        row.nights += stay.nights
        row.cost += stay.cost
    return [row for row in rows.values() if row.nights or row.facility.active]


@dataclass
class GminaClaim:
    gmina: str
    persons: set[int] = field(default_factory=set)
    nights: int = 0
    cost: Decimal = ZERO
    fees: Decimal = ZERO

    @property
    def claim(self) -> Decimal:
        return max(self.cost - self.fees, ZERO)


def gmina_claims(*, user: User, month: date) -> tuple[list[GminaClaim], GminaClaim]:
    """What to claim from the gmina of each person's last permanent registration
    (u.p.s. art. 101 ust. 2 and 7): cost of the nights less the person's own fees.

    The gmina is approximated by Person.registered_city (the registry keeps the town of the
    permanent registration, not the gmina's TERYT code). Persons registered in the centre's
    own gmina, or with no registration recorded, are not claimed from anyone: they come back
    as the second value, to be looked at by hand.
    """
    own = (user.centre.municipality or "").strip().casefold()
    claims: dict[str, GminaClaim] = {}
    unclaimed = GminaClaim(gmina="")
    for stay in stay_nights(user=user, month=month):
        gmina = stay.placement.person.registered_city.strip()
        if not gmina or gmina.casefold() == own:
            row = unclaimed
        else:
            row = claims.setdefault(gmina.casefold(), GminaClaim(gmina=gmina))
        row.persons.add(stay.placement.person_id)
        row.nights += stay.nights
        row.cost += stay.cost
        row.fees += stay.fees
    return sorted(claims.values(), key=lambda c: c.gmina.casefold()), unclaimed


def gmina_claims_csv(*, user: User, months: list[date]) -> str:
    """The claims per gmina and month as CSV (semicolon-separated, as Polish Excel opens it)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [_("month"), _("gmina"), _("persons"), _("nights"), _("cost"), _("fees"), _("to claim")]
    )
    for month in months:
        claims, _unclaimed = gmina_claims(user=user, month=month)
        for c in claims:
            writer.writerow(
                [f"{month:%Y-%m}", c.gmina, len(c.persons), c.nights, c.cost, c.fees, c.claim]
            )
    return out.getvalue()


@dataclass
class MonthStatistics:
    bed_nights: int  # usable beds summed over the nights of the month
    occupied_nights: int  # placements holding a bed, summed over the nights
    stays_ended: int
    average_stay_days: Decimal | None
    left_for_housing: int

    @property
    def occupancy_rate(self) -> Decimal | None:
        if not self.bed_nights:
            return None
        return (Decimal(100) * self.occupied_nights / self.bed_nights).quantize(Decimal("0.1"))


def month_statistics(*, user: User, month: date) -> MonthStatistics:
    """Occupancy rate, average length of the stays that ended, departures to housing.

    Beds count as they are now (out of use today means out of use all month): the registry does
    not keep the history of taking a bed out of use. Seasonal beds count within their season.
    Nights count up to tonight.
    """
    first, last = month_bounds(month)
    facilities = facility_queryset_for_user(user=user)
    beds = list(
        Bed.objects.filter(
            facility__in=facilities, out_of_use=False, facility__active=True
        ).values_list("season_from", "season_until")
    )
    placements = Placement.objects.filter(facility__in=facilities)
    stays = list(
        placements.filter(check_in__lte=last)
        .filter(Q(check_out__isnull=True) | Q(check_out__gt=first))
        .values_list("check_in", "check_out")
    )
    bed_nights = occupied_nights = 0
    for night in _nights(first, min(last, timezone.localdate())):
        bed_nights += sum(1 for s, u in beds if s is None or s <= night <= u)
        # Check-out is the morning after the last night (as selectors.occupied_on).
        occupied_nights += sum(1 for i, o in stays if i <= night and (o is None or o > night))
    ended = list(
        placements.filter(check_out__gte=first, check_out__lte=last).values_list(
            "check_in", "check_out", "checkout_reason"
        )
    )
    average = None
    if ended:
        average = (Decimal(sum((out - in_).days for in_, out, _r in ended)) / len(ended)).quantize(
            Decimal("0.1")
        )
    return MonthStatistics(
        bed_nights=bed_nights,
        occupied_nights=occupied_nights,
        stays_ended=len(ended),
        average_stay_days=average,
        left_for_housing=sum(1 for *_x, r in ended if r == CheckoutReason.HOUSING),
    )
