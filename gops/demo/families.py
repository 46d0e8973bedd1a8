"""Demo family assistance: the family assistant works with a full caseload of families with
children, each with a plan of work, visits, an assessment, the children's schools and some
childcare support; two families closed earlier are still monitored. Everything goes through
the families services; nothing is random, and a centre that has family assistance already is
left as it is."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from gops.accounts.models import Centre, User
from gops.families import rules
from gops.families import services as family_services
from gops.families.models import FamilySupport
from gops.families.selectors import household_children
from gops.people.models import Household, HouseholdMembership, Relation

HEAD = "kierownik"
ASSISTANT = "asystent"
WORKERS = ("pracownik1", "pracownik2")
MONITORED = 2

REASONS = (
    "Trudności opiekuńczo-wychowawcze, zaniedbania w zakresie nauki dzieci.",
    "Bezradność w sprawach prowadzenia gospodarstwa domowego, zadłużenie czynszowe.",
    "Samotne rodzicielstwo po rozstaniu, brak wsparcia rodziny, trudności finansowe.",
    "Wniosek szkoły: częste nieobecności dzieci, niski poziom higieny.",
    "Uzależnienie ojca od alkoholu, matka podjęła terapię dla osób współuzależnionych.",
)

# (goal, action, who does it, expected effect)
STEPS = (
    (
        "Poprawa frekwencji szkolnej dzieci",
        "Codzienne budzenie i odprowadzanie dzieci do szkoły; cotygodniowy kontakt z wychowawcą.",
        "matka, asystent rodziny",
        "Frekwencja dzieci powyżej 90% w semestrze.",
    ),
    (
        "Uporządkowanie budżetu domowego",
        "Wspólne planowanie wydatków raz w tygodniu, spłata zaległości czynszowych w ratach.",
        "rodzice z asystentem rodziny",
        "Brak nowych zaległości, porozumienie ze spółdzielnią w sprawie spłaty.",
    ),
    (
        "Podjęcie zatrudnienia przez rodzica",
        "Rejestracja w Powiatowym Urzędzie Pracy, udział w warsztatach aktywizacyjnych.",
        "ojciec",
        "Podjęcie pracy lub stażu.",
    ),
    (
        "Wzmocnienie kompetencji wychowawczych",
        "Udział w warsztatach dla rodziców „Szkoła dla rodziców”, konsultacje z psychologiem.",
        "rodzice",
        "Ustalone zasady i rytm dnia dzieci, mniej konfliktów w domu.",
    ),
    (
        "Zapewnienie dzieciom opieki po lekcjach",
        "Zapisanie młodszych dzieci do świetlicy środowiskowej.",
        "asystent rodziny",
        "Dzieci mają odrobione lekcje i zapewnioną opiekę do powrotu rodziców.",
    ),
    (
        "Poprawa warunków mieszkaniowych",
        "Pomoc w złożeniu wniosku o dodatek mieszkaniowy i zasiłek celowy na opał.",
        "matka, pracownik socjalny",
        "Ogrzane mieszkanie przez cały sezon grzewczy.",
    ),
)

CONTACTS = (
    (
        "home_visit",
        90,
        "Wizyta w domu. Dzieci zadbane, mieszkanie posprzątane. Omówiono "
        "tygodniowy plan wydatków i przygotowanie do szkoły.",
    ),
    (
        "phone",
        15,
        "Rozmowa telefoniczna z matką: przypomnienie o wizycie w poradni "
        "psychologiczno-pedagogicznej.",
    ),
    (
        "outside",
        60,
        "Spotkanie w szkole z wychowawczynią i pedagogiem szkolnym w sprawie "
        "frekwencji i zaległości w nauce.",
    ),
    (
        "office",
        45,
        "Spotkanie w ośrodku z rodzicami i pracownikiem socjalnym: omówienie "
        "postępów w realizacji planu pracy.",
    ),
    (
        "home_visit",
        120,
        "Wizyta w domu. Wspólne przygotowanie listy zakupów i jadłospisu na "
        "tydzień; ojciec przekazał informację o rozmowie kwalifikacyjnej.",
    ),
)

PROVIDERS = {
    "day_support": "Świetlica środowiskowa „Promyk” w Lipowcu",
    "school_supplies": "Ośrodek Pomocy Społecznej — wyprawka szkolna",
    "holiday_care": "Półkolonie letnie Gminnego Ośrodka Kultury",
    "kindergarten_place": "Przedszkole Samorządowe nr 1 w Lipowcu",
    "nursery_place": "Żłobek Gminny „Słoneczko”",
    "parenting_course": "Poradnia Psychologiczno-Pedagogiczna — „Szkoła dla rodziców”",
}


def _education(age: int | None) -> tuple[str, str]:
    if age is None or age < 1:
        return "home", ""
    if age < 3:
        return "nursery", "Żłobek Gminny „Słoneczko”"
    if age < 7:
        return "kindergarten", "Przedszkole Samorządowe nr 1 w Lipowcu"
    if age < 15:
        return "primary_school", "Szkoła Podstawowa im. Marii Konopnickiej w Lipowcu"
    return "secondary_school", "Zespół Szkół Ponadpodstawowych w Bełżcu"


def _candidates(*, centre: Centre, districts: set[int]) -> list[Household]:
    """Households with a child, those of the workers' districts first, in a fixed order."""
    with_child = HouseholdMembership.objects.filter(
        household__centre=centre, left_on__isnull=True, relation=Relation.CHILD
    ).values("household_id")
    households = Household.objects.filter(pk__in=with_child).select_related("district")
    return sorted(households, key=lambda h: (h.district_id not in districts, h.pk))


