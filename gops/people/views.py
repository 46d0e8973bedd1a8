"""Pages of the registry: search, a person's file, registration, households, incomes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from gops.audit.selectors import audit_for_person
from gops.audit.services import audit_record_search, audit_record_view
from gops.core.errors import ConflictError, NeedsConfirmation, VersionConflict
from gops.core.forms import form_add_validation_error

from . import imports as import_columns
from . import selectors, services
from .forms import (
    HouseholdForm,
    HouseholdMemberForm,
    IncomeForm,
    PersonForm,
    PersonImportForm,
    SearchForm,
)
from .models import Relation


@login_required
@permission_required("people.view_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_list(request):
    """The registry with one search box. Searches are sent by POST: no PESEL in any URL."""
    form = SearchForm(request.POST or None)
    query = ""
    if request.method == "POST" and form.is_valid():
        query = form.cleaned_data["q"].strip()
    if request.method == "POST":
        page_number = (form.cleaned_data.get("page") if form.is_valid() else None) or 1
    else:
        page_number = request.GET.get("page")
    if query:
        persons = selectors.person_search_results(user=request.user, query=query)
    else:
        persons = selectors.person_queryset_for_user(user=request.user).select_related("district")
    page = Paginator(persons, settings.GOPS_PAGE_SIZE).get_page(page_number)
    # A search counts up to SEARCH_COUNT_LIMIT persons: the audit records how many it showed.
    capped = bool(query) and persons.capped
    if query:
        audit_record_search(actor=request.user, query=query, result_count=page.paginator.count)
    context = {"form": form, "page": page, "query": query, "capped": capped}
    htmx = request.headers.get("HX-Request")
    template = "people/_person_results.html" if htmx else "people/person_list.html"
    return render(request, template, context)


@login_required
def person_detail(request, pk: int):
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    audit_record_view(actor=request.user, instance=person, person_id=person.pk)
    membership = selectors.person_household_membership(person=person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "membership": membership,
            "incomes": selectors.income_list_for_person(person=person),
            "can_write": selectors.person_can_write(user=request.user, person=person),
            "can_see_notes": request.user.has_perm("people.view_restricted_notes"),
            "audit_entries": audit_for_person(user=request.user, person_id=person.pk),
        },
    )


@login_required
@permission_required("people.add_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user, creating=True)
    context = {"form": form, "creating": True}
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user,
                data=form.service_data(),
                confirm_similar=form.cleaned_data["confirm_similar"],
            )
        except ConflictError as exc:
            form.add_error(exc.field, exc.message)
            context["existing"] = _visible_or_none(request.user, exc.existing)
        except NeedsConfirmation as exc:
            context["similar"] = exc.candidates
            context["similar_message"] = exc.message
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The person has been registered."))
            return redirect(person)
    return render(request, "people/person_form.html", context)


@login_required
@permission_required(["people.add_person", "people.change_person_district"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_import(request):
    """Import persons from CSV (a centre moving from its previous system): all rows or none,
    with a report of the broken ones. Persons go to any district: the head's work."""
    form = PersonImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.persons_import_csv(
            actor=request.user, text_or_stream=form.cleaned_data["file"]
        )
        if report.ok:
            messages.success(
                request,
                ngettext(
                    "%(count)s person has been imported.",
                    "%(count)s persons have been imported.",
                    report.imported,
                )
                % {"count": report.imported},
            )
            return redirect("people:person_list")
    return render(
        request,
        "people/person_import.html",
        {"form": form, "report": report, "columns": import_columns.column_help()},
    )


