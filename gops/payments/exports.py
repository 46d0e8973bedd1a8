"""Outputs of a payroll: the bank transfer file, the cash payout list (PDF) and the XLSX.

The bank file is ISO 20022 **pain.001.001.03** (CustomerCreditTransferInitiation), not
Elixir-O:

- pain.001 is XML defined by an official XSD, so every file can be checked by a machine
  against the specification; the tests validate it with the ISO schema sepaxml ships;
- the bulk import of Polish banks' corporate banking accepts pain.001.001.03 for domestic
  PLN transfers and routes them through Elixir itself; the creditor's bank follows from the
  sort code inside the Polish IBAN, so no creditor agent is given;
- Elixir-O is the clearing house's record format that each bank exposes as its own flat
  import variant (field order, code page, quoting) with no machine-checkable specification.

One file holds one payment information block (PmtInf): debtor is the centre with its IBAN,
one transaction (CdtTrfTxInf) per bank-transfer payment of the payroll. The message id is
fixed per payroll, so a bank that refuses duplicate message ids refuses to import the same
payroll twice; each transaction's EndToEndId names its payment, so a transfer the bank
returns can be matched to it.

The bank file and the cash list are Polish whatever the user's language: they go to the
bank, to the payee's statement and to the cashier. The XLSX follows the user's language.

Each output is written into a binary file, never built whole in memory: a city's payroll has
tens of thousands of payments. A download writes it into a temporary file (kept in memory
while small) and streams that (``payroll_file_response``); a large cash list is made by a
background job instead (jobs.py).
"""

import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from stdnum import iban

from gops.benefits.models import PaymentMethod
from gops.benefits.pdf import amount_in_words
from gops.cases.models import BenefitKind

from .models import Payment, PaymentStatus, Payroll, PayrollStatus
from .selectors import payroll_payments

PAIN_001_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
CURRENCY = "PLN"
# A file being made stays in memory up to this size, then moves to a temporary file on disk.
SPOOL_MAX_BYTES = 1024 * 1024
# Characters XML 1.0 does not allow; names typed by people should not hold them, but a
# single one would make the whole file unreadable for the bank.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def payroll_number(payroll: Payroll) -> str:
    """The payroll's number on paper: one payroll per centre and month, e.g. "LW/2025/07"."""
    return f"LW/{payroll.month:%Y/%m}"


def _benefit_label(code: str) -> str:
    """The benefit's name in the active language, with a capital letter."""
    label = str(BenefitKind(code).label) if code in BenefitKind.values else code
    return label[:1].upper() + label[1:]


def _payee_name(payment: Payment) -> str:
    return payment.payee_name or payment.person.full_name


# --- Bank file (pain.001.001.03) -------------------------------------------------------------


def _text(value: str, limit: int) -> str:
    return " ".join(_NOT_XML.sub(" ", value).split())[:limit]


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _party(parent: ET.Element, tag: str, name: str) -> ET.Element:
    party = _add(parent, tag)
    _add(party, "Nm", _text(name, 140))
    return party


def _account(parent: ET.Element, tag: str, number: str, currency: str | None = None) -> None:
    account = _add(parent, tag)
    _add(_add(account, "Id"), "IBAN", number)
    if currency:
        _add(account, "Ccy", currency)


def _polish_benefit_labels() -> dict[str, str]:
    with translation.override("pl"):
        return {code: _benefit_label(code) for code in BenefitKind.values}


def _title(payment: Payment, labels: dict[str, str]) -> str:
    """What is paid: "Zasiłek okresowy 2025-07 DEC/1/2025"."""
    decision = payment.item.decision
    benefit = labels.get(decision.benefit, decision.benefit)
    return f"{benefit} {payment.item.month:%Y-%m} {decision.number}"


def _remittance(payment: Payment, labels: dict[str, str]) -> str:
    """The transfer's title on the payee's statement, with what was set off against a debt,
    so the payee sees why less arrived."""
    title = _title(payment, labels)
    if payment.deduction:
        title += f" potrącono {_pln(payment.deduction)} zł (art. 104 u.p.s.)"
    return _text(title, 140)


