"""Who sees whom: permission-checked reads of the registry and the search box."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gops.people import selectors, services
from gops.people.models import Household, Relation
from gops.people.tests.factories import make_foreigner, make_person


@pytest.fixture
def person_a(worker_a):
    """Jan Kowalski of district A."""
    return make_person(actor=worker_a)


@pytest.fixture
def person_b(worker_b):
    """Maria Wójcik of district B."""
    return make_person(actor=worker_b, first_names="Maria", surnames="Wójcik", pesel="75112055505")


def visible(user) -> set[int]:
    return set(selectors.person_queryset_for_user(user=user).values_list("pk", flat=True))


def found(user, query: str) -> set[int]:
    return set(selectors.person_search(user=user, query=query).values_list("pk", flat=True))


# --- Visibility ---------------------------------------------------------------------------


def test_a_worker_of_district_a_cannot_see_a_person_of_district_b(worker_a, person_a, person_b):
    assert selectors.person_get_for_user(user=worker_a, person_id=person_a.pk) == person_a
    with pytest.raises(Http404):
        selectors.person_get_for_user(user=worker_a, person_id=person_b.pk)
    assert visible(worker_a) == {person_a.pk}


def test_a_missing_person_and_a_hidden_one_look_the_same(worker_a, person_b):
    with pytest.raises(Http404):
        selectors.person_get_for_user(user=worker_a, person_id=person_b.pk + 1000)


def test_a_file_whose_row_shows_the_user_sees_it_opens_with_one_query(
    worker_a, worker_b, head, finance, person_a, django_assert_num_queries
):
    """Their district, the whole centre: the row fetched says so, no EXISTS follows. Where it
    does not (another district), the access rule is asked, and says no."""
    for user in (worker_a, worker_b, head, finance):
        user.has_perm("people.view_person")  # permissions loaded, as on every page
    for user in (worker_a, head, finance):
        with django_assert_num_queries(1):
            assert selectors.person_get_for_user(user=user, person_id=person_a.pk) == person_a
    with django_assert_num_queries(2), pytest.raises(Http404):
        selectors.person_get_for_user(user=worker_b, person_id=person_a.pk)


def test_a_worker_sees_a_person_of_another_district_whose_case_worker_they_are(
    worker_a, worker_b, head, person_b
):
    assert not selectors.person_can_write(user=worker_a, person=person_b)
    services.person_update(actor=head, person=person_b, data={"case_worker": worker_a})
    person = selectors.person_get_for_user(user=worker_a, person_id=person_b.pk, for_write=True)
    assert person == person_b
    assert person.case_worker == worker_a
    assert selectors.person_can_write(user=worker_a, person=person)
    assert selectors.person_can_write(user=worker_b, person=person)  # still its district


def test_the_head_sees_and_may_change_everyone_in_the_centre(head, person_a, person_b):
    assert visible(head) == {person_a.pk, person_b.pk}
    assert selectors.person_get_for_user(user=head, person_id=person_b.pk, for_write=True)


def test_finance_sees_persons_but_may_not_change_them(finance, person_a, person_b):
    assert visible(finance) == {person_a.pk, person_b.pk}
    assert selectors.person_get_for_user(user=finance, person_id=person_a.pk) == person_a
    assert selectors.person_can_write(user=finance, person=person_a) is False
    with pytest.raises(PermissionDenied):
        selectors.person_get_for_user(user=finance, person_id=person_a.pk, for_write=True)


def test_a_family_assistant_gets_403_not_404_for_a_person_they_see_but_may_not_change(
    worker_a, person_a, assistant
):
    household = services.household_create(actor=worker_a, members=[(person_a, Relation.HEAD)])
    Household.objects.filter(pk=household.pk).update(family_assistant=assistant)
    assert selectors.person_get_for_user(user=assistant, person_id=person_a.pk) == person_a
    with pytest.raises(PermissionDenied):
        selectors.person_get_for_user(user=assistant, person_id=person_a.pk, for_write=True)


def test_only_case_working_roles_read_restricted_notes(head, worker_a, assistant, finance, dpo):
    assert head.has_perm("people.view_restricted_notes")
    assert worker_a.has_perm("people.view_restricted_notes")
    assert assistant.has_perm("people.view_restricted_notes")
    assert not finance.has_perm("people.view_restricted_notes")
    assert not dpo.has_perm("people.view_restricted_notes")


def test_a_family_assistant_sees_only_members_of_households_assigned_to_them(
    worker_a, assistant, person_a, person_b
):
    child = make_person(actor=worker_a, first_names="Ewa", pesel="10301032114")
    household = services.household_create(
        actor=worker_a,
        members=[(person_a, Relation.HEAD), (child, Relation.CHILD)],
        joined_on=date(2024, 1, 1),
    )
    assert visible(assistant) == set()

    Household.objects.filter(pk=household.pk).update(family_assistant=assistant)
    assert visible(assistant) == {person_a.pk, child.pk}
    with pytest.raises(Http404):
        selectors.person_get_for_user(user=assistant, person_id=person_b.pk)
    household_ids = selectors.household_queryset_for_user(user=assistant).values_list(
        "pk", flat=True
    )
    assert list(household_ids) == [household.pk]

    # A member who left the family leaves the assistant's sight.
    services.household_end_membership(
        actor=worker_a, membership=child.active_membership, left_on=date(2024, 9, 1)
    )
    assert visible(assistant) == {person_a.pk}


def test_the_data_protection_officer_reads_every_person_but_changes_none(dpo, person_a, person_b):
    """The DPO answers data subjects' requests (RODO art. 15–17): read-only registry."""
    assert visible(dpo) == {person_a.pk, person_b.pk}
    assert not selectors.person_can_write(user=dpo, person=person_a)
    assert not dpo.has_perm("people.view_restricted_notes")


