"""Care services (u.p.s. art. 50): the council's fee scale, the decision that states the
person's fee, and the hours delivered each month with the fee they cost."""

import json
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from gops.accounts.models import User
from gops.accounts.services import api_token_create
from gops.accounts.tests.factories import make_centre, make_user
from gops.audit.models import AuditAction, AuditEntry
from gops.benefits import selectors, services
from gops.benefits.models import CareFeeScale, CareServiceMonth, DecisionStatus
from gops.cases.tests.factories import make_application, record_interview
from gops.people import services as people_services

RESOLUTION = "Uchwała nr XII/85/2024 Rady Gminy Testowo"
BRACKETS = [
    {"income_up_to_percent": "100", "fee_percent": "0"},
    {"income_up_to_percent": "150", "fee_percent": "10"},
    {"income_up_to_percent": "200", "fee_percent": "20"},
    {"income_up_to_percent": None, "fee_percent": "100"},
]
# Received 2 June 2025, interviewed by the due date (23 June); the decision follows.
DRAFTED_ON = date(2025, 6, 25)
JULY = date(2025, 7, 1)


def with_scale_permissions(user: User) -> User:
    """The administrator's role may not carry the fee-scale permissions yet; grant them."""
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="benefits",
            codename__in=["view_carefeescale", "add_carefeescale", "change_carefeescale"],
        )
    )
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached


@pytest.fixture
def scale(administrator) -> CareFeeScale:
    """30,00 zł an hour; free up to the criterion, 10 % up to 150 % of it, …"""
    return services.care_fee_scale_create(
        actor=with_scale_permissions(administrator),
        valid_from=date(2025, 1, 1),
        hourly_cost=Decimal("30.00"),
        resolution=RESOLUTION,
        brackets=BRACKETS,
    )


@pytest.fixture
def application(worker_a):
    """A person living alone on 1500 zł a month (148,52 % of the 2025 single criterion of
    1010 zł) asks for care services; the interview is done."""
    with time_machine.travel(DRAFTED_ON):
        application = make_application(actor=worker_a, benefits_requested=["care_services"])
        people_services.income_add(
            actor=worker_a,
            person=application.applicant,
            month=date(2025, 5, 1),
            source="old_age_pension",
            net_amount=Decimal("1500.00"),
        )
        record_interview(actor=worker_a, application=application)
    return application


def draft(worker, application, **changes):
    data = dict(
        actor=worker,
        application=application,
        benefit="care_services",
        period_from=JULY,
        period_until=date(2025, 12, 31),
        quantity="pomoc w codziennych czynnościach, zakupy, sprzątanie",
        care_hours_per_week=Decimal("10"),
    )
    data.update(changes)
    with time_machine.travel(DRAFTED_ON):
        return services.decision_draft(**data)


@pytest.fixture
def issued(worker_a, head, application, scale):
    decision = draft(worker_a, application)
    with time_machine.travel(DRAFTED_ON):
        return services.decision_issue(actor=head, decision=decision)


# --- The full path ---------------------------------------------------------------------------


