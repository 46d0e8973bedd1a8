from datetime import timedelta

import pytest
from django.utils import timezone

from gops.activities.models import Registration
from gops.activities.tests.factories import make_activity
from gops.activities.tests.persons import make_persons

pytestmark = [pytest.mark.django_db, pytest.mark.urls("gops.activities.tests.urls")]


@pytest.fixture
def logged_in(client, organiser):
    client.force_login(organiser)
    return client


def test_pages_render(logged_in, organiser, district_a):
    activity = make_activity(actor=organiser, sessions=2)
    (person,) = make_persons(centre=organiser.centre, district=district_a, count=1)
    session = activity.sessions.first()
    for url in [
        "/aktywnosci/",
        "/aktywnosci/kalendarz/",
        "/aktywnosci/nowe/",
        f"/aktywnosci/{activity.pk}/",
        f"/aktywnosci/spotkanie/{session.pk}/obecnosc/",
        f"/aktywnosci/spotkanie/{session.pk}/lista/",
        f"/aktywnosci/osoba/{person.pk}/panel/",
    ]:
        assert logged_in.get(url).status_code == 200, url


def test_registering_and_cancelling_tells_the_worker_who_moved_up(logged_in, organiser, district_a):
    activity = make_activity(actor=organiser, capacity=1)
    a, b = make_persons(centre=organiser.centre, district=district_a, count=2)
    for person in (a, b):
        logged_in.post(f"/aktywnosci/{activity.pk}/zapis/", {"person": person.pk})
    page = logged_in.get(f"/aktywnosci/{activity.pk}/").content.decode()
    assert str(a) in page
    assert str(b) in page
    first = Registration.objects.get(person=a)
    response = logged_in.post(
        f"/aktywnosci/{activity.pk}/zapis/{first.pk}/rezygnacja/", follow=True
    )
    assert f"{b} moved from the waitlist" in response.content.decode()


def test_the_create_form_refuses_a_past_date(logged_in):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = logged_in.post(
        "/aktywnosci/nowe/",
        {
            "title": "Piknik",
            "place": "Park",
            "capacity": 5,
            "first_date": yesterday.isoformat(),
            "starts": "10:00",
            "ends": "12:00",
            "weeks": 1,
        },
    )
    assert response.status_code == 200
    assert "in the past" in response.content.decode()


def test_the_ical_feed_lists_public_activities_only(client, organiser):
    make_activity(
        actor=organiser,
        title="Koncert; kolędy, chór",
        public=True,
        description="Wstęp wolny.\nDla całych rodzin",
    )
    make_activity(actor=organiser, title="Spotkanie grupy wsparcia", public=False)
    response = client.get("/aktywnosci/kalendarz.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Koncert\\; kolędy\\, chór\r\n" in body
    assert "DESCRIPTION:Wstęp wolny.\\nDla całych rodzin" in body
    assert "grupy wsparcia" not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
