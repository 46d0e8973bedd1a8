"""The payroll API: finance prepares, the head approves, finance downloads the bank file and
records outcomes; everyone else sees nothing."""

import threading
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.test import Client
from lxml import etree

from gops.accounts.services import api_token_create
from gops.accounts.tests.factories import make_centre, make_user
from gops.audit.models import AuditEntry
from gops.payments.models import Payment, Payroll
from gops.payments.tests.test_exports import (
    NOWAK,
    PAIN_001_XSD,
    ZIELINSKA,
    issued_july_allowance,
    july_payroll,
)

pytestmark = pytest.mark.django_db

IBAN = "PL61109010140000071219812874"


@pytest.fixture
def api(client):
    tokens = {}

    def call(user, path, method="get", body=None):
        headers = {}
        if user is not None:
            if user.pk not in tokens:
                tokens[user.pk] = api_token_create(user=user)
            headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[user.pk]}"
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/api/v1{path}", body, **headers, **kwargs)

    return call


@pytest.fixture
def two_payees(worker_a, head):
    issued_july_allowance(worker_a, head, person=NOWAK, method="bank_transfer", bank_account=IBAN)
    issued_july_allowance(worker_a, head, person=ZIELINSKA, method="cash")


def test_without_a_token_every_endpoint_is_401(api, worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance)
    payment = payroll.payments.first()
    assert api(None, "/payrolls", "post", {"month": "2025-07"}).status_code == 401
    assert api(None, f"/payrolls/{payroll.pk}").status_code == 401
    assert api(None, f"/payrolls/{payroll.pk}/approve", "post", {}).status_code == 401
    assert api(None, f"/payrolls/{payroll.pk}/bank-file").status_code == 401
    response = api(None, f"/payments/{payment.pk}/outcome", "post", {"outcome": "paid"})
    assert response.status_code == 401


def test_a_social_worker_sees_no_payroll_and_cannot_generate_one(api, worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance)
    payment = payroll.payments.first()
    assert api(worker_a, f"/payrolls/{payroll.pk}").status_code == 404
    assert api(worker_a, f"/payrolls/{payroll.pk}/bank-file").status_code == 404
    assert api(worker_a, f"/payrolls/{payroll.pk}/approve", "post", {}).status_code == 404
    response = api(worker_a, f"/payments/{payment.pk}/outcome", "post", {"outcome": "paid"})
    assert response.status_code == 404
    assert api(worker_a, "/payrolls", "post", {"month": "2025-08"}).status_code == 403


def test_finance_of_another_centre_does_not_find_the_payroll(api, worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance)
    other = make_user("ksiegowa2", role="finance", centre=make_centre(name="MOPS w Innym"))
    assert api(other, f"/payrolls/{payroll.pk}").status_code == 404
    payment = payroll.payments.first()
    response = api(other, f"/payments/{payment.pk}/outcome", "post", {"outcome": "paid"})
    assert response.status_code == 404


