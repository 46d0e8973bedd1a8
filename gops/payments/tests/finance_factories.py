"""Builders for the finance tests: permanent and purpose allowances of elderly women living
alone, users with the finance permissions, and a URL configuration with the finance pages."""

from datetime import date
from decimal import Decimal

import time_machine
from django.contrib.auth.models import Permission
from django.urls import include, path
from stdnum.pl import pesel as stdnum_pesel

from config import urls as project_urls
from gops.accounts.models import User
from gops.benefits import services as benefit_services
from gops.cases import services as case_services
from gops.cases.tests.factories import make_household_with_applicant, record_interview
from gops.people import services as people_services

IBAN = "PL61109010140000071219812874"

# The project's URLs plus the finance pages, until config/urls.py includes them.
urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "finance" for p in urlpatterns):
    urlpatterns.append(path("finanse/", include("gops.payments.urls_finance")))
handler403 = project_urls.handler403
handler404 = project_urls.handler404
URLCONF = __name__


def woman_pesel(number: int) -> str:
    """A valid PESEL of a woman born on 15 March 1955 (70 in 2025), one per `number`."""
    serial = f"{number % 1000:03d}"
    body = f"550315{serial}{(number // 1000 % 5) * 2}"
    return body + stdnum_pesel.calc_check_digit(body)


def grant(user: User, *perms: str) -> User:
    """Give `user` the permissions the finance pages need (roles.py is not changed here) and
    return a fresh copy, since permissions are cached on the object."""
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)


FINANCE_PERMS = [
    "payments.view_budget",
    "payments.add_budget",
    "payments.change_budget",
    "payments.view_debt",
    "payments.add_debt",
    "payments.change_debt",
]


def interviewed_application(
    worker, *, number: int, income: str = "300.00", benefits=("permanent",), first_names="Halina"
):
    """An application of a 70-year-old woman living alone on `income` zł, interviewed."""
    with time_machine.travel(date(2025, 6, 2)):
        household, person = make_household_with_applicant(
            actor=worker,
            first_names=first_names,
            surnames=f"Nowak-{number}",
            pesel=woman_pesel(number),
        )
        people_services.income_add(
            actor=worker,
            person=person,
            month=date(2025, 5, 1),
            source="old_age_pension",
            net_amount=Decimal(income),
        )
        application = case_services.application_register(
            actor=worker,
            household=household,
            applicant=person,
            received_on=date(2025, 6, 2),
            benefits_requested=list(benefits),
            reasons=["poverty"],
        )
    with time_machine.travel(date(2025, 6, 10)):
        record_interview(actor=worker, application=application, conducted_on=date(2025, 6, 10))
    return application


def issued_permanent(
    worker,
    head,
    *,
    number: int,
    income: str = "300.00",
    method: str = "cash",
    period_from: date = date(2025, 7, 1),
    period_until: date | None = None,
):
    """A permanent allowance from July 2025: 1313 − income zł (1013.00 on 300 zł)."""
    application = interviewed_application(worker, number=number, income=income)
    with time_machine.travel(date(2025, 6, 20)):
        decision = benefit_services.decision_draft(
            actor=worker,
            application=application,
            benefit="permanent",
            period_from=period_from,
            period_until=period_until,
            payment_method=method,
            bank_account=IBAN if method == "bank_transfer" else "",
        )
        return benefit_services.decision_issue(actor=head, decision=decision)


def issued_purpose(worker, head, *, application, amount: str = "400.00"):
    """A purpose allowance (zasiłek celowy) on fuel, issued on 20 June 2025, paid in cash."""
    with time_machine.travel(date(2025, 6, 20)):
        decision = benefit_services.decision_draft(
            actor=worker,
            application=application,
            benefit="purpose",
            amount=Decimal(amount),
            payment_method="cash",
        )
        return benefit_services.decision_issue(actor=head, decision=decision)


def revoke(worker, head, decision, *, effective_from: date, on: date):
    with time_machine.travel(on):
        change = benefit_services.decision_change_draft(
            actor=worker,
            decision=decision,
            kind="revoking",
            effective_from=effective_from,
            reasoning="Świadczenie przyznano na podstawie nieprawdziwych informacji.",
        )
        return benefit_services.decision_issue(actor=head, decision=change)
