"""Demo directory of institutions, advice and referrals, and cultural activities."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from gops.accounts.models import Centre, User
from gops.activities import services as activity_services
from gops.people.models import HouseholdMembership, Person
from gops.referrals import services as referral_services
from gops.referrals.models import Institution

INSTITUTIONS = [
    (
        "Powiatowy Urząd Pracy w Lipowcu",
        "labour_office",
        "ul. Rynek 2, 24-345 Lipowiec",
        "81 820 11 00",
        "pn–pt 7:30–15:30",
        "Rejestracja bezrobotnych, oferty pracy, szkolenia, staże",
        "polski, ukraiński",
    ),
    (
        "Powiatowe Centrum Pomocy Rodzinie",
        "family_support_centre",
        "ul. Szkolna 5, 24-340 Bełżec",
        "81 820 22 00",
        "pn–pt 8:00–16:00",
        "Piecza zastępcza, orzekanie o niepełnosprawności, IPI",
        "polski",
    ),
    (
        "Punkt nieodpłatnej pomocy prawnej",
        "legal_aid",
        "ul. Kościelna 4, 24-345 Lipowiec",
        "81 820 40 20",
        "wt, czw 10:00–14:00",
        "Porady prawne, mediacja",
        "polski, angielski",
    ),
    (
        "Bank Żywności — punkt wydawania",
        "food_bank",
        "ul. Polna 12, 24-345 Lipowiec",
        "81 820 33 10",
        "śr 12:00–16:00",
        "Paczki żywnościowe (FEPŻ)",
        "polski",
    ),
    (
        "Poradnia Zdrowia Psychicznego",
        "mental_health",
        "ul. Szpitalna 1, 24-340 Bełżec",
        "81 820 50 50",
        "pn–pt 8:00–18:00",
        "Konsultacje psychiatryczne i psychologiczne",
        "polski",
    ),
    (
        "Klub Integracji Społecznej „Razem”",
        "ngo",
        "ul. Ogrodowa 3, 24-345 Lipowiec",
        "81 820 60 60",
        "pn–pt 9:00–15:00",
        "Warsztaty, reintegracja zawodowa",
        "polski",
    ),
]


def community_seed(*, centre: Centre, staff: dict[str, User], today: date) -> None:
    """Institutions, an advice and a referral, and two activities with registrations (once)."""
    if Institution.objects.filter(centre=centre).exists():
        return
    head, worker = staff["kierownik"], staff["pracownik1"]
    institutions = []
    for name, kind, address, phone, hours, services, languages in INSTITUTIONS:
        institutions.append(
            referral_services.institution_save(
                actor=head,
                institution=Institution(
                    centre=centre,
                    name=name,
                    kind=kind,
                    address=address,
                    phone=phone,
                    opening_hours=hours,
                    services=services,
                    languages=languages,
                ),
            )
        )
    person = (
        Person.objects.filter(centre=centre, district=worker.district, homeless=False)
        .order_by("pk")
        .first()
    )
    referral_services.advice_log(
        actor=worker,
        topic="Jak zarejestrować się w urzędzie pracy",
        person=person,
        institutions=[institutions[0]],
        given_on=today,
    )
    referral_services.advice_log(
        actor=worker,
        topic="Darmowa pomoc prawna — eksmisja",
        institutions=[institutions[2]],
        given_on=today,
    )
    referral_services.referral_create(
        actor=worker,
        person=person,
        institution=institutions[0],
        purpose="Rejestracja jako osoba bezrobotna i oferty pracy",
        consent_given=True,
        consent_on=today,
        kind="job_offer",
        follow_up_on=today + timedelta(days=14),
    )
    organiser = staff["zajecia"]
    start = timezone.make_aware(datetime.combine(today + timedelta(days=7), time(16, 0)))
    workshop = activity_services.activity_create(
        actor=organiser,
        data={
            "title": "Warsztaty plastyczne dla dzieci",
            "description": "Malowanie i rękodzieło w świetlicy.",
            "place": "Świetlica wiejska, ul. Szkolna 1",
            "capacity": 12,
            "target_groups": ["children", "families"],
            "accessibility_notes": "Sala na parterze, bez progów.",
            "partner_institution": "Gminny Ośrodek Kultury",
            "public": True,
        },
        sessions=[
            (start + timedelta(weeks=w), start + timedelta(weeks=w, hours=2)) for w in range(4)
        ],
    )
    activity_services.activity_create(
        actor=organiser,
        data={
            "title": "Wieczór filmowy dla seniorów",
            "description": "Projekcja i rozmowa.",
            "place": "Biblioteka gminna",
            "capacity": 20,
            "target_groups": ["seniors"],
            "accessibility_notes": "Pętla indukcyjna.",
            "partner_institution": "",
            "public": True,
        },
        sessions=[(start + timedelta(days=2, hours=2), start + timedelta(days=2, hours=4))],
    )
    children = (
        HouseholdMembership.objects.filter(
            household__centre=centre,
            relation="child",
            left_on__isnull=True,
            person__district=worker.district,
        )
        .select_related("person")
        .order_by("pk")[:5]
    )
    for membership in children:
        activity_services.registration_create(
            actor=worker, activity=workshop, person=membership.person
        )
