"""The acceptance path through the API: application → interview → decision → PDF."""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from gops.accounts.services import api_token_create
from gops.benefits import services
from gops.benefits.models import Decision

ELDERLY_WOMAN = {
    "first_names": "Halina",
    "surnames": "Wiśniewska",
    "pesel": "58031512348",
    "registered_street": "ul. Kwiatowa 2",
    "registered_postal_code": "00-950",
    "registered_city": "Testowo",
}


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


@pytest.fixture
def interviewed(api, worker_a):
    """An application of a 67-year-old woman living alone on 300 zł, interviewed."""
    with time_machine.travel(date(2025, 6, 10)):
        person = api(worker_a, "post", "/persons", ELDERLY_WOMAN).json()
        household = api(
            worker_a,
            "post",
            "/households",
            {"members": [{"person_id": person["id"], "relation": "head"}]},
        ).json()
        income = api(
            worker_a,
            "post",
            f"/persons/{person['id']}/incomes",
            {"month": "2025-05-01", "source": "old_age_pension", "net_amount": "300.00"},
        )
        assert income.status_code == 201, income.content
        created = api(
            worker_a,
            "post",
            "/applications",
            {
                "household_id": household["id"],
                "applicant_id": person["id"],
                "received_on": "2025-06-02",
                "benefits_requested": ["permanent"],
                "reasons": ["poverty", "long_illness"],
            },
        )
        assert created.status_code == 201, created.content
        application = created.json()
        assert application["interview_due_on"] == "2025-06-23"
        done = api(
            worker_a,
            "post",
            f"/applications/{application['id']}/interview",
            {
                "conducted_on": "2025-06-09",
                "needs": "Środki na leki i opał.",
                "diagnosis": "Emerytka, dochód poniżej kryterium.",
                "help_plan": "Zasiłek stały, praca socjalna.",
            },
        )
        assert done.status_code == 200, done.content
        assert done.json()["status"] == "interview_done"
    return application


@time_machine.travel(date(2025, 6, 12))
def test_decision_before_the_interview_is_refused(api, worker_a):
    person = api(worker_a, "post", "/persons", ELDERLY_WOMAN).json()
    household = api(
        worker_a,
        "post",
        "/households",
        {"members": [{"person_id": person["id"], "relation": "head"}]},
    ).json()
    application = api(
        worker_a,
        "post",
        "/applications",
        {
            "household_id": household["id"],
            "applicant_id": person["id"],
            "received_on": "2025-06-02",
            "benefits_requested": ["permanent"],
            "reasons": ["poverty"],
        },
    ).json()
    response = api(
        worker_a,
        "post",
        f"/applications/{application['id']}/decision",
        {"benefit": "permanent", "period_from": "2025-07-01", "payment_method": "cash"},
    )
    assert response.status_code == 422
    assert "106" in response.json()["errors"][0]["message"]
    assert Decision.objects.count() == 0