def test_the_decision_states_the_fee_and_recorded_hours_give_the_fee_owed(
    worker_a, head, application, scale
):
    decision = draft(worker_a, application)
    assert decision.kind == "granting"
    assert decision.care_hourly_cost == Decimal("30.00")
    assert decision.care_fee_percent == Decimal("10.00")
    assert decision.assessment["income_percent_of_criterion"] == "148.52"
    assert decision.assessment["care_fee_scale_id"] == scale.pk
    assert "u.p.s. art. 50 ust. 6" in decision.legal_basis
    assert RESOLUTION in decision.legal_basis
    assert "w wymiarze 10 godz. tygodniowo" in decision.ruling
    assert "10% kosztu 1 godziny usług (30,00 zł), tj. 3,00 zł za 1 godzinę" in decision.ruling
    assert "148,52%" in decision.reasoning

    with time_machine.travel(DRAFTED_ON):
        decision = services.decision_issue(actor=head, decision=decision)
    assert decision.status == DecisionStatus.ISSUED

    with time_machine.travel(date(2025, 8, 5)):
        month = services.care_hours_record(
            actor=worker_a, decision=decision, month=date(2025, 7, 15), hours=Decimal("40.0")
        )
    assert month.month == JULY
    assert month.hours_delivered == Decimal("40.0")
    # 40 h × 30,00 zł × 10 %
    assert month.fee_owed == Decimal("120.00")
    assert month.recorded_by == worker_a
    assert month.centre_id == decision.centre_id
    entry = AuditEntry.objects.get(object_type="benefits.careservicemonth", object_id=month.pk)
    assert entry.action == AuditAction.CREATE
    assert entry.person_id == decision.person_id
    assert entry.changes["hours_delivered"] == [None, "40.0"]
    assert entry.changes["fee_owed"] == [None, "120.00"]


def test_a_later_resolution_prices_decisions_from_its_day_and_earlier_ones_keep_theirs(
    worker_a, head, application, scale, administrator
):
    first = draft(worker_a, application)
    services.care_fee_scale_create(
        actor=with_scale_permissions(administrator),
        valid_from=date(2025, 7, 1),
        hourly_cost=Decimal("35.00"),
        resolution="Uchwała nr XV/120/2025 Rady Gminy Testowo",
        brackets=[{"income_up_to_percent": None, "fee_percent": "50"}],
    )
    services.decision_discard(actor=worker_a, decision=first)
    second = draft(worker_a, application)
    assert (second.care_hourly_cost, second.care_fee_percent) == (Decimal("35.00"), Decimal("50"))
    first.refresh_from_db()
    assert (first.care_hourly_cost, first.care_fee_percent) == (Decimal("30.00"), Decimal("10"))


# --- Recording hours -------------------------------------------------------------------------


@pytest.mark.parametrize("month", [date(2025, 6, 1), date(2026, 1, 1)])
def test_a_month_outside_the_decisions_period_is_refused(worker_a, issued, month):
    with time_machine.travel(date(2026, 2, 10)), pytest.raises(ValidationError) as exc:
        services.care_hours_record(
            actor=worker_a, decision=issued, month=month, hours=Decimal("10")
        )
    assert "month" in exc.value.message_dict
    assert not CareServiceMonth.objects.exists()


def test_a_month_that_has_not_begun_is_refused(worker_a, issued):
    with time_machine.travel(date(2025, 8, 5)), pytest.raises(ValidationError) as exc:
        services.care_hours_record(
            actor=worker_a, decision=issued, month=date(2025, 9, 1), hours=Decimal("10")
        )
    assert "month" in exc.value.message_dict


@pytest.mark.parametrize("hours", [Decimal("-1"), Decimal("745"), Decimal("10.25")])
def test_impossible_hours_are_refused(worker_a, issued, hours):
    with time_machine.travel(date(2025, 8, 5)), pytest.raises(ValidationError) as exc:
        services.care_hours_record(actor=worker_a, decision=issued, month=JULY, hours=hours)
    assert "hours" in exc.value.message_dict


def test_recording_a_month_again_updates_it_and_audits_old_and_new(worker_a, head, issued):
    with time_machine.travel(date(2025, 8, 5)):
        first = services.care_hours_record(
            actor=worker_a, decision=issued, month=JULY, hours=Decimal("40.0")
        )
        again = services.care_hours_record(
            actor=head, decision=issued, month=JULY, hours=Decimal("42.5")
        )
    assert again.pk == first.pk
    assert CareServiceMonth.objects.filter(decision=issued).count() == 1
    again.refresh_from_db()
    assert again.hours_delivered == Decimal("42.5")
    # 42,5 h × 30,00 zł × 10 %
    assert again.fee_owed == Decimal("127.50")
    assert again.recorded_by == head
    update = AuditEntry.objects.get(
        object_type="benefits.careservicemonth", object_id=first.pk, action=AuditAction.UPDATE
    )
    assert update.changes["hours_delivered"] == ["40.0", "42.5"]
    assert update.changes["fee_owed"] == ["120.00", "127.50"]
    assert update.changes["recorded_by_id"] == [worker_a.pk, head.pk]
    assert update.actor == head


