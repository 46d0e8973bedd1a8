"""Payment schedules of decisions, monthly payrolls and payments (wypłaty).

One payment per schedule item is a database constraint; only a payment the bank returned
lets the item be paid again (after the account is corrected).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gops.benefits.models import PaymentMethod
from gops.core.models import MoneyField, TimeStampedModel
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
        ]
        indexes = [models.Index(fields=["payroll", "id"], name="payment_payroll_idx")]

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
