from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gops.accounts.models import Centre
from gops.jobs import services as job_services
from gops.people.selectors import person_get_for_user

from . import register as register_data
from . import selectors, services
from .forms import AnonymisationRequestForm
from .models import AnonymisationRequest


@login_required
@require_http_methods(["GET", "POST"])
def access_report(request, person_pk: int):
    """Start the RODO art. 15 report of a person (DPO and head); it runs as a background job."""
    if not request.user.has_perm("dataprotection.access_report"):
        raise PermissionDenied
    person = person_get_for_user(user=request.user, person_id=person_pk)
    if request.method == "POST":
        job = job_services.job_start(
            actor=request.user,
            kind="dataprotection.access_report",
            params={"person_id": person.pk},
            # The id, not the name: job titles are kept after the person is anonymised.
            title=_("Access report (RODO art. 15): person #%(id)s") % {"id": person.pk},
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "dataprotection/access_report.html", {"person": person})


@login_required
def retention(request):
    """Persons whose last activity is older than the retention period, for archiving."""
    if not selectors.may_see_retention(request.user):
        raise PermissionDenied
    persons = selectors.persons_past_retention(user=request.user)
    page = Paginator(persons, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dataprotection/retention.html",
        {
            "page": page,
            "years": selectors.retention_years(),
            "cutoff": selectors.retention_cutoff(),
            "pending": selectors.pending_requests(user=request.user),
            "may_approve": request.user.has_perm("dataprotection.approve_anonymisation"),
            "may_request": request.user.has_perm("dataprotection.add_anonymisationrequest"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def anonymisation_request(request, person_pk: int):
    if not request.user.has_perm("dataprotection.add_anonymisationrequest"):
        raise PermissionDenied
    person = person_get_for_user(user=request.user, person_id=person_pk)
    form = AnonymisationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.anonymisation_request(
                actor=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The request was sent to the head for approval."))
            return redirect(person.get_absolute_url())
    return render(
        request,
        "dataprotection/anonymisation_request.html",
        {
            "person": person,
            "form": form,
            "open_applications": services.open_applications(person),
        },
    )


@login_required
@require_POST
def anonymisation_decide(request, pk: int):
    """The head approves or rejects a pending request (buttons on the retention page)."""
    if not request.user.has_perm("dataprotection.approve_anonymisation"):
        raise PermissionDenied
    anon = get_object_or_404(AnonymisationRequest, pk=pk, centre_id=request.user.centre_id)
    try:
        if request.POST.get("decision") == "approve":
            services.anonymisation_approve(actor=request.user, request=anon)
            messages.success(request, _("The person has been anonymised."))
        else:
            services.anonymisation_reject(actor=request.user, request=anon)
            messages.success(request, _("The request was rejected."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("dataprotection:retention")


def _register_context(request) -> dict:
    centre = Centre.objects.filter(pk=request.user.centre_id).first()
    return {
        "centre": centre,
        "activities": register_data.ACTIVITIES,
        "today": timezone.localdate(),
    }


@login_required
def register(request):
    """Rejestr czynności przetwarzania (RODO art. 30), printable."""
    if not request.user.has_perm("dataprotection.view_register"):
        raise PermissionDenied
    return render(request, "dataprotection/register.html", _register_context(request))


@login_required
def register_pdf(request):
    if not request.user.has_perm("dataprotection.view_register"):
        raise PermissionDenied
    from weasyprint import HTML

    html = render_to_string("dataprotection/register_pdf.html", _register_context(request))
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="rejestr-czynnosci-przetwarzania.pdf"'
    return response
