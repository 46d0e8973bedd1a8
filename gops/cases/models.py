"""Applications (wnioski), family community interviews (RWŚ), social work and contracts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gops.core.models import EncryptedTextField, TimeStampedModel

from . import rules


class BenefitKind(models.TextChoices):
    """Forms of help of u.p.s. art. 36 that an application may request."""

    PERMANENT = "permanent", _("permanent allowance (zasiłek stały)")
    PERIODIC = "periodic", _("periodic allowance (zasiłek okresowy)")
    PURPOSE = "purpose", _("purpose allowance (zasiłek celowy)")
    SPECIAL_PURPOSE = "special_purpose", _("special purpose allowance")
    RANDOM_EVENT = "random_event", _("purpose allowance after a random event")
    DISASTER = "disaster", _("purpose allowance after a natural disaster")
    SHELTER = "shelter", _("shelter")
    MEALS = "meals", _("meals")
    CLOTHING = "clothing", _("necessary clothing")
    CARE_SERVICES = "care_services", _("care services")
    FUNERAL = "funeral", _("funeral")
    # Świadczenie pieniężne na utrzymanie w ramach IPI (u.p.s. art. 94; LAW.md §6).
    INTEGRATION = "integration", _("integration benefit (individual integration programme)")
    IN_KIND = "in_kind", _("in-kind help")
    OTHER = "other", _("other help")


CASH_BENEFITS = frozenset(
    {
        BenefitKind.PERMANENT,
        BenefitKind.PERIODIC,
        BenefitKind.PURPOSE,
        BenefitKind.SPECIAL_PURPOSE,
        BenefitKind.RANDOM_EVENT,
        BenefitKind.DISASTER,
        BenefitKind.INTEGRATION,
    }
)


class AssistanceReason(models.TextChoices):
    """Why help is needed: u.p.s. art. 7 (item 10 repealed; the list is open)."""

    POVERTY = "poverty", _("poverty")
    ORPHANHOOD = "orphanhood", _("orphanhood")
    HOMELESSNESS = "homelessness", _("homelessness")
    UNEMPLOYMENT = "unemployment", _("unemployment")
    DISABILITY = "disability", _("disability")
    LONG_ILLNESS = "long_illness", _("long-term or serious illness")
    DOMESTIC_VIOLENCE = "domestic_violence", _("domestic violence")
    TRAFFICKING = "trafficking", _("protection of victims of trafficking")
    MATERNITY_LARGE_FAMILY = (
        "maternity_large_family",
        _("protection of maternity or of a large family"),
    )
    PARENTING_HELPLESSNESS = (
        "parenting_helplessness",
        _("helplessness in upbringing and running the household"),
    )
    FOREIGNER_INTEGRATION = "foreigner_integration", _("difficulties in integrating foreigners")
    AFTER_PRISON = "after_prison", _("difficulties after release from prison")
    ADDICTION = "addiction", _("alcoholism or drug addiction")
    CRISIS_EVENT = "crisis_event", _("random event or crisis situation")
    DISASTER = "disaster", _("natural or ecological disaster")
    OTHER = "other", _("other")


class ApplicationStatus(models.TextChoices):
    REGISTERED = rules.REGISTERED, _("registered")
    INTERVIEW_SCHEDULED = rules.INTERVIEW_SCHEDULED, _("interview scheduled")
    INTERVIEW_DONE = rules.INTERVIEW_DONE, _("interview done")
    DECISION_DRAFTED = rules.DECISION_DRAFTED, _("decision drafted")
    DECISION_ISSUED = rules.DECISION_ISSUED, _("decision issued")
    FINAL = rules.FINAL, _("final")
    WITHDRAWN = rules.WITHDRAWN, _("withdrawn")
    LEFT_WITHOUT_CONSIDERATION = rules.LEFT_WITHOUT_CONSIDERATION, _("left without consideration")


# An application in one of these is closed: the case list shows the others ("open").
CLOSED_STATUSES = [
    ApplicationStatus.FINAL,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.LEFT_WITHOUT_CONSIDERATION,
]


class Application(TimeStampedModel):
    """Wniosek: a request for help, or a case opened ex officio (z urzędu, u.p.s. art. 102)."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    # Registration number: "<prefix>/<seq>/<year>", seq counted per centre and year.
    number = models.CharField(_("registration number"), max_length=40)
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        "people.Person",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    ex_officio = models.BooleanField(_("opened ex officio"), default=False)
    received_on = models.DateField(_("date received"))
    benefits_requested = models.JSONField(_("help requested"), default=list)
    reasons = models.JSONField(_("reasons (u.p.s. art. 7)"), default=list)
    reason_other = models.CharField(_("other reason"), max_length=200, blank=True)
    description = models.TextField(_("what the person asks for"), blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    # k.p.a. art. 35 § 3: two months instead of one.
    particularly_complicated = models.BooleanField(_("particularly complicated"), default=False)
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.REGISTERED,
    )
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("social worker"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    interview_due_on = models.DateField(_("interview due"))
    decision_due_on = models.DateField(_("decision due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_on", "-id"]
        permissions = [("view_all_applications", _("Can see the applications of every district"))]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year", "sequence"], name="application_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(decision_due_on__gte=models.F("received_on"))
                & Q(interview_due_on__gte=models.F("received_on")),
                name="application_deadlines_after_receipt",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "status"], name="application_status_idx"),
            # The case list's default view: the open applications, newest first. Ten years
            # of a large city hold 780,000 applications, nearly all closed; a social worker's
            # list read them all (150 ms) before this index (docs/performance.md).
            models.Index(
                "centre",
                models.F("received_on").desc(),
                models.F("id").desc(),
                condition=~Q(status__in=CLOSED_STATUSES),
                name="application_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:application_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in rules.CLOSED

    def get_benefits_display(self) -> list[str]:
        labels = dict(BenefitKind.choices)
        return [str(labels.get(code, code)) for code in self.benefits_requested]

    def get_reasons_display(self) -> list[str]:
        labels = dict(AssistanceReason.choices)
        shown = [str(labels.get(code, code)) for code in self.reasons if code != "other"]
        if "other" in self.reasons and self.reason_other:
            shown.append(self.reason_other)
        return shown


class InterviewKind(models.TextChoices):
    INITIAL = "initial", _("interview")
    UPDATE = "update", _("interview update")


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    DONE = "done", _("done")
    REFUSED = "refused", _("refused by the person")


class CommunityInterview(TimeStampedModel):
    """Rodzinny wywiad środowiskowy (u.p.s. art. 106–107; Dz.U. 2021 poz. 893).

    Parts A, H, I, J of part I of the questionnaire are mandatory. The household and its
    incomes confirmed at the visit are kept as a snapshot, so a later change in the registry
    does not change what a decision was based on. The narrative parts (health, needs,
    diagnosis, ...) are encrypted at rest (docs/admin/klucze-szyfrowania.md).
    """

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews"
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="interviews"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=InterviewKind.choices, default=InterviewKind.INITIAL
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InterviewStatus.choices,
        default=InterviewStatus.SCHEDULED,
    )
    due_on = models.DateField(_("due"))
    planned_on = models.DateField(_("planned visit"), null=True, blank=True)
    conducted_on = models.DateField(_("conducted on"), null=True, blank=True)
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conducted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Part I, segment A: applicant and family — the confirmed household and incomes.
    snapshot = models.JSONField(_("household and incomes confirmed"), default=dict, blank=True)
    needs = EncryptedTextField(_("H. needs and expectations"), blank=True)
    diagnosis = EncryptedTextField(_("I. diagnosis and the worker's conclusions"), blank=True)
    help_plan = EncryptedTextField(_("J. plan of help"), blank=True)
    material_situation = EncryptedTextField(_("material situation"), blank=True)
    health = EncryptedTextField(_("health"), blank=True)
    work_and_education = EncryptedTextField(_("work and education"), blank=True)
    housing = EncryptedTextField(_("housing"), blank=True)

    class Meta:
        verbose_name = _("community interview")
        verbose_name_plural = _("community interviews")
        ordering = ["-due_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done")
                | (Q(conducted_on__isnull=False) & Q(conducted_by__isnull=False)),
                name="interview_done_has_date_and_worker",
            ),
        ]
        indexes = [
            # The latest done interview of an application gives the family's size in
            # MRPiPS-03 (reports.selectors): read from the index's first entry instead of
            # sorting every interview of the application for each payment (a large city's
            # year: 726,000 payments, 8 interviews per application; docs/performance.md).
            models.Index(
                "application",
                models.F("conducted_on").desc(),
                models.F("id").desc(),
                condition=Q(status="done"),
                name="interview_latest_done_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on:%Y-%m-%d}"


class CaseEventCode(models.TextChoices):
    """Typed events of an application's timeline (written by history.py only)."""

    REGISTERED = "registered", _("application registered")
    INTERVIEW_SCHEDULED = "interview_scheduled", _("interview scheduled")
    INTERVIEW_DONE = "interview_done", _("interview done")
    INTERVIEW_REFUSED = "interview_refused", _("interview refused")
    DECISION_DRAFTED = "decision_drafted", _("decision drafted")
    DECISION_DISCARDED = "decision_discarded", _("draft decision discarded")
    DECISION_ISSUED = "decision_issued", _("decision issued")
    DECISION_SERVED = "decision_served", _("decision served")
    APPEAL_LODGED = "appeal_lodged", _("appeal lodged")
    APPEAL_FORWARDED = "appeal_forwarded", _("appeal forwarded to the appeal board")
    APPEAL_DECIDED = "appeal_decided", _("appeal decided")
    FINAL = "final", _("decision final")
    WITHDRAWN = "withdrawn", _("application withdrawn")
    LEFT_WITHOUT_CONSIDERATION = "left_without_consideration", _("left without consideration")
    NOTE_ADDED = "note_added", _("social work note")


class CaseEvent(models.Model):
    """One entry of an application's timeline: who did what, when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    code = models.CharField(max_length=40, choices=CaseEventCode.choices)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_code_display()}"


class CaseNote(TimeStampedModel):
    """Praca socjalna: a social worker's note; visible to the case's workers and the head."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="notes", null=True, blank=True
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("note"))  # encrypted at rest

    class Meta:
        verbose_name = _("social work note")
        verbose_name_plural = _("social work notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.author}"


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("in force")
    FULFILLED = "fulfilled", _("fulfilled")
    BROKEN = "broken", _("broken")
    TERMINATED = "terminated", _("terminated")


class SocialContract(TimeStampedModel):
    """Kontrakt socjalny (u.p.s. art. 108; form: Rozp. MPiPS of 8 Nov 2010).

    Its texts describe the person's situation (often health, addiction, family) and what the
    person undertakes (e.g. treatment): encrypted at rest like the interview.
    """

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="social_contracts"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    situation = EncryptedTextField(_("assessment of the situation"))
    goals = EncryptedTextField(_("goals"))
    person_obligations = EncryptedTextField(_("obligations of the person"))
    centre_obligations = EncryptedTextField(_("obligations of the centre"))
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    outcome = EncryptedTextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("social contract")
        verbose_name_plural = _("social contracts")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="contract_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return str(_("Social contract of %(date)s") % {"date": self.signed_on})

    def get_absolute_url(self) -> str:
        return reverse("cases:contract_detail", args=[self.pk])


class ContractReview(TimeStampedModel):
    contract = models.ForeignKey(SocialContract, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = EncryptedTextField(_("progress"))

    class Meta:
        ordering = ["reviewed_on", "id"]
