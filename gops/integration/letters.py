"""Letters to clients in Polish, Ukrainian or English, as PDF (WeasyPrint).

Three kinds: the cover letter of an issued decision (how to appeal), the invitation to a
community interview, and the invitation to an activity. The texts are per-language templates
(integration/letters/<kind>_<language>.html), not gettext messages: the whole letter is in
the client's language, while the centre's name and address, the activity's title and the
decision itself stay as registered, in Polish. Fonts: DejaVu, which covers Polish and Cyrillic.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gops.accounts.models import User
from gops.activities.models import Activity, ActivitySession
from gops.audit.services import audit_record_view
from gops.benefits.models import Decision, DecisionStatus
from gops.people.models import LetterLanguage, Person
from gops.people.selectors import person_queryset_for_user

LANGUAGES = tuple(LetterLanguage.values)  # pl, uk, en


class LetterKind(models.TextChoices):
    DECISION = "decision", gettext_lazy("cover letter to a decision")
    INTERVIEW = "interview", gettext_lazy("invitation to a community interview")
    ACTIVITY = "activity", gettext_lazy("invitation to an activity")


class BringItem(models.TextChoices):
    """What the client is asked to have ready for the interview."""

    IDENTITY = "identity", gettext_lazy("identity document (passport, residence card)")
    PROTECTION = "protection", gettext_lazy("decision granting refugee status or protection")
    INCOME = "income", gettext_lazy("documents of income of the last month")
    HOUSING = "housing", gettext_lazy("documents of housing costs (rent, bills)")
    HEALTH = "health", gettext_lazy("medical certificates, if any")
    BANK = "bank", gettext_lazy("bank account number")


BRING_TEXT = {
    "pl": {
        "identity": "dokument tożsamości (paszport, karta pobytu)",
        "protection": "decyzję o nadaniu statusu uchodźcy lub udzieleniu ochrony",
        "income": "dokumenty o dochodach z ostatniego miesiąca",
        "housing": "dokumenty o kosztach mieszkania (czynsz, rachunki)",
        "health": "zaświadczenia lekarskie, jeżeli je Pan/Pani posiada",
        "bank": "numer rachunku bankowego",
    },
    "uk": {
        "identity": "документ, що посвідчує особу (паспорт, посвідка на проживання)",
        "protection": "рішення про надання статусу біженця або захисту",
        "income": "документи про доходи за останній місяць",
        "housing": "документи про витрати на житло (оренда, рахунки)",
        "health": "медичні довідки, якщо вони у Вас є",
        "bank": "номер банківського рахунку",
    },
    "en": {
        "identity": "an identity document (passport, residence card)",
        "protection": "the decision granting refugee status or protection",
        "income": "documents of your income in the last month",
        "housing": "documents of your housing costs (rent, bills)",
        "health": "medical certificates, if you have any",
        "bank": "your bank account number",
    },
}

SALUTATIONS = {
    # Polish continues after a comma in lower case; Ukrainian letters open with "!" and
    # English ones with a comma, both followed by a capital letter.
    "pl": {"F": "Szanowna Pani,", "M": "Szanowny Panie,", "": "Szanowni Państwo,"},
    "uk": {"F": "Шановна пані!", "M": "Шановний пане!", "": "Шановні пані та панове!"},
    "en": {"F": "Dear Madam,", "M": "Dear Sir,", "": "Dear Sir or Madam,"},
}

# Names of the benefits (cases.BenefitKind codes) in the letter's language.
BENEFIT_NAMES = {
    "pl": {
        "permanent": "zasiłek stały",
        "periodic": "zasiłek okresowy",
        "purpose": "zasiłek celowy",
        "special_purpose": "specjalny zasiłek celowy",
        "random_event": "zasiłek celowy w związku ze zdarzeniem losowym",
        "disaster": "zasiłek celowy w związku z klęską żywiołową",
        "shelter": "schronienie",
        "meals": "posiłek",
        "clothing": "niezbędne ubranie",
        "care_services": "usługi opiekuńcze",
        "funeral": "sprawienie pogrzebu",
        "integration": "świadczenie pieniężne w ramach indywidualnego programu integracji",
        "in_kind": "pomoc rzeczowa",
        "other": "inna pomoc",
    },
    "uk": {
        "permanent": "постійна допомога (zasiłek stały)",
        "periodic": "тимчасова допомога (zasiłek okresowy)",
        "purpose": "цільова допомога (zasiłek celowy)",
        "special_purpose": "спеціальна цільова допомога",
        "random_event": "цільова допомога у зв'язку з нещасним випадком",
        "disaster": "цільова допомога у зв'язку зі стихійним лихом",
        "shelter": "притулок",
        "meals": "харчування",
        "clothing": "необхідний одяг",
        "care_services": "послуги з догляду",
        "funeral": "організація похорону",
        "integration": "грошова допомога в рамках індивідуальної програми інтеграції",
        "in_kind": "допомога в натуральній формі",
        "other": "інша допомога",
    },
    "en": {
        "permanent": "permanent allowance (zasiłek stały)",
        "periodic": "periodic allowance (zasiłek okresowy)",
        "purpose": "purpose allowance (zasiłek celowy)",
        "special_purpose": "special purpose allowance",
        "random_event": "purpose allowance after a random event",
        "disaster": "purpose allowance after a natural disaster",
        "shelter": "shelter",
        "meals": "meals",
        "clothing": "necessary clothing",
        "care_services": "care services",
        "funeral": "funeral",
        "integration": "cash benefit of the individual integration programme",
        "in_kind": "in-kind help",
        "other": "other help",
    },
}


@dataclass(frozen=True)
class LetterDetails:
    """What one letter needs besides the person: the decision, or the interview's date, time,
    place, worker and what to bring, or the activity (and optionally one session)."""

    decision: Decision | None = None
    interview_on: date | None = None
    interview_at: time | None = None
    place: str = ""
    worker: User | None = None
    bring: Sequence[str] = field(default_factory=tuple)
    bring_other: str = ""
    activity: Activity | None = None
    session: ActivitySession | None = None


def letters_allowed(*, user: User) -> bool:
    return user.has_perm("people.view_person") and user.has_perm("cases.view_application")


def _details_errors(*, person: Person, kind: str, details: LetterDetails) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind == LetterKind.DECISION:
        decision = details.decision
        if decision is None:
            errors["decision"] = [_("Choose the decision.")]
        elif decision.person_id != person.pk or decision.status != DecisionStatus.ISSUED:
            errors["decision"] = [_("Choose an issued decision of this person.")]
    elif kind == LetterKind.INTERVIEW:
        if details.interview_on is None:
            errors["interview_on"] = [_("Give the day of the interview.")]
        if details.interview_at is None:
            errors["interview_at"] = [_("Give the time of the interview.")]
        if not details.place.strip():
            errors["place"] = [_("Give the place of the interview.")]
        if details.worker is None:
            errors["worker"] = [_("Choose the social worker.")]
        unknown = [b for b in details.bring if b not in BringItem.values]
        if unknown:
            errors["bring"] = [_("Unknown document.")]
    elif kind == LetterKind.ACTIVITY:
        if details.activity is None:
            errors["activity"] = [_("Choose the activity.")]
        elif details.session is not None and details.session.activity_id != details.activity.pk:
            errors["session"] = [_("Choose a session of this activity.")]
    else:
        errors["kind"] = [_("Choose the kind of letter.")]
    return errors


def _sessions(details: LetterDetails) -> list[ActivitySession]:
    if details.session is not None:
        return [details.session]
    if details.activity is None:
        return []
    now = timezone.now()
    upcoming = list(details.activity.sessions.filter(ends_at__gte=now).order_by("starts_at"))
    return upcoming or list(details.activity.sessions.order_by("starts_at"))


def letter_context(
    *, person: Person, kind: str, language: str, details: LetterDetails, today: date
) -> dict:
    sessions = [
        {
            "starts": timezone.localtime(s.starts_at),
            "ends": timezone.localtime(s.ends_at),
        }
        for s in _sessions(details)
    ]
    decision = details.decision
    return {
        "person": person,
        "centre": person.centre,
        "kind": kind,
        "language": language,
        "today": today,
        "salutation": SALUTATIONS[language].get(person.sex or "", SALUTATIONS[language][""]),
        "decision": decision,
        "benefit_name": BENEFIT_NAMES[language].get(decision.benefit, decision.benefit)
        if decision
        else "",
        "interview_on": details.interview_on,
        "interview_at": details.interview_at,
        "place": details.place.strip(),
        "worker": details.worker,
        "bring": [BRING_TEXT[language][b] for b in BringItem.values if b in details.bring],
        "bring_other": details.bring_other.strip(),
        "activity": details.activity,
        "sessions": sessions,
    }


def letter_pdf(
    *, person: Person, kind: str, language: str, details: LetterDetails, today: date
) -> bytes:
    """Render the letter to PDF; templates are per language, Django's own strings in Polish."""
    from weasyprint import HTML

    context = letter_context(
        person=person, kind=kind, language=language, details=details, today=today
    )
    with translation.override("pl"):
        html = render_to_string(f"integration/letters/{kind}_{language}.html", context)
    return HTML(string=html).write_pdf()


def letter_generate(
    *,
    actor: User,
    person: Person,
    kind: str,
    language: str | None = None,
    details: LetterDetails,
    today: date | None = None,
) -> bytes:
    """A letter to `person` in `language` (default the person's language of letters); the
    generation is recorded in the audit as a read of the person's file."""
    if (
        not letters_allowed(user=actor)
        or not person_queryset_for_user(user=actor).filter(pk=person.pk).exists()
    ):
        raise PermissionDenied
    language = language or person.letter_language or "pl"
    errors = _details_errors(person=person, kind=kind, details=details)
    if language not in LANGUAGES:
        errors["language"] = [_("Choose Polish, Ukrainian or English.")]
    if errors:
        raise ValidationError(errors)
    pdf = letter_pdf(
        person=person,
        kind=kind,
        language=language,
        details=details,
        today=today or timezone.localdate(),
    )
    subject = details.decision if kind == LetterKind.DECISION else person
    audit_record_view(actor=actor, instance=subject, person_id=person.pk)
    return pdf


def letter_filename(*, person: Person, kind: str, language: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d")
    return f"pismo-{kind}-{language}-{person.pk}-{stamp}.pdf"
