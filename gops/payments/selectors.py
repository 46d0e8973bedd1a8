"""Permission-checked reads of payrolls and payments, and the rows of a payroll.

A payroll lists the payees of the whole centre, so only finance and the head (who hold
``payments.view_payroll`` / ``payments.view_payment``) see them; anyone else gets a 404 that
does not reveal whether the object exists.
"""

from django.db.models import QuerySet
from django.http import Http404

from gops.accounts.models import User

from .models import Payment, Payroll


def payroll_queryset_for_user(*, user: User) -> QuerySet[Payroll]:
    """The payrolls of the user's centre, if the user may read payrolls at all."""
    if not user.is_authenticated or not user.has_perm("payments.view_payroll"):
        return Payroll.objects.none()
    return Payroll.objects.filter(centre_id=user.centre_id)


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


def payroll_payments(*, payroll: Payroll, method: str | None = None) -> QuerySet[Payment]:
    """The payments of a payroll (fetched for the user beforehand) with the person and the
    decision each pays, in a stable order; `method` keeps one payment method only."""
    qs = payroll.payments.select_related("person", "item__decision")
    if method is not None:
        qs = qs.filter(method=method)
    return qs.order_by("pk")
