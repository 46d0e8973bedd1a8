"""Demo payrolls: next month's payroll prepared by finance and approved by the head."""

from datetime import date, timedelta

from gops.accounts.models import Centre, User
from gops.payments import services as payment_services
from gops.payments.models import Payroll

FINANCE = "ksiegowa"
HEAD = "kierownik"


def payments_seed(*, centre: Centre, staff: dict[str, User], today: date) -> Payroll | None:
    """Generate and approve the payroll of the month the demo benefits start (once)."""
    month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    if Payroll.objects.filter(centre=centre, month=month).exists():
        return None
    payroll = payment_services.payroll_generate(actor=staff[FINANCE], month=month)
    if payroll.payments.exists():
        payment_services.payroll_approve(actor=staff[HEAD], payroll=payroll)
    return payroll
