"""Pages of advice and referrals: the institution directory (search, CSV import), logging
advice, referring a person and recording the outcome, the referral letter, overdue follow-ups,
the employment profile, activation counts and the panel on the person's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gops.audit.services import audit_record_search, audit_record_view
from gops.cases.selectors import contract_queryset_for_user
from gops.core.forms import form_add_validation_error
from gops.people.selectors import person_get_for_user, person_search

from . import pdf, selectors, services
from .forms import (
    AdviceForm,
    EmploymentProfileForm,
    ImportForm,
    InstitutionForm,
    InstitutionSearchForm,
    OutcomeForm,
    PersonSearchForm,
    ReferralForm,
    YearForm,
)
from .models import EmploymentProfile, OutcomeKind

SEARCH_LIMIT = 20


@login_required
@permission_required("referrals.view_institution", raise_exception=True)
def directory(request):
    """The institution directory: search by words and type."""
    form = InstitutionSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    institutions = selectors.institution_search(
        user=request.user, query=filters.get("q", ""), kind=filters.get("kind") or None
    )
    return render(
        request,
        "referrals/directory.html",
        {"form": form if form.is_bound else InstitutionSearchForm(), "institutions": institutions},
    )


@login_required
@permission_required("referrals.add_institution", raise_exception=True)
@require_http_methods(["GET", "POST"])
def institution_import(request):
    """Import institutions from CSV: all rows or none, with a report of the broken ones."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.institutions_import_csv(
            actor=request.user, text=form.cleaned_data["file"]
        )
        if report.ok:
            messages.success(
                request,
                _("%(count)s institutions have been imported.") % {"count": report.imported},
            )
            return redirect("referrals:directory")
    return render(request, "referrals/institution_import.html", {"form": form, "report": report})


@login_required
@permission_required("referrals.view_institution", raise_exception=True)
def institution_detail(request, pk: int):
    institution = selectors.institution_get_for_user(user=request.user, institution_id=pk)
    return render(request, "referrals/institution_detail.html", {"institution": institution})