def test_recording_the_same_hours_again_changes_nothing(worker_a, issued):
    with time_machine.travel(date(2025, 8, 5)):
        services.care_hours_record(actor=worker_a, decision=issued, month=JULY, hours=Decimal("40"))
        services.care_hours_record(
            actor=worker_a, decision=issued, month=JULY, hours=Decimal("40.0")
        )
    assert AuditEntry.objects.filter(object_type="benefits.careservicemonth").count() == 1


def test_finance_may_see_the_months_but_not_record_hours(finance, issued):
    assert selectors.decision_get_for_user(user=finance, decision_id=issued.pk) == issued
    with time_machine.travel(date(2025, 8, 5)), pytest.raises(PermissionDenied):
        services.care_hours_record(actor=finance, decision=issued, month=JULY, hours=Decimal("40"))
    assert not CareServiceMonth.objects.exists()


def test_a_worker_of_another_district_cannot_record_hours(worker_b, issued):
    with time_machine.travel(date(2025, 8, 5)), pytest.raises(PermissionDenied):
        services.care_hours_record(actor=worker_b, decision=issued, month=JULY, hours=Decimal("40"))


def test_hours_are_recorded_only_under_an_issued_decision(worker_a, application, scale):
    decision = draft(worker_a, application)
    with time_machine.travel(date(2025, 8, 5)), pytest.raises(ValidationError):
        services.care_hours_record(
            actor=worker_a, decision=decision, month=JULY, hours=Decimal("40")
        )


# --- Drafting without a scale or a period ----------------------------------------------------


def test_without_a_fee_scale_the_decision_cannot_be_drafted(worker_a, application):
    with pytest.raises(ValidationError) as exc:
        draft(worker_a, application)
    assert exc.value.error_list[0].code == "no_care_fee_scale"
    assert exc.value.messages == [
        gettext("Set the care services fee scale (council resolution) first.")
    ]
    assert not application.decisions.exists()


def test_a_scale_in_force_only_later_says_from_when(worker_a, application, administrator):
    services.care_fee_scale_create(
        actor=with_scale_permissions(administrator),
        valid_from=date(2025, 9, 1),
        hourly_cost=Decimal("30.00"),
        resolution=RESOLUTION,
        brackets=BRACKETS,
    )
    with pytest.raises(ValidationError) as exc:
        draft(worker_a, application)
    assert exc.value.error_list[0].code == "no_care_fee_scale"


@pytest.mark.parametrize("missing", ["period_from", "period_until"])
def test_care_services_are_granted_for_a_period(worker_a, application, scale, missing):
    with pytest.raises(ValidationError) as exc:
        draft(worker_a, application, **{missing: None})
    assert missing in exc.value.message_dict


def test_a_refusal_of_care_services_needs_no_fee_nor_period(worker_a, application):
    decision = draft(
        worker_a,
        application,
        kind="refusing",
        period_from=None,
        period_until=None,
        quantity="",
        care_hours_per_week=None,
        reasoning="Rodzina zapewnia opiekę.",
    )
    assert decision.kind == "refusing"
    assert decision.care_fee_percent is None


# --- The fee scale ---------------------------------------------------------------------------