def test_the_administrator_sees_no_persons(administrator, person_a, person_b):
    for user in (administrator,):
        assert visible(user) == set()
        assert found(user, "Kowalski") == set()
        with pytest.raises(Http404):
            selectors.person_get_for_user(user=user, person_id=person_a.pk)
        assert not selectors.household_queryset_for_user(user=user).exists()


def test_users_of_another_centre_see_nothing(other_head, other_worker, person_a, person_b):
    mine = make_person(
        actor=other_worker, first_names="Adam", surnames="Zieliński", pesel="90060101296"
    )
    for user in (other_head, other_worker):
        assert visible(user) == {mine.pk}
        assert found(user, "Kowalski") == set()
        assert found(user, "44051401359") == set()
        with pytest.raises(Http404):
            selectors.person_get_for_user(user=user, person_id=person_a.pk)
    assert selectors.person_can_write(user=other_head, person=person_a) is False


def test_an_anonymous_user_sees_nothing(person_a):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()


def test_a_household_is_seen_by_its_district_and_hidden_from_others(
    worker_a, worker_b, head, person_a
):
    household = services.household_create(actor=worker_a, members=[(person_a, Relation.HEAD)])
    assert selectors.household_get_for_user(user=worker_a, household_id=household.pk)
    assert selectors.household_get_for_user(user=head, household_id=household.pk)
    with pytest.raises(Http404):
        selectors.household_get_for_user(user=worker_b, household_id=household.pk)


# --- Search -------------------------------------------------------------------------------


@pytest.fixture
def registry(worker_a):
    """Persons of district A with names that test the folding of the search box."""
    return {
        "wojcik": make_person(
            actor=worker_a, first_names="Łukasz", surnames="Wójcik", pesel="85031279072"
        ),
        "nowak_kowalska": make_person(
            actor=worker_a, first_names="Anna", surnames="Nowak-Kowalska", pesel="75112055505"
        ),
        "kowalski": make_person(actor=worker_a),
        "foreigner": make_foreigner(actor=worker_a),
    }


def test_search_without_diacritics_finds_a_name_with_them(worker_a, registry):
    assert found(worker_a, "wojcik") == {registry["wojcik"].pk}
    assert found(worker_a, "WÓJC") == {registry["wojcik"].pk}
    assert found(worker_a, "lukasz") == {registry["wojcik"].pk}


