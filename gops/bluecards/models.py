"""The Blue Card procedure (procedura „Niebieskie Karty”).

Ustawa z 29 lipca 2005 r. o przeciwdziałaniu przemocy domowej (Dz.U. 2023 poz. 1870) and the
regulation on the procedure (LAW.md §6). Form A opens it (a social worker or a family assistant,
no consent of the person experiencing violence needed), form B goes to that person, forms C and
D are filled by the diagnostic-and-support group (grupa diagnostyczno-pomocowa) with the person
experiencing and the person using violence.

The most sensitive records of the system: visible only to staff explicitly assigned to the
procedure (``BlueCardMember.user``) and to the head; to everyone else the pages, search, API,
exports and counts show nothing, not even that a card exists (``selectors``). Free text is
encrypted at rest (django-fernet-encrypted-fields; key in ``settings.SALT_KEY``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from gops.core.models import TimeStampedModel


class BlueCardStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class ClosingReason(models.TextChoices):
    """Art. 9d ust. 10 of the act: the two grounds for closing the procedure."""

    VIOLENCE_ENDED = (
        "violence_ended",
        _("domestic violence ended and the support plan was carried out"),
    )
    NO_GROUNDS = "no_grounds", _("no grounds for action")


class BlueCard(TimeStampedModel):
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=30)
    # The day form A was filled in: the procedure starts.
    opened_on = models.DateField(_("form A filled on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=BlueCardStatus.choices, default=BlueCardStatus.OPEN
    )
    # What happened, as written on form A. Encrypted: never stored in plain text.
    circumstances = EncryptedTextField(_("circumstances"), null=True, blank=True)
    team_name = models.CharField(_("interdisciplinary team"), max_length=200, blank=True)
    # Form A handed to the interdisciplinary team (within 5 working days of opening).
    sent_to_team_on = models.DateField(_("form A sent to the team on"), null=True, blank=True)
    # The team passes the card to a diagnostic-and-support group (within 3 working days).
    group_received_on = models.DateField(_("passed to the group on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    closing_note = EncryptedTextField(_("closing note"), null=True, blank=True)

    class Meta:
        verbose_name = _("Blue Card")
        verbose_name_plural = _("Blue Cards")
        ordering = ["-opened_on", "-id"]
        # No default view/add/change/delete permission says anything about a particular card;
        # access is membership (selectors). view_all_bluecards is the head's.
        permissions = [("view_all_bluecards", _("Can see every Blue Card of the centre"))]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="bluecard_number_unique"),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_on__isnull=False) & ~Q(closing_reason="")),
                name="bluecard_closed_has_date_and_reason",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: the audit trail and messages show only the number.
        return str(_("Blue Card %(number)s") % {"number": self.number})

    def get_absolute_url(self) -> str:
        return reverse("bluecards:detail", args=[self.pk])


class ParticipantRole(models.TextChoices):
    EXPERIENCING = "experiencing", _("person experiencing violence")
    USING = "using", _("person using violence")
    # A child witnessing violence is a person experiencing it (art. 2 pkt 2 of the act);
    # kept apart so that the group plans support for the child.
    CHILD_WITNESS = "child_witness", _("child witnessing violence")


class BlueCardParticipant(TimeStampedModel):
    blue_card = models.ForeignKey(BlueCard, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=15, choices=ParticipantRole.choices)

    class Meta:
        verbose_name = _("person in the procedure")
        verbose_name_plural = _("persons in the procedure")
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["blue_card", "person"], name="bluecard_participant_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}"


class FormKind(models.TextChoices):
    A = "A", _("form A (opening the procedure)")
    B = "B", _("form B (given to the person experiencing violence)")
    C = "C", _("form C (filled with the person experiencing violence)")
    D = "D", _("form D (filled with the person using violence)")


class BlueCardForm(TimeStampedModel):
    """A filled form of the procedure. Form A is created with the card."""

    blue_card = models.ForeignKey(BlueCard, on_delete=models.PROTECT, related_name="forms")
    kind = models.CharField(_("form"), max_length=1, choices=FormKind.choices)
    # B and C: the person experiencing violence; D: the person using it; A: none.
    participant = models.ForeignKey(
        BlueCardParticipant,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forms",
    )
    filled_on = models.DateField(_("date"))
    content = EncryptedTextField(_("content"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("form of the procedure")
        verbose_name_plural = _("forms of the procedure")
        ordering = ["filled_on", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["blue_card"], condition=Q(kind="A"), name="bluecard_one_form_a"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class BlueCardMember(TimeStampedModel):
    """A member of the diagnostic-and-support group, or staff assigned to the card.

    A member with ``user`` set is centre staff and may open the card; other members
    (police, school, health care, a court-appointed guardian) are recorded by name.
    """

    blue_card = models.ForeignKey(BlueCard, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blue_card_memberships",
    )
    name = models.CharField(_("name"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200)
    function = models.CharField(_("function in the group"), max_length=200, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("member of the group")
        verbose_name_plural = _("members of the group")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["blue_card", "user"],
                condition=Q(user__isnull=False, removed_on__isnull=True),
                name="bluecard_member_user_once",
            ),
        ]

    def __str__(self) -> str:
        # No name: this is what the append-only audit trail keeps as the object.
        return str(
            _("Member no. %(id)s (%(institution)s)")
            % {"id": self.pk, "institution": self.institution}
        )


class BlueCardMeeting(TimeStampedModel):
    """A meeting of the diagnostic-and-support group."""

    blue_card = models.ForeignKey(BlueCard, on_delete=models.PROTECT, related_name="meetings")
    planned_on = models.DateField(_("planned for"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    # Names of the family and of the professionals present: encrypted like the minutes.
    attendees = EncryptedTextField(_("who attended"), null=True, blank=True)
    minutes = EncryptedTextField(_("minutes"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting of the group")
        verbose_name_plural = _("meetings of the group")
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return str(_("Meeting of %(date)s") % {"date": self.planned_on.isoformat()})