def test_a_scale_with_a_faulty_table_is_refused(administrator):
    with pytest.raises(ValidationError) as exc:
        services.care_fee_scale_create(
            actor=with_scale_permissions(administrator),
            valid_from=date(2025, 1, 1),
            hourly_cost=Decimal("30.00"),
            resolution=RESOLUTION,
            brackets=[
                {"income_up_to_percent": "150", "fee_percent": "10"},
                {"income_up_to_percent": "100", "fee_percent": "20"},
                {"income_up_to_percent": None, "fee_percent": "100"},
            ],
        )
    assert "brackets" in exc.value.message_dict
    assert "2" in exc.value.message_dict["brackets"][0]
    assert not CareFeeScale.objects.exists()


def test_the_table_is_stored_as_decimal_strings(scale, administrator):
    created = services.care_fee_scale_create(
        actor=with_scale_permissions(administrator),
        valid_from=date(2026, 1, 1),
        hourly_cost=Decimal("31.50"),
        resolution=RESOLUTION,
        brackets=[
            {"income_up_to_percent": 100, "fee_percent": 0},
            {"income_up_to_percent": None, "fee_percent": 12.5},
        ],
    )
    created.refresh_from_db()
    assert created.brackets == [
        {"income_up_to_percent": "100", "fee_percent": "0"},
        {"income_up_to_percent": None, "fee_percent": "12.5"},
    ]
    entry = AuditEntry.objects.get(object_type="benefits.carefeescale", object_id=created.pk)
    assert entry.action == AuditAction.CREATE


def test_only_those_allowed_set_the_fee_scale(worker_a):
    with pytest.raises(PermissionDenied):
        services.care_fee_scale_create(
            actor=worker_a,
            valid_from=date(2025, 1, 1),
            hourly_cost=Decimal("30.00"),
            resolution=RESOLUTION,
            brackets=BRACKETS,
        )


# --- Page and API ----------------------------------------------------------------------------


def test_the_decision_page_records_hours_and_shows_the_months_with_the_total(
    client, worker_a, issued
):
    client.force_login(worker_a)
    url = reverse("benefits:decision_detail", args=[issued.pk])
    with time_machine.travel(date(2025, 9, 3)):
        for month, hours in (("2025-07", "40.0"), ("2025-08", "38.5")):
            response = client.post(
                reverse("benefits:care_hours_record", args=[issued.pk]),
                {"month": month, "hours": hours},
            )
            assert response.status_code == 302
            assert response["Location"] == url
        page = client.get(url)
    assert page.status_code == 200
    assert [m.fee_owed for m in page.context["care"]["months"]] == [
        Decimal("120.00"),
        Decimal("115.50"),
    ]
    assert page.context["care"]["totals"] == {
        "hours": Decimal("78.5"),
        "fee_owed": Decimal("235.50"),
    }
    assert 'action="{}"'.format(reverse("benefits:care_hours_record", args=[issued.pk])) in (
        page.content.decode()
    )


def test_the_page_offers_only_begun_months_of_the_period(client, worker_a, issued):
    with time_machine.travel(date(2025, 6, 26)):
        client.force_login(worker_a)
        before = client.get(reverse("benefits:decision_detail", args=[issued.pk]))
    assert before.context["care"]["form"].fields["month"].choices == []
    # No form to fill before the first month of the period has begun.
    assert reverse("benefits:care_hours_record", args=[issued.pk]) not in before.content.decode()
    with time_machine.travel(date(2025, 9, 3)):
        client.force_login(worker_a)  # idle sessions end after 30 minutes
        page = client.get(reverse("benefits:decision_detail", args=[issued.pk]))
        form = page.context["care"]["form"]
        assert [value for value, _label in form.fields["month"].choices] == [
            "2025-09",
            "2025-08",
            "2025-07",
        ]
        assert form.fields["month"].initial == "2025-08"
        refused = client.post(
            reverse("benefits:care_hours_record", args=[issued.pk]),
            {"month": "2026-01", "hours": "10"},
            follow=True,
        )
    assert refused.status_code == 200
    assert not CareServiceMonth.objects.exists()
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]


