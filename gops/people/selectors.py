"""Permission-checked reads of the registry. Every view and API endpoint goes through these."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, Func, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

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


def _visible_by_its_row(*, user: User, person: Person) -> bool:
    """Whether person_queryset_for_user holds `person` by what the person's own row says: the
    centre's persons for those who see them all, a worker's own cases and district. Only the
    family-assistant caseload needs the database. Never True where the queryset would not
    hold the person; called only for a user whose queryset is not empty (view_person)."""
    if person.centre_id != user.centre_id:
        return False
    if user.has_perm("people.view_all_persons") or person.case_worker_id == user.pk:
        return True
    return bool(
        user.district_id
        and person.district_id == user.district_id
        and user.has_perm("people.view_district_persons")
    )


def person_get_for_user(*, user: User, person_id: int, for_write: bool = False) -> Person:
    """The person with `person_id` if `user` may see it (else 404, never revealing it exists).

    With ``for_write`` a person the user may see but not change gives 403.

    As gops.core.queries.get_visible_or_404 does it — the row by its primary key, then whether
    the access rule holds it — except that a row which shows by itself that the user sees it
    (their district, their case, the whole centre) needs no second query: every file, panel
    and edit form of a person opens with one query less.
    """
    visible = person_queryset_for_user(user=user)
    if visible.query.is_empty():  # no permission to see persons at all
        raise Http404
    try:
        person = Person.objects.select_related("district", "case_worker").get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404 from None
    if not _visible_by_its_row(user=user, person=person) and not (
        visible.filter(pk=person_id).exists()
    ):
        raise Http404
    if for_write and not person_can_write(user=user, person=person):
        raise PermissionDenied
    return person


def _search_condition(parsed: rules.SearchQuery) -> Q:
    """What a name or document search matches: every word a prefix of the surnames, of the
    rotated surnames or of the first names, or else the whole document number."""
    condition = Q()
    if parsed.name_tokens:
        names = Q()
        for token in parsed.name_tokens:
            names &= _token_matches(token)
        condition |= names
    if parsed.document_number:
        condition |= Q(document_search=parsed.document_number)
    return condition


def _token_matches(token: str) -> Q:
    """A word of a name search: a prefix of the surnames, of the first names, or of the
    rotated surnames of a double surname ("kowal" finds "Nowak-Kowalska")."""
    return (
        Q(surnames_search__startswith=token)
        | _second_surname_startswith(token)
        | Q(first_names_search__startswith=token)
    )


def _second_surname_startswith(token: str) -> Q:
    # The rotated surnames equal the surnames unless the surname is double (folded with a
    # space): only those need their own index (migration 0006), and saying so lets
    # PostgreSQL see how few they are.
    return Q(surnames_alt_search__startswith=token) & Q(surnames_search__contains=" ")


def person_search(*, user: User, query: str) -> QuerySet[Person]:
    """One search box: PESEL (or its start), surname and first name by prefix, document number.

    Names are compared folded (no diacritics, any case): "wojcik" finds "Wójcik".
    """
    qs = person_queryset_for_user(user=user).select_related("district")
    parsed = rules.parse_search(query)
    if parsed.pesel_prefix:
        return qs.filter(pesel__startswith=parsed.pesel_prefix)
    condition = _search_condition(parsed)
    if not condition:
        return qs.none()
    return qs.filter(condition)


# The registry's search counts at most this many persons: "more than 1,000 found", and their
# first 1,000 by name page by page. Counting every match reads every matching row (62,345 for
# "mar" in a city of 1,000,000 persons: 190 ms), for a number nobody pages through.
SEARCH_COUNT_LIMIT = 1000


class _Bytes(Func):
    """A text column compared by its bytes: ``COLLATE "C"`` on PostgreSQL, which the search
    indexes of migration 0006 are built with whatever the database's collation, so that an
    index scan yields the rows in this order and LIMIT stops it early. The search columns hold
    folded ASCII (rules.normalize_name): this is alphabetical order. SQLite compares by bytes
    already (BINARY)."""

    template = "%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template='%(expressions)s COLLATE "C"')


def _by_name() -> tuple:
    return (_Bytes("surnames_search").asc(), _Bytes("first_names_search").asc(), "id")


# What the registry's results table shows (people/_person_results.html): a page reads these
# columns only. gops/core/tests/test_query_counts.py fails if the table shows one more.
RESULT_COLUMNS = (
    "surnames",
    "first_names",
    "pesel",
    "birth_date",
    "id_document_type",
    "id_document_number",
    "citizenship",
    "homeless",
    "registered_city",
    "district__name",
)


@dataclass
class SearchResults:
    """The registry's search results for Django's Paginator: ``count()`` stops at
    SEARCH_COUNT_LIMIT (``capped`` then says so) and a slice reads one page.

    A page is the first persons by name among those that match. With the OR of a name search
    PostgreSQL would read and sort every match for it (and 62,345 for "mar"), so on PostgreSQL
    the page is taken from the branches of the OR instead — surnames, double surnames, first
    names, document — each in name order through an index and cut at the end of the page, and
    the rows are the first of their union.
    """

    user: User
    query: str
    capped: bool = field(default=False, init=False)
    _count: int | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._visible = person_queryset_for_user(user=self.user)
        self._parsed = rules.parse_search(self.query)
        if self._parsed.pesel_prefix:
            self._branches = [Q(pesel__startswith=self._parsed.pesel_prefix)]
        else:
            self._branches = self._split()  # none for an empty query: nothing found

    def _split(self) -> list[Q]:
        """The search's OR as branches whose union it is, each using one index: by the columns
        the longest word may match (the other words must match too), and the document."""
        branches = []
        tokens = list(self._parsed.name_tokens)
        if tokens:
            longest = max(tokens, key=len)
            tokens.remove(longest)
            others = Q()
            for token in tokens:
                others &= _token_matches(token)
            branches += [
                Q(surnames_search__startswith=longest) & others,
                _second_surname_startswith(longest) & others,
                Q(first_names_search__startswith=longest) & others,
            ]
        if self._parsed.document_number:
            branches.append(Q(document_search=self._parsed.document_number))
        return branches

    def _matching(self) -> QuerySet[Person]:
        if not self._branches:
            return self._visible.none()
        condition = Q()
        for branch in self._branches:
            condition |= branch
        return self._visible.filter(condition)

    def count(self) -> int:
        if self._count is None:
            matching = self._matching().order_by().values("pk")
            found = matching[: SEARCH_COUNT_LIMIT + 1].count()
            self.capped = found > SEARCH_COUNT_LIMIT
            self._count = min(found, SEARCH_COUNT_LIMIT)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[Person]:
        start, stop = page.start or 0, page.stop
        if stop is None or stop <= start or not self._branches:
            return []
        if len(self._branches) > 1 and connection.features.supports_slicing_ordering_in_compound:
            first, *others = (
                self._visible.filter(branch).order_by(*_by_name()).values("pk")[:stop]
                for branch in self._branches
            )
            found = Person.objects.filter(pk__in=first.union(*others))
        else:
            found = self._matching()
        rows = found.select_related("district").only(*RESULT_COLUMNS).order_by(*_by_name())
        return list(rows[start:stop])


def person_search_results(*, user: User, query: str) -> SearchResults:
    """The registry's search box, page by page (Paginator): see SearchResults."""
    return SearchResults(user=user, query=query)


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
