"""Integration of refugees and other foreigners.

The individual integration programme (indywidualny program integracji, u.p.s. art. 91–95;
LAW.md §6) for persons granted refugee status or subsidiary protection: applied for within 60
days of the grant, up to 12 months, with goals (Polish lessons, housing, work, the children's
schooling, health insurance, contacts with institutions), steps and reviews, and a monthly cash
benefit granted by decision and paid through payments. Where the centre does not act as a
county family-support centre, the same record serves as the centre's own integration plan
(``kind``), without the statutory benefit.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gops.core.models import MoneyField, TimeStampedModel


class ProgrammeKind(models.TextChoices):
    STATUTORY = "statutory", _("individual integration programme (u.p.s. art. 92)")
    OWN = "own", _("the centre's own integration plan")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("in progress")
    COMPLETED = "completed", _("completed")
    DISCONTINUED = "discontinued", _("discontinued")


class IntegrationProgramme(TimeStampedModel):
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("foreigner"),
        on_delete=models.PROTECT,
        related_name="integration_programmes",
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ProgrammeKind.choices, default=ProgrammeKind.STATUTORY
    )
    # The application for the programme and its benefit (cases), once registered.
    application = models.ForeignKey(
        "cases.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The day refugee status or subsidiary protection was granted; the application must be
    # made within 60 days of it (u.p.s. art. 92 ust. 1).
    protection_granted_on = models.DateField(_("protection granted on"), null=True, blank=True)
    applied_on = models.DateField(_("applied on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Persons covered by the programme (the foreigner and family members): sets the benefit.
    family_size = models.PositiveSmallIntegerField(_("persons covered"), default=1)
    # Monthly benefit for months 1–6 and 7–12, computed from the legal parameters (LAW.md §6).
    benefit_months_1_6 = MoneyField(_("monthly benefit, months 1–6"), null=True, blank=True)
    benefit_months_7_12 = MoneyField(_("monthly benefit, months 7–12"), null=True, blank=True)
    legal_parameters = models.ForeignKey(
        "benefits.LegalParameters",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.ForeignKey(
        "benefits.Decision",
        verbose_name=_("decision on the benefit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("integration programme")
        verbose_name_plural = _("integration programmes")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="programme_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(family_size__gte=1), name="programme_family_size"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["draft", "active"]),
                name="programme_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Integration programme no. %(id)s") % {"id": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("integration:programme_detail", args=[self.pk])


class IntegrationArea(models.TextChoices):
    POLISH_LESSONS = "polish_lessons", _("Polish lessons")
    HOUSING = "housing", _("housing")
    WORK = "work", _("work")
    SCHOOL = "school", _("school enrolment of the children")
    HEALTH_INSURANCE = "health_insurance", _("health insurance")
    INSTITUTIONS = "institutions", _("contacts with institutions")
    OTHER = "other", _("other")


class IntegrationGoal(TimeStampedModel):
    programme = models.ForeignKey(
        IntegrationProgramme, on_delete=models.PROTECT, related_name="goals"
    )
    area = models.CharField(_("area"), max_length=20, choices=IntegrationArea.choices)
    description = models.TextField(_("goal"))
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("integration goal")
        verbose_name_plural = _("integration goals")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_area_display()


class IntegrationStep(TimeStampedModel):
    goal = models.ForeignKey(IntegrationGoal, on_delete=models.PROTECT, related_name="steps")
    action = models.TextField(_("action"))
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("integration step")
        verbose_name_plural = _("integration steps")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.action[:60]


class IntegrationReview(TimeStampedModel):
    programme = models.ForeignKey(
        IntegrationProgramme, on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    progress = models.TextField(_("progress"))
    changes = models.TextField(_("changes to the programme"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("review of the programme")
        verbose_name_plural = _("reviews of the programme")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reviewed_on:%Y-%m-%d}"
