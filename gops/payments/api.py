"""API of payrolls: generate the month's payroll, read it, approve it, download the bank file;
record the outcome of a payment. Same checks as the pages: finance prepares, the head
approves, nobody approves a payroll they prepared."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Router, Schema, Status

from gops.api.fields import IsoDate, ObjectId
from gops.api.idempotency import idempotent
from gops.audit.services import audit_record_view
from gops.benefits.forms import parse_month

from . import exports, selectors, services
from .models import Payment, Payroll

router = Router(tags=["payments"])


class PayrollIn(Schema):
    month: str = Field(description="the month, YYYY-MM", examples=["2025-07"])


class PayrollItemOut(Schema):
    payment_id: int
    person_id: int
    person_name: str
    payee_name: str = Field(description="a third party or other payee; empty: the person")
    decision_id: int
    month: str = Field(description="the month the benefit is for, YYYY-MM")
    amount: str = Field(description="the benefit in zł, e.g. 255.00")
    deduction: str = Field(description="set off against a debt (u.p.s. art. 104), e.g. 0.00")
    net_amount: str = Field(description="what the payee receives: amount less deduction")
    method: str = Field(description="bank_transfer, cash or third_party")
    bank_account: str
    status: str = Field(description="pending, paid, returned or not_collected")


class PayrollTotalOut(Schema):
    method: str
    count: int
    amount: str
    net_amount: str


class PayrollOut(Schema):
    id: int
    month: str = Field(description="YYYY-MM")
    status: str = Field(description="prepared or approved")
    prepared_by_id: int
    approved_by_id: int | None
    approved_at: datetime | None
    count: int
    total: str = Field(description="the sum of every payment's amount in zł, e.g. 1530.00")
    net_total: str = Field(description="the sum paid out, after deductions")
    totals: list[PayrollTotalOut] = Field(description="count and sum per payment method")
    items: list[PayrollItemOut]


class PaymentOutcomeIn(Schema):
    outcome: Literal["paid", "returned", "not_collected"]
    on: IsoDate | None = Field(
        None, description="the day paid, returned or given up; default today"
    )
    note: str = Field("", max_length=200)


class PaymentOut(Schema):
    id: int
    payroll_id: int | None
    person_id: int
    person_name: str
    amount: str
    deduction: str
    net_amount: str
    method: str
    bank_account: str
    status: str
    paid_on: date | None
    outcome_note: str
    recorded_by_id: int | None


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def payroll_out(payroll: Payroll) -> dict:
    items, totals = [], {}
    zero = Decimal("0.00")
    for payment in selectors.payroll_payments(payroll=payroll).iterator(chunk_size=2000):
        items.append(
            {
                "payment_id": payment.pk,
                "person_id": payment.person_id,
                "person_name": payment.person.full_name,
                "payee_name": payment.payee_name,
                "decision_id": payment.item.decision_id,
                "month": f"{payment.item.month:%Y-%m}",
                "amount": _money(payment.amount),
                "deduction": _money(payment.deduction),
                "net_amount": _money(payment.net_amount),
                "method": payment.method,
                "bank_account": payment.bank_account,
                "status": payment.status,
            }
        )
        count, amount, net = totals.get(payment.method, (0, zero, zero))
        totals[payment.method] = (count + 1, amount + payment.amount, net + payment.net_amount)
    return {
        "id": payroll.pk,
        "month": f"{payroll.month:%Y-%m}",
        "status": payroll.status,
        "prepared_by_id": payroll.prepared_by_id,
        "approved_by_id": payroll.approved_by_id,
        "approved_at": payroll.approved_at,
        "count": len(items),
        "total": _money(sum((amount for _c, amount, _n in totals.values()), zero)),
        "net_total": _money(sum((net for _c, _a, net in totals.values()), zero)),
        "totals": [
            {"method": method, "count": count, "amount": _money(amount), "net_amount": _money(net)}
            for method, (count, amount, net) in sorted(totals.items())
        ],
        "items": items,
    }


def payment_out(payment: Payment) -> dict:
    return {
        "id": payment.pk,
        "payroll_id": payment.payroll_id,
        "person_id": payment.person_id,
        "person_name": payment.person.full_name,
        "amount": _money(payment.amount),
        "deduction": _money(payment.deduction),
        "net_amount": _money(payment.net_amount),
        "method": payment.method,
        "bank_account": payment.bank_account,
        "status": payment.status,
        "paid_on": payment.paid_on,
        "outcome_note": payment.outcome_note,
        "recorded_by_id": payment.recorded_by_id,
    }


@router.post(
    "/payrolls",
    response={200: PayrollOut, 201: PayrollOut},
    summary="Generate the payroll of a month; 201 new, 200 it existed (items added since)",
)
@idempotent
def payroll_generate(request, payload: PayrollIn):
    """Idempotent: the month has one payroll, and generating it again adds only the items
    due since. Requests racing for a new month all get the same payroll id; each of them may
    then answer 201, since the status only says whether the payroll existed when the request
    looked. An approved payroll is locked: generating it again is refused (422)."""
    month = parse_month(payload.month)
    existed = selectors.payroll_queryset_for_user(user=request.user).filter(month=month).exists()
    payroll = services.payroll_generate(actor=request.user, month=month)
    payroll = selectors.payroll_get_for_user(user=request.user, payroll_id=payroll.pk)
    return Status(200 if existed else 201, payroll_out(payroll))


@router.get("/payrolls/{payroll_id}", response=PayrollOut, summary="A payroll with its payments")
def payroll_detail(request, payroll_id: ObjectId):
    payroll = selectors.payroll_get_for_user(user=request.user, payroll_id=payroll_id)
    audit_record_view(actor=request.user, instance=payroll)
    return payroll_out(payroll)


@router.post(
    "/payrolls/{payroll_id}/approve",
    response=PayrollOut,
    summary="Approve (and so lock) a payroll: the head, not its preparer",
)
def payroll_approve(request, payroll_id: ObjectId):
    payroll = selectors.payroll_get_for_user(user=request.user, payroll_id=payroll_id)
    services.payroll_approve(actor=request.user, payroll=payroll)
    payroll = selectors.payroll_get_for_user(user=request.user, payroll_id=payroll_id)
    return payroll_out(payroll)


@router.get(
    "/payrolls/{payroll_id}/bank-file",
    response={200: None},
    summary="The bank transfers of an approved payroll: ISO 20022 pain.001.001.03 XML",
)
def payroll_bank_file(request, payroll_id: ObjectId):
    payroll = selectors.payroll_get_for_user(user=request.user, payroll_id=payroll_id)
    response = exports.payroll_file_response(
        exports.payroll_bank_file,
        payroll,
        filename=f"przelewy-{payroll.month:%Y-%m}.xml",
        content_type="application/xml",
    )
    audit_record_view(actor=request.user, instance=payroll)
    return response


@router.post(
    "/payments/{payment_id}/outcome",
    response=PaymentOut,
    summary="Record a payment as paid, returned by the bank or not collected",
)
def payment_outcome(request, payment_id: ObjectId, payload: PaymentOutcomeIn):
    payment = selectors.payment_get_for_user(user=request.user, payment_id=payment_id)
    payment = services.payment_outcome_record(
        actor=request.user,
        payment=payment,
        outcome=payload.outcome,
        on=payload.on,
        note=payload.note,
    )
    return payment_out(payment)
