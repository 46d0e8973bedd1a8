"""Pages of the shelter: the nightly board and placing a person, the night list, facilities
(beds, stays, the night count), money and statistics, programmes for leaving homelessness and a
person's shelter history."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gops.audit.services import audit_record_search, audit_record_view
from gops.benefits.models import Decision, DecisionKind, DecisionStatus
from gops.cases.models import BenefitKind
from gops.cases.selectors import contract_queryset_for_user
from gops.core.errors import ConflictError
from gops.core.forms import form_add_validation_error
from gops.people.selectors import person_get_for_user, person_search

from . import reports, selectors, services
from .forms import (
    BedForm,
    BedOutOfUseForm,
    BoardFilterForm,
    CheckoutForm,
    ExitCloseForm,
    ExitPlanForm,
    ExitReviewForm,
    ExitStepFormSet,
    FacilityForm,
    MonthForm,
    NightCountForm,
    PersonSearchForm,
)
from .models import Bed, CheckoutReason, HomelessnessExitPlan, NightRecord, Placement

SEARCH_LIMIT = 20


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _bed_for_user(request, bed_id) -> Bed:
    bed = (
        Bed.objects.filter(facility__in=selectors.facility_queryset_for_user(user=request.user))
        .select_related("facility")
        .filter(pk=bed_id)
        .first()
    )
    if bed is None:
        raise Http404
    return bed


def _shelter_decisions(person) -> list[Decision]:
    """The person's issued decisions granting shelter, to place from one of them."""
    return _shelter_decisions_of([person]).get(person.pk, [])


def _shelter_decisions_of(persons) -> dict[int, list[Decision]]:
    """{person id: their issued decisions granting shelter, newest first}, in one query for
    all the search results."""
    found: dict[int, list[Decision]] = {}
    if not persons:
        return found
    decisions = Decision.objects.filter(
        centre_id__in={p.centre_id for p in persons},
        person__in=persons,
        benefit=BenefitKind.SHELTER,
        kind=DecisionKind.GRANTING,
        status=DecisionStatus.ISSUED,
    ).order_by("-pk")
    for decision in decisions:
        found.setdefault(decision.person_id, []).append(decision)
    return found


