"""Writes of payments: schedules kept in step with decisions, payrolls, payments, outcomes.

Schedules are derived from issued decisions by ``schedules_sync``, which is idempotent: it
is run before every payroll and urgent payment, so a decision issued at any time (or before
this app existed) gets its schedule, and an amending, revoking or suspending decision changes
the items of the months it covers. Paid items are never changed.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import DateField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from stdnum import iban

from gops.accounts.models import Centre, User
from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change, audited_save, snapshot
from gops.benefits.models import Decision, DecisionKind, DecisionStatus, PaymentMethod
from gops.benefits.services import CASH, INTEGRATION, MONTHLY
from gops.cases.models import BenefitKind
from gops.integration.rules import MAX_MONTHS as INTEGRATION_MONTHS
from gops.people.models import Person

from . import rules, selectors_finance
from .models import (
    Budget,
    Debt,
    DebtInstalment,
    DebtSettlement,
    DebtStatus,
    Difference,
    ItemStatus,
    Payment,
    PaymentStatus,
    Payroll,
    PayrollStatus,
    ScheduleItem,
    SettlementKind,
)
from .selectors_finance import debt_balance  # noqa: F401 - debt_balance is a service too

# How far ahead an open-ended monthly benefit (zasiłek stały) is planned.
HORIZON_MONTHS = 2
ACTIVE_PAYMENT = ~Q(status=PaymentStatus.RETURNED)


def _horizon(until_month: date) -> date:
    month = rules.first_of_month(until_month)
    for _i in range(HORIZON_MONTHS):
        month = rules.next_month(month)
    return month


def _paid_or_on_payroll(item: ScheduleItem) -> Payment | None:
    return item.payments.filter(ACTIVE_PAYMENT).first()


def _plan(
    decision: Decision, horizon: date, after: date | None = None
) -> list[rules.PlannedPayment]:
    """The payments of `decision`'s plan up to `horizon` (rules.PlannedPayment); monthly ones
    only after `after`. _items_insert writes them as the decision's schedule items."""
    centre = decision.centre
    if decision.benefit in MONTHLY:
        integration = decision.benefit in INTEGRATION
        # Only the integration benefit reads its calculation (deferred by schedules_sync: one
        # query per decision would be spent on every other monthly allowance).
        later = (decision.assessment or {}).get("amount_months_7_12") if integration else None
        plan = rules.monthly_plan(
            period_from=decision.period_from,
            period_until=decision.period_until,
            amount=decision.amount,
            payment_day=centre.payment_day,
            issued_on=decision.issued_on,
            horizon=horizon,
            # The integration benefit's months 7–12 (benefits.services.decision_draft).
            later_amount=Decimal(later) if later and decision.kind == "granting" else None,
            max_payments=INTEGRATION_MONTHS if integration else None,
            after=after,
        )
    else:
        plan = [
            rules.one_off_plan(
                amount=decision.amount,
                issued_on=decision.issued_on,
                period_from=decision.period_from,
            )
        ]
    return plan


def _apply_change(change: Decision) -> None:
    """Cancel the changed decision's unpaid items from the effective month; record the
    difference for months already paid."""
    original = Decision.objects.defer("pdf").get(pk=change.changes_decision_id)
    effective = rules.first_of_month(change.period_from)
    # Only what the change replaces: the decision and the amendments issued before the
    # change — never the change's own items, nor a later amendment's.
    replaced = [
        d.pk
        for d in _decision_chain(original)
        if (d.issued_on, d.pk) < (change.issued_on, change.pk)
    ]
    affected = ScheduleItem.objects.filter(
        decision__in=replaced, month__gte=effective, status=ItemStatus.PLANNED
    ).order_by("pk")
    for item in affected.select_for_update():
        payment = _paid_or_on_payroll(item)
        if payment is None:
            item.status = ItemStatus.CANCELLED
            item.cancelled_by = change
            item.save(update_fields=["status", "cancelled_by", "updated_at"])
            continue
        now_due = change.amount if change.kind == DecisionKind.AMENDING else Decimal("0.00")
        difference = rules.difference_owed(paid=payment.amount, now_due=now_due)
        if difference:
            Difference.objects.get_or_create(
                item=item,
                changed_by=change,
                defaults={
                    "centre_id": item.centre_id,
                    "person_id": item.person_id,
                    "amount": difference,
                },
            )


def _decision_chain(decision: Decision) -> list[Decision]:
    """A decision and the amending decisions issued on it (whose items it also governs)."""
    chain = [decision]
    for later in decision.changed_by.filter(
        status=DecisionStatus.ISSUED, kind=DecisionKind.AMENDING
    ).defer("pdf"):
        chain += _decision_chain(later)
    return chain


