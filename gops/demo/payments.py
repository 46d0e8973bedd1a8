"""Demo payments: the year's budget and next month's payroll, approved by the head."""

from datetime import date, timedelta
from decimal import Decimal

from gops.accounts.models import Centre, User
from gops.payments import services as payment_services
from gops.payments.models import Budget, Payroll

FINANCE = "ksiegowa"
HEAD = "kierownik"


# The gmina's plan for the year: own tasks and the state subsidy (zadania własne / zlecone).
BUDGET = [
    ("permanent", "commissioned", "180000.00"),
    ("periodic", "commissioned", "150000.00"),
    ("purpose", "own", "60000.00"),
    ("special_purpose", "own", "15000.00"),
    ("random_event", "own", "10000.00"),
]


def budget_seed(*, centre: Centre, staff: dict[str, User], today: date) -> None:
    for year in {today.year, (today.replace(day=1) + timedelta(days=32)).year}:
        if Budget.objects.filter(centre=centre, year=year).exists():
            continue
        for benefit, funding, planned in BUDGET:
            payment_services.budget_line_set(
                actor=staff[HEAD],
                year=year,
                benefit=benefit,
                funding=funding,
                planned=Decimal(planned),
            )


def payments_seed(*, centre: Centre, staff: dict[str, User], today: date) -> Payroll | None:
    """Generate and approve the payroll of the month the demo benefits start (once)."""
    budget_seed(centre=centre, staff=staff, today=today)
    month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    if Payroll.objects.filter(centre=centre, month=month).exists():
        return None
    payroll = payment_services.payroll_generate(actor=staff[FINANCE], month=month)
    if payroll.payments.exists():
        payment_services.payroll_approve(actor=staff[HEAD], payroll=payroll)
    return payroll
