"""Starting and running background jobs."""

import logging
import tempfile
import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gops.accounts.models import User
from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change

from . import registry
from .models import Job, JobStatus

log = logging.getLogger(__name__)

# Progress is written at most this often (seconds): a row update per item would slow the job.
PROGRESS_EVERY = 0.5


@transaction.atomic
def job_start(*, actor: User, kind: str, params: dict[str, Any], title: str) -> Job:
    """Queue a job of `kind` for `actor`; it runs in the consumer after this commits."""
    try:
        spec = registry.get(kind)
    except KeyError:
        raise ValidationError(_("Unknown kind of job.")) from None
    if not actor.is_authenticated or not actor.has_perm(spec.permission):
        raise PermissionDenied
    job = Job.objects.create(
        centre_id=actor.centre_id, requested_by=actor, kind=kind, params=params, title=title
    )
    audit_record_change(
        actor=actor,
        instance=job,
        action=AuditAction.CREATE,
        changes={"kind": [None, kind], "params": [None, params]},
    )
    from .tasks import job_run_task

    transaction.on_commit(lambda: job_run_task(job.pk))
    return job


class _Progress:
    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and done < total:
            return
        self.last = now
        Job.objects.filter(pk=self.job_id).update(done=done, total=total)


def job_run(*, job_id: int) -> Job:
    """Run a queued job to its end: its result file, or its error for the user."""
    with transaction.atomic():
        # of=self: PostgreSQL locks no row of the outer-joined user.
        job = (
            Job.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .get(pk=job_id)
        )
        if job.status != JobStatus.QUEUED:
            return job  # already run (a retried or duplicated message)
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
    try:
        spec = registry.get(job.kind)
        user = job.requested_by
        if user is None or not user.is_active or not user.has_perm(spec.permission):
            raise PermissionDenied
        # The result speaks the requester's language, as the pages do.
        with translation.override(user.language), tempfile.TemporaryFile() as out:
            name, content_type = spec.run(job, out, _Progress(job.pk))
            out.seek(0)
            job.result.save(name, File(out, name=name), save=False)
        job.result_name = name
        job.content_type = content_type
        job.status = JobStatus.DONE
    except ValidationError as exc:
        job.status = JobStatus.FAILED
        job.error = " ".join(exc.messages)
    except PermissionDenied:
        job.status = JobStatus.FAILED
        job.error = _("You may no longer run this job.")
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        job.status = JobStatus.FAILED
        job.error = _("The job failed; the administrator can read the error in the log.")
    fields = {
        "status": job.status,
        "result": job.result.name if job.result else None,
        "result_name": job.result_name,
        "content_type": job.content_type,
        "error": job.error,
        "finished_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    if job.status == JobStatus.DONE:
        # A finished job shows a full bar, whatever its last progress report said.
        fields |= {"total": Greatest(F("total"), 1), "done": Greatest(F("total"), 1)}
    Job.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job
