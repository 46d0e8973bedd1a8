"""Pages of finance: the budget, the budget panel on a drafted decision, debts of undue
benefits (repayment decisions, repayments, waivers) and health insurance contributions."""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gops.audit.services import audit_record_view
from gops.benefits.models import DecisionStatus
from gops.benefits.selectors import decision_get_for_user
from gops.core.forms import form_add_validation_error
from gops.people.selectors import person_get_for_user

from . import selectors_finance, services
from .forms_finance import (
    BudgetLineForm,
    DebtForm,
    MonthForm,
    RepaymentForm,
    WaiverForm,
    YearForm,
)
from .models import DebtStatus, Difference


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- Budget ---------------------------------------------------------------------------------


@login_required
@permission_required("payments.view_budget", raise_exception=True)
@require_http_methods(["GET", "POST"])
def budget_overview(request):
    today = timezone.localdate()
    year_form = YearForm(request.GET or None)
    year = year_form.cleaned_data["year"] if year_form.is_valid() else today.year
    form = BudgetLineForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The budget line has been saved."))
            return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    rows = selectors_finance.budget_overview(centre=request.user.centre, year=year)
    return render(
        request,
        "payments/finance/budget_overview.html",
        {
            "year": year,
            "rows": rows,
            "form": form,
            "may_plan": request.user.has_perm("payments.add_budget")
            and request.user.has_perm("payments.change_budget"),
            "months": range(1, 13),
        },
    )


@login_required
def budget_panel(request, decision_pk: int):
    """htmx: on a drafted decision, a warning when it would exceed the remaining budget."""
    decision = decision_get_for_user(user=request.user, decision_id=decision_pk)
    warnings, remaining = [], []
    if decision.status == DecisionStatus.DRAFT:
        today = timezone.localdate()
        warnings = selectors_finance.decision_budget_warnings(decision=decision, today=today)
        for year, amount in sorted(
            selectors_finance.decision_commitment_by_year(decision=decision, today=today).items()
        ):
            remaining.append(
                {
                    "year": year,
                    "amount": amount,
                    "remaining": selectors_finance.budget_remaining(
                        centre=decision.centre, benefit=decision.benefit, year=year
                    ),
                }
            )
    return render(
        request,
        "payments/finance/_budget_panel.html",
        {"decision": decision, "warnings": warnings, "years": remaining},
    )


# --- Debts of undue benefits ----------------------------------------------------------------


@login_required
@permission_required("payments.view_debt", raise_exception=True)
def debt_list(request):
    status = request.GET.get("status", DebtStatus.OPEN)
    if status not in DebtStatus.values:
        status = ""
    debts = selectors_finance.debt_list(user=request.user, status=status or None)
    return render(
        request,
        "payments/finance/debt_list.html",
        {"debts": debts, "status": status, "statuses": DebtStatus.choices},
    )


@login_required
def debt_detail(request, pk: int):
    debt = selectors_finance.debt_get_for_user(user=request.user, debt_id=pk)
    audit_record_view(actor=request.user, instance=debt, person_id=debt.person_id)
    today = timezone.localdate()
    return render(
        request,
        "payments/finance/debt_detail.html",
        {
            "debt": debt,
            "instalments": debt.instalments.all(),
            "settlements": debt.settlements.select_related("payment", "recorded_by"),
            "differences": debt.differences.select_related("item"),
            "balance": selectors_finance.debt_balance_of(debt=debt),
            "person_balance": selectors_finance.debt_balance(person=debt.person, on=today),
            "repayment_form": RepaymentForm(initial={"on": today}),
            "waiver_form": WaiverForm(initial={"on": today}),
            "may_change": request.user.has_perm("payments.change_debt"),
        },
    )


@login_required
@permission_required("payments.add_debt", raise_exception=True)
@require_http_methods(["GET", "POST"])
def debt_create(request, person_pk: int):
    person = person_get_for_user(user=request.user, person_id=person_pk)
    differences = Difference.objects.filter(
        person=person, amount__lt=0, debts__isnull=True
    ).select_related("item", "changed_by")
    form = DebtForm(
        request.POST or None,
        decisions=selectors_finance.changed_decisions_of(person=person),
        differences=differences,
        initial={"issued_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            debt = services.debt_create(actor=request.user, person=person, **form.service_data())
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The repayment decision has been recorded."))
            return redirect(debt)
    return render(request, "payments/finance/debt_form.html", {"form": form, "person": person})


@login_required
@require_POST
def debt_repayment(request, pk: int):
    debt = selectors_finance.debt_get_for_user(user=request.user, debt_id=pk)
    form = RepaymentForm(request.POST)
    if form.is_valid():
        try:
            services.debt_repayment_record(actor=request.user, debt=debt, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The repayment has been recorded."))
    else:
        messages.error(request, _("Give the amount and the date of the repayment."))
    return redirect(debt)


@login_required
@require_POST
def debt_waive(request, pk: int):
    debt = selectors_finance.debt_get_for_user(user=request.user, debt_id=pk)
    form = WaiverForm(request.POST)
    if form.is_valid():
        try:
            services.debt_waive(actor=request.user, debt=debt, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The waiver has been recorded."))
    else:
        messages.error(request, _("Give the waiver decision's number, date and reason."))
    return redirect(debt)


@login_required
@require_POST
def debt_set_off(request, pk: int):
    debt = selectors_finance.debt_get_for_user(user=request.user, debt_id=pk)
    services.debt_set_off_set(
        actor=request.user, debt=debt, enabled=request.POST.get("enabled") == "1"
    )
    messages.success(request, _("The set-off has been changed."))
    return redirect(debt)


# --- Health insurance contributions ---------------------------------------------------------


def _month(request):
    form = MonthForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["month"].replace(day=1)
    return MonthForm(initial={"month": timezone.localdate().replace(day=1)}), (
        timezone.localdate().replace(day=1)
    )


@login_required
@permission_required("payments.view_payment", raise_exception=True)
def contributions(request):
    form, month = _month(request)
    rows = selectors_finance.health_contribution_list(centre=request.user.centre, month=month)
    return render(
        request,
        "payments/finance/contributions.html",
        {
            "form": form,
            "month": month,
            "rows": rows,
            "total_base": sum((r.allowance for r in rows), 0),
            "total": sum((r.contribution for r in rows), 0),
        },
    )


@login_required
@permission_required("payments.view_payment", raise_exception=True)
def contributions_csv(request):
    _form, month = _month(request)
    lines = selectors_finance.contributions_csv(centre=request.user.centre, month=month)
    # A byte order mark lets a spreadsheet read the Polish letters as UTF-8. Streamed: the
    # rows are read from the database in chunks while the response is sent.
    response = StreamingHttpResponse(
        itertools.chain(["\ufeff"], lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="skladki-zdrowotne-{month:%Y-%m}.csv"'
    return response
