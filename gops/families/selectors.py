"""Permission-checked reads of family assistance.

Visible to the assigned family assistant, the family's social worker and the head (who has
``families.view_all_familysupports``); everyone else gets 404, as if it did not exist.
"""

from datetime import date

from django.conf import settings
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404

from gops.accounts.models import User
from gops.accounts.roles import FAMILY_ASSISTANT, SOCIAL_WORKER
from gops.people.models import Household, HouseholdMembership, Person, Relation

from . import rules
from .models import (
    FamilyAssessment,
    FamilySupport,
    FamilyWorkPlan,
    StepStatus,
    SupportStatus,
)

OPEN_STEP_STATUSES = (StepStatus.PLANNED, StepStatus.IN_PROGRESS)


def family_support_queryset_for_user(*, user: User) -> QuerySet[FamilySupport]:
    if not user.is_authenticated or not user.has_perm("families.view_familysupport"):
        return FamilySupport.objects.none()
    qs = FamilySupport.objects.filter(centre_id=user.centre_id)
    if user.has_perm("families.view_all_familysupports"):
        return qs
    return qs.filter(Q(assistant=user) | Q(social_worker=user))


def family_support_get_for_user(*, user: User, support_id: int) -> FamilySupport:
    support = (
        family_support_queryset_for_user(user=user)
        .select_related("household", "assistant", "social_worker")
        .filter(pk=support_id)
        .first()
    )
    if support is None:
        raise Http404
    return support


def family_support_current(*, user: User, household_id: int) -> FamilySupport | None:
    """The household's active (or monitored) assistance, if `user` may see it."""
    return (
        family_support_queryset_for_user(user=user)
        .filter(household_id=household_id)
        .exclude(status=SupportStatus.CLOSED)
        .select_related("assistant", "social_worker")
        .order_by("-started_on", "-id")
        .first()
    )


def assistant_caseload(*, assistant: User) -> int:
    """Families the assistant works with now (monitoring after closure does not count)."""
    return FamilySupport.objects.filter(assistant=assistant, status=SupportStatus.ACTIVE).count()


# --- Lists and summaries ---------------------------------------------------------------------


def family_support_list_for_user(
    *, user: User, today: date, status: str | None = None
) -> QuerySet[FamilySupport]:
    """The families `user` sees, with what is overdue: open plan steps past their deadline and
    the date of the assessment waiting to be done (``assessment_due``)."""
    qs = family_support_queryset_for_user(user=user)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("household", "household__district", "assistant", "social_worker")
        .prefetch_related(
            Prefetch(
                "household__memberships",
                queryset=HouseholdMembership.objects.select_related("person").order_by("id"),
            )
        )
        .annotate(
            overdue_steps=Count(
                "plan__steps",
                filter=Q(
                    plan__steps__status__in=OPEN_STEP_STATUSES, plan__steps__deadline__lt=today
                ),
                distinct=True,
            ),
            assessment_due=Min("assessments__due_on", filter=Q(assessments__done_on__isnull=True)),
        )
        .order_by("status", "household_id", "-started_on", "-id")
    )


def assistant_caseloads(*, user: User) -> list[dict]:
    """For the head: every active family assistant of the centre with their caseload."""
    if not user.has_perm("families.view_all_familysupports"):
        return []
    assistants = (
        User.objects.filter(centre_id=user.centre_id, is_active=True, groups__name=FAMILY_ASSISTANT)
        .annotate(
            active=Count(
                "family_supports",
                filter=Q(family_supports__status=SupportStatus.ACTIVE),
                distinct=True,
            ),
            monitored=Count(
                "family_supports",
                filter=Q(family_supports__status=SupportStatus.MONITORING),
                distinct=True,
            ),
        )
        .order_by("last_name", "first_name", "id")
    )
    limit = settings.FAMILY_ASSISTANT_CASELOAD_LIMIT
    return [
        {"assistant": a, "active": a.active, "monitored": a.monitored, "limit": limit}
        for a in assistants
    ]


def assistants_for_assignment(*, centre_id: int) -> QuerySet[User]:
    """Active family assistants of the centre, with their current caseload (``caseload``)."""
    return (
        User.objects.filter(centre_id=centre_id, is_active=True, groups__name=FAMILY_ASSISTANT)
        .annotate(
            caseload=Count(
                "family_supports",
                filter=Q(family_supports__status=SupportStatus.ACTIVE),
                distinct=True,
            )
        )
        .order_by("last_name", "first_name", "id")
    )


def social_workers_of_centre(*, centre_id: int) -> QuerySet[User]:
    return User.objects.filter(
        centre_id=centre_id, is_active=True, groups__name=SOCIAL_WORKER
    ).order_by("last_name", "first_name", "id")


def household_children(*, household: Household) -> QuerySet[Person]:
    """The household's current members who are its children (relation "child")."""
    return Person.objects.filter(
        memberships__household=household,
        memberships__left_on__isnull=True,
        memberships__relation=Relation.CHILD,
    ).order_by("birth_date", "id")


def family_support_file(*, support: FamilySupport, today: date) -> dict:
    """Everything on the family's page: the plan and its steps, contacts, assessments,
    children and childcare support, with what is overdue."""
    plan = FamilyWorkPlan.objects.filter(support=support).first()
    steps = list(plan.steps.all()) if plan else []
    for step in steps:
        step.overdue = step.status in OPEN_STEP_STATUSES and step.deadline < today
    assessments = list(support.assessments.select_related("recorded_by"))
    children = list(support.children.select_related("child"))
    for profile in children:
        profile.age = rules.age(birth_date=profile.child.birth_date, today=today)
    pending = next((a for a in assessments if a.done_on is None), None)
    return {
        "support": support,
        "plan": plan,
        "steps": steps,
        "overdue_steps": [s for s in steps if s.overdue],
        "contacts": list(support.contacts.select_related("recorded_by")),
        "assessments": assessments,
        "pending_assessment": pending,
        "assessment_overdue": pending is not None
        and rules.is_overdue(due_on=pending.due_on, done_on=None, today=today),
        "children": children,
        "unprofiled_children": [
            c
            for c in household_children(household=support.household)
            if c.pk not in {p.child_id for p in children}
        ],
        "childcare": list(support.childcare.select_related("child")),
        "members": support.household.active_members,
    }


def pending_assessment(*, support: FamilySupport) -> FamilyAssessment | None:
    return support.assessments.filter(done_on__isnull=True).first()
