"""The shared query helpers: the small-subquery IN and fetching one object for a user."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from gops.core.queries import InSmallSubquery, get_visible_or_404
from gops.people import services
from gops.people.models import Household, HouseholdMembership, Person, Relation
from gops.people.selectors import person_queryset_for_user
from gops.people.tests.factories import make_person


@pytest.fixture
def persons(worker_a, worker_b):
    """Jan of district A in a household with Ewa; Maria of district B."""
    jan = make_person(actor=worker_a)
    ewa = make_person(actor=worker_a, first_names="Ewa", pesel="10301032114")
    maria = make_person(actor=worker_b, first_names="Maria", surnames="Wójcik", pesel="75112055505")
    services.household_create(
        actor=worker_a,
        members=[(jan, Relation.HEAD), (ewa, Relation.CHILD)],
        joined_on=date(2024, 1, 1),
    )
    return jan, ewa, maria


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_in_small_subquery_keeps_the_same_rows_as_in_alone_negated_and_or_ed(persons):
    jan, ewa, maria = persons
    members = HouseholdMembership.objects.filter(left_on__isnull=True).values("person_id")
    small = InSmallSubquery("pk", members)
    assert _ids(Person.objects.filter(small)) == _ids(Person.objects.filter(pk__in=members))
    assert _ids(Person.objects.filter(small)) == {jan.pk, ewa.pk}
    assert _ids(Person.objects.exclude(small)) == {maria.pk}
    assert _ids(Person.objects.filter(Q(small) | Q(first_names="Maria"))) == {
        jan.pk,
        ewa.pk,
        maria.pk,
    }
    nobody = HouseholdMembership.objects.none().values("person_id")
    assert _ids(Person.objects.filter(Q(InSmallSubquery("pk", nobody)) | Q(pk=maria.pk))) == {
        maria.pk
    }


def test_an_object_is_fetched_by_its_key_then_checked_without_ordering(worker_a, persons):
    jan, _, _ = persons
    with CaptureQueriesContext(connection) as queries:
        found = get_visible_or_404(
            person_queryset_for_user(user=worker_a),
            jan.pk,
            fetch=Person.objects.select_related("district"),
        )
        assert found == jan
        assert found.district.name == "Rejon A"  # loaded with the row
    assert len(queries) == 2, [q["sql"] for q in queries.captured_queries]
    fetch, check = (q["sql"] for q in queries.captured_queries)
    assert '"case_worker_id" = ' not in fetch  # the row by its key alone
    assert '"case_worker_id" = ' in check  # then the access rule, for that row
    assert "ORDER BY" not in fetch + check


def test_a_hidden_object_and_a_missing_one_give_the_same_404(worker_a, persons):
    _, _, maria = persons
    visible = person_queryset_for_user(user=worker_a)
    with pytest.raises(Http404) as hidden:
        get_visible_or_404(visible, maria.pk)
    with pytest.raises(Http404) as missing:
        get_visible_or_404(visible, maria.pk + 1000)
    assert str(hidden.value) == str(missing.value)


def test_without_the_permission_nothing_is_read(administrator, persons):
    jan, _, _ = persons
    visible = person_queryset_for_user(user=administrator)  # (reads the permissions)
    with CaptureQueriesContext(connection) as queries, pytest.raises(Http404):
        get_visible_or_404(visible, jan.pk)
    assert len(queries) == 0


def test_the_fetch_must_read_the_same_model(worker_a, persons):
    jan, _, _ = persons
    with pytest.raises(TypeError):
        get_visible_or_404(person_queryset_for_user(user=worker_a), jan.pk, fetch=Household.objects)
