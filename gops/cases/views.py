"""Pages of case handling: applications, the interview, notes, social contracts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gops.audit.services import audit_record_view
from gops.core.forms import form_add_validation_error
from gops.people.selectors import household_get_for_user, person_get_for_user

from . import selectors, services
from .forms import (
    ApplicationForm,
    CloseForm,
    ContractForm,
    ContractReviewForm,
    InterviewForm,
    NoteForm,
)
from .models import CLOSED_STATUSES, ApplicationStatus


@login_required
@permission_required("cases.view_application", raise_exception=True)
def application_list(request):
    qs = selectors.application_queryset_for_user(user=request.user).select_related(
        "applicant", "worker"
    )
    status = request.GET.get("status", "open")
    if status == "open":
        qs = qs.exclude(status__in=CLOSED_STATUSES)  # as application_open_idx says
    elif status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    mine = request.GET.get("mine") == "1" or not request.user.has_perm(
        "cases.view_all_applications"
    )
    if mine and request.user.has_perm("cases.view_all_applications"):
        qs = qs.filter(worker=request.user)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/application_list.html",
        {"page": page, "status": status, "statuses": ApplicationStatus.choices, "mine": mine},
    )


@login_required
@permission_required("cases.add_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_create(request, household_pk: int):
    household = household_get_for_user(user=request.user, household_id=household_pk)
    form = ApplicationForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        applicant = person_get_for_user(user=request.user, person_id=int(data.pop("applicant")))
        try:
            application = services.application_register(
                actor=request.user, household=household, applicant=applicant, **data
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Application %(number)s registered; the interview is due on %(due)s.")
                % {"number": application.number, "due": application.interview_due_on},
            )
            return redirect(application)
    return render(request, "cases/application_form.html", {"form": form, "household": household})


@login_required
def application_detail(request, pk: int):
    application = selectors.application_get_for_user(user=request.user, application_id=pk)
    audit_record_view(
        actor=request.user,
        instance=application,
        person_id=application.applicant_id,
        household_id=application.household_id,
    )
    can_write = selectors.application_can_write(user=request.user, application=application)
    return render(
        request,
        "cases/application_detail.html",
        {
            "application": application,
            "interviews": application.interviews.select_related("conducted_by"),
            "events": application.events.select_related("actor"),
            "notes": selectors.case_notes_for_user(
                user=request.user, person_id=application.applicant_id
            ).filter(application=application),
            "can_write": can_write,
            "note_form": NoteForm(),
            "close_form": CloseForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def interview_record(request, pk: int):
    application = selectors.application_get_for_user(
        user=request.user, application_id=pk, for_write=True
    )
    interview = application.interviews.filter(status="scheduled").first()
    if interview is None:
        messages.error(request, _("This application has no scheduled interview."))
        return redirect(application)
    form = InterviewForm(request.POST or None, initial={"conducted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_record(actor=request.user, interview=interview, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The interview has been recorded."))
            return redirect(application)
    return render(
        request,
        "cases/interview_form.html",
        {"form": form, "application": application, "interview": interview},
    )


@login_required
@require_POST
def application_close(request, pk: int):
    application = selectors.application_get_for_user(
        user=request.user, application_id=pk, for_write=True
    )
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.application_close(
                actor=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The application has been closed."))
    else:
        messages.error(request, _("Give how the application ends and why."))
    return redirect(application)


@login_required
@require_POST
def note_add(request, pk: int):
    application = selectors.application_get_for_user(user=request.user, application_id=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.case_note_add(
                actor=request.user,
                person=application.applicant,
                application=application,
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The note has been added."))
    return redirect(application)


@login_required
def person_panel(request, person_pk: int):
    """htmx: the person's applications, notes and contracts, shown on the person's page."""
    person = person_get_for_user(user=request.user, person_id=person_pk)
    return render(
        request,
        "cases/_person_panel.html",
        {
            "person": person,
            "applications": selectors.application_list_for_person(
                user=request.user, person_id=person.pk
            ).select_related("worker"),
            "notes": selectors.case_notes_for_user(user=request.user, person_id=person.pk),
            "contracts": selectors.contract_queryset_for_user(user=request.user).filter(
                person=person
            ),
        },
    )


@login_required
@permission_required("cases.add_socialcontract", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contract_create(request, person_pk: int):
    person = person_get_for_user(user=request.user, person_id=person_pk, for_write=True)
    form = ContractForm(
        request.POST or None,
        initial={"signed_on": timezone.localdate(), "valid_from": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.social_contract_create(
                actor=request.user, person=person, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The social contract has been recorded."))
            return redirect(contract)
    return render(request, "cases/contract_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def contract_detail(request, pk: int):
    contract = selectors.contract_get_for_user(user=request.user, contract_id=pk)
    audit_record_view(actor=request.user, instance=contract, person_id=contract.person_id)
    form = ContractReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.social_contract_review(
                actor=request.user, contract=contract, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The review has been recorded."))
            return redirect(contract)
    return render(
        request,
        "cases/contract_detail.html",
        {
            "contract": contract,
            "reviews": contract.reviews.select_related("reviewer"),
            "form": form,
        },
    )
