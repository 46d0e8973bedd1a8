"""On PostgreSQL the registry search and a social worker's registry use indexes, not a
sequential scan (EXPLAIN)."""

import random
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gops.accounts.tests.factories import make_district
from gops.people import rules
from gops.people.models import Person
from gops.people.selectors import SEARCH_COUNT_LIMIT, person_search, person_search_results
from gops.people.tests.factories import make_person

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="index plans are checked on PostgreSQL"
)


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    return _explain(sql, params)


def _explain(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        # With a handful of rows the planner rightly prefers a scan; forbid it to see
        # whether an index can answer the query at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def registry(head, district_a):
    """A few thousand persons in one centre, analysed, so the planner sees real selectivity."""
    rng = random.Random(1)
    syllables = ["ko", "wal", "no", "wak", "wi", "sniew", "ski", "dą", "brow", "zie", "lin", "ma"]
    persons = []
    for i in range(3000):
        surnames = "".join(rng.choice(syllables) for _ in range(3)).capitalize()
        first = rng.choice(["Anna", "Jan", "Piotr", "Maria", "Zofia", "Adam"])
        search = rules.normalize_name(surnames)
        persons.append(
            Person(
                centre=head.centre,
                district=district_a,
                first_names=first,
                surnames=surnames,
                pesel=f"{50000000000 + i * 7919}",
                birth_date=date(1950 + i % 60, 1 + i % 12, 1 + i % 28),
                sex="F",
                id_document_type="passport",
                id_document_number=f"XX{i:07d}",
                citizenship="UA",
                residence_status="other",
                surnames_search=search,
                surnames_alt_search=rules.rotate_name_parts(search),
                first_names_search=rules.normalize_name(first),
                document_search=f"XX{i:07d}",
            )
        )
    Person.objects.bulk_create(persons)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")


@pytest.mark.parametrize(
    ("query", "indexes"),
    [
        # The surnames have two indexes that answer a prefix: either will do.
        ("wojcik", ("person_surname_idx", "person_name_order_idx")),
        ("kowal", ("person_double_surname_idx",)),
        ("440514", ("person_pesel_prefix_idx",)),
        ("FE123456", ("person_document_idx",)),
    ],
)
def test_search_is_answered_by_an_index(head, registry, query, indexes):
    plan = _plan(person_search(user=head, query=query).values("pk"))
    assert "Seq Scan on people_person" not in plan, plan
    assert any(index in plan for index in indexes), plan


@pytest.mark.parametrize("user", ["head", "worker_a"])
def test_the_registry_reads_a_page_of_a_name_search_in_name_order_and_counts_a_thousand(
    request, registry, user
):
    """The first page of a surname prefix is read from the name-order index and cut at the
    page's end (Limit over an index scan, no sort of every match); the double surnames from
    their own index; the count stops at SEARCH_COUNT_LIMIT + 1."""
    user = request.getfixturevalue(user)
    results = person_search_results(user=user, query="kowal")
    with CaptureQueriesContext(connection) as queries:
        results.count()
        list(results[0:25])
    count_sql, page_sql = (q["sql"] for q in queries.captured_queries)
    assert f"LIMIT {SEARCH_COUNT_LIMIT + 1}" in count_sql
    assert "Seq Scan on people_person" not in _explain(count_sql, None)
    plan = _explain(page_sql, None)
    assert "Seq Scan on people_person" not in plan, plan
    assert "person_double_surname_idx" in plan, plan
    if user.has_perm("people.view_all_persons"):
        # The whole centre: the surnames in order, straight from the index.
        assert re.search(r"Limit.*\n\s+->  Index (Only )?Scan using person_name_order_idx", plan), (
            plan
        )


def test_search_still_finds_the_person_on_postgresql(worker_a):
    person = make_person(
        actor=worker_a, surnames="Nowak-Kowalska", first_names="Łucja", pesel="44051401359"
    )
    assert list(person_search(user=worker_a, query="kowal")) == [person]
    assert list(person_search(user=worker_a, query="lucja nowak")) == [person]


@pytest.fixture
def city_registry(centre, district_a, worker_a):
    """Persons spread over eight districts, a few of other districts in worker_a's care,
    analysed: a social worker's registry is a small part of the centre's."""
    districts = [district_a] + [make_district(centre=centre, name=f"Rejon {n}") for n in range(7)]
    persons = []
    for i in range(4000):
        surnames = f"Nazwisko{i % 97}"
        persons.append(
            Person(
                centre=centre,
                district=districts[i % len(districts)],
                case_worker=worker_a if i % 50 == 1 else None,
                first_names="Anna",
                surnames=surnames,
                birth_date=date(1950 + i % 60, 1 + i % 12, 1 + i % 28),
                sex="F",
                id_document_type="passport",
                id_document_number=f"YY{i:07d}",
                citizenship="UA",
                residence_status="other",
                surnames_search=rules.normalize_name(surnames),
                surnames_alt_search=rules.normalize_name(surnames),
                first_names_search="anna",
                document_search=f"YY{i:07d}",
            )
        )
    Person.objects.bulk_create(persons)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")


def test_a_social_workers_registry_page_and_count_are_answered_by_indexes(
    client, worker_a, city_registry
):
    """The registry without a query shows the persons of the worker's district, of their own
    cases and of their family-assistant caseload. The OR of the three is answered by one index
    scan per branch (BitmapOr), for the page and for its count: with the caseload as a
    correlated EXISTS, PostgreSQL read all 1,000,000 persons of the large city (~0.5 s each)."""
    client.force_login(worker_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/osoby/")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 500 + 80  # district A's eighth, and 80 cases elsewhere
    registry = [q["sql"] for q in queries.captured_queries if 'FROM "people_person"' in q["sql"]]
    assert any("COUNT(*)" in sql for sql in registry), registry  # the count and the page
    assert any("LIMIT" in sql for sql in registry), registry
    for sql in registry:
        plan = _explain(sql)
        assert "Seq Scan on people_person" not in plan, plan
        assert "BitmapOr" in plan, plan
        for index in ("people_person_district_id", "people_person_case_worker_id", "pkey"):
            assert index in plan, plan
