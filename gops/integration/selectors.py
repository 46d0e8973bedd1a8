"""Permission-checked reads of integration: programmes, foreigners with their document alerts,
the applications a programme's benefit may be decided on, and the panel on the person's page."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from gops.accounts.models import User
from gops.cases.models import Application, BenefitKind
from gops.cases.selectors import application_queryset_for_user
from gops.people.models import Person
from gops.people.selectors import person_can_write, person_queryset_for_user

from .letters import letters_allowed
from .models import IntegrationGoal, IntegrationProgramme, IntegrationStep, ProgrammeStatus

OPEN_STATUSES = (ProgrammeStatus.DRAFT, ProgrammeStatus.ACTIVE)


def programme_queryset_for_user(*, user: User) -> QuerySet[IntegrationProgramme]:
    """Programmes of persons `user` may see, for users with the integration permission."""
    if not user.is_authenticated or not user.has_perm("integration.view_integrationprogramme"):
        return IntegrationProgramme.objects.none()
    return IntegrationProgramme.objects.filter(
        centre_id=user.centre_id, person__in=person_queryset_for_user(user=user)
    )


def programme_get_for_user(
    *, user: User, programme_id: int, for_write: bool = False
) -> IntegrationProgramme:
    """The programme if `user` may see it (else 404); with ``for_write`` 403 when the user may
    see but not change it."""
    programme = (
        programme_queryset_for_user(user=user)
        .select_related(
            "person", "coordinator", "application", "decision", "legal_parameters", "centre"
        )
        .filter(pk=programme_id)
        .first()
    )
    if programme is None:
        raise Http404
    if for_write and not programme_can_write(user=user, programme=programme):
        raise PermissionDenied
    return programme


def programme_can_write(*, user: User, programme: IntegrationProgramme) -> bool:
    return user.has_perm("integration.change_integrationprogramme") and person_can_write(
        user=user, person=programme.person
    )


def programme_list(*, user: User, status: str | None = None) -> QuerySet[IntegrationProgramme]:
    qs = programme_queryset_for_user(user=user).select_related("person", "coordinator")
    if status:
        qs = qs.filter(status=status)
    return qs


def programme_with_plan(*, programme: IntegrationProgramme) -> IntegrationProgramme:
    """The programme with its goals, their steps and its reviews loaded (for the detail page
    and the API)."""
    goals = IntegrationGoal.objects.prefetch_related(
        Prefetch("steps", queryset=IntegrationStep.objects.order_by("deadline", "id"))
    ).order_by("id")
    return (
        IntegrationProgramme.objects.select_related(
            "person", "coordinator", "application", "decision", "legal_parameters", "centre"
        )
        .prefetch_related(Prefetch("goals", queryset=goals), "reviews__recorded_by")
        .get(pk=programme.pk)
    )


@dataclass(frozen=True)
class ExpiringDocument:
    person: Person
    valid_until: date
    days_left: int  # negative once the document has expired

    @property
    def expired(self) -> bool:
        return self.days_left < 0


def alert_days() -> int:
    return settings.DOCUMENT_EXPIRY_ALERT_DAYS


def document_alert(*, person: Person, today: date, within_days: int | None = None):
    """The alert for one person's residence document, or None when it is not due."""
    within = alert_days() if within_days is None else within_days
    valid_until = person.residence_document_valid_until
    if valid_until is None or valid_until > today + timedelta(days=within):
        return None
    return ExpiringDocument(
        person=person, valid_until=valid_until, days_left=(valid_until - today).days
    )


def documents_expiring(
    *, user: User, today: date, within_days: int | None = None
) -> list[ExpiringDocument]:
    """Persons `user` may see whose residence document expires within `within_days`
    (settings.DOCUMENT_EXPIRY_ALERT_DAYS by default) or has already expired, soonest first."""
    within = alert_days() if within_days is None else within_days
    persons = (
        person_queryset_for_user(user=user)
        .filter(residence_document_valid_until__lte=today + timedelta(days=within))
        .order_by("residence_document_valid_until", "surnames", "pk")
    )
    return [
        ExpiringDocument(
            person=p,
            valid_until=p.residence_document_valid_until,
            days_left=(p.residence_document_valid_until - today).days,
        )
        for p in persons
    ]


@dataclass
class ForeignerRow:
    person: Person
    alert: ExpiringDocument | None
    open_programme: IntegrationProgramme | None


def foreigner_queryset(*, user: User) -> QuerySet[Person]:
    """Foreigners `user` may see, by name (the list page shows them a page at a time)."""
    return (
        person_queryset_for_user(user=user)
        .exclude(citizenship="PL")
        .order_by("surnames", "first_names", "pk")
    )


def foreigners(*, user: User, today: date, persons=None) -> list[ForeignerRow]:
    """Foreigners `user` may see (or those of `persons`, one page of foreigner_queryset),
    with their document alert and their open programme."""
    persons = list(foreigner_queryset(user=user) if persons is None else persons)
    open_by_person = {
        p.person_id: p
        for p in programme_queryset_for_user(user=user).filter(
            status__in=OPEN_STATUSES, person__in=[p.pk for p in persons]
        )
    }
    return [
        ForeignerRow(
            person=p,
            alert=document_alert(person=p, today=today),
            open_programme=open_by_person.get(p.pk),
        )
        for p in persons
    ]


def integration_applications(*, user: User, person: Person) -> list[Application]:
    """Open applications of `person` requesting the integration benefit, newest first.

    Filtered in Python: JSON containment is not available on SQLite, and a person has few
    applications.
    """
    return [
        a
        for a in application_queryset_for_user(user=user)
        .filter(applicant=person)
        .order_by("-received_on", "-pk")
        if BenefitKind.INTEGRATION in (a.benefits_requested or []) and not a.is_closed
    ]


@dataclass
class PersonPanel:
    person: Person
    show: bool
    alert: ExpiringDocument | None = None
    programmes: list[IntegrationProgramme] = field(default_factory=list)
    letters: bool = False
    can_add_programme: bool = False


def person_panel(*, user: User, person: Person, today: date) -> PersonPanel:
    """What the person page shows of integration: the document alert, language needs,
    programmes and letters; shown for foreigners, persons with programmes, or persons who
    write in another language."""
    programmes = list(programme_queryset_for_user(user=user).filter(person=person))
    relevant = (
        person.is_foreigner
        or bool(programmes)
        or person.needs_interpreter
        or person.letter_language != "pl"
    )
    if not relevant:
        return PersonPanel(person=person, show=False)
    return PersonPanel(
        person=person,
        show=True,
        alert=document_alert(person=person, today=today),
        programmes=programmes,
        letters=letters_allowed(user=user),
        can_add_programme=user.has_perm("integration.add_integrationprogramme")
        and person.is_foreigner
        and not any(p.status in OPEN_STATUSES for p in programmes),
    )
