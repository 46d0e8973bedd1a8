"""The user's background jobs: progress (polled by htmx) and the download when done."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gops.audit.services import audit_record_view

from . import selectors
from .models import JobStatus


@login_required
@require_GET
def job_list(request):
    jobs = selectors.job_queryset_for_user(user=request.user)[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@login_required
@require_GET
def job_detail(request, pk: int):
    job = selectors.job_get_for_user(user=request.user, job_id=pk)
    return render(request, "jobs/job_detail.html", {"job": job})


@login_required
@require_GET
def job_progress(request, pk: int):
    job = selectors.job_get_for_user(user=request.user, job_id=pk)
    response = render(request, "jobs/_progress.html", {"job": job})
    if job.finished:
        # htmx stops polling on 286; the final state replaces the bar.
        response.status_code = 286
    return response


@login_required
@require_GET
def job_download(request, pk: int):
    job = selectors.job_get_for_user(user=request.user, job_id=pk)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404
    audit_record_view(actor=request.user, instance=job)
    return FileResponse(
        job.result.open("rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.content_type or "application/octet-stream",
    )
