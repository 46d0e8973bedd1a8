"""Demo integration of foreigners: two integration programmes of refugees of the demo registry
(goals in several areas, steps, some done, a review; the first with its benefit granted by
decision and paid monthly) and residence documents expiring soon,
so that the alerts show. Written through the services; deterministic; once per centre."""

from datetime import date, timedelta

from django.utils import timezone

from gops.accounts.models import Centre, User
from gops.accounts.roles import SOCIAL_WORKER
from gops.benefits import services as benefit_services
from gops.cases import services as case_services
from gops.cases.models import BenefitKind
from gops.integration import services
from gops.integration.models import IntegrationProgramme
from gops.integration.rules import latest_end
from gops.people import services as people_services
from gops.people.models import Person, Relation, ResidenceStatus
from gops.people.selectors import person_can_write

PROTECTED = (ResidenceStatus.REFUGEE_STATUS, ResidenceStatus.SUBSIDIARY_PROTECTION)


def _family_size(person: Person) -> int:
    membership = person.active_membership
    if membership is None:
        return 1
    return max(1, len(membership.household.active_members))


def _household_id(person: Person) -> int | None:
    membership = person.active_membership
    return membership.household_id if membership else None


def _protected_foreigners(*, actor: User, foreigners: list[Person]) -> list[Person]:
    """Two heads of households (or persons living alone) of two different households, with
    refugee status or subsidiary protection: those the registry has, else others given the
    status (a demo needs both programmes)."""
    heads = [
        p
        for p in foreigners
        if p.active_membership is None or p.active_membership.relation == Relation.HEAD
    ]
    chosen: list[Person] = []
    households: set[int | None] = set()

    def take(person: Person) -> bool:
        household = _household_id(person)
        if person in chosen or (household is not None and household in households):
            return False
        chosen.append(person)
        households.add(household)
        return True

    for person in heads:
        if len(chosen) < 2 and person.residence_status in PROTECTED:
            take(person)
    for person in heads:
        if len(chosen) == 2:
            break
        if person.residence_status in PROTECTED or not take(person):
            continue
        chosen.pop()
        status = PROTECTED[len(chosen) % 2]
        chosen.append(
            people_services.person_update(
                actor=actor, person=person, data={"residence_status": status}
            )
        )
    return chosen


def _worker_for(person: Person, staff: dict[str, User]) -> User:
    """The social worker of the person's district among the demo staff, else pracownik1."""
    for user in staff.values():
        if (
            user.district_id is not None
            and user.district_id == person.district_id
            and user.groups.filter(name=SOCIAL_WORKER).exists()
        ):
            return user
    return staff["pracownik1"]


def integration_seed(*, centre: Centre, staff: dict[str, User], today: date) -> None:
    """Two programmes (one running for two months with a review, one just started), language
    needs of their persons, and three residence documents due: expired, in 20 and in 45 days."""
    if IntegrationProgramme.objects.filter(centre=centre).exists():
        return
    head = staff["kierownik"]
    # Services refuse future dates; a demo "today" ahead of the clock is kept to the clock.
    day = min(today, timezone.localdate())
    foreigners = list(Person.objects.filter(centre=centre).exclude(citizenship="PL").order_by("pk"))
    if not foreigners:
        return
    protected = _protected_foreigners(actor=head, foreigners=foreigners)
    needs = [
        {"languages_spoken": "białoruski, rosyjski", "letter_language": "en"},
        {"languages_spoken": "rosyjski", "letter_language": "uk", "needs_interpreter": True},
    ]
    protected = [
        people_services.person_update(actor=head, person=person, data=data)
        for person, data in zip(protected, needs, strict=False)
    ]
    for person, seed in zip(protected, (_first_programme, _second_programme), strict=False):
        seed(head=head, worker=_worker_for(person, staff), person=person, day=day)

    # Documents due: the alerts of the foreigners page and the person panels.
    others = [p for p in foreigners if p not in protected] + protected
    for person, days in zip(others, (-5, 20, 45), strict=False):
        people_services.person_update(
            actor=head,
            person=person,
            data={"residence_document_valid_until": today + timedelta(days=days)},
        )


def _benefit_application(*, worker: User, person: Person, applied_on: date):
    """The foreigner's application for the programme's benefit, with its interview done."""
    membership = person.active_membership
    if membership is None:
        return None
    application = case_services.application_register(
        actor=worker,
        household=membership.household,
        applicant=person,
        received_on=applied_on,
        benefits_requested=[BenefitKind.INTEGRATION],
        reasons=["foreigner_integration"],
        description="Wniosek o indywidualny program integracji i świadczenie na utrzymanie.",
    )
    case_services.interview_record(
        actor=worker,
        interview=application.interviews.get(),
        conducted_on=applied_on + timedelta(days=3),
        needs="Nauka języka polskiego, mieszkanie, praca, ubezpieczenie zdrowotne.",
        diagnosis="Osoba z ochroną międzynarodową, bez dochodu, zna podstawy języka polskiego.",
        help_plan="Indywidualny program integracji na 12 miesięcy; świadczenie na utrzymanie.",
    )
    return application


