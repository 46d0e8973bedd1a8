"""Demo Blue Cards: three procedures opened by pracownik1, written through the services.

One with form A not yet sent to the interdisciplinary team (the deadline overdue), one at the
diagnostic-and-support group (a meeting held, forms B, C and D, the family assistant and two
external members, the next meeting planned), one closed. The persons are adults of
pracownik1's district who live together (a child of the household as a witness when there is
one). Every text is invented. Runs once: nothing is added when the centre has cards.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from gops.accounts.models import Centre, User
from gops.bluecards import services
from gops.bluecards.models import BlueCard, ClosingReason, ParticipantRole
from gops.people.models import HouseholdMembership, Person

TEAM = "Zespół Interdyscyplinarny w Lipowcu"


@dataclass(frozen=True)
class Family:
    experiencing: Person
    using: Person
    child: Person | None


def _age(person: Person, on: date) -> int | None:
    born = person.birth_date
    if not born:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _families(*, centre: Centre, worker: User, today: date) -> list[Family]:
    """Households of the worker's district with two adults, in a stable order."""
    memberships = (
        HouseholdMembership.objects.filter(
            household__centre=centre,
            household__district_id=worker.district_id,
            left_on__isnull=True,
            person__homeless=False,
        )
        .select_related("person")
        .order_by("household_id", "id")
    )
    by_household: dict[int, list[Person]] = {}
    for membership in memberships:
        by_household.setdefault(membership.household_id, []).append(membership.person)
    families = []
    for persons in by_household.values():
        adults = [p for p in persons if (_age(p, today) or 0) >= 18]
        children = [p for p in persons if (_age(p, today) or 99) < 18]
        if len(adults) < 2:
            continue
        # The person experiencing violence: a woman when there is one (the common case).
        women = [p for p in adults if p.sex == "F"]
        experiencing = women[0] if women else adults[1]
        using = next(p for p in adults if p.pk != experiencing.pk)
        families.append(Family(experiencing, using, children[0] if children else None))
    return families


def _form_a(*, worker, family: Family, opened_on: date, circumstances: str, **kwargs):
    return services.blue_card_open(
        actor=worker,
        opened_on=opened_on,
        circumstances=circumstances,
        experiencing=[family.experiencing],
        using=[family.using],
        child_witnesses=[family.child] if family.child else [],
        team_name=TEAM,
        **kwargs,
    )


