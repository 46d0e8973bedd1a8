"""A small, hand-made data set for the MRPiPS-03 tests, built through the real services.

Three households, second half of 2025 (nothing is paid in the first half):

- H1: A (Kowalski) alone; application reasons poverty, unemployment. A periodic allowance of
  255.00 zł for July–September, each month paid on its payroll (10 Jul, 10 Aug, 10 Sep), and
  a purpose allowance after a natural disaster (commissioned task) of 500.00 zł paid
  urgently on 15 Sep. A is the person with two benefit kinds.
- H2: B (Nowak) and C (Zielińska), 2 members; reasons poverty, long_illness. A purpose
  allowance of 400.00 zł to B paid urgently on 5 Aug.
- H3: D (Wiśniewski) alone; reason unemployment. A periodic allowance of 255.00 zł for
  July–August: the July transfer is returned by the bank (14 Jul) and paid again on the
  August payroll (10 Aug) with the August month.
"""

from datetime import date
from decimal import Decimal

import time_machine
from django.contrib.auth.models import Permission

from gops.benefits import services as benefit_services
from gops.cases import services as case_services
from gops.cases.tests.factories import record_interview
from gops.payments import services as payment_services
from gops.people import services as people_services
from gops.people.tests.factories import make_person

IBAN = "PL61109010140000071219812874"
IBAN_2 = "PL27114020040000300201355387"

A = dict(first_names="Jan", surnames="Kowalski", pesel="44051401359")
B = dict(first_names="Anna", surnames="Nowak", pesel="85031207123")
C = dict(first_names="Maria", surnames="Zielińska", pesel="77020304566")
D = dict(first_names="Piotr", surnames="Wiśniewski", pesel="90112501344")


def grant_report_permission(user):
    user.user_permissions.add(Permission.objects.get(codename="view_mrpips03"))
    return type(user).objects.get(pk=user.pk)  # a fresh permission cache


def _application(worker, members, *, benefits, reasons, income=None):
    with time_machine.travel(date(2025, 6, 20)):
        people = [make_person(actor=worker, **m) for m in members]
        relations = ["head"] + ["spouse"] * (len(people) - 1)
        household = people_services.household_create(
            actor=worker, members=list(zip(people, relations, strict=True))
        )
        application = case_services.application_register(
            actor=worker,
            household=household,
            applicant=people[0],
            received_on=date(2025, 6, 2),
            benefits_requested=benefits,
            reasons=reasons,
        )
        if income:
            people_services.income_add(
                actor=worker,
                person=people[0],
                month=date(2025, 5, 1),
                source="wages",
                net_amount=Decimal(income),
            )
        record_interview(actor=worker, application=application, conducted_on=date(2025, 6, 10))
        return application


def _issue(worker, head, application, **kwargs):
    with time_machine.travel(kwargs.pop("on", date(2025, 6, 20))):
        decision = benefit_services.decision_draft(actor=worker, application=application, **kwargs)
        return benefit_services.decision_issue(actor=head, decision=decision)


def _pay_payroll(finance, head, month, on, *, returned=()):
    payroll = payment_services.payroll_generate(actor=finance, month=month)
    payment_services.payroll_approve(actor=head, payroll=payroll)
    for payment in payroll.payments.order_by("id"):
        payment_services.payment_outcome_record(
            actor=finance, payment=payment, outcome="paid", on=on
        )
        if payment.person_id in returned:
            payment_services.payment_outcome_record(
                actor=finance, payment=payment, outcome="returned", on=on.replace(day=14)
            )
            payment_services.schedule_item_correct_account(
                actor=finance, item=payment.item, bank_account=IBAN_2
            )
    return payroll


def build(worker, head, finance) -> dict:
    app_a = _application(
        worker,
        [A],
        benefits=["periodic", "disaster"],
        reasons=["poverty", "unemployment"],
        income="500.00",
    )
    app_b = _application(worker, [B, C], benefits=["purpose"], reasons=["poverty", "long_illness"])
    app_d = _application(
        worker, [D], benefits=["periodic"], reasons=["unemployment"], income="500.00"
    )
    periodic_a = _issue(
        worker,
        head,
        app_a,
        benefit="periodic",
        period_from=date(2025, 7, 1),
        period_until=date(2025, 9, 30),
        payment_method="bank_transfer",
        bank_account=IBAN,
    )
    periodic_d = _issue(
        worker,
        head,
        app_d,
        benefit="periodic",
        period_from=date(2025, 7, 1),
        period_until=date(2025, 8, 31),
        payment_method="bank_transfer",
        bank_account=IBAN,
    )
    assert periodic_a.amount == periodic_d.amount == Decimal("255.00")
    purpose_b = _issue(
        worker,
        head,
        app_b,
        benefit="purpose",
        amount=Decimal("400.00"),
        payment_method="cash",
        on=date(2025, 8, 4),
    )
    disaster_a = _issue(
        worker,
        head,
        app_a,
        benefit="disaster",
        amount=Decimal("500.00"),
        payment_method="cash",
        on=date(2025, 9, 14),
    )
    person_d = periodic_d.person_id
    _pay_payroll(finance, head, date(2025, 7, 1), date(2025, 7, 10), returned={person_d})
    # The returned July transfer of D is not counted; 14 Jul is when the bank returned it.
    _pay_payroll(finance, head, date(2025, 8, 1), date(2025, 8, 10))
    _pay_payroll(finance, head, date(2025, 9, 1), date(2025, 9, 10))
    payment_services.urgent_payment_make(actor=finance, decision=purpose_b, on=date(2025, 8, 5))
    payment_services.urgent_payment_make(actor=finance, decision=disaster_a, on=date(2025, 9, 15))
    return {
        "A": periodic_a.person_id,
        "B": purpose_b.person_id,
        "D": person_d,
        "H1": app_a.household_id,
        "H2": app_b.household_id,
        "H3": app_d.household_id,
    }
