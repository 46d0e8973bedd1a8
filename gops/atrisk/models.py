"""Lists of people at risk (osoby zagrożone): one row per person found on a list, with why.

Rows are computed every night (and on demand) by services.atrisk_refresh. A row that still
applies is unique per list and person; staff mark it handled with a note. Rows of the Blue
Card list (CHILD_BLUE_CARD) are read only through selectors, which hide them from anyone who
may not see the card.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gops.core.models import TimeStampedModel


class ListCode(models.TextChoices):
    LOW_INCOME_NO_HELP = "low_income", _("Income below the criterion, no help")
    INTERVIEW_UPDATE = "interview_update", _("Permanent allowance: interview update due")
    DOCUMENT_EXPIRY = "documents", _("Expiring certificates and documents")
    HOMELESS_UNSEEN = "homeless_unseen", _("Homeless persons not seen in a shelter")
    CHILD_BLUE_CARD = "child_blue_card", _("Children: Blue Card without a family assistant")


class AtRiskEntry(TimeStampedModel):
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    list_code = models.CharField(_("list"), max_length=20, choices=ListCode.choices)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Polish, built at computation; for the Blue Card list it names only "the open procedure".
    reason = models.TextField(_("reason"))
    blue_card = models.ForeignKey(
        "bluecards.BlueCard", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_found_on = models.DateField(_("on the list since"))
    last_found_on = models.DateField(_("last found on"))
    still_applies = models.BooleanField(_("still applies"), default=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    handling_note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("person at risk")
        verbose_name_plural = _("people at risk")
        ordering = ["first_found_on", "id"]
        constraints = [
            # While a row applies, it is the only one of its list for the person.
            models.UniqueConstraint(
                fields=["list_code", "person"],
                condition=Q(still_applies=True),
                name="atriskentry_one_open_per_list_person",
            ),
            models.CheckConstraint(
                condition=Q(handled_on__isnull=True) | Q(handled_by__isnull=False),
                name="atriskentry_handled_has_user",
            ),
            models.CheckConstraint(
                condition=~Q(list_code="child_blue_card") | Q(blue_card__isnull=False),
                name="atriskentry_blue_card_list_has_card",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "list_code", "still_applies"], name="atrisk_list_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_list_code_display()}: {self.person}"

    @property
    def is_handled(self) -> bool:
        return self.handled_on is not None