def _visible_or_none(user, person):
    if person is None:
        return None
    return selectors.person_queryset_for_user(user=user).filter(pk=person.pk).first()


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = selectors.person_get_for_user(user=request.user, person_id=pk, for_write=True)
    form = PersonForm(request.POST or None, instance=person, user=request.user, creating=False)
    context = {"form": form, "person": person, "creating": False}
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                data=form.service_data(),
                expected_version=form.loaded_version(),
                seen=form.seen_values(),
            )
        except VersionConflict as exc:
            # Someone saved a newer version: show what changed, keep the user's entries and
            # take the new version, so that saving again is a deliberate choice.
            current = selectors.person_get_for_user(user=request.user, person_id=pk, for_write=True)
            context["form"] = form.reloaded(current)
            context["conflict"] = exc
        except ConflictError as exc:
            form.add_error(exc.field, exc.message)
            context["existing"] = _visible_or_none(request.user, exc.existing)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(person)
    return render(request, "people/person_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def income_create(request, pk: int):
    person = selectors.person_get_for_user(user=request.user, person_id=pk, for_write=True)
    form = IncomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.income_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The income has been recorded."))
            return redirect(person)
    return render(request, "people/income_form.html", {"form": form, "person": person})


@login_required
@require_POST
def income_delete(request, pk: int, income_pk: int):
    person = selectors.person_get_for_user(user=request.user, person_id=pk, for_write=True)
    income = get_object_or_404(selectors.income_list_for_person(person=person), pk=income_pk)
    services.income_delete(actor=request.user, income=income)
    messages.success(request, _("The income has been removed."))
    return redirect(person)


@login_required
@permission_required("people.add_household", raise_exception=True)
@require_POST
def household_create(request, pk: int):
    """Start a household with this person as its head."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk, for_write=True)
    try:
        household = services.household_create(actor=request.user, members=[(person, Relation.HEAD)])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(person)
    messages.success(request, _("The household has been created. Now add its members."))
    return redirect(household)


@login_required
@require_http_methods(["GET", "POST"])
def household_detail(request, pk: int):
    household = selectors.household_get_for_user(user=request.user, household_id=pk)
    audit_record_view(actor=request.user, instance=household, household_id=household.pk)
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "memberships": household.memberships.all(),
            "can_write": request.user.has_perm("people.change_household"),
            "search_form": SearchForm(),
            "member_form": HouseholdMemberForm(),
        },
    )


@login_required
@permission_required("people.change_household", raise_exception=True)
@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    """A household's notes and (the head) district, saved over the version loaded only."""
    household = selectors.household_get_for_user(user=request.user, household_id=pk, for_write=True)
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    context = {"form": form, "household": household}
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(
                actor=request.user,
                household=household,
                data=form.service_data(),
                expected_version=form.loaded_version(),
                seen=form.seen_values(),
            )
        except VersionConflict as exc:
            # As for a person: show what changed, keep the user's entries, take the new version.
            current = selectors.household_get_for_user(
                user=request.user, household_id=pk, for_write=True
            )
            context["form"] = form.reloaded(current)
            context["conflict"] = exc
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(household)
    return render(request, "people/household_form.html", context)


@login_required
@permission_required("people.change_household", raise_exception=True)
@require_POST
def household_member_search(request, pk: int):
    """htmx: persons matching the query who are in no household yet."""
    household = selectors.household_get_for_user(user=request.user, household_id=pk)
    form = SearchForm(request.POST)
    candidates = []
    query = ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        found = selectors.person_search_without_household(user=request.user, query=query)
        candidates = list(found[:20])
        audit_record_search(actor=request.user, query=query, result_count=len(candidates))
    return render(
        request,
        "people/_member_candidates.html",
        {
            "household": household,
            "candidates": candidates,
            "query": query,
            "member_form": HouseholdMemberForm(),
        },
    )


@login_required
@require_POST
def household_member_add(request, pk: int):
    household = selectors.household_get_for_user(user=request.user, household_id=pk, for_write=True)
    form = HouseholdMemberForm(request.POST)
    if form.is_valid():
        person = selectors.person_get_for_user(
            user=request.user, person_id=form.cleaned_data["person"]
        )
        try:
            services.household_add_member(
                actor=request.user,
                household=household,
                person=person,
                relation=form.cleaned_data["relation"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(person)s has been added.") % {"person": person})
    else:
        messages.error(request, _("Choose the person and their relation to the head."))
    return redirect(household)


@login_required
@require_POST
def household_member_end(request, pk: int, membership_pk: int):
    household = selectors.household_get_for_user(user=request.user, household_id=pk, for_write=True)
    membership = get_object_or_404(household.memberships.all(), pk=membership_pk)
    try:
        services.household_end_membership(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The membership has ended; it stays in the history."))
    return redirect(household)