def test_search_finds_either_part_of_a_double_surname_by_prefix(worker_a, registry):
    assert found(worker_a, "kowal") == {registry["nowak_kowalska"].pk, registry["kowalski"].pk}
    assert found(worker_a, "nowak") == {registry["nowak_kowalska"].pk}
    assert found(worker_a, "Nowak-Kowalska") == {registry["nowak_kowalska"].pk}


def test_every_word_of_the_query_must_match(worker_a, registry):
    assert found(worker_a, "kowal anna") == {registry["nowak_kowalska"].pk}
    assert found(worker_a, "jan kowalski") == {registry["kowalski"].pk}
    assert found(worker_a, "jan wojcik") == set()


def test_search_by_the_start_of_a_pesel(worker_a, registry):
    assert found(worker_a, "4405") == {registry["kowalski"].pk}
    assert found(worker_a, "44051401359") == {registry["kowalski"].pk}
    assert found(worker_a, "7") == {registry["nowak_kowalska"].pk}
    assert found(worker_a, "12345") == set()


def test_search_by_a_document_number_typed_any_way(worker_a, registry):
    assert found(worker_a, "fe 123456") == {registry["foreigner"].pk}
    assert found(worker_a, "FE123456") == {registry["foreigner"].pk}
    assert found(worker_a, "fe-123456") == {registry["foreigner"].pk}
    assert found(worker_a, "FE12345") == set()


def test_an_empty_search_finds_nothing(worker_a, registry):
    assert found(worker_a, "") == set()
    assert found(worker_a, " - ") == set()


def test_search_is_limited_to_the_persons_the_user_may_see(
    worker_a, worker_b, head, finance, registry
):
    other = make_person(
        actor=worker_b, first_names="Jan", surnames="Kowalczyk", pesel="90060101296"
    )
    assert found(worker_b, "kowal") == {other.pk}
    assert found(worker_b, "wojcik") == set()
    assert found(worker_b, "4405") == set()
    assert found(worker_b, "fe 123456") == set()
    assert found(worker_a, "kowal") == {registry["nowak_kowalska"].pk, registry["kowalski"].pk}
    everyone = {registry["nowak_kowalska"].pk, registry["kowalski"].pk, other.pk}
    assert found(head, "kowal") == everyone
    assert found(finance, "kowal") == everyone


# --- Other reads --------------------------------------------------------------------------


def test_similar_persons_are_matched_on_folded_names_and_birth_date(worker_a, registry):
    wojcik = registry["wojcik"]
    similar = selectors.person_similar(
        centre_id=worker_a.centre_id,
        first_names="LUKASZ",
        surnames="wojcik",
        birth_date=date(1985, 3, 12),
    )
    assert similar == [wojcik]
    assert not selectors.person_similar(
        centre_id=worker_a.centre_id,
        first_names="Łukasz",
        surnames="Wójcik",
        birth_date=date(1985, 3, 13),
    )
    assert not selectors.person_similar(
        centre_id=worker_a.centre_id,
        first_names="Łukasz",
        surnames="Wójcik",
        birth_date=date(1985, 3, 12),
        exclude_id=wojcik.pk,
    )


def test_the_active_membership_of_a_person_is_their_current_household(worker_a, person_a):
    assert selectors.person_household_membership(person=person_a) is None
    household = services.household_create(actor=worker_a, members=[(person_a, Relation.HEAD)])
    membership = selectors.person_household_membership(person=person_a)
    assert membership.household == household
    assert membership.relation == Relation.HEAD


def test_member_search_offers_persons_never_in_a_household_but_not_active_members(worker_a):
    from gops.people import services
    from gops.people.selectors import person_search_without_household
    from gops.people.tests.factories import make_person

    loner = make_person(
        actor=worker_a, surnames="Zielińska", first_names="Ewa", pesel="85031504626"
    )
    member = make_person(actor=worker_a, surnames="Zieliński", first_names="Adam")
    services.household_create(actor=worker_a, members=[(member, "head")])
    found = list(person_search_without_household(user=worker_a, query="zielin"))
    assert found == [loner]
