"""Demo applications at every stage: registered, interviewed, decided, served, final.

Written through the cases and benefits services, acting as the district's social worker and
the head, so every date, amount and decision is validated like real work.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from stdnum import iban

from gops.accounts.models import Centre, User
from gops.benefits import services as benefit_services
from gops.benefits.models import CareFeeScale
from gops.cases import services as case_services
from gops.cases.models import Application, BenefitKind
from gops.people.models import Household

from .generate import DISTRICT_WORKERS, HEAD_OF_CENTRE

ADMINISTRATOR = "admin"

# How far each demo case gets, in the order the households are taken.
STAGES = (
    ["registered"] * 6
    + ["interviewed"] * 6
    + ["drafted"] * 4
    + ["issued"] * 6
    + ["served"] * 6
    + ["final"] * 8
)

NEEDS = [
    "Pomoc w zakupie opału na zimę i leków.",
    "Środki na bieżące utrzymanie; zaległości w opłatach za mieszkanie.",
    "Wsparcie w poszukiwaniu pracy, pomoc finansowa do czasu zatrudnienia.",
    "Pomoc w codziennych czynnościach, zakupach i sprzątaniu.",
]
DIAGNOSES = [
    "Dochód poniżej kryterium; osoba współpracuje z pracownikiem socjalnym.",
    "Trudna sytuacja materialna po utracie pracy; rodzina zmotywowana do zmiany.",
    "Osoba starsza, samotna, z ograniczoną sprawnością; potrzebne stałe wsparcie.",
]
PLANS = [
    "Świadczenie pieniężne; praca socjalna; skierowanie do PUP.",
    "Zasiłek; kontrakt socjalny; monitoring sytuacji co miesiąc.",
    "Zasiłek stały; aktualizacja wywiadu co 6 miesięcy; praca socjalna.",
]


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _benefit_for(applicant, today: date, household: Household, *, wants_care: bool) -> str:
    """A benefit that fits the applicant, as a worker would advise."""
    old = _age(applicant.birth_date, today) >= (60 if applicant.sex == "F" else 65)
    alone = household.memberships.filter(left_on__isnull=True).count() == 1
    if old and alone and wants_care:
        return BenefitKind.CARE_SERVICES
    if old or applicant.disability_degree in ("moderate", "significant"):
        return BenefitKind.PERMANENT
    if _age(applicant.birth_date, today) >= 18:
        return BenefitKind.PERIODIC
    return BenefitKind.PURPOSE


def _demo_iban(rng: random.Random) -> str:
    bban = "1090" + "".join(str(rng.randint(0, 9)) for _ in range(20))
    return "PL" + iban.calc_check_digits("PL00" + bban) + bban


def _care_fee_scale_seed(*, admin: User, today: date) -> None:
    """The council's resolution on care services fees (u.p.s. art. 50 ust. 6)."""
    if CareFeeScale.objects.filter(centre_id=admin.centre_id).exists():
        return
    benefit_services.care_fee_scale_create(
        actor=admin,
        valid_from=date(today.year - 1, 1, 1),
        hourly_cost=Decimal("32.00"),
        resolution=f"Uchwała nr XII/85/{today.year - 2} Rady Gminy Lipowiec w sprawie "
        "szczegółowych zasad ponoszenia odpłatności za usługi opiekuńcze",
        brackets=[
            {"income_up_to_percent": "100", "fee_percent": "0"},
            {"income_up_to_percent": "150", "fee_percent": "10"},
            {"income_up_to_percent": "200", "fee_percent": "20"},
            {"income_up_to_percent": "300", "fee_percent": "50"},
            {"income_up_to_percent": None, "fee_percent": "100"},
        ],
    )


def _poorest_households(*, centre: Centre, count: int, today: date) -> list[Household]:
    """Households by counted income per person of last month, lowest first: those who come
    to the centre. A few above the criterion stay in, so that refusals show too."""
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    per_person = []
    for household in (
        Household.objects.filter(centre=centre)
        .prefetch_related("memberships__person__incomes")
        .order_by("id")
    ):
        members = [m for m in household.memberships.all() if m.left_on is None]
        if not members:
            continue
        total = sum(
            (
                i.net_amount
                for m in members
                for i in m.person.incomes.all()
                if i.month == month and i.counts_as_income
            ),
            Decimal(0),
        )
        per_person.append((total / len(members), household.pk, household))
    per_person.sort(key=lambda row: (row[0], row[1]))
    households = [h for _v, _pk, h in per_person]
    # Older people living alone ask for care at home or a permanent allowance.
    elderly_alone = [h for h in households if _elderly_alone(h, today)][:3]
    rest = [h for h in households if h not in elderly_alone]
    chosen = elderly_alone + rest[: count - len(elderly_alone) - 4] + rest[-4:]
    return chosen[:count]


