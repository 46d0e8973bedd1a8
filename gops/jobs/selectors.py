from django.db.models import QuerySet
from django.http import Http404

from gops.accounts.models import User

from .models import Job


def job_queryset_for_user(*, user: User) -> QuerySet[Job]:
    """A job and its result are its requester's only: they hold what that user may see."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(requested_by=user, centre_id=user.centre_id)


def job_get_for_user(*, user: User, job_id: int) -> Job:
    job = job_queryset_for_user(user=user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job