@login_required
@permission_required("referrals.add_institution", raise_exception=True)
@require_http_methods(["GET", "POST"])
def institution_create(request):
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.centre_id = request.user.centre_id
        try:
            institution = services.institution_save(actor=request.user, institution=form.instance)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The institution has been added to the directory."))
            return redirect(institution)
    return render(request, "referrals/institution_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def institution_edit(request, pk: int):
    institution = selectors.institution_get_for_user(user=request.user, institution_id=pk)
    if not request.user.has_perm("referrals.change_institution"):
        raise PermissionDenied
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_save(actor=request.user, institution=form.instance)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(institution)
    return render(
        request, "referrals/institution_form.html", {"form": form, "institution": institution}
    )


@login_required
@permission_required("referrals.add_advice", raise_exception=True)
@require_http_methods(["GET", "POST"])
def advice_log(request):
    """Log advice in seconds: topic and institutions; a person found by a POST search (no
    PESEL in the URL), or nobody for an anonymous walk-in."""
    institutions = selectors.institution_queryset_for_user(user=request.user)
    person = None
    person_id = request.POST.get("person") or request.GET.get("person")
    if person_id:
        person = person_get_for_user(user=request.user, person_id=person_id)
    search = PersonSearchForm(request.POST if "q" in request.POST else None)
    candidates = None
    if search.is_bound and search.is_valid():
        query = search.cleaned_data["q"]
        candidates = list(person_search(user=request.user, query=query)[:SEARCH_LIMIT])
        audit_record_search(
            actor=request.user, query=query, result_count=len(candidates), scope="referrals"
        )
    is_log = request.method == "POST" and "topic" in request.POST
    form = AdviceForm(request.POST if is_log else None, institutions=institutions)
    if is_log and form.is_valid():
        try:
            services.advice_log(
                actor=request.user,
                person=person,
                topic=form.cleaned_data["topic"],
                institutions=form.cleaned_data["institutions"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Advice to %(person)s has been logged.") % {"person": person}
                if person
                else _("Advice to an anonymous walk-in has been logged."),
            )
            return redirect("referrals:advice_log")
    return render(
        request,
        "referrals/advice_form.html",
        {"form": form, "search": search, "candidates": candidates, "person": person},
    )


@login_required
@permission_required("referrals.add_referral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def referral_create(request, person_pk: int):
    person = person_get_for_user(user=request.user, person_id=person_pk, for_write=True)
    form = ReferralForm(
        request.POST or None,
        initial={"consent_on": timezone.localdate()},
        institutions=selectors.institution_queryset_for_user(user=request.user),
        contracts=contract_queryset_for_user(user=request.user).filter(person=person),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(actor=request.user, person=person, **data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The referral has been recorded."))
            return redirect(referral)
    return render(request, "referrals/referral_form.html", {"form": form, "person": person})


@login_required
@permission_required("referrals.view_referral", raise_exception=True)
def referral_detail(request, pk: int):
    referral = selectors.referral_get_for_user(user=request.user, referral_id=pk)
    audit_record_view(actor=request.user, instance=referral, person_id=referral.person_id)
    return render(
        request,
        "referrals/referral_detail.html",
        {"referral": referral, "form": OutcomeForm(), "outcome_kinds": OutcomeKind.choices},
    )


@login_required
@permission_required("referrals.change_referral", raise_exception=True)
@require_POST
def referral_outcome(request, pk: int):
    referral = selectors.referral_get_for_user(user=request.user, referral_id=pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.referral_outcome_record(
                actor=request.user, referral=referral, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The outcome has been recorded."))
    else:
        messages.error(request, _("Choose the new state."))
    return redirect(referral)


@login_required
@permission_required("referrals.view_referral", raise_exception=True)
def referral_letter(request, pk: int):
    """The printable referral letter (skierowanie), in Polish, with the centre's header."""
    referral = selectors.referral_get_for_user(user=request.user, referral_id=pk)
    audit_record_view(actor=request.user, instance=referral, person_id=referral.person_id)
    response = HttpResponse(pdf.referral_letter_pdf(referral), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="skierowanie-{referral.pk}.pdf"'
    return response


@login_required
@permission_required("referrals.view_referral", raise_exception=True)
def follow_ups(request):
    """Open referrals whose follow-up date has passed."""
    today = timezone.localdate()
    return render(
        request,
        "referrals/follow_ups.html",
        {"referrals": selectors.overdue_follow_ups(user=request.user, today=today), "today": today},
    )


@login_required
@permission_required("referrals.view_referral", raise_exception=True)
def activation(request):
    """Counts for reporting: persons activated and outcomes of work referrals per kind."""
    form = YearForm(request.GET or None)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    counts = selectors.activation_counts(user=request.user, year=year)
    return render(
        request,
        "referrals/activation.html",
        {
            "form": YearForm(initial={"year": year}),
            "counts": counts,
            "outcome_labels": [label for _v, label in OutcomeKind.choices],
        },
    )


@login_required
@permission_required("referrals.view_employmentprofile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def employment_profile(request, person_pk: int):
    for_write = request.method == "POST"
    person = person_get_for_user(user=request.user, person_id=person_pk, for_write=for_write)
    profile = EmploymentProfile.objects.filter(person=person).first() or EmploymentProfile(
        person=person
    )
    form = EmploymentProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_profile_save(actor=request.user, profile=form.instance)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The employment profile has been saved."))
            return redirect("referrals:employment_profile", person_pk=person.pk)
    return render(
        request, "referrals/employment_profile_form.html", {"form": form, "person": person}
    )


@login_required
@permission_required("referrals.view_referral", raise_exception=True)
def person_panel(request, person_pk: int):
    """htmx: the person's advice, referrals and work referrals, on the person's page."""
    person = person_get_for_user(user=request.user, person_id=person_pk)
    return render(
        request,
        "referrals/_person_panel.html",
        selectors.person_summary(user=request.user, person=person),
    )
