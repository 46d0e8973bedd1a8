"""Cultural activities organised by the centre: an activity with its sessions, registrations of
persons with a waitlist, and attendance taken at the door.

Capacity is guarded by the registration service (the activity row is locked while counting);
one live registration per person and activity, and one attendance mark per session and
registration, are database constraints.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gops.core.models import TimeStampedModel


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("children and young people")
    SENIORS = "seniors", _("seniors")
    FAMILIES = "families", _("families")
    DISABILITY = "disability", _("people with disabilities")
    FOREIGNERS = "foreigners", _("foreigners")


class Activity(TimeStampedModel):
    """A one-off event (one session) or a series (several sessions) for registered persons."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=300)
    # Registered persons at most; everyone beyond waits in line.
    capacity = models.PositiveIntegerField(_("capacity"))
    # A list of TargetGroup values.
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organiser"),
    )
    partner_institution = models.CharField(_("partner institution"), max_length=200, blank=True)
    # Public activities are published in the iCalendar feed, without any registrations.
    public = models.BooleanField(_("public (in the calendar feed)"), default=False)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="activity_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels[value]) for value in self.target_groups if value in labels]


class ActivitySession(TimeStampedModel):
    """One meeting of an activity: a date with its start and end."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="activity_session_start_idx")]

    def __str__(self) -> str:
        return f"{self.activity} — {self.starts_at:%Y-%m-%d %H:%M}"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    WAITLISTED = "waitlisted", _("on the waitlist")
    CANCELLED = "cancelled", _("cancelled")


class Registration(TimeStampedModel):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="activity_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    # Order of arrival within the activity: the waitlist is served by it.
    position = models.PositiveIntegerField(_("position"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # When a waiting person got a place freed by a cancellation.
    promoted_at = models.DateTimeField(_("moved from the waitlist at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["activity", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=~Q(status="cancelled"),
                name="registration_one_live_per_person",
            ),
            models.UniqueConstraint(
                fields=["activity", "position"], name="registration_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="registration_cancelled_has_date",
            ),
        ]
        indexes = [models.Index(fields=["activity", "status"], name="registration_status_idx")]

    def __str__(self) -> str:
        return f"{self.person} — {self.activity}"


class Attendance(models.Model):
    """Whether a registered person came to a session, ticked at the door."""

    session = models.ForeignKey(
        ActivitySession, on_delete=models.CASCADE, related_name="attendance"
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="attendance"
    )
    present = models.BooleanField(_("present"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="attendance_one_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.registration_id} {self.present}"
