from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .forms import AuditFilterForm


@login_required
@permission_required("audit.view_auditentry", raise_exception=True)
def entry_list(request):
    """The audit log, filtered by user, person, action and dates (head and DPO)."""
    users = get_user_model().objects.filter(centre_id=request.user.centre_id).order_by("username")
    form = AuditFilterForm(request.GET or None, users=users)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_list(
        user=request.user,
        person_id=filters.get("person"),
        actor_id=filters["user"].pk if filters.get("user") else None,
        action=filters.get("action") or None,
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/entry_list.html",
        {"form": form, "page": page, "querystring": query.urlencode()},
    )
