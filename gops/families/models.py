"""Family assistance (asysta rodzinna) and childcare support.

Ustawa z 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej, art. 15
(LAW.md §6): a family assistant works with a family on a plan of work agreed with the family
and its social worker, assesses the family at least every half-year, and works with at most
``settings.FAMILY_ASSISTANT_CASELOAD_LIMIT`` families at a time (art. 15 ust. 4).

Visible to the assigned assistant, the family's social worker and the head only
(``selectors.family_support_queryset_for_user``). The narrative about the family — why it needs
an assistant, the contact log, the assessments, the closing summary — and a child's special
needs (health) are encrypted at rest (docs/admin/klucze-szyfrowania.md); the plan of work is
not: it is a list of agreed actions shared with the family.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gops.core.models import EncryptedTextField, TimeStampedModel


class SupportStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    # Work ended; the assistant still watches how the family manages (art. 15 ust. 1 pkt 15).
    MONITORING = "monitoring", _("closed, monitoring")
    CLOSED = "closed", _("closed")


class ClosureOutcome(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", _("goals of the plan achieved")
    PARTLY_ACHIEVED = "partly_achieved", _("goals partly achieved")
    NOT_ACHIEVED = "not_achieved", _("goals not achieved")
    FAMILY_REFUSED = "family_refused", _("the family refused further work")
    FAMILY_MOVED = "family_moved", _("the family moved away")
    CHILDREN_PLACED = "children_placed", _("children placed in foster care")
    OTHER = "other", _("other")


class FamilySupport(TimeStampedModel):
    """A family's work with a family assistant, from assignment to the end of monitoring."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("family"),
        on_delete=models.PROTECT,
        related_name="family_supports",
    )
    assistant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("family assistant"),
        on_delete=models.PROTECT,
        related_name="family_supports",
    )
    # The family's social worker, with whom the plan is agreed (art. 15 ust. 1 pkt 1).
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("social worker of the family"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_on = models.DateField(_("work started on"))
    reason = EncryptedTextField(_("reason for assigning an assistant"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SupportStatus.choices, default=SupportStatus.ACTIVE
    )
    closed_on = models.DateField(_("work closed on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ClosureOutcome.choices, blank=True
    )
    closing_summary = EncryptedTextField(_("closing summary"), blank=True)
    monitoring_until = models.DateField(_("monitoring until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("family assistance")
        verbose_name_plural = _("family assistance")
        ordering = ["-started_on", "-id"]
        permissions = [("view_all_familysupports", _("Can see the work of every assistant"))]
        constraints = [
            # One assistant works with a family at a time.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="active"),
                name="familysupport_one_active_per_household",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("started_on")),
                name="familysupport_closed_after_start",
            ),
        ]
        indexes = [models.Index(fields=["assistant", "status"], name="familysupport_caseload")]

    def __str__(self) -> str:
        return str(_("Family assistance no. %(id)s") % {"id": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("families:support_detail", args=[self.pk])


class FamilyWorkPlan(TimeStampedModel):
    """Plan pracy z rodziną (art. 15 ust. 1 pkt 1): agreed with the family and the worker."""

    support = models.OneToOneField(FamilySupport, on_delete=models.PROTECT, related_name="plan")
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreed_with_family = models.BooleanField(_("agreed with the family"), default=False)
    agreed_with_social_worker = models.BooleanField(
        _("agreed with the social worker"), default=False
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("plan of work with the family")
        verbose_name_plural = _("plans of work with the family")

    def __str__(self) -> str:
        return str(_("Plan of work, family assistance no. %(id)s") % {"id": self.support_id})


class StepStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("plan step", "planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("plan step", "in progress")
    DONE = "done", pgettext_lazy("plan step", "done")
    ABANDONED = "abandoned", pgettext_lazy("plan step", "abandoned")


class PlanStep(TimeStampedModel):
    """One goal of the plan with its action, deadline and expected effect."""

    plan = models.ForeignKey(FamilyWorkPlan, on_delete=models.PROTECT, related_name="steps")
    goal = models.CharField(_("goal"), max_length=200)
    action = models.TextField(_("action"))
    responsible = models.CharField(_("who does it"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"))
    expected_effect = models.TextField(_("expected effect"))
    status = models.CharField(
        _("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.goal


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("home visit")
    OFFICE = "office", _("meeting at the office")
    PHONE = "phone", _("phone call")
    OUTSIDE = "outside", _("meeting elsewhere (school, clinic, court)")
    INSTITUTION = "institution", _("contact with an institution about the family")
    MONITORING = "monitoring", _("monitoring after closure")


class FamilyContact(TimeStampedModel):
    """The log of visits and contacts with the family."""

    support = models.ForeignKey(FamilySupport, on_delete=models.PROTECT, related_name="contacts")
    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=ContactKind.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    participants = models.CharField(_("who took part"), max_length=300, blank=True)
    notes = EncryptedTextField(_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contact with the family")
        verbose_name_plural = _("contacts with the family")
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on:%Y-%m-%d}"


class Progress(models.TextChoices):
    IMPROVED = "improved", _("the family's situation improved")
    NO_CHANGE = "no_change", _("no change")
    WORSE = "worse", _("the family's situation got worse")


class Recommendation(models.TextChoices):
    CONTINUE = "continue", _("continue the work")
    CHANGE_PLAN = "change_plan", _("change the plan")
    CLOSE = "close", _("close the work")


class FamilyAssessment(TimeStampedModel):
    """Okresowa ocena sytuacji rodziny, at least every half-year (art. 15 ust. 1 pkt 16).

    Created as scheduled (``due_on``); done when ``done_on`` is set, which schedules the next.
    """

    support = models.ForeignKey(FamilySupport, on_delete=models.PROTECT, related_name="assessments")
    due_on = models.DateField(pgettext_lazy("assessment", "due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    progress = models.CharField(_("progress"), max_length=12, choices=Progress.choices, blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=Recommendation.choices, blank=True
    )
    summary = EncryptedTextField(_("assessment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment of the family")
        verbose_name_plural = _("assessments of the family")
        ordering = ["due_on", "id"]
        constraints = [
            # At most one assessment waiting to be done per family.
            models.UniqueConstraint(
                fields=["support"],
                condition=Q(done_on__isnull=True),
                name="assessment_one_pending_per_support",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Assessment due %(due)s") % {"due": self.due_on.isoformat()})


class EducationSetting(models.TextChoices):
    HOME = "home", _("at home")
    NURSERY = "nursery", _("nursery (żłobek)")
    KINDERGARTEN = "kindergarten", _("kindergarten (przedszkole)")
    PRIMARY_SCHOOL = "primary_school", _("primary school")
    SECONDARY_SCHOOL = "secondary_school", _("secondary school")
    OTHER = "other", _("other")


class ChildProfile(TimeStampedModel):
    """A child of the supported family: where they are cared for or taught, and their needs."""

    support = models.ForeignKey(FamilySupport, on_delete=models.PROTECT, related_name="children")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    education_setting = models.CharField(
        _("nursery or school"), max_length=20, choices=EducationSetting.choices
    )
    institution_name = models.CharField(_("name of the institution"), max_length=200, blank=True)
    special_needs = EncryptedTextField(_("special needs"), blank=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["child__birth_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["support", "child"], name="childprofile_once"),
        ]

    def __str__(self) -> str:
        return str(self.child)


class ChildcareKind(models.TextChoices):
    DAY_SUPPORT = "day_support", _("day-support facility (placówka wsparcia dziennego)")
    NURSERY_PLACE = "nursery_place", _("help with a nursery place")
    KINDERGARTEN_PLACE = "kindergarten_place", _("help with a kindergarten place")
    SCHOOL_SUPPLIES = "school_supplies", _("school supplies")
    HOLIDAY_CARE = "holiday_care", _("holiday care")
    PARENTING_COURSE = "parenting_course", _("parenting course")
    OTHER = "other", _("other")


class ChildcareSupport(TimeStampedModel):
    """Support given for the children's care and upbringing, with dates and outcome."""

    support = models.ForeignKey(FamilySupport, on_delete=models.PROTECT, related_name="childcare")
    # Empty for support of the parents themselves (a parenting course).
    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind of support"), max_length=20, choices=ChildcareKind.choices)
    provider = models.CharField(_("provided by"), max_length=200, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("childcare support")
        verbose_name_plural = _("childcare support")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="childcare_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
