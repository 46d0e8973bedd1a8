"""Legal parameters of cash benefits, versioned by date; decisions granting benefits; care
services: the council's fee scale and the hours delivered each month."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gops.cases.models import BenefitKind
from gops.core.models import MoneyField, TimeStampedModel, non_negative
from gops.core.validators import validate_iban

from . import rules


class LegalParameters(TimeStampedModel):
    """Kryteria dochodowe and amounts of u.p.s. art. 8, 9, 37, 38 in force from `valid_from`.

    A row holds until the next row's `valid_from`. A new regulation is a new row, added by
    the administrator: earlier rows stay as they were, because earlier decisions rest on them
    (LAW.md §2).
    """

    valid_from = models.DateField(
        _("in force from"),
        unique=True,
        help_text=_("A new regulation is a new row; do not overwrite the values of an old one."),
    )
    # Kryterium dochodowe osoby samotnie gospodarującej (art. 8 ust. 1 pkt 1).
    single_criterion = MoneyField(
        _("income criterion of a single person"), validators=non_negative()
    )
    # Kryterium dochodowe na osobę w rodzinie (art. 8 ust. 1 pkt 2).
    per_person_criterion = MoneyField(
        _("income criterion per person in a family"), validators=non_negative()
    )
    # Dochód z 1 ha przeliczeniowego (art. 8 ust. 8).
    farm_income_per_hectare = MoneyField(
        _("income per 1 hectare przeliczeniowy"), validators=non_negative()
    )
    permanent_allowance_max = MoneyField(
        _("maximum permanent allowance"),
        validators=non_negative(),
        help_text="u.p.s. art. 37 ust. 2 pkt 1",
    )
    permanent_allowance_min = MoneyField(
        _("minimum permanent allowance"),
        validators=non_negative(),
        help_text="u.p.s. art. 37 ust. 3",
    )
    periodic_allowance_min = MoneyField(
        _("minimum periodic allowance"),
        default=20,
        validators=non_negative(),
        help_text="u.p.s. art. 38 ust. 4",
    )
    # Blank in a form means "the per-person criterion"; clean() and save() fill it in.
    periodic_single_cap = MoneyField(
        _("maximum periodic allowance of a single person"),
        blank=True,
        validators=non_negative(),
        help_text=_(
            "u.p.s. art. 38 ust. 2 pkt 1; at most the per-person criterion (verify). "
            "Leave empty to use the per-person criterion."
        ),
    )
    # The amount base of art. 37 ust. 2 as a share of the criterion: 130 from 2024-01-01
    # (Dz.U. 2023 poz. 1693), 100 before. Eligibility always uses 100 % (art. 37 ust. 1).
    permanent_amount_percent = models.DecimalField(
        _("permanent allowance: percent of the criterion"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(100), MaxValueValidator(999)],
        help_text=_("130 from 1 January 2024, 100 before."),
    )
    # Monthly integration benefit of a single person in months 1–6 of an individual
    # integration programme (u.p.s. art. 94; LAW.md §6): the base of integration.rules.
    integration_benefit_single = MoneyField(
        _("integration benefit of a single person (months 1–6)"),
        null=True,
        blank=True,
        validators=non_negative(),
        help_text="u.p.s. art. 94 ust. 1",
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("The regulation or act, e.g. “Dz.U. 2024 poz. 1044”."),
    )

    class Meta:
        verbose_name = _("legal parameters")
        verbose_name_plural = _("legal parameters")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(single_criterion__gte=0)
                & Q(per_person_criterion__gte=0)
                & Q(farm_income_per_hectare__gte=0)
                & Q(permanent_allowance_min__gte=0)
                & Q(periodic_allowance_min__gte=0)
                & Q(periodic_single_cap__gte=0),
                name="legalparameters_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(permanent_allowance_max__gte=F("permanent_allowance_min")),
                name="legalparameters_permanent_max_not_below_min",
            ),
            models.CheckConstraint(
                condition=Q(permanent_amount_percent__gte=100),
                name="legalparameters_permanent_percent_at_least_100",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Legal parameters from %(date)s") % {"date": self.valid_from.isoformat()})

    def clean(self) -> None:
        if self.periodic_single_cap is None and self.per_person_criterion is not None:
            self.periodic_single_cap = self.per_person_criterion
        if (
            self.permanent_allowance_max is not None
            and self.permanent_allowance_min is not None
            and self.permanent_allowance_max < self.permanent_allowance_min
        ):
            raise ValidationError(
                {
                    "permanent_allowance_max": _(
                        "The maximum permanent allowance cannot be below the minimum."
                    )
                }
            )

    def save(self, *args, **kwargs):
        if self.periodic_single_cap is None:
            self.periodic_single_cap = self.per_person_criterion
        super().save(*args, **kwargs)


# --- Administrative decisions (k.p.a. art. 104, 107; u.p.s. art. 106, 110) -------------------


class DecisionKind(models.TextChoices):
    GRANTING = "granting", _("granting")
    REFUSING = "refusing", _("refusing")
    AMENDING = "amending", _("amending")
    REVOKING = "revoking", _("revoking")
    SUSPENDING = "suspending", _("suspending")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")
    DISCARDED = "discarded", _("discarded draft")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("bank transfer")
    CASH = "cash", _("cash at the cashier")
    THIRD_PARTY = "third_party", _("payment to a third party")


class Decision(TimeStampedModel):
    """Decyzja administracyjna on a benefit. Immutable once issued: corrections are new,
    amending decisions; the PDF is rendered once, at issue, and stored with its hash."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="decisions"
    )
    # For amending, revoking and suspending decisions: the decision they change.
    changes_decision = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changed_by",
        verbose_name=_("decision changed"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DecisionKind.choices)
    benefit = models.CharField(_("benefit"), max_length=20)  # cases.BenefitKind code
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    # Register of decision numbers: "<prefix>/<sequence>/<year>", given at issue.
    number = models.CharField(_("number"), max_length=40, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)

    legal_parameters = models.ForeignKey(
        LegalParameters, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    computed_amount = MoneyField(_("computed amount"), null=True, blank=True)
    amount = MoneyField(_("amount"), null=True, blank=True)
    amount_change_reason = models.TextField(_("reason for changing the amount"), blank=True)
    assessment = models.JSONField(_("calculation"), default=dict, blank=True)
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_until = models.DateField(_("until"), null=True, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=15, choices=PaymentMethod.choices, blank=True
    )
    bank_account = models.CharField(
        _("bank account (IBAN)"), max_length=34, blank=True, validators=[validate_iban]
    )
    payee_name = models.CharField(_("third party (payee)"), max_length=200, blank=True)
    # In-kind help (posiłek, ubranie, pomoc rzeczowa) and care services.
    quantity = models.CharField(_("quantity and scope"), max_length=200, blank=True)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    care_hours_per_week = models.DecimalField(
        _("care hours per week"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    care_fee_percent = models.DecimalField(
        _("fee as % of the hourly cost"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    care_hourly_cost = MoneyField(_("hourly cost"), null=True, blank=True)
    # Odpłatność za pobyt w schronieniu, set by the decision (u.p.s. art. 97).
    shelter_fee_per_night = MoneyField(_("fee per night of shelter"), null=True, blank=True)

    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    ruling = models.TextField(_("ruling"), blank=True)
    reasoning = models.TextField(_("reasoning"), blank=True)

    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_name = models.CharField(max_length=200, blank=True)
    signer_post = models.CharField(max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    served_on = models.DateField(_("served on"), null=True, blank=True)
    appeal_deadline = models.DateField(_("appeal deadline"), null=True, blank=True)
    final_on = models.DateField(_("final on"), null=True, blank=True)
    # Optimistic lock: raised by one on every edit of the draft through decision_update,
    # which refuses a save made over a newer version than the one the user loaded.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-id"]
        permissions = [("sign_decision", _("Can sign decisions"))]
        indexes = [
            # The decision register's count for a social worker: the year's issued decisions
            # with their party and application from the index alone (index-only scan), each
            # checked against the persons and applications the worker may see (a large
            # city's year: 93,000 decisions; docs/performance.md).
            models.Index(
                fields=["centre", "year", "person", "application"],
                condition=Q(status="issued", sequence__isnull=False),
                name="decision_register_idx",
            ),
            # Appeal periods running (the deadlines page): a few hundred of a large city's
            # 800,000 decisions, read from here instead of the whole table.
            models.Index(
                fields=["centre", "appeal_deadline"],
                condition=Q(status="issued", final_on__isnull=True, appeal_deadline__isnull=False),
                name="decision_appeal_running_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="decision_unique_number",
            ),
            # One decision settles one benefit of an application; a change is a new,
            # amending decision, never a second grant or refusal (k.p.a. art. 156 § 1 pkt 3).
            models.UniqueConstraint(
                fields=["application", "benefit"],
                condition=Q(status__in=["draft", "issued"], kind__in=["granting", "refusing"]),
                name="decision_one_per_benefit_of_an_application",
            ),
            models.CheckConstraint(
                condition=Q(period_until__isnull=True)
                | Q(period_from__isnull=True)
                | Q(period_until__gte=models.F("period_from")),
                name="decision_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="issued")
                | (Q(issued_on__isnull=False) & Q(signed_by__isnull=False) & ~Q(number="")),
                name="decision_issued_is_signed_and_numbered",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="decision_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(_("draft decision #%(id)s") % {"id": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("benefits:decision_detail", args=[self.pk])

    def legal_basis_by_act(self) -> dict[str, list[str]]:
        """The provisions grouped by act, for the sentence "Na podstawie art. … u.p.s. …"."""
        groups: dict[str, list[str]] = {"ups": [], "kpa": [], "other": []}
        for item in self.legal_basis:
            if item.startswith("u.p.s. "):
                groups["ups"].append(item.removeprefix("u.p.s. "))
            elif item.startswith("k.p.a. "):
                groups["kpa"].append(item.removeprefix("k.p.a. "))
            else:
                groups["other"].append(item)
        return groups

    def get_benefit_display(self) -> str:
        return str(dict(BenefitKind.choices).get(self.benefit, self.benefit))


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("pending")
    UPHELD = "upheld", _("decision upheld")
    CHANGED = "changed", _("decision changed")
    ANNULLED = "annulled", _("annulled and returned for reconsideration")


class Appeal(TimeStampedModel):
    """Odwołanie to the Samorządowe Kolegium Odwoławcze, lodged through the centre (k.p.a.
    art. 127, 129)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    lodged_on = models.DateField(_("lodged on"))
    forwarded_on = models.DateField(_("forwarded to the appeal board on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-lodged_on"]

    def __str__(self) -> str:
        return f"{self.decision} — {self.lodged_on}"


# --- Care services (usługi opiekuńcze, u.p.s. art. 50) ---------------------------------------


class CareFeeScale(TimeStampedModel):
    """The gmina council's fee table for care services (u.p.s. art. 50 ust. 6), in force from
    `valid_from` until the next row's. A new resolution is a new row: decisions copy the
    hourly cost and the fee percent they applied, so earlier decisions never change."""

    centre = models.ForeignKey(
        "accounts.Centre",
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("in force from"))
    # Koszt jednej godziny usług opiekuńczych set by the resolution.
    hourly_cost = MoneyField(
        _("cost of one hour of care"), validators=[MinValueValidator(Decimal("0.01"))]
    )
    resolution = models.CharField(
        _("council resolution"),
        max_length=300,
        help_text=_("E.g. “Uchwała nr XII/85/2024 Rady Gminy Testowo z dnia 28 listopada 2024 r.”"),
    )
    # [{"income_up_to_percent": "100", "fee_percent": "0"}, …, {"income_up_to_percent": null,
    # "fee_percent": "100"}]: income as a percent of the criterion (a single person's own
    # income against the single criterion; in a family the income per person against the
    # per-person criterion), up to and including the threshold → fee as a percent of the
    # hourly cost. Read and checked by rules.care_fee_brackets.
    brackets = models.JSONField(
        _("fee table"),
        default=list,
        help_text=_(
            "A list of brackets in order of income, e.g. "
            '[{"income_up_to_percent": "100", "fee_percent": "0"}, '
            '{"income_up_to_percent": "150", "fee_percent": "10"}, '
            '{"income_up_to_percent": null, "fee_percent": "100"}]. '
            "Income as a percent of the income criterion, up to and including the threshold; "
            "the fee as a percent of the hourly cost; the last bracket has no threshold."
        ),
    )

    class Meta:
        verbose_name = _("care services fee scale")
        verbose_name_plural = _("care services fee scales")
        ordering = ["centre", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "valid_from"], name="carefeescale_one_per_centre_and_day"
            ),
            models.CheckConstraint(
                condition=Q(hourly_cost__gt=0), name="carefeescale_hourly_cost_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Care services fees from %(date)s (%(resolution)s)")
            % {"date": self.valid_from.isoformat(), "resolution": self.resolution}
        )

    def clean(self) -> None:
        try:
            rows = rules.care_fee_brackets(self.brackets)
        except rules.CareFeeBracketsError as exc:
            raise ValidationError({"brackets": _care_brackets_message(exc)}) from exc
        # Stored as the resolution reads: thresholds and fees as decimal strings.
        self.brackets = [
            {
                "income_up_to_percent": None
                if row.income_up_to_percent is None
                else _percent_text(row.income_up_to_percent),
                "fee_percent": _percent_text(row.fee_percent),
            }
            for row in rows
        ]


def _percent_text(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _care_brackets_message(exc: rules.CareFeeBracketsError) -> str:
    messages = {
        "empty": _("Give at least one bracket."),
        "shape": _("Each bracket needs “income_up_to_percent” and “fee_percent”, nothing else."),
        "open_not_last": _("Only the last bracket may have no income threshold."),
        "last_not_open": _(
            "The last bracket must have no income threshold (null): it covers any higher income."
        ),
        "income_not_number": _("The income threshold must be a number."),
        "income_negative": _("The income threshold cannot be negative."),
        "income_not_ascending": _("Income thresholds must rise from bracket to bracket."),
        "fee_not_number": _("The fee must be a number."),
        "fee_range": _("The fee must be between 0 and 100 percent of the hourly cost."),
        "fee_falls": _("The fee cannot fall as income rises."),
        "places": _("Percentages have at most two decimal places."),
    }
    message = messages.get(exc.code, str(exc))
    if exc.index is None:
        return str(message)
    return str(_("Bracket %(number)s: %(message)s") % {"number": exc.index + 1, "message": message})


class CareServiceMonth(TimeStampedModel):
    """Hours of care delivered in one month under an issued decision granting care services,
    and the fee they cost the person (u.p.s. art. 50 ust. 6): hours × the decision's hourly
    cost × its fee percent, computed when the hours are recorded."""

    # Tenant key, the decision's centre.
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="care_months",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    hours_delivered = models.DecimalField(
        _("hours delivered"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(rules.CARE_HOURS_MONTH_MAX)],
    )
    fee_owed = MoneyField(_("fee owed"), validators=non_negative())
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("month of care services")
        verbose_name_plural = _("months of care services")
        ordering = ["decision", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "month"], name="careservicemonth_one_per_decision_and_month"
            ),
            models.CheckConstraint(
                condition=Q(hours_delivered__gte=0)
                & Q(hours_delivered__lte=rules.CARE_HOURS_MONTH_MAX),
                name="careservicemonth_hours_in_range",
            ),
            models.CheckConstraint(
                condition=Q(fee_owed__gte=0), name="careservicemonth_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} — {self.month:%Y-%m}"