def test_the_page_refuses_a_finance_user_recording_hours(client, finance, issued):
    client.force_login(finance)
    with time_machine.travel(date(2025, 8, 5)):
        response = client.post(
            reverse("benefits:care_hours_record", args=[issued.pk]),
            {"month": "2025-07", "hours": "40.0"},
        )
    assert response.status_code == 403
    assert not CareServiceMonth.objects.exists()


@pytest.fixture
def api(client):
    tokens = {}

    def call(user, method, path, body=None):
        if user.pk not in tokens:
            tokens[user.pk] = api_token_create(user=user)
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(
            f"/api/v1{path}", body, HTTP_AUTHORIZATION=f"Bearer {tokens[user.pk]}", **kwargs
        )

    return call


def test_the_api_records_hours_and_lists_the_months(api, worker_a, finance, issued):
    path = f"/decisions/{issued.pk}/care-hours"
    with time_machine.travel(date(2025, 8, 5)):
        created = api(worker_a, "post", path, {"month": "2025-07", "hours": "40.0"})
        assert created.status_code == 201, created.content
        assert created.json()["fee_owed"] == "120.00"
        assert created.json()["month"] == "2025-07"
        assert created.json()["hours"] == "40.0"

        replaced = api(worker_a, "post", path, {"month": "2025-07", "hours": "12.5"})
        assert replaced.status_code == 200, replaced.content
        assert replaced.json()["fee_owed"] == "37.50"

        bad_month = api(worker_a, "post", path, {"month": "lipiec", "hours": "10"})
        assert bad_month.status_code == 422
        assert bad_month.json()["errors"][0]["field"] == "month"

        outside = api(worker_a, "post", path, {"month": "2026-01", "hours": "10"})
        assert outside.status_code == 422
        assert outside.json()["errors"][0]["field"] == "month"

        denied = api(finance, "post", path, {"month": "2025-07", "hours": "40.0"})
        assert denied.status_code == 403

        listed = api(finance, "get", path)
    assert listed.status_code == 200
    assert [(m["month"], m["hours"], m["fee_owed"]) for m in listed.json()] == [
        ("2025-07", "12.5", "37.50")
    ]


def test_the_api_hides_the_decision_from_another_district(api, worker_b, issued):
    response = api(worker_b, "get", f"/decisions/{issued.pk}/care-hours")
    assert response.status_code == 404


# --- Admin -----------------------------------------------------------------------------------


def test_the_administrator_sets_the_fee_scale_in_the_admin(client, administrator, centre):
    client.force_login(with_scale_permissions(administrator))
    assert client.get("/admin/benefits/carefeescale/add/").status_code == 200
    form = {
        "centre": str(centre.pk),
        "valid_from": "2025-01-01",
        "resolution": RESOLUTION,
        "hourly_cost": "30.00",
    }
    faulty = client.post(
        "/admin/benefits/carefeescale/add/",
        {**form, "brackets": json.dumps([{"income_up_to_percent": "100", "fee_percent": "0"}])},
    )
    assert faulty.status_code == 200
    assert faulty.context["adminform"].form.errors["brackets"]
    response = client.post(
        "/admin/benefits/carefeescale/add/", {**form, "brackets": json.dumps(BRACKETS)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = CareFeeScale.objects.get()
    assert added.centre == centre
    assert AuditEntry.objects.filter(
        object_type="benefits.carefeescale", object_id=added.pk, actor=administrator
    ).exists()


def test_an_administrator_sees_only_the_fee_scales_of_the_own_centre(client, administrator, scale):
    other_centre = make_centre(name="MOPS Inny", teryt="1465028")
    other = with_scale_permissions(
        make_user("admin2", role="administrator", centre=other_centre, is_staff=True)
    )
    client.force_login(other)
    assert client.get(f"/admin/benefits/carefeescale/{scale.pk}/change/").status_code == 302
    assert client.get("/admin/benefits/carefeescale/").context["cl"].result_count == 0
