"""Demo history: applications decided earlier in the year and paid month by month, so that
the year's statistics (MRPiPS-03), the dashboards and the payment history show real figures.
Written through the services, deterministic, skipped when the centre has any payroll."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError

from gops.accounts.models import Centre, User
from gops.benefits import services as benefit_services
from gops.cases import services as case_services
from gops.cases.models import Application, BenefitKind
from gops.payments import rules as payment_rules
from gops.payments import services as payment_services
from gops.payments.models import ItemStatus, PaymentStatus, Payroll, ScheduleItem
from gops.people.models import Household, Relation

HEAD = "kierownik"
FINANCE = "ksiegowa"
WORKERS = ("pracownik1", "pracownik2")
HOUSEHOLDS = 14
HISTORY_NOTE = "Wniosek rozpatrzony wcześniej w tym roku."
# (benefit, reasons, amount of a purpose allowance)
PLAN = (
    (BenefitKind.PERIODIC, ["unemployment", "poverty"], None),
    (BenefitKind.PURPOSE, ["poverty", "long_illness"], Decimal("450.00")),
    (BenefitKind.PERIODIC, ["disability", "poverty"], None),
    (BenefitKind.PURPOSE, ["parenting_helplessness"], Decimal("600.00")),
    (BenefitKind.DISASTER, ["disaster"], Decimal("2000.00")),
    (BenefitKind.PURPOSE, ["crisis_event"], Decimal("300.00")),
    (BenefitKind.PERIODIC, ["long_illness"], None),
)


def history_seed(*, centre: Centre, staff: dict[str, User], today: date) -> int:
    """Decide applications from January on and pay them on monthly payrolls up to last month;
    returns the number of payments marked paid."""
    if Payroll.objects.filter(centre=centre).exists():
        return 0  # the centre has payrolls already (a second seed, or real work)
    if today.month < 3:
        return 0  # too early in the year for a history
    head, finance = staff[HEAD], staff[FINANCE]
    year_start = date(today.year, 1, 1)
    busy = Application.objects.filter(centre=centre).values("household_id")
    households = list(
        Household.objects.filter(centre=centre).exclude(pk__in=busy).order_by("pk")[:HOUSEHOLDS]
    )
    for index, household in enumerate(households):
        head_member = next(
            (m for m in household.active_members if m.relation == Relation.HEAD), None
        )
        if head_member is None:
            continue
        worker = next(
            (staff[w] for w in WORKERS if staff[w].district_id == household.district_id), None
        )
        if worker is None:
            continue
        benefit, reasons, amount = PLAN[index % len(PLAN)]
        received = year_start + timedelta(days=12 + 9 * index)
        if any(m.person.birth_date > received for m in household.active_members):
            continue  # a child born later this year was not in the household then
        _decide(
            worker=worker,
            head=head,
            finance=finance,
            household=household,
            applicant=head_member.person,
            received=received,
            benefit=benefit,
            reasons=reasons,
            amount=amount,
        )
    paid = 0
    month = date(today.year, 2, 1)
    last_month = payment_rules.first_of_month(today.replace(day=1) - timedelta(days=1))
    while month <= last_month:
        paid += _pay_month(finance=finance, head=head, month=month)
        month = payment_rules.next_month(month)
    return paid


def _decide(
    *, worker, head, finance, household, applicant, received, benefit, reasons, amount
) -> None:
    try:
        application = case_services.application_register(
            actor=worker,
            household=household,
            applicant=applicant,
            received_on=received,
            benefits_requested=[benefit],
            reasons=reasons,
            description=HISTORY_NOTE,
        )
    except ValidationError:
        return
    case_services.interview_record(
        actor=worker,
        interview=application.interviews.get(),
        conducted_on=received + timedelta(days=4),
        needs="Pomoc w zaspokojeniu podstawowych potrzeb bytowych.",
        diagnosis="Dochód rodziny poniżej kryterium; trudna sytuacja życiowa.",
        help_plan="Świadczenie pieniężne i praca socjalna.",
    )
    period_from = payment_rules.next_month(payment_rules.first_of_month(received))
    periodic = benefit == BenefitKind.PERIODIC
    decision = benefit_services.decision_draft(
        actor=worker,
        application=application,
        benefit=benefit,
        period_from=period_from,
        period_until=(
            payment_rules.add_months(period_from, 4) - timedelta(days=1) if periodic else None
        ),
        amount=amount,
        payment_method="cash",
    )
    if decision.kind != "granting":
        benefit_services.decision_discard(actor=worker, decision=decision)
        return
    issued_on = received + timedelta(days=9)
    decision = benefit_services.decision_issue(actor=head, decision=decision, issued_on=issued_on)
    if not periodic:
        # A purpose allowance is paid at once at the cashier, outside the monthly payroll.
        payment_services.urgent_payment_make(actor=finance, decision=decision, on=issued_on)


def _pay_month(*, finance, head, month: date) -> int:
    """The month's payroll, approved by the head, every payment collected at the cashier."""
    payment_services.schedules_sync(centre=finance.centre, until_month=month)
    month_end = payment_rules.next_month(month) - timedelta(days=1)
    due = ScheduleItem.objects.filter(
        centre=finance.centre,
        status=ItemStatus.PLANNED,
        urgent=False,
        due_on__lte=month_end,
        payments__isnull=True,
    )
    if not due.exists():
        return 0  # no empty payrolls
    payroll = payment_services.payroll_generate(actor=finance, month=month)
    payroll = payment_services.payroll_approve(actor=head, payroll=payroll)
    count = 0
    for payment in payroll.payments.select_related("item").order_by("pk"):
        payment_services.payment_outcome_record(
            actor=finance,
            payment=payment,
            outcome=PaymentStatus.PAID,
            on=max(payment.item.due_on, month.replace(day=10)),
        )
        count += 1
    return count