@transaction.atomic
def bluecards_seed(*, centre: Centre, staff: dict[str, User], today: date) -> None:
    """Three demo cards of pracownik1 (see the module); idempotent."""
    if BlueCard.objects.filter(centre=centre).exists():
        return
    # The services refuse dates after the real today.
    today = min(today, timezone.localdate())
    worker, assistant = staff["pracownik1"], staff["asystent"]
    families = _families(centre=centre, worker=worker, today=today)
    if not families:
        return

    def family(i: int) -> Family:
        return families[i % len(families)]

    # 1. Form A filled two weeks ago and not yet sent to the team: overdue.
    _form_a(
        worker=worker,
        family=family(0),
        opened_on=today - timedelta(days=14),
        circumstances=(
            "Podczas wizyty w środowisku pani zgłosiła, że partner od kilku miesięcy "
            "wszczyna awantury pod wpływem alkoholu, wyzywa ją i zabiera pieniądze na "
            "życie. Dziecko było obecne przy ostatniej kłótni. (Dane fikcyjne – demo.)"
        ),
    )

    # 2. At the group: a meeting held, forms B, C and D, members, the next meeting planned.
    opened = today - timedelta(days=21)
    card = _form_a(
        worker=worker,
        family=family(1),
        opened_on=opened,
        sent_to_team_on=opened + timedelta(days=2),
        circumstances=(
            "Interwencja policji w nocy z soboty na niedzielę: zgłoszenie sąsiadów o "
            "krzykach i uderzeniach. Pani miała zasinienie przedramienia, odmówiła "
            "obdukcji. Mieszkańcy lokalu: dwoje dorosłych i dziecko. (Dane fikcyjne – demo.)"
        ),
    )
    experiencing = card.participants.get(role=ParticipantRole.EXPERIENCING)
    using = card.participants.get(role=ParticipantRole.USING)
    services.blue_card_form_record(
        actor=worker,
        blue_card=card,
        kind="B",
        participant=experiencing,
        filled_on=opened,
        content="Formularz B przekazany osobiście; omówiono miejsca pomocy (demo).",
    )
    card = services.blue_card_update(
        actor=worker,
        blue_card=card,
        circumstances=card.circumstances,
        team_name=TEAM,
        sent_to_team_on=opened + timedelta(days=2),
        group_received_on=opened + timedelta(days=4),
    )
    services.blue_card_member_add(
        actor=worker, blue_card=card, user=assistant, function="asystent rodziny"
    )
    services.blue_card_member_add(
        actor=worker,
        blue_card=card,
        name="asp. Krzysztof Dębiński",
        institution="Komenda Powiatowa Policji w Lipowcu",
        function="dzielnicowy",
    )
    services.blue_card_member_add(
        actor=worker,
        blue_card=card,
        name="Marta Sosnowska",
        institution="Szkoła Podstawowa nr 1 w Lipowcu",
        function="pedagog szkolny",
    )
    held = opened + timedelta(days=7)
    services.blue_card_meeting_record(
        actor=worker,
        blue_card=card,
        held_on=held,
        attendees="pracownik socjalny, asystent rodziny, dzielnicowy, pedagog szkolny",
        minutes=(
            "Grupa wysłuchała osoby doznającej przemocy i osoby stosującej przemoc "
            "(osobno). Ustalono plan pomocy: konsultacja psychologiczna, zajęcia "
            "korekcyjno-edukacyjne, wizyty dzielnicowego co dwa tygodnie. (Demo.)"
        ),
    )
    services.blue_card_form_record(
        actor=worker,
        blue_card=card,
        kind="C",
        participant=experiencing,
        filled_on=held,
        content="Ocena sytuacji i plan pomocy uzgodnione z osobą doznającą przemocy (demo).",
    )
    services.blue_card_form_record(
        actor=worker,
        blue_card=card,
        kind="D",
        participant=using,
        filled_on=held,
        content="Pouczenie o skutkach stosowania przemocy; zobowiązanie do terapii (demo).",
    )
    services.blue_card_meeting_plan(
        actor=worker,
        blue_card=card,
        planned_on=max(today, timezone.localdate()) + timedelta(days=7),
    )

    # 3. Closed: violence ended and the support plan was carried out.
    opened = today - timedelta(days=120)
    card = _form_a(
        worker=worker,
        family=family(2),
        opened_on=opened,
        sent_to_team_on=opened + timedelta(days=3),
        circumstances=(
            "Zgłoszenie ze szkoły: syn mówił wychowawczyni o kłótniach rodziców i o tym, "
            "że ojciec popycha matkę. (Dane fikcyjne – demo.)"
        ),
    )
    card = services.blue_card_update(
        actor=worker,
        blue_card=card,
        circumstances=card.circumstances,
        team_name=TEAM,
        sent_to_team_on=opened + timedelta(days=3),
        group_received_on=opened + timedelta(days=5),
    )
    services.blue_card_meeting_record(
        actor=worker,
        blue_card=card,
        held_on=opened + timedelta(days=9),
        attendees="pracownik socjalny, dzielnicowy",
        minutes="Pierwsze spotkanie grupy; plan pomocy przyjęty (demo).",
    )
    services.blue_card_close(
        actor=worker,
        blue_card=card,
        closed_on=today - timedelta(days=10),
        reason=ClosingReason.VIOLENCE_ENDED,
        note="Po trzech miesiącach brak zgłoszeń; rodzina korzysta z terapii (demo).",
    )
