"""Permission-checked reads of payrolls and payments, and the rows of a payroll.

A payroll lists the payees of the whole centre, so only finance and the head (who hold
``payments.view_payroll`` / ``payments.view_payment``) see them; anyone else gets a 404 that
does not reveal whether the object exists.
"""

from collections.abc import Iterable

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from gops.accounts.models import User

from .models import Payment, Payroll


def payroll_queryset_for_user(*, user: User) -> QuerySet[Payroll]:
    """The payrolls of the user's centre, if the user may read payrolls at all."""
    if not user.is_authenticated or not user.has_perm("payments.view_payroll"):
        return Payroll.objects.none()
    return Payroll.objects.filter(centre_id=user.centre_id)


def payroll_list_for_user(*, user: User) -> QuerySet[Payroll]:
    """The user's payrolls for the list page, newest first; their figures: payroll_totals."""
    return (
        payroll_queryset_for_user(user=user).select_related("approved_by").order_by("-month", "-pk")
    )


def payroll_totals(*, payrolls: Iterable[Payroll]) -> list[Payroll]:
    """`payrolls` (one page of the list) with ``count`` and ``total`` of their payments set
    on each (0 and None for a payroll without payments).

    One grouped query over the payments of these payrolls only, found through the index on
    payment(payroll_id): annotating the centre's payroll queryset instead joins and sums every
    payment the centre ever made, 4.5 million in a large city (1.5 s, docs/performance.md).
    """
    payrolls = list(payrolls)
    figures = {
        row["payroll_id"]: row
        for row in Payment.objects.filter(payroll_id__in=[p.pk for p in payrolls])
        .order_by()
        .values("payroll_id")
        .annotate(total=Sum("amount"), count=Count("pk"))
    }
    for payroll in payrolls:
        row = figures.get(payroll.pk, {})
        payroll.count = row.get("count", 0)
        payroll.total = row.get("total")
    return payrolls


def payroll_get_for_user(*, user: User, payroll_id: int) -> Payroll:
    payroll = (
        payroll_queryset_for_user(user=user)
        .select_related("centre", "prepared_by", "approved_by")
        .filter(pk=payroll_id)
        .first()
    )
    if payroll is None:
        raise Http404
    return payroll


def payment_queryset_for_user(*, user: User) -> QuerySet[Payment]:
    """The payments of the user's centre, if the user may read payments at all."""
    if not user.is_authenticated or not user.has_perm("payments.view_payment"):
        return Payment.objects.none()
    return Payment.objects.filter(centre_id=user.centre_id)


def payment_get_for_user(*, user: User, payment_id: int) -> Payment:
    payment = (
        payment_queryset_for_user(user=user)
        .select_related("person", "payroll", "item")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        raise Http404
    return payment


# What a row of a payroll never shows of its decision: the stored PDF (about 15 KB) and the
# long texts would make each chunk of a city's payroll tens of megabytes.
_DECISION_UNUSED = ("pdf", "assessment", "ruling", "reasoning")


def payroll_payments(*, payroll: Payroll, method: str | None = None) -> QuerySet[Payment]:
    """The payments of a payroll (fetched for the user beforehand) with the person and the
    decision each pays, in a stable order; `method` keeps one payment method only."""
    qs = payroll.payments.select_related("person", "item__decision").defer(
        *(f"item__decision__{name}" for name in _DECISION_UNUSED)
    )
    if method is not None:
        qs = qs.filter(method=method)
    return qs.order_by("pk")
