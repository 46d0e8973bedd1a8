"""Advice, referrals to other institutions, and work and training (u.p.s. art. 15, 45, 108).

A referral lets personal data leave the centre, so the person's consent is a database
constraint: no referral row exists without it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gops.core.models import TimeStampedModel


class InstitutionKind(models.TextChoices):
    LABOUR_OFFICE = "labour_office", _("labour office (PUP)")
    FAMILY_SUPPORT_CENTRE = "family_support_centre", _("county family-support centre (PCPR)")
    ZUS = "zus", _("social insurance (ZUS)")
    KRUS = "krus", _("farmers' social insurance (KRUS)")
    HEALTH = "health", _("health centre")
    MENTAL_HEALTH = "mental_health", _("mental-health service")
    ADDICTION = "addiction", _("addiction service")
    LEGAL_AID = "legal_aid", _("free legal aid point")
    FOOD_BANK = "food_bank", _("food bank")
    NGO = "ngo", _("non-governmental organisation")
    SCHOOL = "school", _("school")
    POLICE = "police", _("police")
    COURT = "court", _("court")
    HOUSING = "housing", _("housing department")
    OTHER = "other", _("other")


class Institution(TimeStampedModel):
    """An institution of the directory the centre advises about and refers people to."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=24, choices=InstitutionKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    services = models.TextField(_("services offered"), blank=True)
    # Who may use the services: residents of the county, the insured, anyone, ...
    eligibility = models.TextField(_("who may use them"), blank=True)
    languages = models.CharField(
        _("languages spoken"), max_length=200, blank=True, help_text=_("e.g. polski, English")
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="institution_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("referrals:institution_detail", args=[self.pk])


class Advice(TimeStampedModel):
    """Poradnictwo: advice given, to a registered person or an anonymous walk-in (counted,
    not identified)."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advice",
    )
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="advice", verbose_name=_("institutions recommended")
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_on = models.DateField(_("given on"))

    class Meta:
        verbose_name = _("advice")
        verbose_name_plural = _("advice")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.given_on} {self.topic}"


class ReferralKind(models.TextChoices):
    SERVICE = "service", _("an institution's service")
    JOB_OFFER = "job_offer", _("job offer")
    TRAINING = "training", _("training")
    CIS = "cis", _("social integration centre (CIS)")
    KIS = "kis", _("social integration club (KIS)")
    SOCIALLY_USEFUL_WORK = "socially_useful_work", _("socially useful work")
    PUBLIC_WORKS = "public_works", _("public works")


# Referrals that activate a person towards work; their outcome has a kind.
WORK_KINDS = frozenset(k for k in ReferralKind.values if k != ReferralKind.SERVICE)


class ReferralState(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")
    DONE = "done", _("done")


class OutcomeKind(models.TextChoices):
    EMPLOYED = "employed", _("employed")
    COMPLETED_TRAINING = "completed_training", _("completed training")
    DROPPED_OUT = "dropped_out", _("dropped out")
    REFUSED = "refused", _("refused")


class Referral(TimeStampedModel):
    """Skierowanie: a person sent to an institution's service, a job offer, training, CIS/KIS,
    socially useful work or public works."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(
        _("kind"), max_length=24, choices=ReferralKind.choices, default=ReferralKind.SERVICE
    )
    purpose = models.TextField(_("purpose"))
    # Consent to pass the person's data to the institution; required, never assumed.
    consent_given = models.BooleanField(_("the person consents"), default=False)
    consent_on = models.DateField(_("consent given on"))
    state = models.CharField(
        _("state"), max_length=10, choices=ReferralState.choices, default=ReferralState.SENT
    )
    outcome = models.TextField(_("outcome"), blank=True)
    # Only for work and training referrals (WORK_KINDS).
    outcome_kind = models.CharField(
        _("result"), max_length=20, choices=OutcomeKind.choices, blank=True
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    social_contract = models.ForeignKey(
        "cases.SocialContract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("social contract"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given=True), name="referral_requires_consent"
            ),
            models.CheckConstraint(
                condition=Q(outcome_kind="") | ~Q(kind=ReferralKind.SERVICE),
                name="referral_outcome_kind_only_for_work",
            ),
        ]
        indexes = [models.Index(fields=["centre", "follow_up_on"], name="referral_follow_up_idx")]

    def __str__(self) -> str:
        return f"{self.person} → {self.institution}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:referral_detail", args=[self.pk])

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS


class Education(models.TextChoices):
    NONE = "none", _("none or incomplete primary")
    PRIMARY = "primary", _("primary / lower secondary")
    VOCATIONAL = "vocational", _("basic vocational")
    SECONDARY = "secondary", _("secondary")
    POST_SECONDARY = "post_secondary", _("post-secondary")
    HIGHER = "higher", _("higher")


class EmploymentProfile(TimeStampedModel):
    """What a person brings to work and what holds them back."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="employment_profile"
    )
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    skills = models.TextField(_("skills and qualifications"), blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    registered_at_labour_office = models.BooleanField(
        _("registered at the labour office"), default=False
    )
    registered_since = models.DateField(_("registered since"), null=True, blank=True)
    barrier_care_duties = models.BooleanField(_("care duties"), default=False)
    barrier_health = models.BooleanField(_("health"), default=False)
    barrier_transport = models.BooleanField(_("transport"), default=False)
    barrier_addiction = models.BooleanField(_("addiction"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("employment profile")
        verbose_name_plural = _("employment profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(registered_since__isnull=True) | Q(registered_at_labour_office=True),
                name="employment_registered_since_only_if_registered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)
