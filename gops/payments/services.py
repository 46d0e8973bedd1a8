"""Writes of payments: schedules kept in step with decisions, payrolls, payments, outcomes.

Schedules are derived from issued decisions by ``schedules_sync``, which is idempotent: it
is run before every payroll and urgent payment, so a decision issued at any time (or before
this app existed) gets its schedule, and an amending, revoking or suspending decision changes
the items of the months it covers. Paid items are never changed.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban

from gops.accounts.models import Centre, User
from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change
from gops.benefits.models import Decision, DecisionKind, DecisionStatus, PaymentMethod
from gops.benefits.services import CASH, COMPUTED

from . import rules
from .models import (
    Difference,
    ItemStatus,
    Payment,
    PaymentStatus,
    Payroll,
    PayrollStatus,
    ScheduleItem,
)

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


def _plan_items(decision: Decision, horizon: date) -> list[ScheduleItem]:
    centre = decision.centre
    if decision.benefit in COMPUTED:
        plan = rules.monthly_plan(
            period_from=decision.period_from,
            period_until=decision.period_until,
            amount=decision.amount,
            payment_day=centre.payment_day,
            issued_on=decision.issued_on,
            horizon=horizon,
        )
    else:
        plan = [
            rules.one_off_plan(
                amount=decision.amount,
                issued_on=decision.issued_on,
                period_from=decision.period_from,
            )
        ]
    return [
        ScheduleItem(
            centre_id=decision.centre_id,
            decision=decision,
            person_id=decision.person_id,
            month=p.month,
            due_on=p.due_on,
            amount=p.amount,
            method=decision.payment_method,
            bank_account=decision.bank_account,
            payee_name=decision.payee_name,
            urgent=decision.benefit not in COMPUTED,
        )
        for p in plan
    ]


def _apply_change(change: Decision) -> None:
    """Cancel the changed decision's unpaid items from the effective month; record the
    difference for months already paid."""
    original = change.changes_decision
    effective = rules.first_of_month(change.period_from)
    affected = ScheduleItem.objects.filter(
        decision__in=_decision_chain(original), month__gte=effective, status=ItemStatus.PLANNED
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
    ):
        chain += _decision_chain(later)
    return chain


@transaction.atomic
def schedules_sync(*, centre: Centre, until_month: date) -> int:
    """Create the missing schedule items of issued cash decisions up to `until_month` (plus a
    short horizon for open-ended ones) and apply issued changes; returns items created."""
    horizon = _horizon(until_month)
    issued = Decision.objects.filter(
        centre=centre, status=DecisionStatus.ISSUED, benefit__in=list(CASH)
    ).select_related("centre", "changes_decision")
    created = 0
    # Grants and amendments plan items; each plans only months not planned yet.
    planners = issued.filter(kind__in=[DecisionKind.GRANTING, DecisionKind.AMENDING]).exclude(
        amount__isnull=True
    )
    stopped = {
        d.changes_decision_id: d
        for d in issued.filter(kind__in=[DecisionKind.REVOKING, DecisionKind.SUSPENDING])
    }
    # The last month planned so far for each decision: most decisions need nothing new.
    planned_until = dict(
        ScheduleItem.objects.filter(centre=centre)
        .values("decision")
        .annotate(last=Max("month"))
        .values_list("decision", "last")
    )
    for decision in planners.order_by("issued_on", "pk").iterator(chunk_size=2000):
        if decision.kind == DecisionKind.AMENDING:
            _apply_change(decision)
        last = planned_until.get(decision.pk)
        if last is not None and (
            decision.benefit not in COMPUTED or last >= _plan_end(decision, horizon)
        ):
            continue
        end = _stop_month(decision, stopped)
        new = [
            i
            for i in _plan_items(decision, horizon)
            if (end is None or i.month < end) and (last is None or i.month > last)
        ]
        if new:
            ScheduleItem.objects.bulk_create(new, ignore_conflicts=True)
            created += len(new)
    for change in stopped.values():
        _apply_change(change)
    return created


def _plan_end(decision: Decision, horizon: date) -> date:
    """The last month a monthly decision is planned up to now."""
    end = min(decision.period_until, horizon) if decision.period_until else horizon
    return rules.first_of_month(end)


def _stop_month(decision: Decision, stopped: dict[int, Decision]) -> date | None:
    """The first month a revoking or suspending decision (on this one or the one it
    amends) stops."""
    for link in [decision, decision.changes_decision]:
        if link is not None and link.pk in stopped:
            return rules.first_of_month(stopped[link.pk].period_from)
    return None


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
    now = timezone.now()
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
    if decision.status != DecisionStatus.ISSUED or decision.kind != DecisionKind.GRANTING:
        raise ValidationError(_("Only an issued granting decision is paid."))
    if decision.benefit in COMPUTED:
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