def _first_programme(*, head: User, worker: User, person: Person, day: date) -> None:
    starts = day - timedelta(days=60)
    granted = starts - timedelta(days=40)
    applied_on = granted + timedelta(days=21)
    writer = worker if person_can_write(user=worker, person=person) else head
    application = _benefit_application(worker=writer, person=person, applied_on=applied_on)
    step = services.StepData
    programme = services.programme_create(
        actor=head,
        person=person,
        kind="statutory",
        application=application,
        protection_granted_on=granted,
        applied_on=applied_on,
        starts_on=starts,
        ends_on=latest_end(starts),
        family_size=_family_size(person),
        coordinator=worker,
        goals=[
            services.GoalData(
                area="polish_lessons",
                description="Nauka języka polskiego do poziomu A2.",
                steps=(
                    step(
                        action="Zapis na kurs języka polskiego w CKU",
                        deadline=starts + timedelta(days=14),
                        done_on=starts + timedelta(days=9),
                        outcome="Zapisany, zajęcia 3 razy w tygodniu.",
                    ),
                    step(action="Egzamin A2", deadline=starts + timedelta(days=300)),
                ),
            ),
            services.GoalData(
                area="health_insurance",
                description="Zgłoszenie do ubezpieczenia zdrowotnego.",
                steps=(
                    step(
                        action="Zgłoszenie do NFZ przez ośrodek",
                        deadline=starts + timedelta(days=7),
                        done_on=starts + timedelta(days=5),
                        outcome="Zgłoszony.",
                    ),
                ),
            ),
            services.GoalData(
                area="housing",
                description="Znalezienie mieszkania na wynajem.",
                steps=(
                    step(
                        action="Wniosek o mieszkanie z zasobu gminy",
                        deadline=day + timedelta(days=30),
                    ),
                ),
            ),
            services.GoalData(
                area="work",
                description="Rejestracja w urzędzie pracy i poszukiwanie pracy.",
                steps=(
                    step(
                        action="Rejestracja w Powiatowym Urzędzie Pracy",
                        deadline=starts + timedelta(days=30),
                        done_on=starts + timedelta(days=25),
                    ),
                    step(action="Szkolenie zawodowe", deadline=day + timedelta(days=90)),
                ),
            ),
        ],
    )
    services.goal_mark_achieved(
        actor=head,
        goal=programme.goals.get(area="health_insurance"),
        achieved_on=starts + timedelta(days=5),
    )
    services.programme_activate(actor=head, programme=programme)
    if application is not None:
        # The benefit, granted by decision and paid monthly through the payrolls.
        decision = services.programme_decision_draft(
            actor=writer, programme=programme, payment_method="cash"
        )
        benefit_services.decision_issue(
            actor=head, decision=decision, issued_on=applied_on + timedelta(days=10)
        )
    services.review_add(
        actor=writer,
        programme=programme,
        reviewed_on=day - timedelta(days=2),
        progress="Regularnie uczęszcza na kurs; ubezpieczenie zdrowotne załatwione.",
        changes="Dodano szkolenie zawodowe.",
        next_review_on=day + timedelta(days=90),
    )


def _second_programme(*, head: User, worker: User, person: Person, day: date) -> None:
    starts = day - timedelta(days=10)
    granted = starts - timedelta(days=30)
    step = services.StepData
    programme = services.programme_create(
        actor=head,
        person=person,
        kind="statutory",
        protection_granted_on=granted,
        applied_on=granted + timedelta(days=14),
        starts_on=starts,
        ends_on=latest_end(starts),
        family_size=_family_size(person),
        coordinator=worker,
        goals=[
            services.GoalData(
                area="school",
                description="Zapis dzieci do szkoły podstawowej.",
                steps=(
                    step(
                        action="Wizyta w szkole z tłumaczem",
                        deadline=day + timedelta(days=14),
                    ),
                ),
            ),
            services.GoalData(
                area="institutions",
                description="Sprawy w urzędach: PESEL, konto bankowe.",
                steps=(
                    step(
                        action="Wniosek o nadanie numeru PESEL",
                        deadline=starts + timedelta(days=7),
                        done_on=starts + timedelta(days=3),
                    ),
                    step(action="Założenie konta bankowego", deadline=day + timedelta(days=21)),
                ),
            ),
            services.GoalData(
                area="polish_lessons",
                description="Kurs języka polskiego od podstaw.",
                steps=(step(action="Zapis na kurs", deadline=day + timedelta(days=30)),),
            ),
        ],
    )
    services.programme_activate(actor=head, programme=programme)
