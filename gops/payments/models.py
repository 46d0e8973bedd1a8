"""Payment schedules of decisions, monthly payrolls and payments (wypłaty).

One payment per schedule item is a database constraint; only a payment the bank returned
lets the item be paid again (after the account is corrected).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gops.benefits.models import PaymentMethod
from gops.cases.models import CASH_BENEFITS, BenefitKind
from gops.core.models import MoneyField, TimeStampedModel, non_negative
from gops.core.validators import validate_iban


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CANCELLED = "cancelled", _("cancelled")


class ScheduleItem(TimeStampedModel):
    """Harmonogram wypłat: one planned payment of a decision (one month, or one-off)."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        "benefits.Decision", on_delete=models.PROTECT, related_name="schedule_items"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # The month the benefit is for (first day); one-off benefits: the month of the decision.
    month = models.DateField(_("month"))
    due_on = models.DateField(_("due on"))
    amount = MoneyField(_("amount"))
    method = models.CharField(_("payment method"), max_length=15, choices=PaymentMethod.choices)
    bank_account = models.CharField(
        _("bank account (IBAN)"), max_length=34, blank=True, validators=[validate_iban]
    )
    payee_name = models.CharField(_("payee"), max_length=200, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    # Zasiłek celowy for an urgent need: paid on the day, outside the monthly payroll.
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    # The amending, revoking or suspending decision that cancelled this item.
    cancelled_by = models.ForeignKey(
        "benefits.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("schedule item")
        verbose_name_plural = _("schedule items")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "month"], name="item_one_per_month"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="item_amount_positive"),
        ]
        indexes = [models.Index(fields=["centre", "status", "due_on"], name="item_due_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m} {self.amount} zł"


class PayrollStatus(models.TextChoices):
    PREPARED = "prepared", _("prepared")
    APPROVED = "approved", _("approved")


class Payroll(TimeStampedModel):
    """Lista wypłat of one month: prepared by finance, approved (and so locked) by the head."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    status = models.CharField(
        _("status"), max_length=10, choices=PayrollStatus.choices, default=PayrollStatus.PREPARED
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payroll")
        verbose_name_plural = _("payrolls")
        ordering = ["-month"]
        permissions = [("approve_payroll", _("Can approve payrolls"))]
        constraints = [
            models.UniqueConstraint(fields=["centre", "month"], name="payroll_one_per_month"),
        ]

    def __str__(self) -> str:
        return str(_("Payroll %(month)s") % {"month": self.month.strftime("%Y-%m")})

    def get_absolute_url(self) -> str:
        return reverse("payments:payroll_detail", args=[self.pk])


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("to be paid")
    PAID = "paid", _("paid")
    RETURNED = "returned", _("returned by the bank")
    NOT_COLLECTED = "not_collected", _("not collected")


class Payment(TimeStampedModel):
    """Wypłata: the payment of one schedule item, on a payroll or (urgent) on its own."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ScheduleItem, on_delete=models.PROTECT, related_name="payments")
    payroll = models.ForeignKey(
        Payroll, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="payments")
    amount = MoneyField(_("amount"))
    method = models.CharField(_("payment method"), max_length=15, choices=PaymentMethod.choices)
    bank_account = models.CharField(_("bank account (IBAN)"), max_length=34, blank=True)
    payee_name = models.CharField(_("payee"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    outcome_note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Undue benefits set off against this payment (u.p.s. art. 104): the sum of its
    # DebtSettlement rows of kind set_off. The database fills it in too (db_default), because
    # the payroll's INSERT … SELECT names its columns.
    deduction = MoneyField(
        _("set off against a debt"), default=Decimal("0.00"), db_default=Decimal("0.00")
    )
    # What reaches the payee: the bank file and the cash list pay this, not `amount`.
    net_amount = models.GeneratedField(
        expression=F("amount") - F("deduction"),
        output_field=MoneyField(),
        db_persist=True,
        verbose_name=_("net amount"),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["id"]
        constraints = [
            # One payment per schedule item; a payment the bank returned does not count,
            # so the item can be paid again once the account is corrected.
            models.UniqueConstraint(
                fields=["item"],
                condition=~Q(status="returned"),
                name="payment_one_per_item",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False),
                name="payment_paid_has_date",
            ),
            models.CheckConstraint(
                condition=Q(deduction__gte=0) & Q(deduction__lte=F("amount")),
                name="payment_deduction_within_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["payroll", "id"], name="payment_payroll_idx"),
            # A payroll's totals (per payroll on the list, per method on its page) and its
            # page of payments by method, from the index alone: a large city's payroll has
            # 65,000 payments (docs/performance.md). The amount is a key column rather than
            # INCLUDE, which SQLite lacks.
            models.Index(
                fields=["payroll", "method", "id", "amount"], name="payment_payroll_method_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.amount} zł ({self.get_status_display()})"


class Difference(TimeStampedModel):
    """A month already paid whose amount a later decision changed: recorded as owed.

    Positive: the centre owes the person (a top-up item is planned). Negative: the person was
    overpaid; recovery needs a decision (u.p.s. art. 98, 104) and is never netted silently.
    """

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ScheduleItem, on_delete=models.PROTECT, related_name="differences")
    changed_by = models.ForeignKey("benefits.Decision", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("difference"))

    class Meta:
        verbose_name = _("difference owed")
        verbose_name_plural = _("differences owed")
        constraints = [
            models.UniqueConstraint(fields=["item", "changed_by"], name="difference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.amount} zł"


# --- Budget (plan wydatków) -----------------------------------------------------------------


class Funding(models.TextChoices):
    # Which money pays the benefit is the centre's data, not a rule: zasiłek stały, for
    # instance, is an own task of the gmina that the state finances by a subsidy (u.p.s.
    # art. 17 ust. 1 pkt 19, art. 115) (verify).
    OWN = "own", _("own task (gmina's own funds)")
    COMMISSIONED = "commissioned", _("state subsidy (commissioned or subsidised task)")


class Budget(TimeStampedModel):
    """A line of the centre's yearly budget: what is planned for one cash benefit from one
    source of funding. Committed and paid amounts are computed, never stored."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    # cases.BenefitKind code; only cash benefits, whose decisions are scheduled and paid.
    benefit = models.CharField(
        _("benefit"),
        max_length=20,
        choices=[(code, label) for code, label in BenefitKind.choices if code in CASH_BENEFITS],
    )
    funding = models.CharField(_("funding"), max_length=12, choices=Funding.choices)
    planned = MoneyField(_("planned amount"), validators=non_negative())
    # A closed budget takes no more payrolls for its year: the year's accounts are closed.
    closed = models.BooleanField(
        _("closed"),
        default=False,
        help_text=_("A closed budget accepts no payroll of its year for this benefit."),
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the budget resolution or the subsidy agreement."),
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["-year", "benefit", "funding"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year", "benefit", "funding"], name="budget_one_line"
            ),
            models.CheckConstraint(condition=Q(planned__gte=0), name="budget_planned_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_benefit_display()} ({self.get_funding_display()})"


# --- Undue benefits and their repayment (u.p.s. art. 98, 104) -------------------------------


class DebtStatus(models.TextChoices):
    OPEN = "open", _("open")
    REPAID = "repaid", _("repaid")
    WAIVED = "waived", _("waived")


class Debt(TimeStampedModel):
    """Nienależnie pobrane świadczenie: an amount the person must repay, set by a repayment
    decision after the granting decision was amended or revoked (u.p.s. art. 98, 104).

    The balance is never stored: it is the amount less the settlements (repayments, set-offs
    against current benefits, waivers) up to a date.
    """

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="debts"
    )
    # The granting (or amending) decision that a later decision amended or revoked.
    source_decision = models.ForeignKey(
        "benefits.Decision",
        verbose_name=_("decision changed or revoked"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The overpaid months the schedule recorded, when the debt comes from them.
    differences = models.ManyToManyField(
        Difference, verbose_name=_("differences owed"), blank=True, related_name="debts"
    )
    amount = MoneyField(_("amount owed"))
    reason = models.TextField(_("reason"))
    # The repayment decision (decyzja o zwrocie nienależnie pobranych świadczeń).
    decision_number = models.CharField(_("repayment decision number"), max_length=60)
    issued_on = models.DateField(_("repayment decision issued on"))
    # The last day of repayment: the last instalment's due date.
    due_on = models.DateField(_("to be repaid by"))
    # Set-off against current benefits (u.p.s. art. 104) only when the decision orders it.
    set_off = models.BooleanField(
        _("set off against current benefits"),
        default=False,
        help_text=_("Only when the repayment decision orders it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DebtStatus.choices, default=DebtStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("undue benefit to repay")
        verbose_name_plural = _("undue benefits to repay")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "decision_number"], name="debt_one_per_repayment_decision"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="debt_amount_positive"),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("issued_on")), name="debt_due_after_issue"
            ),
        ]
        indexes = [models.Index(fields=["centre", "status"], name="debt_status_idx")]

    def __str__(self) -> str:
        return f"{self.decision_number} — {self.person} {self.amount} zł"

    def get_absolute_url(self) -> str:
        return reverse("finance:debt_detail", args=[self.pk])


class DebtInstalment(TimeStampedModel):
    """One instalment of the repayment, as the decision sets it (u.p.s. art. 104)."""

    debt = models.ForeignKey(Debt, on_delete=models.PROTECT, related_name="instalments")
    due_on = models.DateField(_("due on"))
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["debt", "due_on"], name="instalment_one_per_day"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount} zł"


class SettlementKind(models.TextChoices):
    CASH = "cash", _("paid in cash")
    TRANSFER = "transfer", _("bank transfer")
    SET_OFF = "set_off", _("set off against a benefit")
    WAIVER = "waiver", _("waived by decision")


class DebtSettlement(TimeStampedModel):
    """Money received on a debt, a set-off against a payment, or a waiver by decision.

    A set-off whose payment the bank returned or the person did not collect settles nothing
    (the payment did not happen); the item is paid again and set off again.
    """

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    debt = models.ForeignKey(Debt, on_delete=models.PROTECT, related_name="settlements")
    kind = models.CharField(_("kind"), max_length=10, choices=SettlementKind.choices)
    amount = MoneyField(_("amount"))
    on = models.DateField(_("date"))
    # The payment it was deducted from (set-off only).
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="set_offs"
    )
    # The waiver decision (umorzenie, u.p.s. art. 104 ust. 4) (verify).
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("settlement of a debt")
        verbose_name_plural = _("settlements of debts")
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="settlement_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="set_off", payment__isnull=False)
                | (~Q(kind="set_off") & Q(payment__isnull=True)),
                name="settlement_set_off_has_payment",
            ),
            models.CheckConstraint(
                condition=~Q(kind="waiver") | ~Q(decision_number=""),
                name="settlement_waiver_has_decision",
            ),
            # One set-off per debt and payment: generating a payroll again deducts nothing twice.
            models.UniqueConstraint(
                fields=["debt", "payment"],
                condition=Q(payment__isnull=False),
                name="settlement_one_set_off_per_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on} {self.amount} zł"