@time_machine.travel(date(2025, 6, 12))
def test_the_decision_is_drafted_signed_and_its_pdf_holds_the_appeal_instruction(
    api, worker_a, head, interviewed
):
    drafted = api(
        worker_a,
        "post",
        f"/applications/{interviewed['id']}/decision",
        {
            "benefit": "permanent",
            "period_from": "2025-07-01",
            "payment_method": "bank_transfer",
            "bank_account": "PL61 1090 1014 0000 0712 1981 2874",
        },
    )
    assert drafted.status_code == 201, drafted.content
    decision = drafted.json()
    assert decision["amount"] == "1013.00"
    assert decision["kind"] == "granting"
    assert "u.p.s. art. 37 ust. 1 pkt 1" in decision["legal_basis"]

    denied = api(worker_a, "post", f"/decisions/{decision['id']}/issue")
    assert denied.status_code == 403

    issued = api(head, "post", f"/decisions/{decision['id']}/issue")
    assert issued.status_code == 200, issued.content
    assert issued.json()["number"] == "DEC/1/2025"
    assert issued.json()["status"] == "issued"

    pdf = api(worker_a, "get", f"/decisions/{decision['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = " ".join(text.split())
    assert "Samorządowe" in flat
    assert "Kolegium Odwoławcze" in flat
    assert "1013,00 zł" in flat
    assert "tysiąc trzynaście złotych" in flat
    assert "art. 37 ust. 1 pkt 1" in flat
    assert "14 dni" in flat


@time_machine.travel(date(2025, 6, 12))
def test_an_issued_decision_and_its_pdf_never_change(worker_a, head, interviewed):
    from django.core.exceptions import ValidationError

    decision = services.decision_draft(
        actor=worker_a,
        application=interviewed_application(interviewed),
        benefit="permanent",
        period_from=date(2025, 7, 1),
        payment_method="cash",
    )
    issued = services.decision_issue(actor=head, decision=decision)
    digest = issued.pdf_sha256
    with pytest.raises(ValidationError):
        services.decision_issue(actor=head, decision=issued)
    issued.refresh_from_db()
    assert issued.pdf_sha256 == digest


def interviewed_application(data):
    from gops.cases.models import Application

    return Application.objects.get(pk=data["id"])


def test_an_amount_outside_the_legal_range_is_refused(worker_a, interviewed):
    from django.core.exceptions import ValidationError

    with time_machine.travel(date(2025, 6, 12)), pytest.raises(ValidationError) as exc:
        services.decision_draft(
            actor=worker_a,
            application=interviewed_application(interviewed),
            benefit="permanent",
            period_from=date(2025, 7, 1),
            payment_method="cash",
            amount=Decimal("1500.00"),
            amount_change_reason="bo tak",
        )
    assert "amount" in exc.value.message_dict


def test_service_opens_the_appeal_period_and_an_unused_one_makes_the_decision_final(
    worker_a, head, interviewed
):
    with time_machine.travel(date(2025, 6, 12)):
        decision = services.decision_draft(
            actor=worker_a,
            application=interviewed_application(interviewed),
            benefit="permanent",
            period_from=date(2025, 7, 1),
            payment_method="cash",
        )
        decision = services.decision_issue(actor=head, decision=decision)
    with time_machine.travel(date(2025, 6, 16)):
        decision = services.decision_serve(
            actor=worker_a, decision=decision, served_on=date(2025, 6, 16)
        )
    assert decision.appeal_deadline == date(2025, 6, 30)
    assert services.decisions_finalise(today=date(2025, 6, 30)) == 0
    assert services.decisions_finalise(today=date(2025, 7, 1)) == 1
    decision.refresh_from_db()
    assert decision.final_on == date(2025, 7, 1)
    assert decision.application.status == "final"
    assert services.decisions_finalise(today=date(2025, 7, 2)) == 0


def _issued_grant(worker_a, head, interviewed):
    with time_machine.travel(date(2025, 6, 12)):
        decision = services.decision_draft(
            actor=worker_a,
            application=interviewed_application(interviewed),
            benefit="permanent",
            period_from=date(2025, 7, 1),
            payment_method="cash",
        )
        return services.decision_issue(actor=head, decision=decision)


def test_a_second_decision_on_the_same_benefit_is_refused(worker_a, head, interviewed):
    from django.core.exceptions import ValidationError

    _issued_grant(worker_a, head, interviewed)
    with time_machine.travel(date(2025, 6, 13)), pytest.raises(ValidationError) as exc:
        services.decision_draft(
            actor=worker_a,
            application=interviewed_application(interviewed),
            benefit="permanent",
            period_from=date(2025, 7, 1),
            payment_method="cash",
        )
    assert "benefit" in exc.value.message_dict
    assert Decision.objects.count() == 1


def test_an_amending_decision_changes_the_amount_from_a_date_and_leaves_the_original(
    api, worker_a, head, interviewed
):
    original = _issued_grant(worker_a, head, interviewed)
    digest = original.pdf_sha256
    with time_machine.travel(date(2025, 9, 10)):
        response = api(
            worker_a,
            "post",
            f"/decisions/{original.pk}/change",
            {
                "kind": "amending",
                "effective_from": "2025-10-01",
                "amount": "900.00",
                "reasoning": "Od września strona otrzymuje wyższą emeryturę.",
            },
        )
        assert response.status_code == 201, response.content
        change = response.json()
        assert change["kind"] == "amending"
        assert change["amount"] == "900.00"
        assert "Zmienić decyzję nr DEC/1/2025" in change["ruling"]
        assert "u.p.s. art. 106 ust. 5" in change["legal_basis"]
        issued = api(head, "post", f"/decisions/{change['id']}/issue")
        assert issued.status_code == 200, issued.content
        assert issued.json()["number"] == "DEC/2/2025"
    original.refresh_from_db()
    assert original.pdf_sha256 == digest
    assert original.amount == Decimal("1013.00")


def test_a_change_before_the_benefit_starts_or_without_reasoning_is_refused(
    worker_a, head, interviewed
):
    from django.core.exceptions import ValidationError

    original = _issued_grant(worker_a, head, interviewed)
    with pytest.raises(ValidationError) as exc:
        services.decision_change_draft(
            actor=worker_a,
            decision=original,
            kind="revoking",
            effective_from=date(2025, 6, 1),
            reasoning=" ",
        )
    assert set(exc.value.message_dict) == {"effective_from", "reasoning"}
