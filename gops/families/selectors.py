"""Permission-checked reads of family assistance.

Visible to the assigned family assistant, the family's social worker and the head (who has
``families.view_all_familysupports``); everyone else gets 404, as if it did not exist.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from gops.accounts.models import User

from .models import FamilySupport, SupportStatus


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