@transaction.atomic
def schedules_sync(*, centre: Centre, until_month: date) -> int:
    """Create the missing schedule items of issued cash decisions up to `until_month` (plus a
    short horizon for open-ended ones) and apply issued changes; returns items created.

    A large city has hundreds of thousands of issued decisions from ten years: the database
    picks the few with months left to plan and the changes that still have an effect, and
    Python plans only those (docs/performance.md, "Large city").
    """
    horizon = _horizon(until_month)
    issued = Decision.objects.filter(
        centre=centre, status=DecisionStatus.ISSUED, benefit__in=list(CASH)
    ).defer("pdf", "assessment", "ruling", "reasoning")  # only what planning needs
    # Every revoking or suspending decision, per decision it stops; the earliest one wins.
    stopped: dict[int, list[Decision]] = {}
    for d in issued.filter(kind__in=[DecisionKind.REVOKING, DecisionKind.SUSPENDING]).order_by(
        "period_from", "pk"
    ):
        stopped.setdefault(d.changes_decision_id, []).append(d)
    created = 0
    batch: list[tuple[Decision, rules.PlannedPayment]] = []
    for decision in _planners_with_months_left(issued, horizon).iterator(chunk_size=2000):
        decision.centre = centre  # the same for all; spares a query per decision
        last = decision.last_planned
        if last is not None and (
            decision.benefit not in MONTHLY or last >= _plan_end(decision, horizon)
        ):
            continue
        end = _stop_month(decision, stopped)
        # Months the changed decision already paid (or put on a payroll) are not planned
        # again: their difference is recorded by _apply_change instead.
        settled = (
            _settled_months(Decision.objects.defer("pdf").get(pk=decision.changes_decision_id))
            if decision.changes_decision_id
            else set()
        )
        batch += [
            (decision, p)
            for p in _plan(decision, horizon, after=last)
            if (end is None or p.month < end)
            and (last is None or p.month > last)
            and p.month not in settled
        ]
        if len(batch) >= ITEMS_BATCH:
            created += _items_insert(batch)
            batch = []
    if batch:
        created += _items_insert(batch)
    # Changes are applied once every decision is planned, so that they also reach the months
    # just planned for the decisions they change: amendments in the order issued, then the
    # revocations and suspensions.
    changes = _changes_with_effect(issued)
    for change in changes.filter(kind=DecisionKind.AMENDING).order_by("issued_on", "pk"):
        _apply_change(change)
    for change in changes.exclude(kind=DecisionKind.AMENDING).order_by("period_from", "pk"):
        _apply_change(change)
    return created


ITEMS_BATCH = 1000
_ITEM_COLUMNS = (
    "created_at, updated_at, centre_id, decision_id, person_id, month, due_on, amount, method,"
    " bank_account, payee_name, invoice_number, urgent, status, cancelled_by_id"
)


def _items_insert(planned: list[tuple[Decision, rules.PlannedPayment]]) -> int:
    """Write the planned payments as schedule items, one multi-row INSERT per batch: model
    instances and bulk_create cost a city's 55,000 horizon items more time than the database
    spent writing them (docs/performance.md, "Large city"). ON CONFLICT DO NOTHING relies on
    item_one_per_month, as bulk_create(ignore_conflicts=True) did; returns the rows written."""
    # As the ORM would store it (SQLite keeps naive UTC text; the raw value gets an offset).
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    row = "(" + ", ".join(["%s"] * 15) + ")"
    values = ", ".join([row] * len(planned))
    params: list = []
    for d, p in planned:
        params += [
            now, now, d.centre_id, d.pk, d.person_id, p.month, p.due_on, p.amount,
            d.payment_method, d.bank_account, d.payee_name, "", d.benefit not in MONTHLY,
            ItemStatus.PLANNED.value, None,
        ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO payments_scheduleitem ({_ITEM_COLUMNS}) VALUES {values}"  # noqa: S608
            " ON CONFLICT DO NOTHING",
            params,
        )
        return cursor.rowcount


# What planning reads of a decision (the rest, its PDF and texts above all, stays in the
# database): see _plan_items, _plan_end, _stop_month.
_PLANNING_FIELDS = (
    "centre_id", "person_id", "benefit", "kind", "amount", "period_from", "period_until",
    "issued_on", "payment_method", "bank_account", "payee_name", "changes_decision_id",
)  # fmt: skip


