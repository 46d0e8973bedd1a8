"""Temporary accommodation for homeless people (u.p.s. art. 48, 48a; LAW.md §4).

One active bed per person and one person per bed are database constraints, and so is one
record per bed and per person for each night.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gops.core.models import MoneyField, TimeStampedModel


class FacilityKind(models.TextChoices):
    NIGHT_SHELTER = "night_shelter", _("night shelter (noclegownia)")
    HOMELESS_SHELTER = "homeless_shelter", _("homeless shelter (schronisko)")
    SHELTER_WITH_CARE = "shelter_with_care", _("shelter with care services")
    WARMING_CENTRE = "warming_centre", _("warming centre (ogrzewalnia)")
    SHELTERED_FLAT = "sheltered_flat", _("sheltered flat")
    TRAINING_FLAT = "training_flat", _("training flat")


class Admits(models.TextChoices):
    ANY = "any", _("women and men")
    FEMALE = "F", _("women")
    MALE = "M", _("men")


class Facility(TimeStampedModel):
    """A place with beds: the centre's own or run by an organisation under contract."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=FacilityKind.choices)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=6)
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    operator = models.CharField(
        _("operator"), max_length=200, blank=True, help_text=_("empty: run by the centre")
    )
    contract_price_per_night = MoneyField(
        _("price per night paid by the gmina"), null=True, blank=True
    )
    contract_from = models.DateField(_("contract from"), null=True, blank=True)
    contract_until = models.DateField(_("contract until"), null=True, blank=True)
    admits = models.CharField(_("admits"), max_length=3, choices=Admits.choices, default=Admits.ANY)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    pets_allowed = models.BooleanField(_("pets allowed"), default=False)
    # An ogrzewalnia admits people under the influence (art. 48a ust. 5).
    admits_intoxicated = models.BooleanField(_("admits people under the influence"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_until__isnull=True)
                | Q(contract_from__isnull=True)
                | Q(contract_until__gte=F("contract_from")),
                name="facility_contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("shelter:facility_detail", args=[self.pk])


class Bed(TimeStampedModel):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="beds")
    room = models.CharField(_("room"), max_length=50)
    label = models.CharField(_("bed"), max_length=50)
    sex = models.CharField(_("for"), max_length=3, choices=Admits.choices, default=Admits.ANY)
    wheelchair_access = models.BooleanField(_("wheelchair access"), default=False)
    # Extra winter beds are available only within their season.
    season_from = models.DateField(_("seasonal from"), null=True, blank=True)
    season_until = models.DateField(_("seasonal until"), null=True, blank=True)
    out_of_use = models.BooleanField(_("out of use"), default=False)
    out_of_use_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["facility", "room", "label"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "room", "label"], name="bed_unique_label"),
            models.CheckConstraint(
                condition=(Q(season_from__isnull=True) & Q(season_until__isnull=True))
                | Q(season_until__gte=F("season_from")),
                name="bed_season_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} — {self.room}/{self.label}"


class CheckoutReason(models.TextChoices):
    HOUSING = "housing", _("moved to housing")
    OTHER_FACILITY = "other_facility", _("moved to another facility")
    HOSPITAL = "hospital", _("to hospital")
    LEFT = "left", _("left")
    REMOVED = "removed", _("removed for breaking the rules")
    DIED = "died", _("died")


class Placement(TimeStampedModel):
    """Pobyt: a person's stay in a bed, from a shelter decision or as an emergency
    intervention without a decision (noclegownia, ogrzewalnia)."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placements")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="placements")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="placements")
    decision = models.ForeignKey(
        "benefits.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    emergency = models.BooleanField(_("emergency intervention"), default=False)
    check_in = models.DateField(_("check-in"))
    check_out = models.DateField(_("check-out"), null=True, blank=True)
    checkout_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=CheckoutReason.choices, blank=True
    )
    # Odpłatność as set by the decision, per night.
    fee_per_night = MoneyField(_("fee per night"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-check_in", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(check_out__isnull=True),
                name="placement_one_active_bed_per_person",
            ),
            models.UniqueConstraint(
                fields=["bed"],
                condition=Q(check_out__isnull=True),
                name="placement_one_person_per_bed",
            ),
            models.CheckConstraint(
                condition=Q(check_out__isnull=True) | Q(check_out__gte=F("check_in")),
                name="placement_check_out_after_check_in",
            ),
            models.CheckConstraint(
                condition=Q(check_out__isnull=True) | ~Q(checkout_reason=""),
                name="placement_check_out_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=False) | Q(emergency=True),
                name="placement_decision_or_emergency",
            ),
        ]
        indexes = [models.Index(fields=["facility", "check_out"], name="placement_active_idx")]

    def __str__(self) -> str:
        return f"{self.person} — {self.bed}"


class NightRecord(models.Model):
    """The night count: who slept in which bed on a night."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    night = models.DateField(_("night"))
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="nights")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("stayed"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("night record")
        verbose_name_plural = _("night records")
        constraints = [
            models.UniqueConstraint(fields=["bed", "night"], name="night_one_person_per_bed"),
            models.UniqueConstraint(fields=["person", "night"], name="night_one_bed_per_person"),
        ]
        indexes = [models.Index(fields=["facility", "night"], name="night_facility_idx")]

    def __str__(self) -> str:
        return f"{self.night} {self.person_id} {self.bed_id}"


class ExitPlanStatus(models.TextChoices):
    ACTIVE = "active", _("in progress")
    COMPLETED = "completed", _("completed")
    BROKEN_OFF = "broken_off", _("broken off")


class HomelessnessExitPlan(TimeStampedModel):
    """Indywidualny program wychodzenia z bezdomności agreed with the person (LAW.md §4)."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="exit_plans")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    social_contract = models.ForeignKey(
        "cases.SocialContract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agreed_on = models.DateField(_("agreed on"))
    goals = models.TextField(_("goals"))
    status = models.CharField(
        _("status"), max_length=12, choices=ExitPlanStatus.choices, default=ExitPlanStatus.ACTIVE
    )
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("programme for leaving homelessness")
        verbose_name_plural = _("programmes for leaving homelessness")
        ordering = ["-agreed_on"]

    def __str__(self) -> str:
        return f"{self.person} — {self.agreed_on}"


class ExitArea(models.TextChoices):
    HOUSING = "housing", _("housing")
    WORK = "work", _("work")
    HEALTH = "health", _("health")
    DEBT = "debt", _("debts")
    DOCUMENTS = "documents", _("documents")
    OTHER = "other", _("other")


class ExitPlanStep(TimeStampedModel):
    plan = models.ForeignKey(HomelessnessExitPlan, on_delete=models.CASCADE, related_name="steps")
    area = models.CharField(_("area"), max_length=10, choices=ExitArea.choices)
    action = models.CharField(_("step"), max_length=300)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.action


class ExitPlanReview(TimeStampedModel):
    plan = models.ForeignKey(HomelessnessExitPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("progress"))

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"{self.reviewed_on}"
