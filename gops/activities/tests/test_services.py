from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gops.activities import selectors, services
from gops.activities.models import Attendance, Registration, RegistrationStatus
from gops.activities.tests.factories import make_activity
from gops.activities.tests.persons import make_persons
from gops.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_registrations_beyond_capacity_go_to_the_waitlist_in_order(organiser, district_a):
    activity = make_activity(actor=organiser, capacity=2)
    persons = make_persons(centre=organiser.centre, district=district_a, count=4)
    statuses = [
        services.registration_create(actor=organiser, activity=activity, person=p).status
        for p in persons
    ]
    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]
    assert list(
        Registration.objects.filter(activity=activity).values_list("position", flat=True)
    ) == [1, 2, 3, 4]
    assert AuditEntry.objects.filter(object_type="activities.registration").count() == 4


def test_the_same_person_cannot_be_registered_twice(organiser, district_a):
    activity = make_activity(actor=organiser)
    (person,) = make_persons(centre=organiser.centre, district=district_a, count=1)
    services.registration_create(actor=organiser, activity=activity, person=person)
    with pytest.raises(ValidationError, match="already registered"):
        services.registration_create(actor=organiser, activity=activity, person=person)
    assert Registration.objects.count() == 1


def test_a_person_may_register_again_after_cancelling(organiser, district_a):
    activity = make_activity(actor=organiser)
    (person,) = make_persons(centre=organiser.centre, district=district_a, count=1)
    first = services.registration_create(actor=organiser, activity=activity, person=person)
    services.registration_cancel(actor=organiser, registration=first)
    again = services.registration_create(actor=organiser, activity=activity, person=person)
    assert again.status == RegistrationStatus.REGISTERED


def test_cancelling_a_place_promotes_the_first_waiting_person(organiser, district_a):
    activity = make_activity(actor=organiser, capacity=1)
    a, b, c = make_persons(centre=organiser.centre, district=district_a, count=3)
    first = services.registration_create(actor=organiser, activity=activity, person=a)
    services.registration_create(actor=organiser, activity=activity, person=b)
    services.registration_create(actor=organiser, activity=activity, person=c)

    result = services.registration_cancel(actor=organiser, registration=first)

    assert result.registration.status == RegistrationStatus.CANCELLED
    assert result.promoted.person == b
    assert result.promoted.status == RegistrationStatus.REGISTERED
    statuses = dict(Registration.objects.values_list("person_id", "status"))
    assert statuses == {a.pk: "cancelled", b.pk: "registered", c.pk: "waitlisted"}


def test_cancelling_from_the_waitlist_promotes_nobody(organiser, district_a):
    activity = make_activity(actor=organiser, capacity=1)
    a, b = make_persons(centre=organiser.centre, district=district_a, count=2)
    services.registration_create(actor=organiser, activity=activity, person=a)
    waiting = services.registration_create(actor=organiser, activity=activity, person=b)
    result = services.registration_cancel(actor=organiser, registration=waiting)
    assert result.promoted is None
    with pytest.raises(ValidationError, match="already been cancelled"):
        services.registration_cancel(actor=organiser, registration=waiting)


def test_an_activity_in_the_past_is_refused(organiser):
    start = timezone.now() - timedelta(hours=1)
    with pytest.raises(ValidationError, match="in the past"):
        services.activity_create(
            actor=organiser,
            data={"title": "Piknik", "place": "Park", "capacity": 5},
            sessions=[(start, start + timedelta(hours=2))],
        )


def test_a_series_has_one_session_per_week(organiser):
    activity = make_activity(actor=organiser, sessions=4, target_groups=["seniors"])
    assert activity.sessions.count() == 4
    assert activity.target_group_labels() == ["seniors"]


def test_attendance_is_recorded_once_per_session_and_can_be_corrected(organiser, district_a):
    activity = make_activity(actor=organiser, capacity=5)
    a, b = make_persons(centre=organiser.centre, district=district_a, count=2)
    ra = services.registration_create(actor=organiser, activity=activity, person=a)
    rb = services.registration_create(actor=organiser, activity=activity, person=b)
    session = activity.sessions.get()
    session.starts_at = timezone.now() - timedelta(minutes=5)
    session.save()

    assert (
        services.attendance_record(
            actor=organiser, session=session, present_registration_ids={ra.pk}
        )
        == 1
    )
    assert (
        services.attendance_record(
            actor=organiser, session=session, present_registration_ids={ra.pk, rb.pk}
        )
        == 2
    )
    assert Attendance.objects.filter(session=session).count() == 2
    rows = selectors.attendance_list(session=session)
    assert [row.present for row in rows] == [True, True]
    participation = selectors.person_participation(user=organiser, person=a)
    assert [(p.attended, p.sessions) for p in participation] == [(1, 1)]


def test_attendance_cannot_be_taken_before_the_day(organiser, district_a):
    activity = make_activity(actor=organiser)
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=organiser, session=activity.sessions.get(), present_registration_ids=set()
        )


def test_the_calendar_puts_sessions_on_their_day(organiser):
    activity = make_activity(actor=organiser)
    session = activity.sessions.get()
    day = timezone.localdate(session.starts_at)
    weeks = selectors.calendar_month(user=organiser, year=day.year, month=day.month)
    cells = [cell for week in weeks for cell in week if cell.day == day]
    assert cells[0].sessions == [session]
