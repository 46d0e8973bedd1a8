"""The outputs of a payroll: the bank file against the ISO 20022 schema, the cash list, the XLSX."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
import sepaxml
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from lxml import etree
from pypdf import PdfReader

from gops.benefits import services as benefit_services
from gops.cases import services as case_services
from gops.cases.tests.factories import make_household_with_applicant, record_interview
from gops.payments import exports, services
from gops.payments.models import Payroll
from gops.people import services as people_services

pytestmark = pytest.mark.django_db

PAIN_001_XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}

NOWAK = dict(first_names="Anna", surnames="Nowak", pesel="85031207123")
WISNIEWSKI = dict(first_names="Piotr", surnames="Wiśniewski", pesel="90112501344")
ZIELINSKA = dict(first_names="Maria", surnames="Zielińska", pesel="77020304566")
KOVALENKO = dict(
    first_names="Olena",
    surnames="Kovalenko",
    pesel=None,
    birth_date=date(1990, 3, 4),
    sex="F",
    citizenship="UA",
    residence_status="temporary_protection_ua",
    id_document_type="passport",
    id_document_number="FE123456",
)


def issued_july_allowance(worker, head, *, person, method, income="500.00", bank_account=""):
    """An issued periodic allowance for July 2025 only, for a new person."""
    with time_machine.travel(date(2025, 6, 20)):
        household, applicant = make_household_with_applicant(actor=worker, **person)
        application = case_services.application_register(
            actor=worker,
            household=household,
            applicant=applicant,
            received_on=date(2025, 6, 2),
            benefits_requested=["periodic"],
            reasons=["poverty", "disability"],
        )
        people_services.income_add(
            actor=worker,
            person=applicant,
            month=date(2025, 5, 1),
            source="wages",
            net_amount=Decimal(income),
        )
        record_interview(actor=worker, application=application, conducted_on=date(2025, 6, 10))
        decision = benefit_services.decision_draft(
            actor=worker,
            application=application,
            benefit="periodic",
            period_from=date(2025, 7, 1),
            period_until=date(2025, 7, 31),
            payment_method=method,
            bank_account=bank_account,
        )
        return benefit_services.decision_issue(actor=head, decision=decision)


def july_payroll(worker, head, finance, *, approve=True) -> Payroll:
    """Two bank transfers and two cash payments (one to a foreigner without PESEL)."""
    issued_july_allowance(
        worker,
        head,
        person=NOWAK,
        method="bank_transfer",
        bank_account="PL61 1090 1014 0000 0712 1981 2874",
    )
    issued_july_allowance(
        worker,
        head,
        person=WISNIEWSKI,
        method="bank_transfer",
        income="300.00",
        bank_account="PL27114020040000300201355387",
    )
    issued_july_allowance(worker, head, person=ZIELINSKA, method="cash")
    issued_july_allowance(worker, head, person=KOVALENKO, method="cash", income="400.00")
    payroll = services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    if approve:
        payroll = services.payroll_approve(actor=head, payroll=payroll)
    return Payroll.objects.select_related("centre", "prepared_by", "approved_by").get(pk=payroll.pk)


def transfers_total(payroll: Payroll) -> tuple[int, Decimal]:
    """The number and the sum of the transfers the bank makes: net of set-offs."""
    amounts = [
        p.net_amount for p in payroll.payments.filter(method="bank_transfer", net_amount__gt=0)
    ]
    return len(amounts), sum(amounts, Decimal("0.00"))


def set_off(payroll: Payroll, surnames: str, deduction: str) -> None:
    """Deduct from a person's payment as a set-off against a debt would (u.p.s. art. 104)."""
    payroll.payments.filter(person__surnames=surnames).update(deduction=Decimal(deduction))


def bank_file(payroll: Payroll) -> bytes:
    out = BytesIO()
    exports.payroll_bank_file(payroll, out)
    return out.getvalue()


def cash_list_pdf(payroll: Payroll) -> bytes:
    out = BytesIO()
    exports.payroll_cash_list_pdf(payroll, out)
    return out.getvalue()


def xlsx(payroll: Payroll) -> bytes:
    out = BytesIO()
    exports.payroll_xlsx(payroll, out)
    return out.getvalue()


def validate_pain_001(content: bytes) -> etree._Element:
    schema = etree.XMLSchema(etree.parse(str(PAIN_001_XSD)))
    document = etree.fromstring(content)
    schema.assertValid(document)
    return document