def test_finance_cannot_approve_and_nobody_approves_a_payroll_they_prepared(
    api, centre, two_payees, finance, head
):
    deputy = make_user("zastepca", role="head", centre=centre, language="en")
    deputy.groups.add(Group.objects.get(name="finance"))
    payroll_id = api(deputy, "/payrolls", "post", {"month": "2025-07"}).json()["id"]

    assert api(finance, f"/payrolls/{payroll_id}/approve", "post", {}).status_code == 403
    response = api(deputy, f"/payrolls/{payroll_id}/approve", "post", {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "You prepared this payroll; another person must approve it."
    )
    response = api(head, f"/payrolls/{payroll_id}/approve", "post", {})
    assert response.status_code == 200
    assert response.json()["status"] == "approved"


def test_finance_generates_the_head_approves_finance_downloads_and_records_payment(
    api, two_payees, finance, head
):
    response = api(finance, "/payrolls", "post", {"month": "2025-07"})
    assert response.status_code == 201
    payroll = response.json()
    assert payroll["month"] == "2025-07"
    assert payroll["status"] == "prepared"
    assert payroll["count"] == 2
    assert {(i["person_name"], i["method"]) for i in payroll["items"]} == {
        ("Anna Nowak", "bank_transfer"),
        ("Maria Zielińska", "cash"),
    }
    transfer = next(i for i in payroll["items"] if i["method"] == "bank_transfer")
    assert transfer["bank_account"] == IBAN
    assert transfer["status"] == "pending"
    totals = {t["method"]: t for t in payroll["totals"]}
    assert totals["bank_transfer"]["amount"] == transfer["amount"]
    assert payroll["total"] == str(sum(Decimal(i["amount"]) for i in payroll["items"]))
    assert payroll["net_total"] == payroll["total"]  # no debts to set off
    assert transfer["deduction"] == "0.00"

    again = api(finance, "/payrolls", "post", {"month": "2025-07"})
    assert again.status_code == 200
    assert again.json()["id"] == payroll["id"]
    assert Payment.objects.count() == 2

    # The bank file exists only once the head has approved.
    assert api(finance, f"/payrolls/{payroll['id']}/bank-file").status_code == 422
    approved = api(head, f"/payrolls/{payroll['id']}/approve", "post", {})
    assert approved.status_code == 200
    assert approved.json()["approved_by_id"] == head.pk

    response = api(finance, f"/payrolls/{payroll['id']}/bank-file")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="przelewy-2025-07.xml"'
    assert response.streaming  # written to a temporary file and sent in blocks
    document = etree.parse(BytesIO(b"".join(response.streaming_content)))
    etree.XMLSchema(etree.parse(str(PAIN_001_XSD))).assertValid(document)
    assert document.findtext(".//{*}GrpHdr/{*}CtrlSum") == transfer["amount"]

    response = api(
        finance,
        f"/payments/{transfer['payment_id']}/outcome",
        "post",
        {"outcome": "paid", "on": "2025-07-12", "note": ""},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "paid"
    assert response.json()["paid_on"] == "2025-07-12"
    detail = api(head, f"/payrolls/{payroll['id']}").json()
    paid = next(i for i in detail["items"] if i["payment_id"] == transfer["payment_id"])
    assert paid["status"] == "paid"


def test_the_head_may_read_payments_but_not_record_their_outcome(api, worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance)
    payment = payroll.payments.first()
    assert api(head, f"/payrolls/{payroll.pk}").status_code == 200
    response = api(head, f"/payments/{payment.pk}/outcome", "post", {"outcome": "paid"})
    assert response.status_code == 403


def test_an_outcome_on_a_payroll_not_approved_is_refused(api, worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance, approve=False)
    payment = payroll.payments.first()
    response = api(finance, f"/payments/{payment.pk}/outcome", "post", {"outcome": "paid"})
    assert response.status_code == 422


def test_bad_input_is_a_422_naming_the_field(api, two_payees, finance):
    response = api(finance, "/payrolls", "post", {"month": "July"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "month"
    payroll_id = api(finance, "/payrolls", "post", {"month": "2025-07"}).json()["id"]
    payment = Payroll.objects.get(pk=payroll_id).payments.first()
    response = api(finance, f"/payments/{payment.pk}/outcome", "post", {"outcome": "lost"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "outcome"


def test_reading_a_payroll_is_audited(api, worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance)
    api(head, f"/payrolls/{payroll.pk}")
    entry = AuditEntry.objects.filter(action="view", object_type="payments.payroll").get()
    assert (entry.actor, entry.object_id) == (head, str(payroll.pk))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_two_simultaneous_posts_return_the_same_payroll(
    worker_a, head, finance, legal_parameters_rows
):
    issued_july_allowance(worker_a, head, person=NOWAK, method="bank_transfer", bank_account=IBAN)
    token = api_token_create(user=finance)
    barrier = threading.Barrier(2)
    responses, errors = [], []

    def post():
        try:
            barrier.wait()
            responses.append(
                Client().post(
                    "/api/v1/payrolls",
                    {"month": "2025-07"},
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}",
                )
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {r.status_code for r in responses} <= {200, 201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert Payroll.objects.count() == 1
    assert Payment.objects.count() == 1