def _planners_with_months_left(issued, horizon: date):
    """Granting and amending decisions that may have months left to plan, with the last
    month planned so far (``last_planned``, None if nothing is): never planned, or monthly
    with a month after the last planned one inside both their period and the horizon. A
    superset: _plan_end and _stop_month decide exactly."""
    last = (
        ScheduleItem.objects.filter(decision=OuterRef("pk")).order_by("-month").values("month")[:1]
    )
    return (
        issued.filter(kind__in=[DecisionKind.GRANTING, DecisionKind.AMENDING])
        .exclude(amount__isnull=True)
        .only(*_PLANNING_FIELDS)
        .annotate(last_planned=Subquery(last))
        .alias(period_until_month=TruncMonth("period_until", output_field=DateField()))
        .filter(
            Q(last_planned__isnull=True)
            | Q(benefit__in=list(MONTHLY), last_planned__lt=horizon)
            & (Q(period_until__isnull=True) | Q(period_until_month__gt=F("last_planned")))
        )
        .order_by("issued_on", "pk")
    )


def _changes_with_effect(issued):
    """Amending, revoking and suspending decisions with something left to do: a planned item
    of the same person, of a decision issued before the change, from the change's month on,
    that is unpaid (to cancel) or paid without this change's difference recorded. A superset
    of what _apply_change touches (the decisions it replaces are the person's, issued
    earlier): it decides exactly, and a change with nothing left costs no query per run."""
    paid = Payment.objects.filter(item=OuterRef("pk")).filter(ACTIVE_PAYMENT)
    recorded = Difference.objects.filter(item=OuterRef("pk"), changed_by=OuterRef(OuterRef("pk")))
    pending = (
        ScheduleItem.objects.filter(
            person_id=OuterRef("person_id"),
            status=ItemStatus.PLANNED,
            decision__issued_on__lte=OuterRef("issued_on"),
            month__gte=OuterRef("effective_month"),
        )
        .exclude(decision_id=OuterRef("pk"))
        .filter(~Exists(paid) | ~Exists(recorded))
    )
    return (
        issued.filter(
            kind__in=[DecisionKind.AMENDING, DecisionKind.REVOKING, DecisionKind.SUSPENDING],
            changes_decision__isnull=False,
        )
        .alias(effective_month=TruncMonth("period_from", output_field=DateField()))
        .filter(Exists(pending))
    )


def _settled_months(decision: Decision) -> set[date]:
    """Months of a decision (and its amendments) already paid or on a payroll."""
    return set(
        ScheduleItem.objects.filter(decision__in=_decision_chain(decision))
        .filter(payments__in=Payment.objects.filter(ACTIVE_PAYMENT))
        .values_list("month", flat=True)
    )


def _plan_end(decision: Decision, horizon: date) -> date:
    """The last month a monthly decision is planned up to now."""
    end = min(decision.period_until, horizon) if decision.period_until else horizon
    if decision.benefit in INTEGRATION:
        # Twelve payments at most (monthly_plan's max_payments), even over 13 calendar months.
        last = rules.add_months(rules.first_of_month(decision.period_from), INTEGRATION_MONTHS - 1)
        end = min(end, last)
    return rules.first_of_month(end)


def _stop_month(decision: Decision, stopped: dict[int, list[Decision]]) -> date | None:
    """The first month any revoking or suspending decision (on this one or the one it
    amends) stops."""
    months = [
        rules.first_of_month(change.period_from)
        for link_id in (decision.pk, decision.changes_decision_id)
        if link_id is not None
        for change in stopped.get(link_id, [])
    ]
    return min(months) if months else None


# --- Payrolls -------------------------------------------------------------------------------

# One statement moves every due item onto the payroll: the database does the work (the
# payroll of a large city has tens of thousands of rows). ON CONFLICT DO NOTHING relies on
# the partial unique constraint payment_one_per_item, so a racing run adds nothing twice.
_PAYMENTS_INSERT_SQL = """
INSERT INTO payments_payment (
    created_at, updated_at, centre_id, item_id, payroll_id, person_id, amount, method,
    bank_account, payee_name, status, paid_on, outcome_note, recorded_by_id
)
SELECT %s, %s, i.centre_id, i.id, %s, i.person_id, i.amount, i.method,
       i.bank_account, i.payee_name, 'pending', NULL, '', NULL
FROM payments_scheduleitem i
WHERE i.centre_id = %s AND i.status = 'planned' AND i.urgent = %s AND i.due_on <= %s
  AND NOT EXISTS (
      SELECT 1 FROM payments_payment p WHERE p.item_id = i.id AND p.status <> 'returned'
  )
ORDER BY i.id
ON CONFLICT DO NOTHING
"""


def _payments_insert(*, payroll: Payroll, due_by: date) -> int:
    # As the ORM would store it (SQLite keeps naive UTC text; the raw value gets an offset).
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            _PAYMENTS_INSERT_SQL, [now, now, payroll.pk, payroll.centre_id, False, due_by]
        )
        return cursor.rowcount