def test_the_bank_file_validates_against_the_pain_001_schema_and_sums_to_the_payroll(
    worker_a, head, finance
):
    payroll = july_payroll(worker_a, head, finance)
    count, total = transfers_total(payroll)
    assert count == 2

    document = validate_pain_001(bank_file(payroll))

    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert (
        Decimal(document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS)) == total
    )
    block = document.find("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=NS)
    assert Decimal(block.findtext("p:CtrlSum", namespaces=NS)) == total
    assert block.findtext("p:PmtMtd", namespaces=NS) == "TRF"
    assert block.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == payroll.centre.bank_account
    amounts = block.findall("p:CdtTrfTxInf/p:Amt/p:InstdAmt", namespaces=NS)
    assert {a.get("Ccy") for a in amounts} == {"PLN"}
    assert sum((Decimal(a.text) for a in amounts), Decimal("0.00")) == total
    transactions = block.findall("p:CdtTrfTxInf", namespaces=NS)
    ids = [t.findtext("p:PmtId/p:EndToEndId", namespaces=NS) for t in transactions]
    assert len(set(ids)) == count
    creditors = {
        t.findtext("p:Cdtr/p:Nm", namespaces=NS): t.findtext(
            "p:CdtrAcct/p:Id/p:IBAN", namespaces=NS
        )
        for t in transactions
    }
    assert creditors == {
        "Anna Nowak": "PL61109010140000071219812874",
        "Piotr Wiśniewski": "PL27114020040000300201355387",
    }
    titles = [t.findtext("p:RmtInf/p:Ustrd", namespaces=NS) for t in transactions]
    numbers = set(payroll.payments.values_list("item__decision__number", flat=True))
    assert all(" 2025-07 " in title for title in titles)
    assert {title.rsplit(" ", 1)[1] for title in titles} <= numbers


def test_the_bank_file_transfers_what_is_left_after_a_set_off(worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance)
    set_off(payroll, "Nowak", "55.00")
    set_off(payroll, "Wiśniewski", "355.00")  # all of it: nothing to transfer
    count, total = transfers_total(payroll)
    assert (count, total) == (1, Decimal("200.00"))

    document = validate_pain_001(bank_file(payroll))

    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "1"
    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "200.00"
    transfer = document.find("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf", namespaces=NS)
    assert transfer.findtext("p:Amt/p:InstdAmt", namespaces=NS) == "200.00"
    assert "potrącono 55,00 zł" in transfer.findtext("p:RmtInf/p:Ustrd", namespaces=NS)


def test_a_payroll_not_approved_has_no_bank_file(worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance, approve=False)
    with translation.override("en"), pytest.raises(ValidationError, match="approved payroll only"):
        bank_file(payroll)


def test_a_payroll_of_cash_payments_only_has_no_bank_file(worker_a, head, finance):
    issued_july_allowance(worker_a, head, person=ZIELINSKA, method="cash")
    payroll = services.payroll_generate(actor=finance, month=date(2025, 7, 1))
    payroll = services.payroll_approve(actor=head, payroll=payroll)
    with translation.override("en"), pytest.raises(ValidationError, match="no bank transfers"):
        bank_file(payroll)


def test_a_transfer_to_an_account_that_is_not_polish_stops_the_file_and_names_the_payee(
    worker_a, head, finance
):
    payroll = july_payroll(worker_a, head, finance)
    payroll.payments.filter(person__surnames="Nowak").update(bank_account="DE89370400440532013000")
    with translation.override("en"), pytest.raises(ValidationError, match="Anna Nowak"):
        bank_file(payroll)


def test_the_cash_list_names_each_cash_payee_with_an_identity_and_the_total(
    worker_a, head, finance
):
    payroll = july_payroll(worker_a, head, finance)
    set_off(payroll, "Kovalenko", "100.00")
    cash = list(payroll.payments.filter(method="cash"))
    total = sum((p.net_amount for p in cash), Decimal("0.00"))

    pdf = PdfReader(BytesIO(cash_list_pdf(payroll)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)

    assert "LISTA WYPŁAT GOTÓWKOWYCH" in text
    assert "LW/2025/07" in text
    assert "Zielińska Maria" in text
    assert "77020304566" in text
    assert "Kovalenko Olena" in text
    assert "FE123456" in text  # no PESEL: the identity document
    assert "Nowak" not in text  # paid by transfer, not at the cashier
    assert f"{total:.2f}".replace(".", ",") in text
    assert "podpis odbierającego".lower() in text.lower()
    assert "PROJEKT" not in text
    assert "potrącono 100,00" in text


def test_a_cash_list_of_a_payroll_not_approved_is_marked_as_a_draft(worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance, approve=False)
    pdf = PdfReader(BytesIO(cash_list_pdf(payroll)))
    assert "PROJEKT" in pdf.pages[0].extract_text()


def test_the_xlsx_has_a_row_per_payment_and_a_total_that_matches(worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance)
    set_off(payroll, "Nowak", "55.00")
    payments = list(payroll.payments.order_by("pk"))

    with translation.override("en"):
        content = xlsx(payroll)
    workbook = openpyxl.load_workbook(BytesIO(content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    header, body, total_row = rows[0], rows[1:-1], rows[-1]

    amount_col = header.index("Amount")
    net_col = header.index("Net amount")
    assert [r[header.index("Payment")] for r in body] == [p.pk for p in payments]
    assert {r[header.index("Month")] for r in body} == {"2025-07"}
    assert "Olena Kovalenko" in [r[header.index("Person")] for r in body]
    amounts = [Decimal(str(r[amount_col])) for r in body]
    assert amounts == [p.amount for p in payments]
    assert Decimal(str(total_row[amount_col])) == sum(amounts, Decimal("0.00"))
    nets = [Decimal(str(r[net_col])) for r in body]
    assert nets == [p.net_amount for p in payments]
    assert Decimal(str(total_row[net_col])) == sum(amounts, Decimal("0.00")) - Decimal("55.00")
    assert sheet.cell(row=2, column=amount_col + 1).number_format == "#,##0.00"
