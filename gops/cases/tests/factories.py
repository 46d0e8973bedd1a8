from datetime import date

from gops.cases import services
from gops.cases.models import Application
from gops.people import services as people_services
from gops.people.tests.factories import make_person


def make_household_with_applicant(*, actor, **person_data):
    person = make_person(actor=actor, **person_data)
    household = people_services.household_create(actor=actor, members=[(person, "head")])
    return household, person


def make_application(*, actor, received_on=date(2025, 6, 2), urgent=False, **kwargs) -> Application:
    household, person = make_household_with_applicant(actor=actor)
    return services.application_register(
        actor=actor,
        household=household,
        applicant=person,
        received_on=received_on,
        benefits_requested=kwargs.pop("benefits_requested", ["permanent"]),
        reasons=kwargs.pop("reasons", ["poverty", "disability"]),
        urgent=urgent,
        **kwargs,
    )


def record_interview(*, actor, application, conducted_on=None):
    interview = application.interviews.get()
    return services.interview_record(
        actor=actor,
        interview=interview,
        conducted_on=conducted_on or application.interview_due_on,
        needs="Pomoc finansowa na leki i opał.",
        diagnosis="Osoba samotna, emerytka, dochód poniżej kryterium.",
        help_plan="Zasiłek stały; praca socjalna.",
    )
