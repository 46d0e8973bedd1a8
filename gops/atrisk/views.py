"""Pages of the lists of people at risk: parse, call one service or selector, render.

A row the user may not see answers 404, never 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gops.jobs import services as job_services

from . import selectors, services
from .models import ListCode


def _status_label(code: str) -> str:
    if code == selectors.STATUS_HANDLED:
        return _("handled")
    if code == selectors.STATUS_ENDED:
        return _("no longer applies")
    return _("to handle")


@login_required
def entry_list(request):
    user = request.user
    if not user.has_perm("atrisk.view_atriskentry"):
        raise Http404
    list_code = request.GET.get("lista") or None
    if list_code not in ListCode.values:
        list_code = None
    status = request.GET.get("stan") or selectors.STATUS_OPEN
    if status not in selectors.STATUSES:
        status = selectors.STATUS_OPEN
    counts = selectors.atrisk_counts_for_user(user, status)
    tabs = [
        {"code": code, "label": label, "count": counts[code], "current": code == list_code}
        for code, label in ListCode.choices
    ]
    entries = selectors.atrisk_entry_list_for_user(user, list_code=list_code, status=status)
    return render(
        request,
        "atrisk/entry_list.html",
        {
            "tabs": tabs,
            "total": sum(counts.values()),
            "list_code": list_code,
            "list_label": ListCode(list_code).label if list_code else None,
            "status": status,
            "statuses": [(code, _status_label(code)) for code in selectors.STATUSES],
            "entries": entries,
            "may_handle": user.has_perm("atrisk.change_atriskentry"),
        },
    )


@login_required
@require_POST
def entry_handle(request, pk: int):
    entry = selectors.atrisk_entry_get_for_user(request.user, pk)
    try:
        services.atrisk_mark_handled(
            actor=request.user, entry=entry, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Marked handled: %(person)s.") % {"person": entry.person})
    back = reverse("atrisk:list")
    if entry.list_code:
        back += f"?lista={entry.list_code}"
    return redirect(back)


@login_required
@require_POST
def refresh(request):
    if not request.user.has_perm("atrisk.view_atriskentry"):
        raise Http404
    try:
        job = job_services.job_start(
            actor=request.user,
            kind="atrisk.refresh",
            params={},
            title=_("Refresh of the lists of people at risk"),
        )
    except PermissionDenied:
        raise Http404 from None
    return redirect("jobs:detail", pk=job.pk)
