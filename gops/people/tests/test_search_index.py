"""On PostgreSQL the registry search uses indexes, not a sequential scan (EXPLAIN)."""

import random
from datetime import date

import pytest
from django.db import connection

from gops.people import rules
from gops.people.models import Person
from gops.people.selectors import person_search
from gops.people.tests.factories import make_person

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="index plans are checked on PostgreSQL"
)


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
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
    ("query", "index"),
    [
        ("wojcik", "person_surname_idx"),
        ("kowal", "person_surname_alt_idx"),
        ("440514", "person_pesel_prefix_idx"),
        ("FE123456", "person_document_idx"),
    ],
)
def test_search_is_answered_by_an_index(head, registry, query, index):
    plan = _plan(person_search(user=head, query=query).values("pk"))
    assert "Seq Scan on people_person" not in plan, plan
    assert index in plan, plan


def test_search_still_finds_the_person_on_postgresql(worker_a):
    person = make_person(
        actor=worker_a, surnames="Nowak-Kowalska", first_names="Łucja", pesel="44051401359"
    )
    assert list(person_search(user=worker_a, query="kowal")) == [person]
    assert list(person_search(user=worker_a, query="lucja nowak")) == [person]
