"""The family assistant records a home visit and adds a step to the family's plan of work."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from gops.families.models import FamilyContact, PlanStep
from gops.families.tests.factories import make_family, make_support

from .helpers import BROWSER_MARKS, assert_no_serious_axe_violations, login

pytestmark = BROWSER_MARKS


def test_the_family_assistant_records_a_visit_and_updates_the_plan(
    page, live_server, head, assistant, worker_a, district_a
):
    today = timezone.localdate()
    household = make_family(actor=worker_a, district=district_a, surname="Wróbel", children=2)
    support = make_support(
        head=head,
        household=household,
        assistant=assistant,
        social_worker=worker_a,
        started_on=today - timedelta(days=30),
        reason="Trudności wychowawcze",
    )

    login(page, live_server, "asystent")
    page.goto("/rodziny/")
    expect(page.locator("#my-caseload")).to_contain_text("1")
    assert_no_serious_axe_violations(page, "the assistant's families")
    with page.expect_navigation():
        page.locator("#families-active a", has_text="Wróbel").click()
    assert page.url.endswith(support.get_absolute_url())
    assert_no_serious_axe_violations(page, "the family's file")

    with page.expect_navigation():
        page.click(f"a[href='/rodziny/{support.pk}/kontakt/']")
    page.select_option("#id_kind", "home_visit")
    page.fill("#id_duration_minutes", "90")
    page.fill("#id_participants", "matka, dwoje dzieci")
    page.fill("#id_notes", "Wizyta domowa: omówiono plan dnia dzieci i wydatki na tydzień.")
    with page.expect_navigation():
        page.click("main form.stacked button[type=submit]")
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("#contacts")).to_contain_text("Wizyta domowa")
    contact = FamilyContact.objects.get(support=support)
    assert contact.kind == "home_visit"
    assert contact.duration_minutes == 90

    with page.expect_navigation():
        page.click(f"a[href='/rodziny/{support.pk}/plan/krok/']")
    page.fill("#id_goal", "Regularne uczęszczanie dzieci do szkoły")
    page.fill("#id_action", "Codzienny kontakt z wychowawcą")
    page.fill("#id_expected_effect", "Frekwencja powyżej 90%")
    # Without a deadline the step is refused with the reason, and nothing is written.
    page.click("main form.stacked button[type=submit]")
    page.locator(".error-summary").wait_for()
    assert_no_serious_axe_violations(page, "the plan step form with errors")
    assert not PlanStep.objects.exists()
    page.fill("#id_deadline", (today + timedelta(days=60)).isoformat())
    with page.expect_navigation():
        page.click("main form.stacked button[type=submit]")
    expect(page.locator("#plan-steps")).to_contain_text("Regularne uczęszczanie")
    step = PlanStep.objects.get(plan__support=support)
    assert step.deadline == today + timedelta(days=60)

    with page.expect_navigation():
        page.click(f"#plan-steps a[href='/rodziny/{support.pk}/plan/krok/{step.pk}/']")
    page.select_option("#id_status", "in_progress")
    with page.expect_navigation():
        page.click("main form.stacked button[type=submit]")
    assert PlanStep.objects.get(pk=step.pk).status == "in_progress"
