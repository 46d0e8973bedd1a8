"""Demo shelter: three facilities with rooms and beds, the demo's homeless persons placed as
emergencies, a few past stays, the last nights counted and one programme for leaving
homelessness. Everything but the facilities and beds goes through the shelter services."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from gops.accounts.models import Centre, User
from gops.core.errors import ConflictError
from gops.people.models import Person
from gops.shelter import services as shelter_services
from gops.shelter.models import Admits, Bed, Facility, FacilityKind, Placement

COORDINATOR = "schronisko"
PAST_STAYS = 2
COUNTED_NIGHTS = 3


def _winter(today: date) -> tuple[date, date]:
    """The winter season (November to March) that `today` is in, or the coming one."""
    start = today.year if today.month >= 4 else today.year - 1
    return date(start, 11, 1), date(start + 1, 3, 31)


def _facilities_seed(*, centre: Centre, today: date) -> list[Facility]:
    winter_from, winter_until = _winter(today)
    night_shelter = Facility.objects.create(
        centre=centre,
        name="Noclegownia Gminna",
        kind=FacilityKind.NIGHT_SHELTER,
        street="ul. Kolejowa 12",
        postal_code=centre.postal_code,
        city=centre.city,
        phone="22 100 20 30",
        wheelchair_accessible=True,
    )
    shelter = Facility.objects.create(
        centre=centre,
        name="Schronisko im. św. Brata Alberta",
        kind=FacilityKind.HOMELESS_SHELTER,
        street="ul. Leśna 4",
        postal_code=centre.postal_code,
        city=centre.city,
        operator="Towarzystwo Pomocy im. św. Brata Alberta, Koło Terenowe",
        contract_price_per_night=Decimal("48.00"),
        contract_from=date(today.year, 1, 1),
        contract_until=date(today.year, 12, 31),
    )
    warming = Facility.objects.create(
        centre=centre,
        name="Ogrzewalnia przy Dworcu",
        kind=FacilityKind.WARMING_CENTRE,
        street="ul. Dworcowa 1",
        postal_code=centre.postal_code,
        city=centre.city,
        operator="Stowarzyszenie Ciepły Kąt",
        contract_price_per_night=Decimal("25.00"),
        contract_from=date(today.year, 1, 1),
        admits_intoxicated=True,
    )
    beds = []
    for room, sex, count in (("1", Admits.MALE, 4), ("2", Admits.MALE, 4), ("3", Admits.FEMALE, 3)):
        for number in range(1, count + 1):
            beds.append(Bed(facility=night_shelter, room=room, label=str(number), sex=sex))
    beds.append(Bed(facility=night_shelter, room="0", label="1", wheelchair_access=True))
    for number in range(1, 4):
        beds.append(
            Bed(
                facility=night_shelter,
                room="świetlica",
                label=f"Z{number}",
                season_from=winter_from,
                season_until=winter_until,
            )
        )
    for room, sex in (("A", Admits.MALE), ("B", Admits.MALE), ("C", Admits.FEMALE)):
        for number in range(1, 4):
            beds.append(Bed(facility=shelter, room=room, label=str(number), sex=sex))
    beds.append(
        Bed(
            facility=shelter,
            room="C",
            label="4",
            sex=Admits.FEMALE,
            out_of_use=True,
            out_of_use_reason="Zalany materac, czeka na wymianę",
        )
    )
    for number in range(1, 7):
        beds.append(
            Bed(
                facility=warming,
                room="sala",
                label=f"K{number}",
                wheelchair_access=number == 1,
                season_from=winter_from if number > 4 else None,
                season_until=winter_until if number > 4 else None,
            )
        )
    Bed.objects.bulk_create(beds)
    return [night_shelter, shelter, warming]


def _place(*, actor: User, person: Person, facilities: list[Facility], check_in: date):
    for facility in facilities:
        try:
            return shelter_services.placement_create(
                actor=actor, person=person, facility=facility, check_in=check_in, emergency=True
            )
        except ConflictError:
            continue
    return None


def shelter_seed(*, centre: Centre, staff: dict[str, User], today: date) -> int:
    """Facilities, placements and night counts of the demo (once). Returns placements made."""
    if Facility.objects.filter(centre=centre).exists():
        return 0
    coordinator = staff[COORDINATOR]
    # The services refuse dates that have not come yet.
    today = min(today, timezone.localdate())
    night_shelter, _shelter, warming = _facilities_seed(centre=centre, today=today)
    emergency = [night_shelter, warming]
    homeless = list(Person.objects.filter(centre=centre, homeless=True).order_by("pk"))
    made = 0
    for number, person in enumerate(homeless[:PAST_STAYS]):
        stay = _place(
            actor=coordinator,
            person=person,
            facilities=emergency,
            check_in=today - timedelta(days=40 - 10 * number),
        )
        if stay is not None:
            made += 1
            shelter_services.placement_checkout(
                actor=coordinator,
                placement=stay,
                on=stay.check_in + timedelta(days=7),
                reason="housing" if number == 0 else "left",
            )
    for number, person in enumerate(homeless):
        check_in = today - timedelta(days=COUNTED_NIGHTS + 2 + number % 5)
        made += (
            _place(actor=coordinator, person=person, facilities=emergency, check_in=check_in)
            is not None
        )
    current = list(Placement.objects.filter(centre=centre, check_out__isnull=True).order_by("pk"))
    # The last placed person has not been seen for the counted nights: the board flags them.
    absent = {current[-1].pk} if len(current) > 1 else set()
    for days_ago in range(COUNTED_NIGHTS, 0, -1):
        night = today - timedelta(days=days_ago)
        for facility in emergency:
            shelter_services.night_count_record(
                actor=coordinator,
                facility=facility,
                night=night,
                present_placement_ids={p.pk for p in current if p.pk not in absent},
            )
    if current:
        shelter_services.exit_plan_create(
            actor=coordinator,
            person=current[0].person,
            agreed_on=today - timedelta(days=2),
            goals="Wyjście z bezdomności: dowód osobisty, praca sezonowa, mieszkanie treningowe.",
            steps=[
                (
                    "documents",
                    "Wyrobić dowód osobisty w urzędzie gminy",
                    today + timedelta(days=14),
                ),
                ("work", "Rejestracja w powiatowym urzędzie pracy", today + timedelta(days=30)),
                ("housing", "Wniosek o mieszkanie treningowe", today + timedelta(days=90)),
            ],
        )
    return made
