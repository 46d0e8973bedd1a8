"""Background jobs of the reports app (gops.jobs.registry)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gops.jobs.registry import register

from . import exports, rules, selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_params(params: dict) -> tuple[int, int | None]:
    try:
        year = int(params["year"])
        half = params.get("half")
        half = int(half) if half not in (None, "") else None
        rules.half_year_period(year, half)
    except (KeyError, TypeError, ValueError):
        raise ValidationError(_("Choose a year and a half-year.")) from None
    return year, half


@register(
    "reports.mrpips03_xlsx",
    label=gettext_lazy("MRPiPS-03 report (XLSX)"),
    permission=selectors.PERMISSION,
)
def mrpips03_xlsx(job, out, progress):
    """The report of the job's period for the requester's centre, with its payments."""
    year, half = period_params(job.params)
    start, end = rules.half_year_period(year, half)
    user = job.requested_by
    report = selectors.mrpips03_for_user(user=user, start=start, end=end)
    total = selectors.payment_count(centre_id=user.centre_id, start=start, end=end)
    progress(0, total)
    exports.write_xlsx(
        out,
        report=report,
        payments=selectors.payment_rows(centre_id=user.centre_id, start=start, end=end),
        payment_total=total,
        year=year,
        half=half,
        progress=progress,
    )
    return f"{exports.file_stem(year, half)}.xlsx", XLSX
