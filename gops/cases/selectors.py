"""Permission-checked reads of cases."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gops.accounts.models import User
from gops.core.queries import InSmallSubquery, get_visible_or_404
from gops.people.models import HouseholdMembership
from gops.people.selectors import person_queryset_for_user

from . import rules
from .models import Application, CaseNote, CommunityInterview, InterviewStatus, SocialContract


def application_queryset_for_user(*, user: User) -> QuerySet[Application]:
    """Applications of persons the user may see, and those assigned to them."""
    if not user.is_authenticated or not user.has_perm("cases.view_application"):
        return Application.objects.none()
    qs = Application.objects.filter(centre_id=user.centre_id)
    if user.has_perm("cases.view_all_applications"):
        return qs
    return qs.filter(Q(worker=user) | Q(applicant__in=person_queryset_for_user(user=user)))


def application_get_for_user(
    *, user: User, application_id: int, for_write: bool = False
) -> Application:
    application = get_visible_or_404(
        application_queryset_for_user(user=user),
        application_id,
        fetch=Application.objects.select_related("applicant", "household", "worker", "centre"),
    )
    if for_write and not application_can_write(user=user, application=application):
        raise PermissionDenied
    return application


def application_can_write(*, user: User, application: Application) -> bool:
    if not user.has_perm("cases.change_application"):
        return False
    if user.has_perm("cases.view_all_applications"):
        return True
    return application.worker_id == user.pk or (
        user.district_id is not None and application.applicant.district_id == user.district_id
    )


def application_list_for_person(*, user: User, person_id: int) -> QuerySet[Application]:
    # The households the person was ever a member of (a few) as an index condition: joining
    # the memberships, DISTINCT over the join, read a large city's 780,000 applications.
    households = HouseholdMembership.objects.filter(person_id=person_id).values("household_id")
    return application_queryset_for_user(user=user).filter(
        Q(applicant_id=person_id) | Q(InSmallSubquery("household_id", households))
    )


def interview_get_for_user(*, user: User, interview_id: int) -> CommunityInterview:
    return get_visible_or_404(
        CommunityInterview.objects.filter(application__in=application_queryset_for_user(user=user)),
        interview_id,
        fetch=CommunityInterview.objects.select_related("application", "household"),
    )


def case_notes_for_user(*, user: User, person_id: int) -> QuerySet[CaseNote]:
    """Social work notes: only the case's workers and the head read them."""
    if not user.has_perm("cases.view_casenote"):
        return CaseNote.objects.none()
    qs = CaseNote.objects.filter(person_id=person_id, person__centre_id=user.centre_id)
    # The application each note names is shown with it: joined, not one query per note.
    if user.has_perm("cases.view_all_applications"):
        return qs.select_related("author", "application")
    return qs.filter(
        Q(author=user) | Q(application__worker=user) | Q(person__case_worker=user)
    ).select_related("author", "application")


def contract_queryset_for_user(*, user: User) -> QuerySet[SocialContract]:
    if not user.has_perm("cases.view_socialcontract"):
        return SocialContract.objects.none()
    return SocialContract.objects.filter(
        centre_id=user.centre_id, person__in=person_queryset_for_user(user=user)
    )


def contract_get_for_user(*, user: User, contract_id: int) -> SocialContract:
    return get_visible_or_404(
        contract_queryset_for_user(user=user),
        contract_id,
        fetch=SocialContract.objects.select_related("person", "worker", "centre"),
    )


@dataclass(frozen=True)
class Deadline:
    kind: str  # "interview", "decision", "appeal", "interview_update"
    label: str
    due_on: date
    application: Application | None
    url: str
    worker: User | None
    state: str = "later"  # "overdue", "soon" (within SOON_DAYS) or "later"


SOON_DAYS = 7


def case_deadlines(*, user: User, today: date, everyone: bool = False) -> list[Deadline]:
    """Interview and decision deadlines of open applications: the user's own, or (for the
    head, with ``everyone``) all the centre's."""
    apps = application_queryset_for_user(user=user).exclude(status__in=rules.CLOSED)
    if not (everyone and user.has_perm("cases.view_all_applications")):
        apps = apps.filter(worker=user)
    apps = apps.select_related("worker", "applicant")
    items: list[Deadline] = []
    for app in apps:
        if app.status in (rules.REGISTERED, rules.INTERVIEW_SCHEDULED):
            items.append(
                Deadline(
                    kind="interview",
                    label=_("Community interview: %(person)s") % {"person": app.applicant},
                    due_on=app.interview_due_on,
                    application=app,
                    url=app.get_absolute_url(),
                    worker=app.worker,
                )
            )
        if app.status in (
            rules.REGISTERED,
            rules.INTERVIEW_SCHEDULED,
            rules.INTERVIEW_DONE,
            rules.DECISION_DRAFTED,
        ):
            items.append(
                Deadline(
                    kind="decision",
                    label=_("Decision (k.p.a. art. 35): %(person)s") % {"person": app.applicant},
                    due_on=app.decision_due_on,
                    application=app,
                    url=app.get_absolute_url(),
                    worker=app.worker,
                )
            )
    updates = (
        CommunityInterview.objects.filter(
            centre_id=user.centre_id, application__isnull=True, status=InterviewStatus.SCHEDULED
        )
        .select_related("household")
        .prefetch_related("household__memberships__person")
    )
    # (the label names the household's head: prefetched, not one query per row)
    if user.has_perm("people.view_household"):
        from gops.people.selectors import household_queryset_for_user

        updates = updates.filter(household__in=household_queryset_for_user(user=user))
        for interview in updates:
            items.append(
                Deadline(
                    kind="interview_update",
                    label=_("Interview update: %(household)s") % {"household": interview.household},
                    due_on=interview.due_on,
                    application=None,
                    url=interview.household.get_absolute_url(),
                    worker=None,
                )
            )

    def state(due: date) -> str:
        if due < today:
            return "overdue"
        return "soon" if due <= today + timedelta(days=SOON_DAYS) else "later"

    return sorted(
        (replace(item, state=state(item.due_on)) for item in items), key=lambda d: d.due_on
    )
