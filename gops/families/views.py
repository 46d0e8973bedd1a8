"""Pages of families: parse, call one service or selector, render.

Whoever may not see a family gets 404 on every page of it, never 403: the lists show them
nothing, and the household panel is an empty fragment.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gops.audit.services import audit_record_view
from gops.core.forms import form_add_validation_error
from gops.people.selectors import household_get_for_user

from . import forms, selectors, services
from .models import ChildcareSupport, PlanStep, SupportStatus


def _support(request, pk: int):
    return selectors.family_support_get_for_user(user=request.user, support_id=pk)


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _form_page(request, *, support, form, title: str, submit: str, intro: str = "", **extra):
    return render(
        request,
        "families/form.html",
        {"support": support, "form": form, "title": title, "submit": submit, "intro": intro}
        | extra,
    )


@login_required
def support_list(request):
    """My families (assistant), the families of my cases (social worker), or all of them with
    every assistant's caseload (head)."""
    user = request.user
    if not user.has_perm("families.view_familysupport"):
        raise Http404
    today = timezone.localdate()
    supports = list(selectors.family_support_list_for_user(user=user, today=today))
    for support in supports:
        if support.status != SupportStatus.ACTIVE:
            support.overdue_steps = 0
        support.assessment_overdue = support.status == SupportStatus.ACTIVE and (
            support.assessment_due is not None and support.assessment_due < today
        )
    limit = services.caseload_limit()
    return render(
        request,
        "families/support_list.html",
        {
            "active": [s for s in supports if s.status == SupportStatus.ACTIVE],
            "monitoring": [s for s in supports if s.status == SupportStatus.MONITORING],
            "closed": [s for s in supports if s.status == SupportStatus.CLOSED],
            "my_caseload": selectors.assistant_caseload(assistant=user),
            # The assistant's own caseload; the head sees every assistant's instead.
            "show_my_caseload": user.has_perm("families.change_familysupport")
            and not user.has_perm("families.view_all_familysupports"),
            "caseloads": selectors.assistant_caseloads(user=user),
            "limit": limit,
            "today": today,
        },
    )


