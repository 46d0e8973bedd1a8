from datetime import date

from gops.integration import services
from gops.integration.models import IntegrationProgramme


def make_programme(*, actor, person, **kwargs) -> IntegrationProgramme:
    defaults = dict(
        kind="statutory",
        protection_granted_on=date(2025, 5, 1),
        applied_on=date(2025, 5, 20),
        starts_on=date(2025, 6, 1),
        ends_on=date(2026, 5, 31),
        family_size=1,
        goals=[
            services.GoalData(
                area="polish_lessons",
                description="Kurs języka polskiego A2",
                steps=(services.StepData(action="Zapis na kurs", deadline=date(2025, 6, 30)),),
            )
        ],
    )
    defaults.update(kwargs)
    return services.programme_create(actor=actor, person=person, **defaults)


def make_integration_application(*, actor, person, received_on=date(2025, 5, 20)):
    """The person's application for the integration benefit, in a household of their own."""
    from gops.cases import services as case_services
    from gops.people import services as people_services

    membership = person.active_membership
    household = (
        membership.household
        if membership
        else people_services.household_create(actor=actor, members=[(person, "head")])
    )
    return case_services.application_register(
        actor=actor,
        household=household,
        applicant=person,
        received_on=received_on,
        benefits_requested=["integration"],
        reasons=["other"],
        reason_other="Indywidualny program integracji",
    )


def make_issued_decision(*, actor, person, number="OPS.8100.7.2025", issued_on=date(2025, 6, 5)):
    """An issued decision of `person`, written directly: the letters only read it."""
    from gops.benefits.models import Decision

    application = make_integration_application(actor=actor, person=person)
    return Decision.objects.create(
        centre_id=person.centre_id,
        application=application,
        kind="granting",
        benefit="integration",
        status="issued",
        person=person,
        number=number,
        issued_on=issued_on,
        drafted_by=actor,
        signed_by=actor,
    )