def families_seed(*, centre: Centre, staff: dict[str, User], today: date) -> None:
    """Give the family assistant a full caseload (15) of families with plans, visits and
    assessments, and two closed families in monitoring; skipped if the centre has any."""
    if FamilySupport.objects.filter(centre=centre).exists():
        return
    today = min(today, timezone.localdate())
    head, assistant = staff[HEAD], staff[ASSISTANT]
    workers = {w.district_id: w for w in (staff[u] for u in WORKERS if u in staff)}
    candidates = _candidates(centre=centre, districts=set(workers))
    limit = settings.FAMILY_ASSISTANT_CASELOAD_LIMIT
    active = candidates[:limit]
    monitored = candidates[limit : limit + MONITORED]
    overdue_index = next((i for i in range(len(active)) if _days_ago(i) > 200), None)
    # Closed first: their places are free again before the caseload is filled.
    for index, household in enumerate(monitored):
        _monitored_family(
            index=index,
            household=household,
            head=head,
            assistant=assistant,
            worker=workers.get(household.district_id),
            today=today,
        )
    for index, household in enumerate(active):
        _active_family(
            index=index,
            household=household,
            head=head,
            assistant=assistant,
            worker=workers.get(household.district_id),
            today=today,
            assessment_overdue=index == overdue_index,
        )


def _days_ago(index: int) -> int:
    """The start of the `index`-th family's work: from five weeks to ten months ago."""
    return 35 + index * 19


def _assign(*, household, head, assistant, worker, started_on, index) -> FamilySupport:
    return family_services.family_support_assign(
        actor=head,
        household=household,
        assistant=assistant,
        social_worker=worker,
        started_on=started_on,
        reason=REASONS[index % len(REASONS)],
    )


def _plan(*, support, assistant, worker, index: int, today: date, steps: int) -> None:
    started = support.started_on
    agreed_on = min(started + timedelta(days=14), today)
    family_services.work_plan_update(
        actor=worker or assistant,
        support=support,
        agreed_on=agreed_on,
        agreed_with_family=True,
        agreed_with_social_worker=worker is not None,
        notes="Plan podpisany przez rodziców podczas wizyty domowej.",
    )
    for n in range(steps):
        goal, action, responsible, effect = STEPS[(index + n) % len(STEPS)]
        # Deadlines from a month after the start onwards; the first one is overdue when it
        # has passed and is not done.
        deadline = started + timedelta(days=30 + 45 * n)
        step = family_services.plan_step_add(
            actor=assistant,
            support=support,
            goal=goal,
            action=action,
            deadline=deadline,
            expected_effect=effect,
            responsible=responsible,
        )
        if n == 0 and deadline < today:
            family_services.plan_step_update(actor=assistant, step=step, status="in_progress")
        elif deadline < today:
            family_services.plan_step_update(
                actor=assistant,
                step=step,
                status="done",
                completed_on=deadline,
                outcome="Cel osiągnięty zgodnie z planem.",
            )


