"""Document-expiry alerts and who sees programmes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gops.integration import selectors
from gops.people.tests.factories import make_foreigner

from .conftest import TODAY
from .factories import make_programme

pytestmark = pytest.mark.django_db


def _foreigner(actor, district, days: int, name: str):
    return make_foreigner(
        actor=actor,
        district=district,
        surnames=name,
        id_document_number=f"FE{abs(days):06d}",
        residence_document_valid_until=TODAY + timedelta(days=days),
    )


def test_a_document_expiring_in_59_days_alerts_in_61_does_not_and_expired_is_flagged(
    worker_a, district_a
):
    soon = _foreigner(worker_a, district_a, 59, "Bondarenko")
    later = _foreigner(worker_a, district_a, 61, "Shevchenko")
    expired = _foreigner(worker_a, district_a, -3, "Tkachenko")
    edge = _foreigner(worker_a, district_a, 60, "Melnyk")
    found = selectors.documents_expiring(user=worker_a, today=TODAY)
    by_person = {a.person: a for a in found}
    assert soon in by_person
    assert edge in by_person
    assert expired in by_person
    assert later not in by_person
    assert by_person[soon].days_left == 59
    assert not by_person[soon].expired
    assert by_person[expired].expired
    assert by_person[expired].days_left == -3
    assert [a.person for a in found] == [expired, soon, edge]  # soonest first


def test_the_window_follows_the_setting(worker_a, district_a, settings):
    person = _foreigner(worker_a, district_a, 59, "Bondarenko")
    settings.DOCUMENT_EXPIRY_ALERT_DAYS = 30
    assert selectors.documents_expiring(user=worker_a, today=TODAY) == []
    assert selectors.documents_expiring(user=worker_a, today=TODAY, within_days=90)[0].person == (
        person
    )


def test_alerts_only_for_persons_the_user_may_see(worker_a, worker_b, district_a):
    _foreigner(worker_a, district_a, 10, "Bondarenko")
    assert selectors.documents_expiring(user=worker_b, today=TODAY) == []


def test_programmes_are_visible_to_those_who_see_the_person_and_have_the_permission(
    worker_a, worker_b, head, assistant, finance, refugee
):
    programme = make_programme(actor=worker_a, person=refugee)
    for user in (worker_a, head):
        assert selectors.programme_get_for_user(user=user, programme_id=programme.pk)
    # Another district, no integration permission (family assistant, finance): 404.
    for user in (worker_b, assistant, finance):
        with pytest.raises(Http404):
            selectors.programme_get_for_user(user=user, programme_id=programme.pk)
    assert selectors.programme_list(user=finance).count() == 0


def test_a_user_who_sees_but_may_not_change_the_person_gets_403_for_write(
    worker_a, refugee, centre
):
    from django.contrib.auth.models import Permission

    from gops.accounts.models import User
    from gops.accounts.tests.factories import make_user

    programme = make_programme(actor=worker_a, person=refugee)
    reader = make_user("czytelnik", role="finance", centre=centre)
    reader.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="integration", codename="view_integrationprogramme"
        )
    )
    reader = User.objects.get(pk=reader.pk)
    assert selectors.programme_get_for_user(user=reader, programme_id=programme.pk)
    with pytest.raises(PermissionDenied):
        selectors.programme_get_for_user(user=reader, programme_id=programme.pk, for_write=True)


def test_the_panel_is_empty_for_a_polish_client_without_programmes(worker_a, district_a):
    from gops.people.tests.factories import make_person

    person = make_person(actor=worker_a, district=district_a)
    assert not selectors.person_panel(user=worker_a, person=person, today=TODAY).show
    assert selectors.person_panel(
        user=worker_a, person=_foreigner(worker_a, district_a, -1, "Koval"), today=TODAY
    ).alert.expired


def test_foreigners_list_their_open_programme(worker_a, refugee, district_a):
    programme = make_programme(actor=worker_a, person=refugee)
    other = _foreigner(worker_a, district_a, 400, "Bondarenko")
    rows = {r.person: r for r in selectors.foreigners(user=worker_a, today=date(2025, 6, 10))}
    assert rows[refugee].open_programme == programme
    assert rows[other].open_programme is None
    assert rows[other].alert is None