@login_required
def support_detail(request, pk: int):
    support = _support(request, pk)
    audit_record_view(actor=request.user, instance=support, household_id=support.household_id)
    today = timezone.localdate()
    return render(
        request,
        "families/support_detail.html",
        selectors.family_support_file(support=support, today=today)
        | {"today": today, "is_open": support.status != SupportStatus.CLOSED},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_update(request, pk: int):
    """The plan's agreement with the family and the social worker, and its notes."""
    support = _support(request, pk)
    _require(request, "families.change_familyworkplan")
    plan = getattr(support, "plan", None)
    initial = {f: getattr(plan, f) for f in services.PLAN_FIELDS} if plan else {}
    form = forms.PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_plan_update(actor=request.user, support=support, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The plan of work has been saved."))
            return redirect(support)
    return _form_page(
        request,
        support=support,
        form=form,
        title=_("Plan of work with the family"),
        submit=_("Save the plan"),
        intro=_("The plan is agreed with the family and the family's social worker."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_add(request, pk: int):
    support = _support(request, pk)
    _require(request, "families.add_planstep")
    form = forms.StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_step_add(actor=request.user, support=support, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The step has been added to the plan."))
            return redirect(support)
    return _form_page(
        request,
        support=support,
        form=form,
        title=_("Add a step to the plan"),
        submit=_("Add the step"),
        intro=_("Each step has a goal, an action, a deadline and an expected effect."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_update(request, pk: int, step_pk: int):
    support = _support(request, pk)
    _require(request, "families.change_planstep")
    step = PlanStep.objects.filter(plan__support=support, pk=step_pk).first()
    if step is None:
        raise Http404
    form = forms.StepUpdateForm(
        request.POST or None,
        initial={"status": step.status, "completed_on": step.completed_on, "outcome": step.outcome},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_step_update(actor=request.user, step=step, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The step has been updated."))
            return redirect(support)
    return _form_page(
        request,
        support=support,
        form=form,
        title=_("Step: %(goal)s") % {"goal": step.goal},
        submit=_("Save"),
        intro=_("Deadline: %(deadline)s. Expected effect: %(effect)s")
        % {"deadline": step.deadline.isoformat(), "effect": step.expected_effect},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_add(request, pk: int):
    """Log a visit or another contact with the family."""
    support = _support(request, pk)
    _require(request, "families.add_familycontact")
    initial = {"happened_on": timezone.localdate()}
    if support.status == SupportStatus.MONITORING:
        initial["kind"] = "monitoring"
    form = forms.ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_record(actor=request.user, support=support, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The contact has been logged."))
            return redirect(support)
    return _form_page(
        request, support=support, form=form, title=_("Log a contact"), submit=_("Log the contact")
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_record(request, pk: int):
    """The half-yearly assessment of the family's situation; the next one is scheduled."""
    support = _support(request, pk)
    _require(request, "families.change_familyassessment")
    pending = selectors.pending_assessment(support=support)
    form = forms.AssessmentForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(actor=request.user, support=support, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(
                request, _("The assessment has been recorded; the next one is scheduled.")
            )
            return redirect(support)
    intro = (
        _("Due on %(due)s.") % {"due": pending.due_on.isoformat()} if pending is not None else ""
    )
    return _form_page(
        request,
        support=support,
        form=form,
        title=_("Assessment of the family's situation"),
        submit=_("Record the assessment"),
        intro=intro,
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_save(request, pk: int):
    """Record a child of the family: nursery or school and special needs."""
    support = _support(request, pk)
    _require(request, "families.add_childprofile")
    children = selectors.household_children(household=support.household)
    form = forms.ChildForm(
        request.POST or None, children=children, initial={"child": request.GET.get("child")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.child_profile_save(actor=request.user, support=support, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The child's details have been saved."))
            return redirect(support)
    return _form_page(
        request, support=support, form=form, title=_("A child of the family"), submit=_("Save")
    )


@login_required
@require_http_methods(["GET", "POST"])
def childcare_add(request, pk: int):
    support = _support(request, pk)
    _require(request, "families.add_childcaresupport")
    children = selectors.household_children(household=support.household)
    form = forms.ChildcareForm(
        request.POST or None, children=children, initial={"started_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.childcare_support_add(actor=request.user, support=support, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The childcare support has been recorded."))
            return redirect(support)
    return _form_page(
        request,
        support=support,
        form=form,
        title=_("Childcare support"),
        submit=_("Record the support"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def childcare_finish(request, pk: int, item_pk: int):
    support = _support(request, pk)
    _require(request, "families.change_childcaresupport")
    item = ChildcareSupport.objects.filter(support=support, pk=item_pk).first()
    if item is None:
        raise Http404
    form = forms.ChildcareFinishForm(
        request.POST or None, initial={"ended_on": timezone.localdate(), "outcome": item.outcome}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.childcare_support_finish(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The end of the support has been recorded."))
            return redirect(support)
    return _form_page(
        request,
        support=support,
        form=form,
        title=_("End of the support: %(kind)s") % {"kind": item.get_kind_display()},
        submit=_("Save"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def support_close(request, pk: int):
    """Close the work with its outcome (the head), optionally with monitoring after it."""
    support = _support(request, pk)
    _require(request, "families.add_familysupport")
    form = forms.CloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.family_support_close(actor=request.user, support=support, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The work with the family has been closed."))
            return redirect(support)
    return _form_page(
        request,
        support=support,
        form=form,
        title=_("Close the work with the family"),
        submit=_("Close the work"),
        intro=_("The assistant's place is freed; monitoring does not count to the caseload."),
    )


@login_required
@require_POST
def monitoring_end(request, pk: int):
    support = _support(request, pk)
    _require(request, "families.change_familysupport")
    try:
        services.family_support_monitoring_end(actor=request.user, support=support)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The monitoring has ended; the file is closed."))
    return redirect(support)


@login_required
def household_panel(request, household_pk: int):
    """htmx: the household's family assistance on the household's page; empty when the user
    may see none of it."""
    user = request.user
    support = selectors.family_support_current(user=user, household_id=household_pk)
    may_assign = user.has_perm("families.add_familysupport")
    if may_assign:
        try:
            household_get_for_user(user=user, household_id=household_pk)
        except Http404:
            may_assign = False
    if support is None and not may_assign:
        return HttpResponse("")
    return render(
        request,
        "families/_household_panel.html",
        {
            "support": support,
            "household_pk": household_pk,
            "may_assign": may_assign
            and (support is None or support.status != SupportStatus.ACTIVE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, household_pk: int):
    """The head assigns a family assistant, within the assistant's caseload limit."""
    user = request.user
    if not user.has_perm("families.add_familysupport"):
        raise Http404
    household = household_get_for_user(user=user, household_id=household_pk)
    workers = selectors.social_workers_of_centre(centre_id=user.centre_id)
    default_worker = workers.filter(district_id=household.district_id).first()
    form = forms.AssignForm(
        request.POST or None,
        assistants=selectors.assistants_for_assignment(centre_id=user.centre_id),
        social_workers=workers,
        initial={"started_on": timezone.localdate(), "social_worker": default_worker},
    )
    if request.method == "POST" and form.is_valid():
        try:
            support = services.family_support_assign(
                actor=user, household=household, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s has been assigned to the family.") % {"name": support.assistant},
            )
            return redirect(support)
    return render(
        request,
        "families/assign.html",
        {"form": form, "household": household, "limit": services.caseload_limit()},
    )
