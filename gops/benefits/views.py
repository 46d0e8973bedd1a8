"""Pages of decisions: drafting, signing, PDF, service, appeals, hours of care services; and
the deadlines page."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gops.audit.services import audit_record_view
from gops.cases.models import BenefitKind
from gops.cases.selectors import application_can_write, application_get_for_user, case_deadlines
from gops.core.errors import VersionConflict
from gops.core.forms import form_add_validation_error

from . import rules, selectors, services
from .forms import (
    AppealForm,
    AppealForwardForm,
    AppealOutcomeForm,
    CareHoursForm,
    DecisionChangeForm,
    DecisionEditForm,
    DecisionForm,
    ServeForm,
)
from .models import DecisionKind, DecisionStatus


@login_required
def application_panel(request, application_pk: int):
    """htmx: the decisions of an application, shown on the application's page."""
    application = application_get_for_user(user=request.user, application_id=application_pk)
    decisions = selectors.decision_queryset_for_user(user=request.user).filter(
        application=application
    )
    return render(
        request,
        "benefits/_application_panel.html",
        {
            "application": application,
            "decisions": decisions,
            "can_draft": request.user.has_perm("benefits.add_decision")
            and application_can_write(user=request.user, application=application)
            and application.status in ("interview_done", "decision_drafted", "decision_issued")
            and bool(selectors.benefits_without_decision(application=application)),
        },
    )