def _pln(amount: Decimal) -> str:
    """An amount as Polish text writes it: 1 234,50."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def _creditor_account(payment: Payment) -> str:
    number = iban.compact(payment.bank_account or "")
    if not number.startswith("PL") or not iban.is_valid(number):
        raise ValidationError(
            _(
                "Payment %(id)s to %(person)s has no valid Polish bank account, so the bank "
                "file cannot be made."
            )
            % {"id": payment.pk, "person": payment.person.full_name}
        )
    return number


def _execution_date(payroll: Payroll) -> date:
    """The centre's payment day of the payroll's month; today when that day has passed (a
    bank refuses an execution date in the past)."""
    payday = payroll.month.replace(day=payroll.centre.payment_day)
    return max(payday, timezone.localdate())


# Every file ends with these closing tags; the transfers are written just before them.
_BANK_FILE_END = b"</PmtInf></CstmrCdtTrfInitn></Document>"


def _bank_file_document(
    payroll: Payroll, *, message_id: str, created: datetime, count: int, total: Decimal
) -> ET.Element:
    """The document without its transfers: the group header and the payment information
    block, which state the number and the sum of the transfers that follow."""
    centre = payroll.centre
    # Every element is in the default namespace declared here (attributes such as Ccy are
    # in none), which ElementTree's default_namespace cannot express.
    document = ET.Element("Document", xmlns=PAIN_001_NAMESPACE)
    initiation = _add(document, "CstmrCdtTrfInitn")
    header = _add(initiation, "GrpHdr")
    _add(header, "MsgId", message_id)
    _add(header, "CreDtTm", created.strftime("%Y-%m-%dT%H:%M:%S"))
    _add(header, "NbOfTxs", str(count))
    _add(header, "CtrlSum", f"{total:.2f}")
    _party(header, "InitgPty", centre.name)

    block = _add(initiation, "PmtInf")
    _add(block, "PmtInfId", f"{message_id}-1")
    _add(block, "PmtMtd", "TRF")
    _add(block, "NbOfTxs", str(count))
    _add(block, "CtrlSum", f"{total:.2f}")
    _add(block, "ReqdExctnDt", _execution_date(payroll).isoformat())
    debtor = _party(block, "Dbtr", centre.name)
    address = _add(debtor, "PstlAdr")
    _add(address, "Ctry", "PL")
    for line in (centre.street, f"{centre.postal_code} {centre.city}"):
        if line.strip():
            _add(address, "AdrLine", _text(line, 70))
    _account(block, "DbtrAcct", iban.compact(centre.bank_account), CURRENCY)
    agent = _add(_add(block, "DbtrAgt"), "FinInstnId")
    _add(_add(agent, "Othr"), "Id", "NOTPROVIDED")
    return document


def _transfer(payment: Payment, labels: dict[str, str]) -> ET.Element:
    """One credit transfer (CdtTrfTxInf) of the payment's net amount."""
    transfer = ET.Element("CdtTrfTxInf")
    _add(_add(transfer, "PmtId"), "EndToEndId", f"GOPS-P{payment.pk}")
    _add(_add(transfer, "Amt"), "InstdAmt", f"{payment.net_amount:.2f}", Ccy=CURRENCY)
    _party(transfer, "Cdtr", _payee_name(payment))
    _account(transfer, "CdtrAcct", _creditor_account(payment))
    _add(_add(transfer, "RmtInf"), "Ustrd", _remittance(payment, labels))
    return transfer


def payroll_bank_file(payroll: Payroll, out: BinaryIO) -> None:
    """pain.001.001.03 XML with one credit transfer per bank-transfer payment of an approved
    payroll, written into the binary file `out`; each transfers the payment's net amount
    (after a set-off against a debt), and the control sum is their total. A payment set off
    in full transfers nothing and is left out.

    The header states the number and the sum of the transfers before them, so the transfers
    are first written one by one into a temporary file, then the header (now that both are
    known), the transfers and the closing tags into `out`: memory does not grow with the
    number of transfers, and the header always matches them. The bytes are those of the
    whole document serialised by ElementTree. Nothing is written into `out` when it raises
    ValidationError.
    """
    if payroll.status != PayrollStatus.APPROVED:
        raise ValidationError(
            _("The bank file is made from an approved payroll only; the head approves it first.")
        )
    message_id = f"GOPS-LW-{payroll.month:%Y-%m}-{payroll.pk}"
    created = timezone.localtime()
    count, total = 0, Decimal("0.00")
    labels = _polish_benefit_labels()
    # Only what is still to be paid: a returned transfer is paid again on a later payroll,
    # so re-importing this file must not pay it twice.
    payments = payroll_payments(payroll=payroll, method=PaymentMethod.BANK_TRANSFER).filter(
        status=PaymentStatus.PENDING, net_amount__gt=0
    )
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES) as transfers:
        for payment in payments.iterator(chunk_size=2000):
            transfers.write(ET.tostring(_transfer(payment, labels), encoding="utf-8"))
            count += 1
            total += payment.net_amount
        if count == 0:
            raise ValidationError(_("The payroll has no bank transfers."))
        document = _bank_file_document(
            payroll, message_id=message_id, created=created, count=count, total=total
        )
        head = ET.tostring(document, encoding="utf-8")
        assert head.endswith(_BANK_FILE_END), head[-100:]
        # The declaration in double quotes, as the banks' own samples write it.
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(head[: -len(_BANK_FILE_END)])
        transfers.seek(0)
        shutil.copyfileobj(transfers, out)
        out.write(_BANK_FILE_END)


# --- Cash payout list (PDF) ------------------------------------------------------------------


def _identity(person) -> str:
    """PESEL, or for a person without one the identity document the cashier checks."""
    if person.pesel:
        return f"PESEL {person.pesel}"
    if person.id_document_number:
        return f"{person.get_id_document_type_display()} {person.id_document_number}".strip()
    return ""


def cash_list_payments(payroll: Payroll) -> QuerySet[Payment]:
    """The rows of the cash list, in the order the cashier finds the payees."""
    return (
        payroll_payments(payroll=payroll, method=PaymentMethod.CASH)
        .filter(net_amount__gt=0)
        .order_by("person__surnames", "person__first_names", "pk")
    )


