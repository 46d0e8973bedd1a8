"""Editing a draft decision, with optimistic locking: a save over a newer version of the draft
is refused with what changed, not lost."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gops.accounts.services import api_token_create
from gops.audit.models import AuditAction, AuditEntry
from gops.benefits import services
from gops.benefits.forms import DecisionEditForm
from gops.benefits.models import Decision, DecisionKind
from gops.cases.tests.factories import make_application, record_interview
from gops.core.errors import VersionConflict

IBAN = "PL61109010140000071219812874"
# Received 2 June 2025, interviewed by the due date (23 June); the decision follows.
DRAFTED_ON = date(2025, 6, 25)


@pytest.fixture(autouse=True)
def _english(english_messages):
    """These tests read messages in the source language (root conftest)."""


@pytest.fixture(autouse=True)
def _on_the_drafting_day():
    with time_machine.travel(DRAFTED_ON, tick=False):
        yield


@pytest.fixture
def draft(worker_a) -> Decision:
    """A draft granting the permanent allowance to a man of 81 without income, paid in cash."""
    application = make_application(actor=worker_a, benefits_requested=["permanent"])
    record_interview(actor=worker_a, application=application)
    return services.decision_draft(
        actor=worker_a,
        application=application,
        benefit="permanent",
        period_from=date(2025, 7, 1),
        payment_method="cash",
        reasoning="Uzasadnienie pierwsze.",
    )


def updates(decision):
    return AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="benefits.decision", object_id=str(decision.pk)
    )


def label(name: str) -> str:
    return str(Decision._meta.get_field(name).verbose_name)


# --- the service ------------------------------------------------------------------------------


def test_a_draft_starts_at_version_1_and_each_change_adds_one_and_rewrites_the_ruling(
    worker_a, draft
):
    assert draft.version == 1
    assert "płatne w kasie" in draft.ruling
    services.decision_update(
        actor=worker_a,
        decision=draft,
        data={
            "payment_method": "bank_transfer",
            "bank_account": "PL61 1090 1014 0000 0712 1981 2874",
        },
        expected_version=1,
    )
    draft.refresh_from_db()
    assert (draft.payment_method, draft.bank_account, draft.version) == ("bank_transfer", IBAN, 2)
    assert f"przelewem na rachunek bankowy nr {IBAN}" in draft.ruling
    changes = updates(draft).get().changes
    assert changes["payment_method"] == ["cash", "bank_transfer"]
    assert changes["bank_account"] == ["", IBAN]
    assert "ruling" in changes
    # A save that changes nothing is no new version.
    services.decision_update(
        actor=worker_a, decision=draft, data={"payment_method": "bank_transfer"}, expected_version=2
    )
    draft.refresh_from_db()
    assert draft.version == 2
    assert updates(draft).count() == 1


def test_a_save_over_a_newer_version_is_refused_and_writes_nothing(worker_a, head, draft):
    services.decision_update(
        actor=head, decision=draft, data={"reasoning": "Uzasadnienie kierownika."}
    )

    with pytest.raises(VersionConflict) as excinfo:
        services.decision_update(
            actor=worker_a,
            decision=draft,
            data={"payment_method": "bank_transfer", "bank_account": IBAN},
            expected_version=1,
            seen={"payment_method": "cash", "reasoning": "Uzasadnienie pierwsze."},
        )

    conflict = excinfo.value
    assert conflict.version == 2
    assert "draft decision" in conflict.message
    assert conflict.changes == [
        {
            "field": "reasoning",
            "label": label("reasoning"),
            "seen": "Uzasadnienie pierwsze.",
            "saved": "Uzasadnienie kierownika.",
        }
    ]
    draft.refresh_from_db()
    assert (draft.payment_method, draft.reasoning, draft.version) == (
        "cash",
        "Uzasadnienie kierownika.",
        2,
    )
    assert updates(draft).count() == 1


def test_without_the_values_seen_the_changes_come_from_the_audit_trail(worker_a, draft):
    services.decision_update(actor=worker_a, decision=draft, data={"reasoning": "Drugie."})
    services.decision_update(
        actor=worker_a,
        decision=draft,
        data={"payment_method": "bank_transfer", "bank_account": IBAN},
    )

    with pytest.raises(VersionConflict) as excinfo:
        services.decision_update(
            actor=worker_a, decision=draft, data={"reasoning": "Trzecie."}, expected_version=2
        )
    # Only what changed after version 2, with the value of version 2; choices by their label;
    # the ruling, written from the fields, is not listed.
    assert [(c["field"], c["seen"], c["saved"]) for c in excinfo.value.changes] == [
        ("payment_method", "cash at the cashier", "bank transfer"),
        ("bank_account", "—", IBAN),
    ]


def test_only_a_draft_can_be_changed_and_issuing_is_a_new_version(worker_a, head, draft):
    issued = services.decision_issue(actor=head, decision=draft)
    assert issued.version == 2
    with pytest.raises(ValidationError):
        services.decision_update(
            actor=worker_a, decision=draft, data={"reasoning": "Później."}, expected_version=2
        )
    draft.refresh_from_db()
    assert draft.reasoning == "Uzasadnienie pierwsze."


def test_what_comes_from_the_calculation_cannot_be_edited(worker_a, draft):
    assert services.decision_editable_fields(draft) == [
        "payment_method",
        "bank_account",
        "payee_name",
        "reasoning",
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.decision_update(actor=worker_a, decision=draft, data={"amount": 1})
    assert "amount" in excinfo.value.message_dict


def test_a_refusal_has_only_its_reasoning_to_edit(worker_a, draft):
    draft.kind = DecisionKind.REFUSING
    assert services.decision_editable_fields(draft) == ["reasoning"]


def test_the_checks_of_the_draft_apply_to_the_edit(worker_a, draft):
    with pytest.raises(ValidationError) as excinfo:
        services.decision_update(
            actor=worker_a,
            decision=draft,
            data={"payment_method": "bank_transfer", "bank_account": "", "reasoning": " "},
        )
    assert set(excinfo.value.message_dict) == {"bank_account", "reasoning"}
    draft.refresh_from_db()
    assert (draft.payment_method, draft.version) == ("cash", 1)


def test_a_worker_of_another_district_cannot_change_the_draft(worker_b, draft):
    with pytest.raises(PermissionDenied):
        services.decision_update(actor=worker_b, decision=draft, data={"reasoning": "x"})


# --- the edit page ----------------------------------------------------------------------------


def loaded_form(decision: Decision) -> dict:
    """The POST data of the edit form as the browser holds it right after loading the page."""
    decision = Decision.objects.get(pk=decision.pk)
    form = DecisionEditForm(instance=decision, editable=services.decision_editable_fields(decision))
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        data[name] = "" if value is None else str(value)
        if field.show_hidden_initial:
            data[form.add_initial_prefix(name)] = data[name]
    return data


def test_the_draft_page_links_to_the_edit_form_that_carries_the_version(client, worker_a, draft):
    client.force_login(worker_a)
    url = reverse("benefits:decision_edit", args=[draft.pk])
    assert url in client.get(draft.get_absolute_url()).content.decode()
    html = client.get(url).content.decode()
    assert 'name="version" value="1"' in html
    assert 'name="initial-payment_method" value="cash"' in html
    assert 'name="amount"' not in html


def test_two_users_edit_the_same_draft_and_the_second_gets_a_conflict(
    client, worker_a, head, draft
):
    url = reverse("benefits:decision_edit", args=[draft.pk])
    first = loaded_form(draft)
    second = loaded_form(draft)

    client.force_login(head)
    response = client.post(url, {**first, "reasoning": "Uzasadnienie kierownika."})
    assert response.status_code == 302

    client.force_login(worker_a)
    response = client.post(url, {**second, "payment_method": "bank_transfer", "bank_account": IBAN})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="version-conflict"' in html
    assert "Someone else has changed this draft decision" in html
    assert (
        f"{label('reasoning').capitalize()}</strong>: Uzasadnienie pierwsze. → "
        "Uzasadnienie kierownika." in html
    )
    form = response.context["form"]
    # The second user's entries are kept; the reasoning they left alone is the one saved now.
    assert (form["payment_method"].value(), form["bank_account"].value()) == (
        "bank_transfer",
        IBAN,
    )
    assert form["reasoning"].value() == "Uzasadnienie kierownika."
    assert form.data["version"] == "2"
    draft.refresh_from_db()
    assert (draft.payment_method, draft.version) == ("cash", 2)

    # Saving again is deliberate: it applies the entries over the version now shown.
    again = {k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"}
    assert client.post(url, again).status_code == 302
    draft.refresh_from_db()
    assert (draft.payment_method, draft.reasoning, draft.version) == (
        "bank_transfer",
        "Uzasadnienie kierownika.",
        3,
    )


def test_an_issued_decision_has_no_edit_form(client, worker_a, head, draft):
    services.decision_issue(actor=head, decision=draft)
    client.force_login(worker_a)
    url = reverse("benefits:decision_edit", args=[draft.pk])
    assert url not in client.get(draft.get_absolute_url()).content.decode()
    response = client.post(url, {**loaded_form(draft), "reasoning": "Później."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.reasoning == "Uzasadnienie pierwsze."


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def call(client):
    def _call(user, method, path, body=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)}"}
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/api/v1{path}", body, **headers, **kwargs, **extra)

    return _call


def test_the_api_shows_the_version_and_refuses_a_stale_patch_with_409(call, worker_a, draft):
    path = f"/decisions/{draft.pk}"
    assert call(worker_a, "get", path).json()["version"] == 1

    ok = call(worker_a, "patch", path, {"reasoning": "Drugie."}, HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200, ok.content
    assert (ok.json()["version"], ok.json()["reasoning"]) == (2, "Drugie.")

    stale = call(worker_a, "patch", path, {"payment_method": "bank_transfer"}, HTTP_IF_MATCH="1")
    assert stale.status_code == 409
    body = stale.json()
    assert body["version"] == 2
    assert [(c["field"], c["seen"], c["saved"]) for c in body["changed"]] == [
        ("reasoning", "Uzasadnienie pierwsze.", "Drugie.")
    ]
    assert body["errors"][0]["field"] == "reasoning"

    stale_field = call(worker_a, "patch", path, {"reasoning": "Moje.", "version": 1})
    assert stale_field.status_code == 409
    draft.refresh_from_db()
    assert (draft.reasoning, draft.version) == ("Drugie.", 2)

    fresh = call(worker_a, "patch", path, {"reasoning": "Moje.", "version": 2})
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 3


def test_the_api_refuses_bad_patches(call, worker_a, worker_b, head, draft):
    path = f"/decisions/{draft.pk}"
    assert call(worker_a, "patch", path, {"reasoning": "x"}, HTTP_IF_MATCH="x").status_code == 422
    assert call(worker_b, "patch", path, {"reasoning": "x"}).status_code == 404
    services.decision_issue(actor=head, decision=draft)
    issued = call(worker_a, "patch", path, {"reasoning": "x"})
    assert issued.status_code == 422
    draft.refresh_from_db()
    assert draft.reasoning == "Uzasadnienie pierwsze."


def test_the_head_does_not_sign_a_draft_changed_after_opening_it(client, worker_a, head, draft):
    """The sign button carries the version shown: a draft edited meanwhile stays unsigned."""
    client.force_login(head)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert '<input type="hidden" name="version" value="1">' in page
    services.decision_update(
        actor=worker_a, decision=draft, data={"reasoning": "Nowe uzasadnienie."}
    )

    response = client.post(
        reverse("benefits:decision_issue", args=[draft.pk]), {"version": "1"}, follow=True
    )

    draft.refresh_from_db()
    assert (draft.status, draft.number) == ("draft", "")
    html = response.content.decode()
    assert "was not signed" in html
    assert "Uzasadnienie pierwsze. → Nowe uzasadnienie." in html
    client.post(reverse("benefits:decision_issue", args=[draft.pk]), {"version": "2"})
    draft.refresh_from_db()
    assert draft.status == "issued"


def test_the_api_signs_only_the_version_named_in_if_match(call, worker_a, head, draft):
    path = f"/decisions/{draft.pk}"
    call(worker_a, "patch", path, {"reasoning": "Drugie."})
    stale = call(head, "post", f"{path}/issue", {}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    assert [c["field"] for c in stale.json()["changed"]] == ["reasoning"]
    draft.refresh_from_db()
    assert draft.status == "draft"
    signed = call(head, "post", f"{path}/issue", {}, HTTP_IF_MATCH='"2"')
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "issued"