def _month_end(month: date) -> date:
    return rules.next_month(month) - timedelta(days=1)


def payroll_generate(*, actor: User, month: date) -> Payroll:
    """Lista wypłat for `month`: every planned item due by the month's end that is not paid or
    on a payroll yet. Idempotent: generating again returns the same payroll and adds only new
    items; one payment per item is a unique constraint, so concurrent runs cannot double."""
    if not actor.has_perm("payments.add_payroll"):
        raise PermissionDenied
    month = rules.first_of_month(month)
    for _attempt in range(3):
        try:
            return _payroll_generate(actor=actor, month=month)
        except IntegrityError:
            # Another process created the month's payroll between our look and our insert.
            continue
    raise ValidationError(_("The payroll is being generated by someone else; try again."))


@transaction.atomic
def _payroll_generate(*, actor: User, month: date) -> Payroll:
    _budget_closed_check(month, actor.centre)
    payroll = (
        Payroll.objects.select_for_update().filter(centre_id=actor.centre_id, month=month).first()
    )
    if payroll is None:
        with transaction.atomic():
            payroll = Payroll.objects.create(
                centre_id=actor.centre_id, month=month, prepared_by=actor
            )
        payroll = Payroll.objects.select_for_update().get(pk=payroll.pk)
        audit_record_change(
            actor=actor,
            instance=payroll,
            action=AuditAction.CREATE,
            changes={"month": [None, month.isoformat()]},
        )
    if payroll.status == PayrollStatus.APPROVED:
        raise ValidationError(
            _("The payroll of %(month)s is approved and locked.") % {"month": f"{month:%Y-%m}"}
        )
    schedules_sync(centre=actor.centre, until_month=month)
    _payments_insert(payroll=payroll, due_by=_month_end(month))
    debts_set_off(actor=actor, payroll=payroll)
    return payroll


@transaction.atomic
def payroll_approve(*, actor: User, payroll: Payroll) -> Payroll:
    """The head approves a prepared payroll; it is locked from then on. Nobody approves a
    payroll they prepared (two-step control)."""
    if not actor.has_perm("payments.approve_payroll"):
        raise PermissionDenied(_("Only the head of the centre approves payrolls."))
    payroll = Payroll.objects.select_for_update().get(pk=payroll.pk)
    if payroll.status == PayrollStatus.APPROVED:
        raise ValidationError(_("The payroll is already approved."))
    if payroll.prepared_by_id == actor.pk:
        raise ValidationError(_("You prepared this payroll; another person must approve it."))
    if not payroll.payments.exists():
        raise ValidationError(_("The payroll is empty."))
    payroll.status = PayrollStatus.APPROVED
    payroll.approved_by = actor
    payroll.approved_at = timezone.now()
    payroll.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=payroll,
        action=AuditAction.UPDATE,
        changes={"status": ["prepared", "approved"]},
    )
    return payroll