def _contacts(*, support, assistant, index: int, today: date, count: int) -> None:
    span = (today - support.started_on).days
    for n in range(count):
        kind, minutes, notes = CONTACTS[(index + n) % len(CONTACTS)]
        happened_on = support.started_on + timedelta(days=span * (n + 1) // (count + 1))
        family_services.contact_record(
            actor=assistant,
            support=support,
            happened_on=happened_on,
            kind=kind,
            notes=notes,
            duration_minutes=minutes,
            participants="matka, dzieci" if kind == "home_visit" else "",
        )


def _children(*, support, assistant, household, index: int, today: date) -> None:
    for n, child in enumerate(household_children(household=household)):
        age = rules.age(birth_date=child.birth_date, today=today)
        setting, institution = _education(age)
        family_services.child_profile_save(
            actor=assistant,
            support=support,
            child=child,
            education_setting=setting,
            institution_name=institution,
            special_needs=(
                "Opinia poradni psychologiczno-pedagogicznej: trudności w czytaniu (dysleksja)."
                if (index + n) % 4 == 0
                else ""
            ),
        )
        kind = {
            "nursery": "nursery_place",
            "kindergarten": "kindergarten_place",
            "primary_school": "day_support" if index % 2 else "school_supplies",
        }.get(setting)
        if kind is None or (index + n) % 3 == 2:
            continue
        started = support.started_on + timedelta(days=10)
        finished = kind == "school_supplies"
        family_services.childcare_support_add(
            actor=assistant,
            support=support,
            kind=kind,
            child=child,
            provider=PROVIDERS[kind],
            started_on=started,
            ended_on=started if finished else None,
            outcome="Wyprawka przekazana matce." if finished else "",
        )
    if index % 3 == 0:
        family_services.childcare_support_add(
            actor=assistant,
            support=support,
            kind="parenting_course",
            provider=PROVIDERS["parenting_course"],
            started_on=support.started_on + timedelta(days=21),
        )


def _active_family(
    *, index, household, head, assistant, worker, today: date, assessment_overdue: bool
) -> None:
    started_on = today - timedelta(days=_days_ago(index))
    support = _assign(
        household=household,
        head=head,
        assistant=assistant,
        worker=worker,
        started_on=started_on,
        index=index,
    )
    _plan(
        support=support,
        assistant=assistant,
        worker=worker,
        index=index,
        today=today,
        steps=3 + index % 2,
    )
    _contacts(support=support, assistant=assistant, index=index, today=today, count=3 + index % 3)
    _children(support=support, assistant=assistant, household=household, index=index, today=today)
    due = rules.next_assessment_due(started_on)
    if due <= today and not assessment_overdue:
        family_services.assessment_record(
            actor=assistant,
            support=support,
            done_on=due,
            progress="improved" if index % 3 else "no_change",
            recommendation="continue",
            summary="Rodzina współpracuje z asystentem, realizuje większość zadań planu. "
            "Dzieci regularnie uczęszczają do szkoły; utrzymują się trudności finansowe.",
        )


def _monitored_family(*, index, household, head, assistant, worker, today: date) -> None:
    started_on = today - timedelta(days=420 + 30 * index)
    support = _assign(
        household=household,
        head=head,
        assistant=assistant,
        worker=worker,
        started_on=started_on,
        index=index + 2,
    )
    plan_today = started_on + timedelta(days=330)
    _plan(
        support=support,
        assistant=assistant,
        worker=worker,
        index=index + 1,
        today=plan_today,
        steps=3,
    )
    for step in support.plan.steps.exclude(status="done"):
        family_services.plan_step_update(
            actor=assistant,
            step=step,
            status="done",
            completed_on=min(step.deadline, plan_today),
            outcome="Zadanie zrealizowane.",
        )
    _contacts(support=support, assistant=assistant, index=index, today=plan_today, count=4)
    _children(support=support, assistant=assistant, household=household, index=index, today=today)
    family_services.assessment_record(
        actor=assistant,
        support=support,
        done_on=rules.next_assessment_due(started_on),
        progress="improved",
        recommendation="close",
        summary="Rodzina samodzielnie radzi sobie z opieką nad dziećmi i budżetem domowym. "
        "Rekomendacja zakończenia pracy i monitorowania funkcjonowania rodziny.",
    )
    closed_on = plan_today + timedelta(days=7)
    support = family_services.family_support_close(
        actor=head,
        support=support,
        closed_on=closed_on,
        outcome="goals_achieved" if index == 0 else "partly_achieved",
        closing_summary="Cele planu pracy z rodziną zostały osiągnięte; rodzina korzysta ze "
        "wsparcia świetlicy i utrzymuje kontakt z pracownikiem socjalnym.",
        monitoring_until=closed_on + timedelta(days=182),
    )
    family_services.contact_record(
        actor=assistant,
        support=support,
        happened_on=min(closed_on + timedelta(days=30), today),
        kind="monitoring",
        notes="Rozmowa kontrolna z matką: sytuacja stabilna, dzieci uczęszczają do szkoły.",
        duration_minutes=20,
    )