def _elderly_alone(household: Household, today: date) -> bool:
    members = [m for m in household.memberships.all() if m.left_on is None]
    if len(members) != 1:
        return False
    person = members[0].person
    return _age(person.birth_date, today) >= (60 if person.sex == "F" else 65)


def cases_seed(*, centre: Centre, staff: dict[str, User], seed: int, today: date) -> int:
    """Create the demo applications once; returns how many were created (0 when present)."""
    if Application.objects.filter(centre=centre).exists():
        return 0
    rng = random.Random(seed * 7 + 3)
    head = staff[HEAD_OF_CENTRE]
    _care_fee_scale_seed(admin=staff[ADMINISTRATOR], today=today)
    workers = {staff[name].district_id: staff[name] for name in DISTRICT_WORKERS}
    households = _poorest_households(centre=centre, count=len(STAGES), today=today)
    rng.shuffle(households)
    created = 0
    care_cases = 0
    for stage, household in zip(STAGES, households, strict=False):
        worker = workers[household.district_id]
        head_member = household.memberships.filter(relation="head", left_on__isnull=True).first()
        applicant = head_member.person
        benefit = _benefit_for(
            applicant, today, household, wants_care=stage != "registered" and not care_cases
        )
        care_cases += benefit == BenefitKind.CARE_SERVICES
        # Recent cases are still open; older ones have gone further.
        age_days = {
            "registered": 3,
            "interviewed": 9,
            "drafted": 12,
            "issued": 16,
            "served": 18,
            "final": 24,
        }[stage] + rng.randint(0, 3)
        received = today - timedelta(days=age_days)
        application = case_services.application_register(
            actor=worker,
            household=household,
            applicant=applicant,
            received_on=received,
            benefits_requested=[benefit],
            reasons=rng.sample(["poverty", "unemployment", "disability", "long_illness"], 2),
            description=rng.choice(NEEDS),
            urgent=rng.random() < 0.15,
        )
        created += 1
        if stage == "registered":
            continue
        interview = application.interviews.get()
        conducted = min(received + timedelta(days=rng.randint(1, 4)), today)
        case_services.interview_record(
            actor=worker,
            interview=interview,
            conducted_on=conducted,
            needs=rng.choice(NEEDS),
            diagnosis=rng.choice(DIAGNOSES),
            help_plan=rng.choice(PLANS),
        )
        if stage == "interviewed":
            continue
        care = benefit == BenefitKind.CARE_SERVICES
        # Care already runs this month, so its hours can be recorded; cash starts next month.
        period_from = (today.replace(day=1) + timedelta(days=0 if care else 32)).replace(day=1)
        bank = not care and rng.random() < 0.6
        decision = benefit_services.decision_draft(
            actor=worker,
            application=application,
            benefit=benefit,
            period_from=period_from,
            period_until=(period_from + timedelta(days=92)).replace(day=1) - timedelta(days=1)
            if benefit in (BenefitKind.PERIODIC, BenefitKind.CARE_SERVICES)
            else None,
            quantity="pomoc w zakupach, sprzątaniu i higienie osobistej" if care else "",
            care_hours_per_week=Decimal("10.0") if care else None,
            amount=Decimal(rng.choice(["300.00", "450.00", "600.00"]))
            if benefit == BenefitKind.PURPOSE
            else None,
            payment_method="" if care else ("bank_transfer" if bank else "cash"),
            bank_account=_demo_iban(rng) if bank else "",
        )
        if stage == "drafted":
            continue
        issued_on = min(conducted + timedelta(days=rng.randint(1, 3)), today)
        decision = benefit_services.decision_issue(
            actor=head, decision=decision, issued_on=issued_on
        )
        if care:
            benefit_services.care_hours_record(
                actor=worker,
                decision=decision,
                month=period_from,
                hours=Decimal(rng.choice(["8.0", "12.5", "20.0"])),
            )
        if stage == "issued":
            continue
        served_on = min(issued_on + timedelta(days=rng.randint(1, 3)), today)
        benefit_services.decision_serve(actor=worker, decision=decision, served_on=served_on)
    # Served more than 14 days ago with no appeal: final.
    benefit_services.decisions_finalise(today=today)
    return created
