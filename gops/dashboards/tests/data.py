"""A small centre for the dashboards, built through the services as staff would build it.

Today is 15 September 2025. Worker A (district A) has a permanent allowance in force from
July (its application final), an application received in August (interview and decision
overdue), one received on 1 September (interview due soon) and a withdrawn one; worker B
(district B) one application received on 10 September. July's permanent allowance was
paid; the year's plan is 20 000 zł. A night shelter has 2 beds, one occupied; an activity
in August had 2 persons registered, 1 came.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from gops.activities import services as activity_services
from gops.activities.models import ActivitySession
from gops.activities.tests.factories import make_activity
from gops.activities.tests.persons import make_persons
from gops.benefits.models import Decision
from gops.cases import services as case_services
from gops.cases.models import Application
from gops.cases.tests.factories import make_household_with_applicant
from gops.payments import services as payment_services
from gops.payments.models import Budget, Funding
from gops.payments.tests.finance_factories import issued_permanent, woman_pesel
from gops.shelter.tests.factories import make_facility, place

TODAY = date(2025, 9, 15)


@dataclass
class Centre:
    in_force: Decision
    overdue: Application
    soon: Application
    withdrawn: Application
    other_district: Application


def application(worker, *, number: int, received_on: date, surname: str) -> Application:
    with time_machine.travel(received_on):
        household, person = make_household_with_applicant(
            actor=worker, first_names="Maria", surnames=surname, pesel=woman_pesel(number)
        )
        return case_services.application_register(
            actor=worker,
            household=household,
            applicant=person,
            received_on=received_on,
            benefits_requested=["purpose"],
            reasons=["poverty"],
        )


def build(*, centre, head, worker_a, worker_b, finance) -> Centre:
    decision = issued_permanent(worker_a, head, number=1)  # received 2 June, issued 20 June
    Application.objects.filter(pk=decision.application_id).update(status="final")
    Budget.objects.create(
        centre=centre,
        year=2025,
        benefit="permanent",
        funding=Funding.OWN,
        planned=Decimal("20000.00"),
    )
    with time_machine.travel(date(2025, 7, 5)):
        payroll = payment_services.payroll_generate(actor=finance, month=date(2025, 7, 1))
        payment_services.payroll_approve(actor=head, payroll=payroll)
        payment_services.payment_outcome_record(
            actor=finance, payment=payroll.payments.get(), outcome="paid", on=date(2025, 7, 10)
        )
    overdue = application(worker_a, number=2, received_on=date(2025, 8, 1), surname="Zaległa")
    soon = application(worker_a, number=3, received_on=date(2025, 9, 1), surname="Bieżąca")
    withdrawn = application(worker_a, number=4, received_on=date(2025, 8, 4), surname="Wycofana")
    Application.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    other = application(worker_b, number=5, received_on=date(2025, 9, 10), surname="Innarejon")

    facility = make_facility(centre=centre, beds=2)
    guest, *people = make_persons(
        centre=centre, district=worker_a.district, count=3, surname="Gość"
    )
    with time_machine.travel(date(2025, 9, 14)):
        place(
            actor=head,
            person=guest,
            bed=facility.beds.order_by("label").first(),
            check_in=date(2025, 9, 14),
        )

    with time_machine.travel(datetime(2025, 8, 1, 10, tzinfo=timezone.get_current_timezone())):
        activity = make_activity(actor=head, title="Warsztaty kulinarne")
        registrations = [
            activity_services.registration_create(actor=head, activity=activity, person=person)
            for person in people
        ]
    session = ActivitySession.objects.get(activity=activity)
    with time_machine.travel(session.starts_at + timedelta(hours=1)):
        activity_services.attendance_record(
            actor=head, session=session, present_registration_ids={registrations[0].pk}
        )
    return Centre(
        in_force=decision,
        overdue=overdue,
        soon=soon,
        withdrawn=withdrawn,
        other_district=other,
    )
