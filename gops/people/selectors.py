"""Permission-checked reads of the registry. Every view and API endpoint goes through these."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from gops.accounts.models import User
from gops.core.queries import InSmallSubquery, get_visible_or_404

from . import rules
from .models import Household, HouseholdMembership, Income, Person


def _persons_of_assistant(user: User) -> QuerySet[HouseholdMembership]:
    """The ids of the persons in the active households of the user's family-assistant caseload
    (a few dozen at most): a small subquery, see InSmallSubquery."""
    return HouseholdMembership.objects.filter(
        left_on__isnull=True, household__family_assistant=user
    ).values("person_id")


def person_queryset_for_user(*, user: User) -> QuerySet[Person]:
    """Persons `user` may see: the whole centre, their district, or those assigned to them."""
    if not user.is_authenticated or not user.has_perm("people.view_person"):
        return Person.objects.none()
    qs = Person.objects.filter(centre_id=user.centre_id)
    if user.has_perm("people.view_all_persons"):
        return qs
    # Every branch is indexed, so PostgreSQL answers the OR with a BitmapOr of index scans
    # (gops/people/tests/test_search_index.py) instead of reading every person.
    scope = Q(case_worker=user) | Q(InSmallSubquery("pk", _persons_of_assistant(user)))
    if user.has_perm("people.view_district_persons") and user.district_id:
        scope |= Q(district_id=user.district_id)
    return qs.filter(scope)


def person_can_write(*, user: User, person: Person) -> bool:
    if not user.has_perm("people.change_person") or person.centre_id != user.centre_id:
        return False
    if user.has_perm("people.view_all_persons"):
        return True
    return person.case_worker_id == user.pk or (
        user.district_id is not None and person.district_id == user.district_id
    )


def person_get_for_user(*, user: User, person_id: int, for_write: bool = False) -> Person:
    """The person with `person_id` if `user` may see it (else 404, never revealing it exists).

    With ``for_write`` a person the user may see but not change gives 403.
    """
    person = get_visible_or_404(
        person_queryset_for_user(user=user),
        person_id,
        fetch=Person.objects.select_related("district", "case_worker"),
    )
    if for_write and not person_can_write(user=user, person=person):
        raise PermissionDenied
    return person


def person_search(*, user: User, query: str) -> QuerySet[Person]:
    """One search box: PESEL (or its start), surname and first name by prefix, document number.

    Names are compared folded (no diacritics, any case): "wojcik" finds "Wójcik".
    """
    qs = person_queryset_for_user(user=user).select_related("district")
    parsed = rules.parse_search(query)
    if parsed.pesel_prefix:
        return qs.filter(pesel__startswith=parsed.pesel_prefix)
    condition = Q()
    if parsed.name_tokens:
        names = Q()
        for token in parsed.name_tokens:
            names &= (
                Q(surnames_search__startswith=token)
                | Q(surnames_alt_search__startswith=token)
                | Q(first_names_search__startswith=token)
            )
        condition |= names
    if parsed.document_number:
        condition |= Q(document_search=parsed.document_number)
    if not condition:
        return qs.none()
    return qs.filter(condition)


def person_search_without_household(*, user: User, query: str) -> QuerySet[Person]:
    """Search results that may join a household: nobody in an active household."""
    active = HouseholdMembership.objects.filter(person=OuterRef("pk"), left_on__isnull=True)
    return person_search(user=user, query=query).exclude(Exists(active))


def person_similar(
    *,
    centre_id: int,
    first_names: str,
    surnames: str,
    birth_date,
    exclude_id: int | None = None,
    without_pesel: bool = False,
) -> list[Person]:
    """Persons with the same names and birth date, compared without diacritics and case.

    With ``without_pesel`` only those registered without a PESEL (a person with a different
    PESEL is a different person).
    """
    qs = Person.objects.filter(
        centre_id=centre_id,
        surnames_search=rules.normalize_name(surnames),
        first_names_search=rules.normalize_name(first_names),
        birth_date=birth_date,
    )
    if without_pesel:
        qs = qs.filter(pesel__isnull=True)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return list(qs[:10])


def household_queryset_for_user(*, user: User) -> QuerySet[Household]:
    if not user.is_authenticated or not user.has_perm("people.view_household"):
        return Household.objects.none()
    qs = Household.objects.filter(centre_id=user.centre_id)
    if user.has_perm("people.view_all_persons"):
        return qs
    scope = Q(family_assistant=user) | Q(
        Exists(
            HouseholdMembership.objects.filter(
                household=OuterRef("pk"), left_on__isnull=True, person__case_worker=user
            )
        )
    )
    if user.has_perm("people.view_district_persons") and user.district_id:
        scope |= Q(district_id=user.district_id)
    return qs.filter(scope)


def household_get_for_user(*, user: User, household_id: int, for_write: bool = False) -> Household:
    household = get_visible_or_404(
        household_queryset_for_user(user=user),
        household_id,
        fetch=Household.objects.select_related("district", "family_assistant").prefetch_related(
            Prefetch(
                "memberships",
                queryset=HouseholdMembership.objects.select_related("person").order_by(
                    "left_on", "joined_on", "id"
                ),
            )
        ),
    )
    if for_write and not user.has_perm("people.change_household"):
        raise PermissionDenied
    return household


def income_list_for_person(*, person: Person) -> QuerySet[Income]:
    return person.incomes.all()


def person_household_membership(*, person: Person) -> HouseholdMembership | None:
    return person.memberships.filter(left_on__isnull=True).select_related("household").first()