@login_required
@permission_required("benefits.add_decision", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_create(request, application_pk: int):
    application = application_get_for_user(
        user=request.user, application_id=application_pk, for_write=True
    )
    form = DecisionForm(
        request.POST or None,
        benefits=selectors.benefits_without_decision(application=application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_draft(
                actor=request.user, application=application, **form.service_data()
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The decision has been drafted. Check it before signing."))
            return redirect(decision)
    return render(
        request, "benefits/decision_form.html", {"form": form, "application": application}
    )


@login_required
def decision_detail(request, pk: int):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=pk)
    audit_record_view(actor=request.user, instance=decision, person_id=decision.person_id)
    today = timezone.localdate()
    return render(
        request,
        "benefits/decision_detail.html",
        {
            "decision": decision,
            "appeals": decision.appeals.all(),
            "may_sign": services.may_sign(request.user),
            "serve_form": ServeForm(initial={"served_on": today}),
            "appeal_form": AppealForm(initial={"lodged_on": today}),
            "forward_form": AppealForwardForm(initial={"forwarded_on": today}),
            "outcome_form": AppealOutcomeForm(initial={"outcome_on": today}),
            "care": _care_context(decision, today),
            "care_fee_per_hour": _care_fee_per_hour(decision),
        },
    )


@login_required
@permission_required("benefits.change_decision", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk: int):
    """A draft's reasoning, payment and scope of help, saved over the version loaded only."""
    decision = selectors.decision_get_for_user(user=request.user, decision_id=pk)
    if decision.status != DecisionStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect(decision)
    form = DecisionEditForm(
        request.POST or None,
        instance=decision,
        editable=services.decision_editable_fields(decision),
    )
    context = {"form": form, "decision": decision}
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(
                actor=request.user,
                decision=decision,
                data=form.service_data(),
                expected_version=form.loaded_version(),
                seen=form.seen_values(),
            )
        except VersionConflict as exc:
            # As for a person: show what changed, keep the user's entries, take the new version.
            current = selectors.decision_get_for_user(user=request.user, decision_id=pk)
            context["form"] = form.reloaded(current)
            context["conflict"] = exc
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(decision)
    return render(request, "benefits/decision_edit.html", context)


def _care_context(decision, today) -> dict | None:
    """The months of care delivered under an issued decision granting care services."""
    if not (
        decision.benefit == BenefitKind.CARE_SERVICES
        and decision.kind == DecisionKind.GRANTING
        and decision.status == DecisionStatus.ISSUED
    ):
        return None
    return {
        "months": selectors.care_months_for_decision(decision=decision),
        "totals": selectors.care_months_totals(decision=decision),
        "form": CareHoursForm(decision=decision, today=today),
    }


def _care_fee_per_hour(decision):
    if decision.care_fee_percent is None or decision.care_hourly_cost is None:
        return None
    return rules.care_fee_owed(
        hours=Decimal(1),
        hourly_cost=decision.care_hourly_cost,
        fee_percent=decision.care_fee_percent,
    )


def _act(request, pk: int, action, form_class=None, success: str = ""):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(decision)
    try:
        action(decision, **(form.cleaned_data if form else {}))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except VersionConflict as exc:
        changed = "; ".join(
            f"{c['label'].capitalize()}: {c['seen']} → {c['saved']}" for c in exc.changes
        )
        messages.error(request, f"{exc} {changed}".strip())
    else:
        messages.success(request, success)
    return redirect(decision)


@login_required
@require_POST
def decision_issue(request, pk: int):
    version = request.POST.get("version", "")
    return _act(
        request,
        pk,
        lambda d: services.decision_issue(
            actor=request.user,
            decision=d,
            # The version of the draft shown when the signer pressed the button.
            expected_version=int(version) if version.isdigit() else None,
        ),
        success=_("The decision has been signed and issued."),
    )


@login_required
@require_POST
def decision_discard(request, pk: int):
    return _act(
        request,
        pk,
        lambda d: services.decision_discard(actor=request.user, decision=d),
        success=_("The draft has been discarded."),
    )


@login_required
@require_POST
def decision_serve(request, pk: int):
    return _act(
        request,
        pk,
        lambda d, served_on: services.decision_serve(
            actor=request.user, decision=d, served_on=served_on
        ),
        ServeForm,
        success=_("The date of service has been recorded."),
    )


@login_required
@require_POST
def appeal_lodge(request, pk: int):
    return _act(
        request,
        pk,
        lambda d, **data: services.appeal_lodge(actor=request.user, decision=d, **data),
        AppealForm,
        success=_("The appeal has been recorded."),
    )


@login_required
@require_POST
def appeal_forward(request, pk: int, appeal_pk: int):
    return _act(
        request,
        pk,
        lambda d, **data: services.appeal_forward(
            actor=request.user, appeal=get_object_or_404(d.appeals, pk=appeal_pk), **data
        ),
        AppealForwardForm,
        success=_("The appeal has been forwarded to the appeal board."),
    )


@login_required
@require_POST
def appeal_decide(request, pk: int, appeal_pk: int):
    return _act(
        request,
        pk,
        lambda d, **data: services.appeal_decide(
            actor=request.user, appeal=get_object_or_404(d.appeals, pk=appeal_pk), **data
        ),
        AppealOutcomeForm,
        success=_("The outcome of the appeal has been recorded."),
    )


@login_required
@require_POST
def care_hours_record(request, pk: int):
    """Record the hours of care delivered in a month and the fee owed (u.p.s. art. 50)."""
    decision = selectors.decision_get_for_user(user=request.user, decision_id=pk)
    form = CareHoursForm(request.POST, decision=decision, today=timezone.localdate())
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(decision)
    try:
        record = services.care_hours_record(
            actor=request.user,
            decision=decision,
            month=form.cleaned_data["month"],
            hours=form.cleaned_data["hours"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Recorded for %(month)s: %(hours)s h; fee owed %(fee)s zł.")
            % {
                "month": date_format(record.month, "YEAR_MONTH_FORMAT"),
                "hours": number_format(record.hours_delivered, 1),
                "fee": number_format(record.fee_owed, 2),
            },
        )
    return redirect(decision)


@login_required
@permission_required("benefits.add_decision", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_change(request, pk: int):
    """Draft an amending, revoking or suspending decision for an issued one."""
    decision = selectors.decision_get_for_user(user=request.user, decision_id=pk)
    form = DecisionChangeForm(
        request.POST or None, initial={"effective_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = services.decision_change_draft(
                actor=request.user, decision=decision, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The change has been drafted. Check it before signing."))
            return redirect(change)
    return render(
        request, "benefits/decision_change_form.html", {"form": form, "decision": decision}
    )


@login_required
@permission_required("benefits.view_decision", raise_exception=True)
def decision_register(request):
    """Rejestr decyzji: the year's issued decisions in the order of their numbers."""
    try:
        year = int(request.GET.get("rok", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    decisions = (
        selectors.decision_queryset_for_user(user=request.user)
        # An issued decision always has its number; saying so lets the database walk the
        # numbering index (decision_unique_number is partial on it) in the register's order.
        .filter(status="issued", year=year, sequence__isnull=False)
        .select_related("person", "signed_by", "application")
        .order_by("sequence")
    )
    page = Paginator(decisions, 50).get_page(request.GET.get("page"))
    return render(request, "benefits/decision_register.html", {"page": page, "year": year})


@login_required
def decision_pdf(request, pk: int):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=pk)
    if not decision.pdf:
        messages.error(request, _("A PDF exists only for an issued decision."))
        return redirect(decision)
    audit_record_view(actor=request.user, instance=decision, person_id=decision.person_id)
    response = HttpResponse(bytes(decision.pdf), content_type="application/pdf")
    filename = decision.number.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="decyzja-{filename}.pdf"'
    return response


@login_required
@permission_required("cases.view_application", raise_exception=True)
def deadlines(request):
    """Overdue and soon-due interviews, decisions and appeal periods: mine, or (head) all."""
    everyone = request.user.has_perm("cases.view_all_applications") and (
        request.GET.get("all") == "1"
    )
    today = timezone.localdate()
    items = case_deadlines(user=request.user, today=today, everyone=everyone)
    appeals = selectors.appeal_deadlines(user=request.user, everyone=everyone)
    return render(
        request,
        "benefits/deadlines.html",
        {"items": items, "appeals": appeals, "today": today, "everyone": everyone},
    )
