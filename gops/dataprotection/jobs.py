"""Background jobs of data protection: the access report (RODO art. 15)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gops.audit.services import audit_record_view
from gops.jobs.registry import register
from gops.people.selectors import person_get_for_user

from .report import access_report_pdf


@register(
    "dataprotection.access_report",
    label=_("Data-subject access report (RODO art. 15)"),
    permission="dataprotection.access_report",
)
def access_report(job, out, progress):
    user = job.requested_by
    try:
        person = person_get_for_user(user=user, person_id=job.params["person_id"])
    except Http404:
        raise ValidationError(gettext("You cannot see this person's file.")) from None
    # Reading the whole file is itself an access to it.
    audit_record_view(actor=user, instance=person, person_id=person.pk)
    access_report_pdf(person=person, requested_by=user, out=out, progress=progress)
    return f"dostep-do-danych-{person.pk}.pdf", "application/pdf"
