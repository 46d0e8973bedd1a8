"""Requests to anonymise a person (RODO art. 17 and the end of the retention period).

The model also carries the app's permissions: who may produce an access report (art. 15)
and who may approve an anonymisation (the head only).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gops.core.models import TimeStampedModel


class AnonymisationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    DONE = "done", _("anonymised")
    REJECTED = "rejected", _("rejected")


class AnonymisationRequest(TimeStampedModel):
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="anonymisation_requests"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AnonymisationStatus.choices,
        default=AnonymisationStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("anonymisation request")
        verbose_name_plural = _("anonymisation requests")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("access_report", _("Can produce a data-subject access report (RODO art. 15)")),
            ("approve_anonymisation", _("Can approve the anonymisation of a person")),
            ("view_register", _("Can see the register of processing activities")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="pending"),
                name="anonymisation_one_pending_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"