def payroll_cash_list_pdf(
    payroll: Payroll, out: BinaryIO, progress: Callable[[int, int], None] | None = None
) -> None:
    """Lista wypłat gotówkowych, written into the binary file `out`: one row per cash payment
    with columns for the receiver's signature and the date, the total, and signature lines.
    The cashier pays the net amount (after a set-off against a debt, which the row shows); a
    payment set off in full pays nothing and is left out. A payroll not approved yet is
    printed marked as a draft that is no ground for paying out.

    WeasyPrint lays out the whole document in memory, so a long list is made by a background
    job (jobs.py), which passes `progress`: rows read, then the PDF written.
    """
    from weasyprint import HTML

    payments = cash_list_payments(payroll)
    steps = payments.count() + 1 if progress else 0
    labels = _polish_benefit_labels()
    with translation.override("pl"):
        rows, total = [], Decimal("0.00")
        for number, payment in enumerate(payments.iterator(chunk_size=2000), start=1):
            if progress:
                progress(number, steps)
            person = payment.person
            rows.append(
                {
                    "number": number,
                    "name": f"{person.surnames} {person.first_names}",
                    "payee": payment.payee_name,
                    "identity": _identity(person),
                    "title": _title(payment, labels),
                    "amount": payment.amount,
                    "deduction": payment.deduction,
                    "net_amount": payment.net_amount,
                }
            )
            total += payment.net_amount
        html = render_to_string(
            "payments/cash_list_pdf.html",
            {
                "payroll": payroll,
                "number": payroll_number(payroll),
                "centre": payroll.centre,
                "rows": rows,
                "total": total,
                "total_words": amount_in_words(total),
                "approved": payroll.status == PayrollStatus.APPROVED,
                "printed_on": timezone.localdate(),
            },
        )
    HTML(string=html).write_pdf(out)
    if progress:
        progress(steps, steps)


# --- XLSX for the accounts -------------------------------------------------------------------

_XLSX_MONEY = "#,##0.00"
# Column widths in characters, in the order of the headings.
_XLSX_WIDTHS = (10, 10, 32, 13, 18, 30, 22, 30, 34, 13, 13, 13, 18)


def payroll_xlsx(payroll: Payroll, out: BinaryIO) -> None:
    """The payroll as a sheet for the accounts, written into the binary file `out`: one row
    per payment and a total row: the amount, what was set off against a debt, and the net
    amount paid out.

    Written in openpyxl's write-only mode, which streams rows to a temporary file, and saved
    into `out`: memory does not grow with the number of payments. The month column is the
    month the benefit is for (a transfer the bank returned is paid again on a later payroll).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"{payroll.month:%Y-%m}")
    for index, width in enumerate(_XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"

    bold = Font(bold=True)

    def cell(value, *, money: bool = False, strong: bool = False) -> WriteOnlyCell:
        made = WriteOnlyCell(sheet, value=value)
        if money:
            made.number_format = _XLSX_MONEY
        if strong:
            made.font = bold
        return made

    # The field names of the models, so the sheet speaks as the pages do.
    headings = [
        _("month"),
        _("payment"),
        _("person"),
        _("PESEL"),
        _("decision"),
        _("benefit"),
        _("payment method"),
        _("payee"),
        _("bank account (IBAN)"),
        _("amount"),
        _("set off against a debt"),
        _("net amount"),
        _("status"),
    ]
    sheet.append([cell(capfirst(h), strong=True) for h in headings])
    totals = [Decimal("0.00")] * 3
    for payment in payroll_payments(payroll=payroll).iterator(chunk_size=2000):
        amounts = (payment.amount, payment.deduction, payment.net_amount)
        decision = payment.item.decision
        sheet.append(
            [
                f"{payment.item.month:%Y-%m}",
                payment.pk,
                payment.person.full_name,
                payment.person.pesel or "",
                decision.number,
                _benefit_label(decision.benefit),
                payment.get_method_display(),
                payment.payee_name,
                iban.format(payment.bank_account) if payment.bank_account else "",
                *(cell(amount, money=True) for amount in amounts),
                payment.get_status_display(),
            ]
        )
        totals = [total + amount for total, amount in zip(totals, amounts, strict=True)]
    sheet.append(
        [cell(_("Total"), strong=True)]
        + [None] * 8
        + [cell(total, money=True, strong=True) for total in totals]
    )
    workbook.save(out)


# --- Downloads -------------------------------------------------------------------------------


def payroll_file_response(
    write: Callable[[Payroll, BinaryIO], None],
    payroll: Payroll,
    *,
    filename: str,
    content_type: str,
) -> FileResponse:
    """The file `write` makes of `payroll`, as a download streamed in blocks.

    The whole file is written before the response starts, so a ValidationError it raises
    reaches the caller (a page shows it, the API answers 422); it is written into a temporary
    file that stays in memory while small and is closed when the response has been sent.
    """
    # Not a `with`: the response closes the file once it has been sent.
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115
    try:
        write(payroll, out)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return FileResponse(out, as_attachment=True, filename=filename, content_type=content_type)
