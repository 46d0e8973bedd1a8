"""MRPiPS-03 as CSV (a direct download) and XLSX (a background job, gops/reports/jobs.py).

The XLSX is written in openpyxl's write-only mode, which streams rows to a temporary file:
memory does not grow with the number of payments on the second sheet.
"""

import csv
from collections.abc import Callable, Iterable
from datetime import date
from typing import BinaryIO

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from gops.cases.models import AssistanceReason, BenefitKind

from . import rules

TASK_LABELS = {
    rules.OWN: gettext_lazy("own tasks"),
    rules.COMMISSIONED: gettext_lazy("commissioned tasks"),
}
MEASURE_LABELS = {
    "persons": gettext_lazy("persons granted a benefit by decision"),
    "benefits": gettext_lazy("number of benefits"),
    "amount": gettext_lazy("amount paid (zł)"),
    "families": gettext_lazy("families"),
    "persons_in_families": gettext_lazy("persons in families"),
}
_MONEY = "#,##0.00"


def benefit_label(code: str) -> str:
    label = str(BenefitKind(code).label) if code in BenefitKind.values else code
    return capfirst(label)


def task_label(code: str) -> str:
    return str(TASK_LABELS.get(code, code))


def reason_label(code: str) -> str:
    label = str(AssistanceReason(code).label) if code in AssistanceReason.values else code
    return capfirst(label)


def period_label(year: int, half: int | None) -> str:
    if half is None:
        return _("year %(year)s") % {"year": year}
    return _("half %(half)s of %(year)s") % {"half": half, "year": year}


def file_stem(year: int, half: int | None) -> str:
    return f"mrpips-03-{year}" + (f"-h{half}" if half else "")


def _headings() -> list[str]:
    return [capfirst(_("benefit")), capfirst(_("task"))] + [
        capfirst(str(MEASURE_LABELS[m])) for m in rules.MEASURES
    ]


def _row_values(row: rules.ReportRow) -> list:
    return [
        benefit_label(row.benefit) if row.benefit else _("Total"),
        task_label(row.task) if row.task else "",
        row.persons,
        row.benefits,
        row.amount,
        row.families,
        row.persons_in_families,
    ]


def write_csv(out, report: rules.Report) -> None:
    """The report as CSV into the text stream `out`: the rows and total, then the reasons."""
    writer = csv.writer(out)
    writer.writerow(_headings())
    for row in [*report.rows, report.total]:
        values = _row_values(row)
        values[4] = f"{row.amount:.2f}"
        writer.writerow(values)
    writer.writerow([])
    writer.writerow(
        [
            capfirst(_("reason of the difficult situation (u.p.s. art. 7)")),
            capfirst(str(MEASURE_LABELS["families"])),
            capfirst(str(MEASURE_LABELS["persons_in_families"])),
        ]
    )
    for reason in report.reasons:
        writer.writerow([reason_label(reason.reason), reason.families, reason.persons_in_families])


def write_xlsx(
    out: BinaryIO,
    *,
    report: rules.Report,
    payments: Iterable[rules.PaymentRow],
    payment_total: int,
    year: int,
    half: int | None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> None:
    """The report sheet, the reasons, and a sheet with every payment behind the report."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def cell(sheet, value, *, money=False, strong=False) -> WriteOnlyCell:
        made = WriteOnlyCell(sheet, value=value)
        if money:
            made.number_format = _MONEY
        if strong:
            made.font = bold
        return made

    sheet = workbook.create_sheet(title="MRPiPS-03")
    for index, width in enumerate((40, 20, 16, 14, 16, 12, 14), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([cell(sheet, f"MRPiPS-03 — {period_label(year, half)}", strong=True)])
    sheet.append([cell(sheet, h, strong=True) for h in _headings()])
    for row in [*report.rows, report.total]:
        values = _row_values(row)
        strong = not row.benefit
        sheet.append([cell(sheet, v, money=(i == 4), strong=strong) for i, v in enumerate(values)])
    sheet.append([])
    sheet.append(
        [
            cell(
                sheet, capfirst(_("reason of the difficult situation (u.p.s. art. 7)")), strong=True
            ),
            cell(sheet, capfirst(str(MEASURE_LABELS["families"])), strong=True),
            cell(sheet, capfirst(str(MEASURE_LABELS["persons_in_families"])), strong=True),
        ]
    )
    for reason in report.reasons:
        sheet.append([reason_label(reason.reason), reason.families, reason.persons_in_families])

    detail = workbook.create_sheet(title=_("Payments")[:31])
    for index, width in enumerate((10, 32, 18, 30, 18, 10, 12, 13, 10), start=1):
        detail.column_dimensions[get_column_letter(index)].width = width
    detail.freeze_panes = "A2"
    detail.append(
        [
            cell(detail, capfirst(h), strong=True)
            for h in (
                _("payment"),
                _("person"),
                _("decision"),
                _("benefit"),
                _("task"),
                _("month"),
                _("paid on"),
                _("amount"),
                _("household"),
            )
        ]
    )
    for done, payment in enumerate(payments, start=1):
        detail.append(
            [
                payment.payment_id,
                payment.person_name,
                payment.decision_number,
                benefit_label(payment.benefit),
                task_label(payment.task),
                f"{payment.month:%Y-%m}",
                payment.paid_on if isinstance(payment.paid_on, date) else None,
                cell(detail, payment.amount, money=True),
                payment.household_id,
            ]
        )
        progress(done, max(payment_total, done))
    workbook.save(out)
