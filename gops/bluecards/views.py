"""Pages of the Blue Card procedure: parse, fetch through the selectors, call one service,
render.

To anyone without a Blue Card permission every page is 404 (not 403: not even the area is
admitted to exist), and a card the user is not a member of is 404 like a card that never was.
Each page that shows a card records a VIEW audit entry.
"""

import csv
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gops.audit.services import audit_record_search, audit_record_view
from gops.core.forms import form_add_validation_error
from gops.people.selectors import person_queryset_for_user, person_search

from . import selectors, services
from .forms import (
    CardSearchForm,
    CloseForm,
    EditForm,
    FormRecordForm,
    MeetingPlanForm,
    MeetingRecordForm,
    MemberForm,
    OpenForm,
    ParticipantRoleForm,
    PersonSearchForm,
)
from .models import BlueCard, BlueCardMeeting, BlueCardMember, BlueCardStatus, ParticipantRole

SEARCH_LIMIT = 20
SEARCH_SCOPE = "bluecards.search"


def bluecards_perm_or_404(perm: str):
    """login_required, then 404 (never 403) for a user without `perm`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def _card(request, pk: int) -> BlueCard:
    return selectors.blue_card_get_for_user(user=request.user, blue_card_id=pk)


def _viewed(request, card: BlueCard) -> None:
    audit_record_view(actor=request.user, instance=card)


def _deadline_labels() -> dict[str, str]:
    return {
        "to_team": _("form A to the interdisciplinary team (5 working days)"),
        "to_group": _("to a diagnostic-and-support group (3 working days)"),
        "first_meeting": _("first meeting of the group (5 working days)"),
    }


def _deadline_rows(card: BlueCard, today):
    labels = _deadline_labels()
    return [
        {"state": d, "label": labels[d.code]}
        for d in selectors.blue_card_deadlines(blue_card=card, today=today)
    ]


def _search_persons(request, query: str) -> list:
    """Registry persons matching `query` that the user may see; the search is audited."""
    found = list(person_search(user=request.user, query=query)[:SEARCH_LIMIT])
    audit_record_search(
        actor=request.user, query=query, result_count=len(found), scope=SEARCH_SCOPE
    )
    return found


# --- The list, the export and the person panel -------------------------------------------


@bluecards_perm_or_404("bluecards.view_bluecard")
@require_http_methods(["GET", "POST"])
def card_list(request):
    """The cards the user may see, with overdue and late deadlines flagged.

    The search is sent by POST: a name or PESEL typed into it never appears in a URL.
    """
    form = CardSearchForm(request.POST or None)
    filters = form.cleaned_data if form.is_valid() else {}
    query = filters.get("q", "")
    cards = list(
        selectors.blue_card_list_for_user(
            user=request.user, query=query, status=filters.get("status") or None
        )[:200]
    )
    # The list shows each card's number, status and dates: a read, recorded like a search.
    audit_record_search(
        actor=request.user, query=query, result_count=len(cards), scope=SEARCH_SCOPE
    )
    today = timezone.localdate()
    rows = []
    for card in cards:
        deadlines = selectors.blue_card_deadlines(blue_card=card, today=today)
        rows.append(
            {
                "card": card,
                "overdue": any(d.overdue for d in deadlines),
                "late": any(d.late for d in deadlines),
            }
        )
    return render(
        request,
        "bluecards/card_list.html",
        {
            "form": form if form.is_bound else CardSearchForm(),
            "rows": rows,
            "may_open": selectors.may_open_blue_card(request.user),
        },
    )


@bluecards_perm_or_404("bluecards.view_bluecard")
def card_export(request):
    """CSV of the cards the user may see: numbers, dates and deadlines, no names, no texts."""
    cards = list(selectors.blue_card_list_for_user(user=request.user))
    audit_record_search(
        actor=request.user, query="export", result_count=len(cards), scope="bluecards.export"
    )
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="niebieskie-karty.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "number",
            "opened_on",
            "status",
            "sent_to_team_on",
            "group_received_on",
            "first_meeting_on",
            "overdue",
            "late",
            "closed_on",
            "closing_reason",
        ]
    )
    for card in cards:
        deadlines = selectors.blue_card_deadlines(blue_card=card, today=today)
        writer.writerow(
            [
                card.number,
                card.opened_on.isoformat(),
                card.status,
                card.sent_to_team_on.isoformat() if card.sent_to_team_on else "",
                card.group_received_on.isoformat() if card.group_received_on else "",
                card.first_meeting_on.isoformat() if card.first_meeting_on else "",
                " ".join(d.code for d in deadlines if d.overdue),
                " ".join(d.code for d in deadlines if d.late),
                card.closed_on.isoformat() if card.closed_on else "",
                card.closing_reason,
            ]
        )
    return response


@login_required
def person_panel(request, person_pk: int):
    """htmx: the cards naming the person that the user may see, for the person's page.

    For anyone else, and for a person the user cannot see, an empty 200: the person's page
    then looks exactly as for a person without cards.
    """
    user = request.user
    if not user.has_perm("bluecards.view_bluecard"):
        return HttpResponse("")
    if not person_queryset_for_user(user=user).filter(pk=person_pk).exists():
        return HttpResponse("")
    cards = list(
        selectors.blue_cards_of_person(user=user, person_id=person_pk)
        .order_by("-opened_on", "-id")
        .prefetch_related("participants")
    )
    if not cards:
        return HttpResponse("")
    for card in cards:
        _viewed(request, card)
        card.roles_of_person = [
            p.get_role_display() for p in card.participants.all() if p.person_id == person_pk
        ]
    return render(request, "bluecards/_person_panel.html", {"cards": cards})


# --- Opening with form A ---------------------------------------------------------------------


def _chosen_roles(request) -> dict[int, str]:
    """{person id: role} from the role_<id> selects of the form."""
    chosen = {}
    for key, value in request.POST.items():
        if key.startswith("role_") and key[5:].isdigit() and value in ParticipantRole.values:
            chosen[int(key[5:])] = value
    return chosen


@bluecards_perm_or_404("bluecards.add_bluecard")
@require_http_methods(["GET", "POST"])
def card_create(request):
    """Form A. Persons are found with the registry search in the same form (a POST: no names
    or PESEL in the URL) and each gets a role; only persons the user may see can be chosen."""
    user = request.user
    saving = request.method == "POST" and request.POST.get("action") == "save"
    today = timezone.localdate()
    if saving:
        form = OpenForm(request.POST)
    elif request.method == "POST":
        form = OpenForm(initial=request.POST.dict())
    else:
        form = OpenForm(initial={"opened_on": today})
    search = PersonSearchForm(request.POST if request.method == "POST" else None)
    chosen = _chosen_roles(request) if request.method == "POST" else {}
    persons = list(person_queryset_for_user(user=user).filter(pk__in=chosen))
    candidates = [p for p in persons]
    query = search.cleaned_data.get("q", "") if search.is_bound and search.is_valid() else ""
    if query and not saving:
        known = {p.pk for p in candidates}
        candidates += [p for p in _search_persons(request, query) if p.pk not in known]
    if saving and form.is_valid():
        by_role = {role: [p for p in persons if chosen[p.pk] == role] for role in chosen.values()}
        try:
            card = services.blue_card_open(
                actor=user,
                opened_on=form.cleaned_data["opened_on"],
                circumstances=form.cleaned_data["circumstances"],
                team_name=form.cleaned_data["team_name"],
                sent_to_team_on=form.cleaned_data["sent_to_team_on"],
                experiencing=by_role.get(ParticipantRole.EXPERIENCING, []),
                using=by_role.get(ParticipantRole.USING, []),
                child_witnesses=by_role.get(ParticipantRole.CHILD_WITNESS, []),
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(
                request, _("Blue Card %(number)s has been opened.") % {"number": card.number}
            )
            return redirect(card)
    return render(
        request,
        "bluecards/card_form.html",
        {
            "form": form,
            "search": search,
            "query": query,
            "candidates": candidates,
            "chosen": chosen,
            "roles": ParticipantRole.choices,
        },
    )


# --- One card ----------------------------------------------------------------------------------


@bluecards_perm_or_404("bluecards.view_bluecard")
def card_detail(request, pk: int):
    card = _card(request, pk)
    _viewed(request, card)
    today = timezone.localdate()
    return render(
        request,
        "bluecards/card_detail.html",
        {
            "card": card,
            "is_open": card.status == BlueCardStatus.OPEN,
            "deadlines": _deadline_rows(card, today),
            "participants": card.participants.select_related("person"),
            "forms": card.forms.select_related("participant__person", "recorded_by"),
            "members": card.members.select_related("user").order_by("removed_on", "name", "id"),
            "meetings": card.meetings.order_by("planned_on", "id"),
        },
    )


def _edit_page(request, card, template, form, **context):
    _viewed(request, card)
    return render(request, template, {"card": card, "form": form, **context})


@bluecards_perm_or_404("bluecards.change_bluecard")
@require_http_methods(["GET", "POST"])
def card_edit(request, pk: int):
    """Correct form A's text; record when it went to the team and when the group got it."""
    card = _card(request, pk)
    form = EditForm(
        request.POST or None,
        initial={
            "circumstances": card.circumstances,
            "team_name": card.team_name,
            "sent_to_team_on": card.sent_to_team_on,
            "group_received_on": card.group_received_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.blue_card_update(actor=request.user, blue_card=card, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(card)
    return _edit_page(request, card, "bluecards/card_edit.html", form)


@bluecards_perm_or_404("bluecards.add_bluecardparticipant")
@require_http_methods(["GET", "POST"])
def participant_add(request, pk: int):
    """Add a person of the registry, found with the registry search, in a role."""
    card = _card(request, pk)
    search = PersonSearchForm(request.POST if request.method == "POST" else None)
    saving = request.method == "POST" and request.POST.get("action") == "save"
    form = ParticipantRoleForm(request.POST if saving else None)
    query = search.cleaned_data.get("q", "") if search.is_bound and search.is_valid() else ""
    candidates = []
    if query and not saving:
        candidates = _search_persons(request, query)
    if saving and form.is_valid():
        person_id = request.POST.get("person", "")
        person = (
            person_queryset_for_user(user=request.user).filter(pk=person_id).first()
            if person_id.isdigit()
            else None
        )
        if person is None:
            form.add_error(None, _("Find and choose a person."))
        else:
            try:
                services.blue_card_participant_add(
                    actor=request.user,
                    blue_card=card,
                    person=person,
                    role=form.cleaned_data["role"],
                )
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, _("The person has been added to the procedure."))
                return redirect(card)
    return _edit_page(
        request,
        card,
        "bluecards/participant_form.html",
        form,
        search=search,
        candidates=candidates,
        query=query,
    )


@bluecards_perm_or_404("bluecards.add_bluecardform")
@require_http_methods(["GET", "POST"])
def form_add(request, pk: int):
    """Record form B, C or D."""
    card = _card(request, pk)
    form = FormRecordForm(
        request.POST or None,
        participants=card.participants.select_related("person"),
        initial={"filled_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.blue_card_form_record(actor=request.user, blue_card=card, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The form has been recorded."))
            return redirect(card)
    return _edit_page(request, card, "bluecards/form_form.html", form)


@bluecards_perm_or_404("bluecards.add_bluecardmember")
@require_http_methods(["GET", "POST"])
def member_add(request, pk: int):
    card = _card(request, pk)
    form = MemberForm(
        request.POST or None, staff=selectors.staff_who_may_be_members(blue_card=card)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.blue_card_member_add(actor=request.user, blue_card=card, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The member has been added."))
            return redirect(card)
    return _edit_page(request, card, "bluecards/member_form.html", form)


@bluecards_perm_or_404("bluecards.change_bluecardmember")
@require_http_methods(["GET", "POST"])
def member_remove(request, pk: int, member_pk: int):
    card = _card(request, pk)
    member = BlueCardMember.objects.filter(blue_card=card, pk=member_pk).first()
    if member is None:
        raise Http404
    errors = []
    if request.method == "POST":
        try:
            services.blue_card_member_remove(actor=request.user, member=member)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The member has been removed."))
            if selectors.blue_card_queryset_for_user(user=request.user).filter(pk=card.pk).exists():
                return redirect(card)
            return redirect("bluecards:list")
    _viewed(request, card)
    return render(
        request,
        "bluecards/member_remove.html",
        {"card": card, "member": member, "errors": errors},
    )


@bluecards_perm_or_404("bluecards.add_bluecardmeeting")
@require_http_methods(["GET", "POST"])
def meeting_plan(request, pk: int):
    card = _card(request, pk)
    form = MeetingPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.blue_card_meeting_plan(actor=request.user, blue_card=card, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The meeting has been planned."))
            return redirect(card)
    return _edit_page(request, card, "bluecards/meeting_plan.html", form)


@bluecards_perm_or_404("bluecards.change_bluecardmeeting")
@require_http_methods(["GET", "POST"])
def meeting_held(request, pk: int):
    """Record a meeting of the group that was not planned here."""
    return _meeting_record(request, pk, None)


@bluecards_perm_or_404("bluecards.change_bluecardmeeting")
@require_http_methods(["GET", "POST"])
def meeting_record(request, pk: int, meeting_pk: int):
    """Record that a planned meeting took place: when, who attended, the minutes."""
    return _meeting_record(request, pk, meeting_pk)


def _meeting_record(request, pk: int, meeting_pk: int | None):
    card = _card(request, pk)
    meeting = None
    initial = {}
    if meeting_pk is not None:
        meeting = BlueCardMeeting.objects.filter(blue_card=card, pk=meeting_pk).first()
        if meeting is None:
            raise Http404
        initial = {
            "held_on": meeting.held_on or meeting.planned_on,
            "attendees": meeting.attendees,
            "minutes": meeting.minutes,
        }
    form = MeetingRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.blue_card_meeting_record(
                actor=request.user, blue_card=card, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The meeting has been recorded."))
            return redirect(card)
    return _edit_page(request, card, "bluecards/meeting_record.html", form, meeting=meeting)


@bluecards_perm_or_404("bluecards.change_bluecard")
@require_http_methods(["GET", "POST"])
def card_close(request, pk: int):
    card = _card(request, pk)
    form = CloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.blue_card_close(actor=request.user, blue_card=card, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(
                request, _("Blue Card %(number)s has been closed.") % {"number": card.number}
            )
            return redirect(card)
    return _edit_page(request, card, "bluecards/card_close.html", form)
