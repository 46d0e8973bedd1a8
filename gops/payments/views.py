"""Pages of finance: payrolls (generate, review, approve, download), outcomes, urgent grants,
and the payments panels on a decision's and a person's page."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gops.audit.services import audit_record_view
from gops.benefits.selectors import decision_get_for_user
from gops.jobs.services import job_start
from gops.people.selectors import person_get_for_user

from . import exports, selectors, services
from .forms import AccountForm, OutcomeForm, PayrollGenerateForm
from .jobs import CASH_LIST_JOB
from .models import Payment, Payroll, ScheduleItem

PAYROLL_PAGE_SIZE = 100  # payments per page of a payroll


def _payroll(request, pk: int) -> Payroll:
    return selectors.payroll_get_for_user(user=request.user, payroll_id=pk)


@login_required
@permission_required("payments.view_payroll", raise_exception=True)
@require_http_methods(["GET", "POST"])
def payroll_list(request):
    form = PayrollGenerateForm(
        request.POST or None, initial={"month": timezone.localdate().replace(day=1)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            payroll = services.payroll_generate(
                actor=request.user, month=form.cleaned_data["month"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The payroll has been generated."))
            return redirect(payroll)
    # A page of payrolls, and the sums of their payments only (a city holds millions).
    page = Paginator(selectors.payroll_list_for_user(user=request.user), 12).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "payments/payroll_list.html",
        {"form": form, "payrolls": selectors.payroll_totals(payrolls=page), "page": page},
    )


@login_required
def payroll_detail(request, pk: int):
    payroll = _payroll(request, pk)
    audit_record_view(actor=request.user, instance=payroll)
    # A large city's payroll holds tens of thousands of payments: shown a page at a time
    # (the bank file, cash list and XLSX hold them all).
    page = Paginator(
        selectors.payroll_payments(payroll=payroll).order_by("method", "pk"),
        PAYROLL_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    # One row per method: the list's ordering by pk must not reach the GROUP BY.
    totals = list(
        payroll.payments.order_by("method")
        .values("method")
        .annotate(total=Sum("amount"), count=Count("id"))
    )
    return render(
        request,
        "payments/payroll_detail.html",
        {
            "payroll": payroll,
            "payments": page,
            "page": page,
            "totals": totals,
            "grand_total": sum((t["total"] for t in totals), Decimal("0.00")),
            "may_approve": request.user.has_perm("payments.approve_payroll")
            and payroll.prepared_by_id != request.user.pk,
            "outcome_form": OutcomeForm(initial={"on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def payroll_approve(request, pk: int):
    payroll = _payroll(request, pk)
    try:
        services.payroll_approve(actor=request.user, payroll=payroll)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The payroll has been approved and locked."))
    return redirect(payroll)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def payroll_bank_file(request, pk: int):
    payroll = _payroll(request, pk)
    audit_record_view(actor=request.user, instance=payroll)
    try:
        return exports.payroll_file_response(
            exports.payroll_bank_file,
            payroll,
            filename=f"przelewy-{payroll.month:%Y-%m}.xml",
            content_type="application/xml",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(payroll)


@login_required
@require_http_methods(["GET", "POST"])
def payroll_cash_list(request, pk: int):
    """The cash list as a PDF; a long one (more rows than the setting
    PAYROLL_CASH_LIST_INLINE_ROWS) is made by a background job, which a POST starts."""
    payroll = _payroll(request, pk)
    if request.method == "POST":
        job = job_start(
            actor=request.user,
            kind=CASH_LIST_JOB,
            params={"payroll_id": payroll.pk},
            title=_("Cash list %(number)s") % {"number": exports.payroll_number(payroll)},
        )
        return redirect(job)
    rows = exports.cash_list_payments(payroll).count()
    if rows > settings.PAYROLL_CASH_LIST_INLINE_ROWS:
        return render(
            request,
            "payments/cash_list_job.html",
            {"payroll": payroll, "number": exports.payroll_number(payroll), "rows": rows},
        )
    audit_record_view(actor=request.user, instance=payroll)
    return exports.payroll_file_response(
        exports.payroll_cash_list_pdf,
        payroll,
        filename=f"lista-kasowa-{payroll.month:%Y-%m}.pdf",
        content_type="application/pdf",
    )


@login_required
def payroll_xlsx(request, pk: int):
    payroll = _payroll(request, pk)
    audit_record_view(actor=request.user, instance=payroll)
    return exports.payroll_file_response(
        exports.payroll_xlsx,
        payroll,
        filename=f"lista-wyplat-{payroll.month:%Y-%m}.xlsx",
        content_type=XLSX,
    )


@login_required
@require_POST
def payment_outcome(request, pk: int):
    payment = selectors.payment_get_for_user(user=request.user, payment_id=pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.payment_outcome_record(
                actor=request.user, payment=payment, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The outcome has been recorded."))
    else:
        messages.error(request, _("Choose the outcome and its date."))
    return redirect(payment.payroll or "payments:payroll_list")


@login_required
@require_POST
def item_correct_account(request, pk: int):
    if not request.user.has_perm("payments.change_payment"):
        raise Http404
    item = get_object_or_404(ScheduleItem, pk=pk, centre_id=request.user.centre_id)
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_item_correct_account(
                actor=request.user, item=item, bank_account=form.cleaned_data["bank_account"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The account has been corrected; the next payroll pays it.")
            )
    return redirect("payments:person_history", person_pk=item.person_id)


@login_required
def decision_panel(request, decision_pk: int):
    """htmx: the schedule and payments of a decision, on the decision's page."""
    decision = decision_get_for_user(user=request.user, decision_id=decision_pk)
    items = (
        ScheduleItem.objects.filter(decision=decision)
        .prefetch_related("payments")
        .order_by("month")
    )
    return render(
        request,
        "payments/_decision_panel.html",
        {
            "decision": decision,
            "items": items,
            "may_pay_now": request.user.has_perm("payments.add_payment")
            and decision.status == "issued"
            and decision.kind in ("granting", "amending")
            and decision.benefit not in ("permanent", "periodic")
            and decision.amount,
        },
    )


@login_required
@require_POST
def urgent_payment(request, decision_pk: int):
    decision = decision_get_for_user(user=request.user, decision_id=decision_pk)
    try:
        services.urgent_payment_make(actor=request.user, decision=decision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Paid today, outside the monthly payroll."))
    return redirect(decision)


@login_required
@permission_required("payments.view_payment", raise_exception=True)
def person_history(request, person_pk: int):
    """A payee's payment history."""
    person = person_get_for_user(user=request.user, person_id=person_pk)
    audit_record_view(actor=request.user, instance=person, person_id=person.pk)
    payments = (
        Payment.objects.filter(person=person)
        .select_related("item__decision", "payroll")
        .order_by("-item__month", "-pk")
    )
    return render(
        request,
        "payments/person_history.html",
        {
            "person": person,
            "payments": payments,
            "account_form": AccountForm(),
        },
    )


@login_required
def person_panel(request, person_pk: int):
    """htmx: the person's recent payments, on the person's page."""
    person = person_get_for_user(user=request.user, person_id=person_pk)
    payments = []
    if request.user.has_perm("payments.view_payment"):
        payments = list(
            Payment.objects.filter(person=person)
            .select_related("item__decision")
            .order_by("-item__month", "-pk")[:12]
        )
    return render(request, "payments/_person_panel.html", {"person": person, "payments": payments})