def _night(value, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@login_required
@permission_required("shelter.view_facility", raise_exception=True)
def board(request):
    """The nightly board: free beds for a night across all facilities."""
    today = timezone.localdate()
    form = BoardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    night = filters.get("night") or today
    rows = selectors.board(
        user=request.user,
        night=night,
        kind=filters.get("kind") or None,
        sex=filters.get("sex") or None,
        wheelchair=bool(filters.get("wheelchair")),
    )
    return render(
        request,
        "shelter/board.html",
        {
            "form": form if form.is_bound else BoardFilterForm(initial={"night": today}),
            "night": night,
            "is_tonight": night == today,
            "may_place": night <= today and request.user.has_perm("shelter.add_placement"),
            "rows": rows,
            "totals": {
                "beds": sum(r.beds for r in rows),
                "occupied": sum(r.occupied for r in rows),
                "free": sum(r.free_count for r in rows),
            },
            "not_seen_count": selectors.not_seen(user=request.user, today=today).count(),
        },
    )


@login_required
@permission_required("shelter.add_placement", raise_exception=True)
@require_http_methods(["GET", "POST"])
def place(request):
    """Place a person into a chosen free bed: search (POST, no PESEL in the URL), then one click.

    The bed and the night come with the request; a POST with `person` places, a POST with `q`
    searches.
    """
    data = request.POST if request.method == "POST" else request.GET
    bed = _bed_for_user(request, data.get("bed"))
    night = _night(data.get("night"), timezone.localdate())
    emergency = bed.facility.kind in services.EMERGENCY_KINDS
    if request.method == "POST" and "person" in request.POST:
        person = person_get_for_user(user=request.user, person_id=request.POST["person"])
        decision = None
        if not emergency and request.POST.get("decision"):
            decision = next(
                (d for d in _shelter_decisions(person) if str(d.pk) == request.POST["decision"]),
                None,
            )
        try:
            placement = services.placement_create(
                actor=request.user,
                person=person,
                bed=bed,
                check_in=night,
                decision=decision,
                emergency=emergency,
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request,
                _("%(person)s has been placed in %(bed)s.")
                % {"person": person, "bed": placement.bed},
            )
            return redirect(bed.facility)
        return redirect(f"{request.path}?bed={bed.pk}&night={night.isoformat()}")
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    candidates = None
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        found = list(person_search(user=request.user, query=query)[:SEARCH_LIMIT])
        audit_record_search(
            actor=request.user, query=query, result_count=len(found), scope="shelter"
        )
        current = dict(
            Placement.objects.filter(person__in=found, check_out__isnull=True)
            .select_related("facility")
            .values_list("person_id", "facility__name")
        )
        decisions = {} if emergency else _shelter_decisions_of(found)
        candidates = [
            {
                "person": p,
                "placed_in": current.get(p.pk),
                "decisions": decisions.get(p.pk, []),
                "fits": bed.sex in ("any", p.sex) and bed.facility.admits in ("any", p.sex),
            }
            for p in found
        ]
    return render(
        request,
        "shelter/place.html",
        {
            "bed": bed,
            "night": night,
            "emergency": emergency,
            "form": form,
            "candidates": candidates,
        },
    )


@login_required
@permission_required("shelter.view_placement", raise_exception=True)
def night_list(request):
    """The printable list for a night: who is expected where."""
    night = _night(request.GET.get("night"), timezone.localdate())
    placements = selectors.night_list(user=request.user, night=night)
    return render(request, "shelter/night_list.html", {"night": night, "placements": placements})


@login_required
@permission_required("shelter.view_placement", raise_exception=True)
def not_seen(request):
    """Persons placed but not seen at the night count for some nights."""
    today = timezone.localdate()
    return render(
        request,
        "shelter/not_seen.html",
        {
            "placements": selectors.not_seen(user=request.user, today=today),
            "nights": selectors.NOT_SEEN_NIGHTS,
        },
    )


@login_required
@permission_required("shelter.view_facility", raise_exception=True)
def facility_detail(request, pk: int):
    facility = selectors.facility_get_for_user(user=request.user, facility_id=pk)
    today = timezone.localdate()
    night = _night(request.GET.get("night"), today)
    beds = list(facility.beds.all())
    stays = list(
        selectors.placement_queryset_for_user(user=request.user)
        .filter(facility=facility, check_out__isnull=True)
        .select_related("person", "bed")
        .order_by("bed__room", "bed__label")
    )
    counted = {}
    if request.user.has_perm("shelter.view_nightrecord"):
        counted = dict(
            NightRecord.objects.filter(facility=facility, night=night).values_list(
                "placement_id", "present"
            )
        )
    for stay in stays:
        # Before the night is counted everyone is ticked: absence is the exception.
        stay.count_checked = counted.get(stay.pk, False) if counted else True
    return render(
        request,
        "shelter/facility_detail.html",
        {
            "facility": facility,
            "beds": beds,
            "occupied_bed_ids": {s.bed_id for s in stays},
            "stays": stays,
            "night": night,
            "today": today,
            "counted": counted,
            "checkout_reasons": CheckoutReason.choices,
        },
    )


@login_required
@require_POST
def bed_out_of_use(request, pk: int):
    bed = _bed_for_user(request, pk)
    form = BedOutOfUseForm(request.POST)
    form.is_valid()
    try:
        services.bed_out_of_use_set(
            actor=request.user,
            bed=bed,
            out_of_use=form.cleaned_data.get("out_of_use", False),
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The bed has been updated."))
    return redirect(bed.facility)


@login_required
@require_POST
def placement_checkout(request, pk: int):
    placement = selectors.placement_get_for_user(user=request.user, placement_id=pk)
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the reason and the date of check-out."))
        return redirect(placement.facility)
    try:
        services.placement_checkout(
            actor=request.user,
            placement=placement,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(person)s has checked out.") % {"person": placement.person})
    return redirect(placement.facility)


@login_required
@require_POST
def night_count(request, pk: int):
    facility = selectors.facility_get_for_user(user=request.user, facility_id=pk)
    form = NightCountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the night."))
        return redirect(facility)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    try:
        count = services.night_count_record(
            actor=request.user,
            facility=facility,
            night=form.cleaned_data["night"],
            present_placement_ids=present,
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("The night count has been recorded: %(count)s present.") % {"count": count},
        )
    return redirect(f"{facility.get_absolute_url()}?night={form.cleaned_data['night']:%Y-%m-%d}")


def _month(request) -> tuple[MonthForm, date]:
    default = timezone.localdate().replace(day=1)
    form = MonthForm(request.GET or None, initial={"month": default})
    month = form.cleaned_data["month"] if form.is_bound and form.is_valid() else default
    return form, month.replace(day=1)


@login_required
@permission_required("shelter.view_placement", raise_exception=True)
def money(request):
    """Money and statistics: cost per facility, claims per gmina, occupancy."""
    form, month = _month(request)
    claims, unclaimed = reports.gmina_claims(user=request.user, month=month)
    costs = reports.facility_costs(user=request.user, month=month)
    return render(
        request,
        "shelter/money.html",
        {
            "form": form,
            "month": month,
            "costs": costs,
            "costs_total": sum((c.cost for c in costs), reports.ZERO),
            "claims": claims,
            "unclaimed": unclaimed,
            "stats": reports.month_statistics(user=request.user, month=month),
        },
    )


@login_required
@permission_required("shelter.view_placement", raise_exception=True)
def claims_csv(request):
    _form, month = _month(request)
    response = HttpResponse(
        reports.gmina_claims_csv(user=request.user, months=[month]),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="zwroty-gmin-{month:%Y-%m}.csv"'
    return response


def _plan_for_user(request, pk: int) -> HomelessnessExitPlan:
    if not request.user.has_perm("shelter.view_homelessnessexitplan"):
        raise PermissionDenied
    plan = (
        HomelessnessExitPlan.objects.filter(centre_id=request.user.centre_id, pk=pk)
        .select_related("worker")
        .first()
    )
    if plan is None:
        raise Http404
    # The person's scope (district, assignment) applies to the plan too.
    plan.person = person_get_for_user(user=request.user, person_id=plan.person_id)
    return plan


@login_required
@permission_required("shelter.add_homelessnessexitplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def exit_plan_create(request, person_pk: int):
    person = person_get_for_user(user=request.user, person_id=person_pk)
    form = ExitPlanForm(
        request.POST or None,
        initial={"agreed_on": timezone.localdate()},
        contracts=contract_queryset_for_user(user=request.user).filter(person=person),
    )
    steps = ExitStepFormSet(request.POST or None, prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        try:
            plan = services.exit_plan_create(
                actor=request.user,
                person=person,
                agreed_on=form.cleaned_data["agreed_on"],
                goals=form.cleaned_data["goals"],
                social_contract=form.cleaned_data["social_contract"],
                steps=[(s["area"], s["action"], s["due_on"]) for s in steps.cleaned_data if s],
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The programme has been agreed."))
            return redirect("shelter:exit_plan_detail", pk=plan.pk)
    return render(
        request,
        "shelter/exit_plan_form.html",
        {"person": person, "form": form, "steps": steps},
    )


@login_required
@require_http_methods(["GET", "POST"])
def exit_plan_detail(request, pk: int):
    plan = _plan_for_user(request, pk)
    form = ExitReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST":
        if form.is_valid():
            done = {int(v) for v in request.POST.getlist("done") if v.isdigit()}
            try:
                services.exit_plan_review(
                    actor=request.user, plan=plan, done_step_ids=done, **form.cleaned_data
                )
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, _("The review has been recorded."))
                return redirect("shelter:exit_plan_detail", pk=plan.pk)
    else:
        audit_record_view(actor=request.user, instance=plan, person_id=plan.person_id)
    return render(
        request,
        "shelter/exit_plan_detail.html",
        {
            "plan": plan,
            "steps": plan.steps.all(),
            "reviews": plan.reviews.select_related("reviewer"),
            "form": form,
            "close_form": ExitCloseForm(),
        },
    )


@login_required
@require_POST
def exit_plan_close(request, pk: int):
    plan = _plan_for_user(request, pk)
    form = ExitCloseForm(request.POST)
    if form.is_valid():
        try:
            services.exit_plan_close(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The programme has ended; its outcome is recorded."))
    else:
        messages.error(request, _("Give the result and the outcome."))
    return redirect("shelter:exit_plan_detail", pk=plan.pk)


def _history(request, person):
    placements = (
        selectors.placement_queryset_for_user(user=request.user)
        .filter(person=person)
        .select_related("facility", "bed", "decision")
    )
    plans = []
    if request.user.has_perm("shelter.view_homelessnessexitplan"):
        plans = HomelessnessExitPlan.objects.filter(centre_id=request.user.centre_id, person=person)
    # This month's charge (odpłatność) for the person, from the paid nights of their stays.
    month = timezone.localdate().replace(day=1)
    charges = [
        s
        for s in reports.stay_nights(user=request.user, month=month)
        if s.placement.person_id == person.pk and s.placement.fee_per_night
    ]
    return {
        "person": person,
        "placements": placements,
        "plans": plans,
        "month": month,
        "charges": charges,
        "charge_total": sum((s.fees for s in charges), Decimal("0.00")),
    }


@login_required
@permission_required("shelter.view_placement", raise_exception=True)
def person_history(request, person_pk: int):
    """A person's shelter history: stays and programmes for leaving homelessness."""
    person = person_get_for_user(user=request.user, person_id=person_pk)
    audit_record_view(actor=request.user, instance=person, person_id=person.pk)
    return render(request, "shelter/person_history.html", _history(request, person))


@login_required
@permission_required("shelter.view_placement", raise_exception=True)
def person_panel(request, person_pk: int):
    """htmx: the person's stays and programmes, on the person's page."""
    person = person_get_for_user(user=request.user, person_id=person_pk)
    context = _history(request, person)
    context["placements"] = context["placements"][:5]
    return render(request, "shelter/_person_panel.html", context)


@login_required
@permission_required("shelter.add_facility", raise_exception=True)
@require_http_methods(["GET", "POST"])
def facility_create(request):
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            facility = services.facility_save(actor=request.user, facility=form.instance)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The facility has been registered. Now add its beds."))
            return redirect(facility)
    return render(request, "shelter/facility_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def facility_edit(request, pk: int):
    facility = selectors.facility_get_for_user(user=request.user, facility_id=pk)
    if not request.user.has_perm("shelter.change_facility"):
        raise PermissionDenied
    form = FacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        try:
            services.facility_save(actor=request.user, facility=form.instance)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(facility)
    return render(request, "shelter/facility_form.html", {"form": form, "facility": facility})


@login_required
@require_http_methods(["GET", "POST"])
def bed_add(request, pk: int):
    facility = selectors.facility_get_for_user(user=request.user, facility_id=pk)
    form = BedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bed_add(actor=request.user, facility=facility, bed=form.instance)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The bed has been added."))
            return redirect(facility)
    return render(request, "shelter/bed_form.html", {"form": form, "facility": facility})
