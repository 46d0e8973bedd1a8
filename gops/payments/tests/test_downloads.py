"""The payroll downloads are streamed from a temporary file (or, for the CSV, made while they
are sent), never built whole in the request's memory, and hold what they held before
(issue 10 §3)."""

from datetime import UTC, datetime
from io import BytesIO

import openpyxl
import pytest
import time_machine
from django.http import FileResponse
from django.urls import reverse
from pypdf import PdfReader

from gops.accounts.services import api_token_create
from gops.audit.models import AuditEntry
from gops.payments.tests.test_exports import july_payroll, set_off

pytestmark = pytest.mark.django_db

# 10:00 UTC is noon in Warsaw, the creation time the file states.
FROZEN = datetime(2025, 7, 5, 10, 0, tzinfo=UTC)


def body(response) -> bytes:
    assert response.streaming, "the download is built in memory"
    return b"".join(response.streaming_content)


def payroll_views(payroll) -> int:
    return AuditEntry.objects.filter(
        object_type="payments.payroll", object_id=str(payroll.pk), action="view"
    ).count()


def expected_bank_file(payroll) -> bytes:
    """The file as the ElementTree implementation that built the whole document in memory
    made it for this payroll: the streamed one must be the same, byte for byte."""
    nowak = payroll.payments.select_related("item__decision").get(person__surnames="Nowak")
    wisniewski = payroll.payments.select_related("item__decision").get(
        person__surnames="Wiśniewski"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn>'
        f"<GrpHdr><MsgId>GOPS-LW-2025-07-{payroll.pk}</MsgId>"
        "<CreDtTm>2025-07-05T12:00:00</CreDtTm><NbOfTxs>2</NbOfTxs><CtrlSum>555.00</CtrlSum>"
        "<InitgPty><Nm>Gminny Ośrodek Pomocy Społecznej w Testowie</Nm></InitgPty></GrpHdr>"
        f"<PmtInf><PmtInfId>GOPS-LW-2025-07-{payroll.pk}-1</PmtInfId><PmtMtd>TRF</PmtMtd>"
        "<NbOfTxs>2</NbOfTxs><CtrlSum>555.00</CtrlSum><ReqdExctnDt>2025-07-10</ReqdExctnDt>"
        "<Dbtr><Nm>Gminny Ośrodek Pomocy Społecznej w Testowie</Nm><PstlAdr><Ctry>PL</Ctry>"
        "<AdrLine>ul. Główna 1</AdrLine><AdrLine>00-001 Testowo</AdrLine></PstlAdr></Dbtr>"
        "<DbtrAcct><Id><IBAN>PL61109010140000071219812874</IBAN></Id><Ccy>PLN</Ccy></DbtrAcct>"
        "<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>"
        f"<CdtTrfTxInf><PmtId><EndToEndId>GOPS-P{nowak.pk}</EndToEndId></PmtId>"
        '<Amt><InstdAmt Ccy="PLN">200.00</InstdAmt></Amt><Cdtr><Nm>Anna Nowak</Nm></Cdtr>'
        "<CdtrAcct><Id><IBAN>PL61109010140000071219812874</IBAN></Id></CdtrAcct>"
        f"<RmtInf><Ustrd>Zasiłek okresowy 2025-07 {nowak.item.decision.number} "
        "potrącono 55,00 zł (art. 104 u.p.s.)</Ustrd></RmtInf></CdtTrfTxInf>"
        f"<CdtTrfTxInf><PmtId><EndToEndId>GOPS-P{wisniewski.pk}</EndToEndId></PmtId>"
        '<Amt><InstdAmt Ccy="PLN">355.00</InstdAmt></Amt><Cdtr><Nm>Piotr Wiśniewski</Nm></Cdtr>'
        "<CdtrAcct><Id><IBAN>PL27114020040000300201355387</IBAN></Id></CdtrAcct>"
        f"<RmtInf><Ustrd>Zasiłek okresowy 2025-07 {wisniewski.item.decision.number}</Ustrd>"
        "</RmtInf></CdtTrfTxInf></PmtInf></CstmrCdtTrfInitn></Document>"
    ).encode()


def test_the_bank_file_is_streamed_byte_for_byte_as_before(client, worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance)
    set_off(payroll, "Nowak", "55.00")
    client.force_login(finance)

    with time_machine.travel(FROZEN, tick=False):
        response = client.get(reverse("payments:payroll_bank_file", args=[payroll.pk]))

    assert isinstance(response, FileResponse)
    content = body(response)
    assert content == expected_bank_file(payroll)
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="przelewy-2025-07.xml"'
    assert response["Content-Length"] == str(len(content))
    assert payroll_views(payroll) == 1


def test_the_api_streams_the_same_bank_file(client, worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance)
    set_off(payroll, "Nowak", "55.00")
    token = api_token_create(user=finance)

    with time_machine.travel(FROZEN, tick=False):
        response = client.get(
            f"/api/v1/payrolls/{payroll.pk}/bank-file", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert body(response) == expected_bank_file(payroll)
    assert payroll_views(payroll) == 1


def test_a_bank_file_that_cannot_be_made_sends_back_to_the_payroll_with_the_reason(
    english_messages, client, worker_a, head, finance
):
    payroll = july_payroll(worker_a, head, finance)
    payroll.payments.filter(person__surnames="Nowak").update(bank_account="DE89370400440532013000")
    client.force_login(finance)

    response = client.get(reverse("payments:payroll_bank_file", args=[payroll.pk]), follow=True)

    assert response.redirect_chain == [(payroll.get_absolute_url(), 302)]
    assert "Anna Nowak" in response.content.decode()
    assert "no valid Polish bank account" in response.content.decode()


def test_the_xlsx_is_streamed_with_a_row_per_payment(client, worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance)
    client.force_login(finance)

    response = client.get(reverse("payments:payroll_xlsx", args=[payroll.pk]))

    assert isinstance(response, FileResponse)
    content = body(response)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="lista-wyplat-2025-07.xlsx"'
    assert response["Content-Length"] == str(len(content))
    rows = list(openpyxl.load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:-1]] == list(
        payroll.payments.order_by("pk").values_list("pk", flat=True)
    )
    assert rows[-1][0] == "Razem"
    assert payroll_views(payroll) == 1


def test_a_short_cash_list_is_streamed_from_the_request(client, worker_a, head, finance, settings):
    settings.PAYROLL_CASH_LIST_INLINE_ROWS = 2  # the payroll has two cash payments
    payroll = july_payroll(worker_a, head, finance)
    client.force_login(finance)

    response = client.get(reverse("payments:payroll_cash_list", args=[payroll.pk]))

    assert isinstance(response, FileResponse)
    content = body(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="lista-kasowa-2025-07.pdf"'
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    assert "Zielińska Maria" in text
    assert "Kovalenko Olena" in text
    assert payroll_views(payroll) == 1
