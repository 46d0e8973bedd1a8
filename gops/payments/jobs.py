"""Background jobs of payments (gops.jobs.registry): the cash list of a long payroll.

WeasyPrint lays out a whole PDF in memory: 2,000 rows took 11 s and a 250 MiB (tracemalloc)
peak (docs/performance.md, "Eksporty"). A cash list longer than the setting
PAYROLL_CASH_LIST_INLINE_ROWS (500: about 3 s) is made here, outside the web request, with
its progress shown on the job's page.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gops.audit.services import audit_record_view
from gops.jobs.registry import register

from . import exports, selectors

CASH_LIST_JOB = "payments.cash_list_pdf"


@register(CASH_LIST_JOB, label=_("Cash list (PDF)"), permission="payments.view_payroll")
def cash_list_pdf(job, out, progress):
    """The cash list of the payroll in the job's parameters, as its requester may see it."""
    user = job.requested_by
    try:
        payroll = selectors.payroll_get_for_user(user=user, payroll_id=job.params["payroll_id"])
    except Http404:
        raise ValidationError(gettext("You cannot see this payroll.")) from None
    # As the download in the request does: reading the list is a view of the payroll.
    audit_record_view(actor=user, instance=payroll)
    exports.payroll_cash_list_pdf(payroll, out, progress)
    return f"lista-kasowa-{payroll.month:%Y-%m}.pdf", "application/pdf"
