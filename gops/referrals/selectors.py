"""Permission-checked reads: the institution directory, advice, referrals, follow-ups,
activation counts and a person's panel."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from gops.accounts.models import User
from gops.people.models import Person
from gops.people.selectors import person_queryset_for_user

from .models import (
    WORK_KINDS,
    Advice,
    EmploymentProfile,
    Institution,
    OutcomeKind,
    Referral,
    ReferralKind,
    ReferralState,
)


def institution_queryset_for_user(*, user: User) -> QuerySet[Institution]:
    if not user.is_authenticated or not user.has_perm("referrals.view_institution"):
        return Institution.objects.none()
    return Institution.objects.filter(centre_id=user.centre_id)


def institution_get_for_user(*, user: User, institution_id: int) -> Institution:
    institution = institution_queryset_for_user(user=user).filter(pk=institution_id).first()
    if institution is None:
        raise Http404
    return institution


def institution_search(
    *, user: User, query: str = "", kind: str | None = None
) -> QuerySet[Institution]:
    """The directory filtered by words (each in the name, services, eligibility, address or
    languages) and by type."""
    qs = institution_queryset_for_user(user=user)
    if kind:
        qs = qs.filter(kind=kind)
    for word in (query or "").split():
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(services__icontains=word)
            | Q(eligibility__icontains=word)
            | Q(address__icontains=word)
            | Q(languages__icontains=word)
        )
    return qs


def advice_queryset_for_user(*, user: User) -> QuerySet[Advice]:
    """Advice of the centre: anonymous walk-ins, and registered persons the user may see."""
    if not user.is_authenticated or not user.has_perm("referrals.view_advice"):
        return Advice.objects.none()
    return Advice.objects.filter(centre_id=user.centre_id).filter(
        Q(person__isnull=True) | Q(person__in=person_queryset_for_user(user=user))
    )


def referral_queryset_for_user(*, user: User) -> QuerySet[Referral]:
    """Referrals of persons `user` may see."""
    if not user.is_authenticated or not user.has_perm("referrals.view_referral"):
        return Referral.objects.none()
    return Referral.objects.filter(
        centre_id=user.centre_id, person__in=person_queryset_for_user(user=user)
    )


def referral_get_for_user(*, user: User, referral_id: int) -> Referral:
    referral = (
        referral_queryset_for_user(user=user)
        .select_related("person", "institution", "centre", "created_by", "social_contract")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


OPEN_STATES = (ReferralState.SENT, ReferralState.ACCEPTED)


def overdue_follow_ups(*, user: User, today: date) -> QuerySet[Referral]:
    """Open referrals (sent or accepted) whose follow-up date has passed, oldest first."""
    return (
        referral_queryset_for_user(user=user)
        .filter(state__in=OPEN_STATES, follow_up_on__lt=today)
        .select_related("person", "institution")
        .order_by("follow_up_on", "pk")
    )


def employment_profile_for_user(*, user: User, person: Person) -> EmploymentProfile | None:
    if not user.has_perm("referrals.view_employmentprofile"):
        return None
    return EmploymentProfile.objects.filter(person=person).first()


@dataclass
class ActivationCounts:
    year: int
    # Distinct persons with at least one work or training referral in the year.
    persons_activated: int = 0
    # {kind: {outcome_kind or "": count}} for work kinds
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    referrals: int = 0

    def rows(self) -> list[dict]:
        """One row per work kind: its label, the referrals, and the count of each outcome."""
        labels = dict(ReferralKind.choices)
        result = []
        for kind in ReferralKind.values:
            if kind not in WORK_KINDS:
                continue
            per = self.outcomes.get(kind, {})
            result.append(
                {
                    "kind": kind,
                    "label": labels[kind],
                    "total": sum(per.values()),
                    "outcomes": [per.get(o, 0) for o in OutcomeKind.values],
                    "pending": per.get("", 0),
                }
            )
        return result


def activation_counts(*, user: User, year: int) -> ActivationCounts:
    """Work and training referrals created in `year`: persons activated and outcomes per kind."""
    qs = referral_queryset_for_user(user=user).filter(kind__in=WORK_KINDS, created_at__year=year)
    counts = ActivationCounts(year=year)
    counts.persons_activated = qs.values("person_id").distinct().count()
    for row in qs.values("kind", "outcome_kind").annotate(n=Count("pk")).order_by():
        counts.outcomes.setdefault(row["kind"], {})[row["outcome_kind"]] = row["n"]
        counts.referrals += row["n"]
    return counts


def person_summary(*, user: User, person: Person) -> dict:
    """What the person page shows: advice, referrals to services, work referrals with their
    outcomes, and the employment profile."""
    referrals = list(
        referral_queryset_for_user(user=user)
        .filter(person=person)
        .select_related("institution")
        .order_by("-created_at", "-pk")
    )
    return {
        "person": person,
        "advice": list(
            advice_queryset_for_user(user=user)
            .filter(person=person)
            .prefetch_related("institutions")[:10]
        ),
        "referrals": [r for r in referrals if not r.is_work],
        "work_referrals": [r for r in referrals if r.is_work],
        "profile": employment_profile_for_user(user=user, person=person),
    }