@transaction.atomic
def payment_outcome_record(
    *, actor: User, payment: Payment, outcome: str, on: date | None = None, note: str = ""
) -> Payment:
    """Record what happened to a payment: paid (with the date), returned by the bank (the
    item goes back to be paid again), or not collected at the cashier."""
    if not actor.has_perm("payments.change_payment"):
        raise PermissionDenied
    payment = (
        Payment.objects.select_for_update(of=("self",)).select_related("payroll").get(pk=payment.pk)
    )
    if outcome not in (PaymentStatus.PAID, PaymentStatus.RETURNED, PaymentStatus.NOT_COLLECTED):
        raise ValidationError({"outcome": _("Choose: paid, returned or not collected.")})
    if payment.payroll is not None and payment.payroll.status != PayrollStatus.APPROVED:
        raise ValidationError(_("Outcomes are recorded for approved payrolls only."))
    if payment.status != PaymentStatus.PENDING and not (
        payment.status == PaymentStatus.PAID and outcome == PaymentStatus.RETURNED
    ):
        raise ValidationError(_("The outcome of this payment is already recorded."))
    on = on or timezone.localdate()
    before = payment.status
    payment.status = outcome
    payment.paid_on = on if outcome == PaymentStatus.PAID else payment.paid_on
    payment.outcome_note = note
    payment.recorded_by = actor
    payment.save(update_fields=["status", "paid_on", "outcome_note", "recorded_by", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=payment,
        action=AuditAction.UPDATE,
        changes={"status": [before, outcome], "on": [None, on.isoformat()]},
        person_id=payment.person_id,
    )
    return payment


@transaction.atomic
def schedule_item_correct_account(
    *, actor: User, item: ScheduleItem, bank_account: str
) -> ScheduleItem:
    """Correct the account of an item whose transfer was returned; the next payroll pays it."""
    if not actor.has_perm("payments.change_payment"):
        raise PermissionDenied
    if not iban.is_valid(bank_account):
        raise ValidationError({"bank_account": _("Give a valid bank account number (IBAN).")})
    item = ScheduleItem.objects.select_for_update().get(pk=item.pk)
    if item.status == ItemStatus.CANCELLED:
        raise ValidationError(_("This item is cancelled and will not be paid."))
    before = item.bank_account
    item.bank_account = iban.compact(bank_account)
    item.method = PaymentMethod.BANK_TRANSFER
    item.save(update_fields=["bank_account", "method", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=item,
        action=AuditAction.UPDATE,
        changes={"bank_account": [before, item.bank_account]},
        person_id=item.person_id,
    )
    return item


@transaction.atomic
def urgent_payment_make(*, actor: User, decision: Decision, on: date | None = None) -> Payment:
    """Pay a purpose allowance for an urgent need on the day (u.p.s. art. 39–40), outside the
    monthly payroll: cash at the cashier or an immediate transfer. Once per item."""
    if not actor.has_perm("payments.add_payment"):
        raise PermissionDenied
    if decision.status != DecisionStatus.ISSUED or decision.kind not in (
        DecisionKind.GRANTING,
        DecisionKind.AMENDING,
    ):
        raise ValidationError(_("Only an issued granting decision is paid."))
    if decision.benefit in MONTHLY:
        raise ValidationError(_("Monthly benefits are paid on the monthly payroll."))
    schedules_sync(centre=decision.centre, until_month=decision.issued_on)
    item = ScheduleItem.objects.select_for_update().filter(decision=decision).first()
    if item is None or item.status == ItemStatus.CANCELLED:
        raise ValidationError(_("This benefit is cancelled and cannot be paid."))
    if item.payments.filter(ACTIVE_PAYMENT).exists():
        raise ValidationError(_("This benefit has already been paid."))
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                centre_id=item.centre_id,
                item=item,
                payroll=None,
                person_id=item.person_id,
                amount=item.amount,
                method=item.method,
                bank_account=item.bank_account,
                payee_name=item.payee_name,
                status=PaymentStatus.PAID,
                paid_on=on,
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("This benefit has already been paid.")) from exc
    audit_record_change(
        actor=actor,
        instance=payment,
        action=AuditAction.CREATE,
        changes={"amount": [None, f"{payment.amount:.2f}"], "paid_on": [None, on.isoformat()]},
        person_id=payment.person_id,
    )
    return payment


# --- Budget ---------------------------------------------------------------------------------

_BUDGET_AUDITED = ["centre_id", "year", "benefit", "funding", "planned", "closed", "note"]


@transaction.atomic
def budget_save(*, actor: User, budget: Budget) -> Budget:
    """Save a new or changed budget line of the actor's centre, audited old → new."""
    adding = budget._state.adding
    if not actor.has_perm("payments.add_budget" if adding else "payments.change_budget"):
        raise PermissionDenied
    if not actor.is_superuser and budget.centre_id != actor.centre_id:
        raise PermissionDenied
    return audited_save(actor=actor, instance=budget, fields=_BUDGET_AUDITED)


def budget_line_set(
    *,
    actor: User,
    year: int,
    benefit: str,
    funding: str,
    planned: Decimal,
    closed: bool = False,
    note: str = "",
) -> Budget:
    """Plan (or re-plan) what the centre spends on `benefit` from `funding` in `year`; one
    line per benefit, funding and year, so setting it again changes that line."""
    budget = Budget.objects.filter(
        centre_id=actor.centre_id, year=year, benefit=benefit, funding=funding
    ).first() or Budget(centre_id=actor.centre_id, year=year, benefit=benefit, funding=funding)
    budget.planned, budget.closed, budget.note = planned, closed, note
    return budget_save(actor=actor, budget=budget)


def _budget_closed_check(payroll_month: date, centre: Centre) -> None:
    """Refuse a payroll of a month whose year's budget of a benefit on it is closed.

    The benefits on the payroll are those of its payments, of the items due and not paid yet,
    and of the monthly decisions in force in the month (their items may not be planned yet).
    """
    closed = dict(
        Budget.objects.filter(centre=centre, year=payroll_month.year, closed=True).values_list(
            "benefit", "year"
        )
    )
    if not closed:
        return
    month_end = _month_end(payroll_month)
    on_payroll = Payment.objects.filter(
        payroll__centre=centre, payroll__month=payroll_month, item__decision__benefit__in=closed
    ).values_list("item__decision__benefit", flat=True)
    due = (
        ScheduleItem.objects.filter(
            centre=centre,
            status=ItemStatus.PLANNED,
            urgent=False,
            due_on__lte=month_end,
            decision__benefit__in=closed,
        )
        .exclude(Exists(Payment.objects.filter(ACTIVE_PAYMENT, item=OuterRef("pk"))))
        .values_list("decision__benefit", flat=True)
    )
    stopped = Decision.objects.filter(
        changes_decision=OuterRef("pk"),
        status=DecisionStatus.ISSUED,
        period_from__lte=month_end,
    )
    in_force = (
        Decision.objects.filter(
            centre=centre,
            status=DecisionStatus.ISSUED,
            kind__in=[DecisionKind.GRANTING, DecisionKind.AMENDING],
            benefit__in=[b for b in closed if b in MONTHLY],
            period_from__lte=month_end,
        )
        .filter(Q(period_until__isnull=True) | Q(period_until__gte=payroll_month))
        .exclude(Exists(stopped))
        .values_list("benefit", flat=True)
    )
    found = set(on_payroll.distinct()) | set(due.distinct()) | set(in_force.distinct())
    if not found:
        return
    labels = dict(BenefitKind.choices)
    raise ValidationError(
        _(
            "The budget of %(benefits)s for %(year)s is closed: the payroll of %(month)s cannot "
            "be generated. Reopen the budget line first."
        )
        % {
            "benefits": ", ".join(str(labels.get(b, b)) for b in sorted(found)),
            "year": payroll_month.year,
            "month": f"{payroll_month:%Y-%m}",
        },
        code="budget_closed",
    )


# --- Undue benefits: repayment decisions, instalments, set-off, waiver (u.p.s. art. 98, 104) -

_DEBT_AUDITED = [
    "person_id",
    "source_decision_id",
    "amount",
    "reason",
    "decision_number",
    "issued_on",
    "due_on",
    "set_off",
    "status",
]
_INSTALMENT_MESSAGES = {
    "empty": _lazy("Give at least one instalment."),
    "not_positive": _lazy("Every instalment must be greater than zero."),
    "places": _lazy("Instalments are in złoty and grosze: at most two decimal places."),
    "before_issue": _lazy("No instalment can fall due before the repayment decision is issued."),
    "same_day": _lazy("Two instalments cannot fall due on the same day."),
    "sum": _lazy("The instalments must add up to the amount owed."),
}


def _debt_refresh_status(debt: Debt, actor: User | None) -> None:
    """Open while anything is owed; repaid or waived (if a waiver ended it) when nothing is."""
    balance = selectors_finance.debt_balance_of(debt=debt)
    if balance > 0:
        status = DebtStatus.OPEN
    elif debt.settlements.filter(kind=SettlementKind.WAIVER).exists():
        status = DebtStatus.WAIVED
    else:
        status = DebtStatus.REPAID
    if status != debt.status:
        before, debt.status = debt.status, status
        debt.save(update_fields=["status", "updated_at"])
        audit_record_change(
            actor=actor,
            instance=debt,
            action=AuditAction.UPDATE,
            changes={"status": [before, status]},
            person_id=debt.person_id,
        )


@transaction.atomic
def debt_create(
    *,
    actor: User,
    person: Person,
    source_decision: Decision,
    amount: Decimal,
    reason: str,
    decision_number: str,
    issued_on: date,
    instalments: list[tuple[date, Decimal]],
    set_off: bool = False,
    differences: Iterable[Difference] = (),
) -> Debt:
    """Record a repayment decision on undue benefits (u.p.s. art. 98, 104): the amount owed,
    the instalments and whether they are set off against current benefits.

    The benefit must come from a decision a later issued decision amended or revoked; the
    instalments must add up to the amount.
    """
    if not actor.has_perm("payments.add_debt"):
        raise PermissionDenied
    if person.centre_id != actor.centre_id:
        raise PermissionDenied
    source = Decision.objects.select_for_update().get(pk=source_decision.pk)
    errors: dict[str, list[str]] = {}
    if (
        source.person_id != person.pk
        or source.status != DecisionStatus.ISSUED
        or source.benefit not in CASH
        or not source.changed_by.filter(
            status=DecisionStatus.ISSUED, kind__in=[DecisionKind.AMENDING, DecisionKind.REVOKING]
        ).exists()
    ):
        errors["source_decision"] = [
            _(
                "Undue benefits are recovered after the person's decision granting a cash "
                "benefit has been amended or revoked (u.p.s. art. 98, 104): choose such a "
                "decision."
            )
        ]
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(rules.CENT):
        errors["amount"] = [_("Give the amount owed in złoty and grosze, greater than zero.")]
    if not reason.strip():
        errors["reason"] = [_("Give the reason: why the benefit was undue.")]
    decision_number = decision_number.strip()
    if not decision_number:
        errors["decision_number"] = [_("Give the number of the repayment decision.")]
    elif Debt.objects.filter(centre_id=actor.centre_id, decision_number=decision_number).exists():
        errors["decision_number"] = [_("A debt with this repayment decision is already recorded.")]
    if issued_on > timezone.localdate():
        errors["issued_on"] = [_("The repayment decision cannot be issued in the future.")]
    plan = sorted(
        (rules.Instalment(due_on=due, amount=Decimal(value)) for due, value in instalments),
        key=lambda i: i.due_on,
    )
    problems = rules.instalments_problems(amount=amount, issued_on=issued_on, instalments=plan)
    if problems:
        errors["instalments"] = [str(_INSTALMENT_MESSAGES[p]) for p in problems]
    differences = list(differences)
    for difference in differences:
        if difference.person_id != person.pk or difference.amount >= 0:
            errors["differences"] = [_("Link only the person's overpaid months.")]
        elif difference.debts.exists():
            errors["differences"] = [
                _("An overpaid month is already recovered by another repayment decision.")
            ]
    if errors:
        raise ValidationError(errors)
    debt = Debt.objects.create(
        centre_id=actor.centre_id,
        person=person,
        source_decision=source,
        amount=amount,
        reason=reason.strip(),
        decision_number=decision_number,
        issued_on=issued_on,
        due_on=plan[-1].due_on,
        set_off=set_off,
        created_by=actor,
    )
    DebtInstalment.objects.bulk_create(
        DebtInstalment(debt=debt, due_on=i.due_on, amount=i.amount) for i in plan
    )
    if differences:
        debt.differences.set(differences)
    audit_record_change(
        actor=actor,
        instance=debt,
        action=AuditAction.CREATE,
        changes={
            **{k: [None, v] for k, v in snapshot(debt, _DEBT_AUDITED).items()},
            "instalments": [None, [[i.due_on.isoformat(), f"{i.amount:.2f}"] for i in plan]],
        },
        person_id=person.pk,
    )
    return debt


def _settlement_audit(actor: User | None, settlement: DebtSettlement, person_id: int) -> None:
    audit_record_change(
        actor=actor,
        instance=settlement,
        action=AuditAction.CREATE,
        changes={
            "debt": [None, settlement.debt_id],
            "kind": [None, settlement.kind],
            "amount": [None, f"{settlement.amount:.2f}"],
            "on": [None, settlement.on.isoformat()],
            "payment": [None, settlement.payment_id],
            "decision_number": [None, settlement.decision_number],
        },
        person_id=person_id,
    )


def _settlement_checks(*, debt: Debt, amount: Decimal, on: date) -> Decimal:
    """The checks every repayment and waiver shares; returns the balance now."""
    errors: dict[str, list[str]] = {}
    if debt.status == DebtStatus.WAIVED:
        raise ValidationError(_("This debt has been waived."))
    balance = selectors_finance.debt_balance_of(debt=debt)
    if amount <= 0 or amount != amount.quantize(rules.CENT):
        errors["amount"] = [_("Give the amount in złoty and grosze, greater than zero.")]
    elif amount > balance:
        errors["amount"] = [
            _("Only %(balance)s zł is still owed.")
            % {"balance": number_format(balance, decimal_pos=2)}
        ]
    if on < debt.issued_on or on > timezone.localdate():
        errors["on"] = [_("The date must be between the repayment decision and today.")]
    if errors:
        raise ValidationError(errors)
    return balance


@transaction.atomic
def debt_repayment_record(
    *,
    actor: User,
    debt: Debt,
    amount: Decimal,
    on: date,
    kind: str = SettlementKind.TRANSFER,
    note: str = "",
) -> DebtSettlement:
    """Record money the person repaid, in cash at the cashier or by transfer."""
    if not actor.has_perm("payments.change_debt"):
        raise PermissionDenied
    debt = Debt.objects.select_for_update().get(pk=debt.pk, centre_id=actor.centre_id)
    if kind not in (SettlementKind.CASH, SettlementKind.TRANSFER):
        raise ValidationError({"kind": _("Choose: cash or bank transfer.")})
    amount = Decimal(amount)
    _settlement_checks(debt=debt, amount=amount, on=on)
    settlement = DebtSettlement.objects.create(
        centre_id=debt.centre_id,
        debt=debt,
        kind=kind,
        amount=amount,
        on=on,
        note=note,
        recorded_by=actor,
    )
    _settlement_audit(actor, settlement, debt.person_id)
    _debt_refresh_status(debt, actor)
    return settlement


@transaction.atomic
def debt_waive(
    *,
    actor: User,
    debt: Debt,
    reason: str,
    decision_number: str,
    on: date,
    amount: Decimal | None = None,
) -> DebtSettlement:
    """Record a decision waiving (umorzenie) the debt in whole — by default, what is still
    owed — or in part, in a particularly justified case (u.p.s. art. 104 ust. 4) (verify)."""
    if not actor.has_perm("payments.change_debt"):
        raise PermissionDenied
    debt = Debt.objects.select_for_update().get(pk=debt.pk, centre_id=actor.centre_id)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the waiver.")]
    if not decision_number.strip():
        errors["decision_number"] = [_("Give the number of the waiver decision.")]
    if errors:
        raise ValidationError(errors)
    if amount is None:
        amount = selectors_finance.debt_balance_of(debt=debt)
        if amount <= 0:
            raise ValidationError(_("Nothing is owed on this debt."))
    amount = Decimal(amount)
    _settlement_checks(debt=debt, amount=amount, on=on)
    settlement = DebtSettlement.objects.create(
        centre_id=debt.centre_id,
        debt=debt,
        kind=SettlementKind.WAIVER,
        amount=amount,
        on=on,
        decision_number=decision_number.strip(),
        note=reason.strip(),
        recorded_by=actor,
    )
    _settlement_audit(actor, settlement, debt.person_id)
    _debt_refresh_status(debt, actor)
    return settlement


@transaction.atomic
def debt_set_off_set(*, actor: User, debt: Debt, enabled: bool) -> Debt:
    """Turn the set-off against current benefits on (a decision orders it) or off."""
    if not actor.has_perm("payments.change_debt"):
        raise PermissionDenied
    debt = Debt.objects.select_for_update().get(pk=debt.pk, centre_id=actor.centre_id)
    if debt.set_off != enabled:
        before, debt.set_off = debt.set_off, enabled
        debt.save(update_fields=["set_off", "updated_at"])
        audit_record_change(
            actor=actor,
            instance=debt,
            action=AuditAction.UPDATE,
            changes={"set_off": [before, enabled]},
            person_id=debt.person_id,
        )
    return debt


@transaction.atomic
def debts_set_off(*, actor: User, payroll: Payroll) -> int:
    """Deduct the instalments due by the payroll's month end from the debtors' payments on it
    (u.p.s. art. 104), for debts whose repayment decision orders a set-off.

    Each deduction is a DebtSettlement of kind set_off and adds to Payment.deduction; no
    payment goes below zero. Idempotent: what is already set off counts as settled, so
    generating the payroll again deducts only instalments not covered yet. Runs inside the
    payroll's transaction; returns the number of deductions made.
    """
    if payroll.status != PayrollStatus.PREPARED:
        return 0
    debtors = Payment.objects.filter(payroll=payroll, status=PaymentStatus.PENDING).values(
        "person_id"
    )
    debts = (
        Debt.objects.select_for_update()
        .filter(centre_id=payroll.centre_id, set_off=True, person_id__in=debtors)
        .exclude(status=DebtStatus.WAIVED)
        .order_by("pk")
    )
    month_end = _month_end(payroll.month)
    made = 0
    for debt in debts:
        settled = selectors_finance.debt_settled(debt=debt)
        due = rules.arrears(
            instalments=selectors_finance.debt_instalments(debt),
            settled=settled,
            amount=debt.amount,
            on=month_end,
        )
        if due <= 0:
            _debt_refresh_status(debt, actor)
            continue
        payments = list(
            Payment.objects.select_for_update(of=("self",))
            .filter(payroll=payroll, person_id=debt.person_id, status=PaymentStatus.PENDING)
            .exclude(set_offs__debt=debt)
            .select_related("item")
            .order_by("pk")
        )
        split = rules.set_off_split(
            arrears=due, available=[p.amount - p.deduction for p in payments]
        )
        for payment, deduction in zip(payments, split, strict=True):
            if deduction <= 0:
                continue
            settlement = DebtSettlement.objects.create(
                centre_id=debt.centre_id,
                debt=debt,
                kind=SettlementKind.SET_OFF,
                amount=deduction,
                on=max(payment.item.due_on, payroll.month),
                payment=payment,
                recorded_by=actor,
            )
            Payment.objects.filter(pk=payment.pk).update(
                deduction=F("deduction") + deduction, updated_at=timezone.now()
            )
            _settlement_audit(actor, settlement, debt.person_id)
            made += 1
        _debt_refresh_status(debt, actor)
    return made
