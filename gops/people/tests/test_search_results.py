"""The registry's search page (people.selectors.SearchResults): the same persons as the search
box's queryset, page by page in name order, counted up to SEARCH_COUNT_LIMIT."""

from datetime import date

import pytest
from django.core.paginator import Paginator

from gops.audit.models import AuditAction, AuditEntry
from gops.people import rules, selectors
from gops.people.models import Person

FIRST_NAMES = ["Anna", "Marek", "Maria", "Jan", "Kowalina", "Zofia"]
SURNAMES = [
    "Kowalski",
    "Kowalska",
    "Nowak-Kowalska",
    "Kowalczyk-Nowak",
    "Nowak",
    "Marciniak",
    "Wójcik",
    "Mazur-Kowal",
    "Kowal",
]


def _person(centre, district, n: int, *, surnames: str, first_names: str) -> Person:
    """A foreigner without PESEL, the search keys set as Person.save() sets them."""
    folded = rules.normalize_name(surnames)
    number = f"XA{n:07d}"
    return Person(
        centre=centre,
        district=district,
        first_names=first_names,
        surnames=surnames,
        birth_date=date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
        sex="F",
        citizenship="UA",
        residence_status="other",
        id_document_type="passport",
        id_document_number=number,
        surnames_search=folded,
        surnames_alt_search=rules.rotate_name_parts(folded),
        first_names_search=rules.normalize_name(first_names),
        document_search=number,
    )


@pytest.fixture
def registry(centre, district_a, district_b):
    """Every surname with every first name, twice (ids decide the order of namesakes), in
    districts A and B by turns."""
    persons = [
        _person(
            centre,
            district_a if n % 2 else district_b,
            n,
            surnames=surnames,
            first_names=first_names,
        )
        for n, (surnames, first_names) in enumerate(
            (s, f) for s in SURNAMES for f in FIRST_NAMES for _twice in range(2)
        )
    ]
    return Person.objects.bulk_create(persons)


def by_name(user, query: str) -> list[int]:
    """What the search box's queryset finds, in name order (folded names, then id)."""
    rows = selectors.person_search(user=user, query=query).values_list(
        "surnames_search", "first_names_search", "pk"
    )
    return [pk for *_names, pk in sorted(rows)]


def pages(user, query: str, per_page: int) -> tuple[int, bool, list[list[int]]]:
    results = selectors.person_search_results(user=user, query=query)
    paginator = Paginator(results, per_page)
    shown = [[p.pk for p in paginator.page(n).object_list] for n in paginator.page_range]
    return paginator.count, results.capped, shown


QUERIES = ["kowal", "kow", "nowak", "mar", "ma", "k", "kowal anna", "nowak kowal", "maria m",
           "XA0000007", "xa-0000011", "zzz", "kowalska nowak"]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
def test_the_pages_show_what_the_search_finds_in_name_order(head, worker_a, registry, query):
    for user in (head, worker_a):
        expected = by_name(user, query)
        count, capped, shown = pages(user, query, per_page=7)
        assert count == len(expected)
        assert not capped
        assert [pk for page in shown for pk in page] == expected or (not expected and shown == [[]])


def test_the_second_part_of_a_double_surname_is_found_in_the_order_of_the_surnames(head, registry):
    count, _capped, shown = pages(head, "kowalczyk", per_page=50)
    names = [Person.objects.get(pk=pk).surnames for pk in shown[0]]
    assert names == ["Kowalczyk-Nowak"] * 12
    _count, _capped, shown = pages(head, "nowak", per_page=50)
    surnames = [Person.objects.get(pk=pk).surnames for pk in shown[0]]
    # "Kowalczyk-Nowak" by its second part, first by its surnames; then "Nowak", "Nowak-…".
    assert surnames == ["Kowalczyk-Nowak"] * 12 + ["Nowak"] * 12 + ["Nowak-Kowalska"] * 12


def test_a_search_finding_more_than_the_limit_counts_up_to_it_and_pages_through_the_first(
    head, registry, monkeypatch
):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 10)
    expected = by_name(head, "kow")
    assert len(expected) > 10
    count, capped, shown = pages(head, "kow", per_page=4)
    assert (count, capped) == (10, True)
    assert shown == [expected[0:4], expected[4:8], expected[8:10]]
    count, capped, shown = pages(head, "mazur anna", per_page=4)
    assert (count, capped) == (2, False)
    assert shown == [by_name(head, "mazur anna")]


def test_the_registry_says_when_a_search_found_more_than_it_shows(
    english_messages, client, head, registry, monkeypatch
):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 10)
    client.force_login(head)
    response = client.post("/osoby/", {"q": "kow"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert "More than 10 persons found for “kow”" in text
    assert text.count('href="/osoby/') == 10
    entry = AuditEntry.objects.filter(action=AuditAction.SEARCH).latest("pk")
    assert entry.changes == {"query": "kow", "results": 10}
    response = client.post("/osoby/", {"q": "marciniak anna"}, HTTP_HX_REQUEST="true")
    assert "2 persons found for “marciniak anna”" in response.content.decode()
    assert "More than" not in response.content.decode()
