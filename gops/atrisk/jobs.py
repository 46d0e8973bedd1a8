"""The on-demand refresh of the lists, run as a background job."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gops.jobs.registry import register

from .models import ListCode


@register(
    "atrisk.refresh",
    label=_("Refresh the lists of people at risk"),
    permission="atrisk.view_atriskentry",
)
def atrisk_refresh_job(job, out, progress):
    """Refresh the requester's centre, then write the counts the requester may see (the Blue
    Card list is counted only over the cards they may see)."""
    from .selectors import atrisk_counts_for_user
    from .services import atrisk_refresh

    user = job.requested_by
    today = timezone.localdate()
    progress(0, 1)
    atrisk_refresh(centre=user.centre, today=today)
    counts = atrisk_counts_for_user(user)
    lines = [f"Listy osób zagrożonych — odświeżone {today:%d.%m.%Y}", ""]
    for code, label in ListCode.choices:
        lines.append(f"{label}: {counts[code]}")
    out.write(("\n".join(lines) + "\n").encode("utf-8"))
    progress(1, 1)
    return "lista-zagrozonych.txt", "text/plain"
