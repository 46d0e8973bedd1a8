"""Pages of integration: parse, call one service or selector, render.

Foreigners with their document alerts, integration programmes (goals, steps, reviews,
activation, closing, the benefit and its decision), letters to clients in Polish, Ukrainian
and English, and the panel on the person's page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gops.accounts import roles
from gops.accounts.models import User
from gops.activities.models import ActivitySession
from gops.activities.selectors import activity_queryset_for_user
from gops.audit.services import audit_record_view
from gops.benefits.selectors import decision_queryset_for_user
from gops.core.forms import form_add_validation_error
from gops.people.selectors import person_get_for_user

from . import letters, selectors, services
from .forms import (
    ApplicationLinkForm,
    CloseForm,
    DecisionDraftForm,
    GoalAchievedForm,
    GoalForm,
    LetterForm,
    ProgrammeForm,
    ReviewForm,
    StepDoneForm,
    StepForm,
)
from .models import IntegrationGoal, IntegrationStep, ProgrammeStatus

FOREIGNERS_PAGE = 50  # persons per page of the foreigners list

CASE_ROLES = (roles.HEAD, roles.SOCIAL_WORKER)


def _staff(user: User):
    return (
        User.objects.filter(centre_id=user.centre_id, is_active=True, groups__name__in=CASE_ROLES)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _error_message(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@permission_required("integration.view_integrationprogramme", raise_exception=True)
def foreigners(request):
    """Foreigners the user may see: status, document validity with its alert, language needs
    and the open programme."""
    today = timezone.localdate()
    # A large city's district has thousands of foreigners: a page at a time; the alerts
    # (documents expiring or expired) are all listed, from their own query.
    page = Paginator(selectors.foreigner_queryset(user=request.user), FOREIGNERS_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "integration/foreigners.html",
        {
            "rows": selectors.foreigners(user=request.user, today=today, persons=page),
            "page": page,
            "today": today,
            "alert_days": selectors.alert_days(),
            "alerts": selectors.documents_expiring(user=request.user, today=today),
        },
    )


@login_required
@permission_required("integration.view_integrationprogramme", raise_exception=True)
def programme_list(request):
    status = request.GET.get("status") or None
    if status not in (None, *ProgrammeStatus.values):
        status = None
    return render(
        request,
        "integration/programme_list.html",
        {
            "programmes": selectors.programme_list(user=request.user, status=status),
            "status": status,
            "statuses": ProgrammeStatus.choices,
        },
    )


@login_required
@permission_required("integration.add_integrationprogramme", raise_exception=True)
@require_http_methods(["GET", "POST"])
def programme_create(request, person_pk: int):
    person = person_get_for_user(user=request.user, person_id=person_pk, for_write=True)
    today = timezone.localdate()
    form = ProgrammeForm(
        request.POST or None,
        staff=_staff(request.user),
        initial={
            "applied_on": today,
            "starts_on": today,
            "coordinator": request.user.pk,
            "family_size": 1,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                actor=request.user, person=person, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The integration programme has been opened."))
            return redirect(programme)
    return render(request, "integration/programme_form.html", {"form": form, "person": person})


def _detail_context(request, programme, **forms) -> dict:
    user = request.user
    programme = selectors.programme_with_plan(programme=programme)
    person = programme.person
    membership = person.active_membership
    applications = selectors.integration_applications(user=user, person=person)
    context = {
        "programme": programme,
        "person": person,
        "can_write": selectors.programme_can_write(user=user, programme=programme),
        "is_open": programme.status in selectors.OPEN_STATUSES,
        "household": membership.household if membership else None,
        "applications": applications,
        "link_form": ApplicationLinkForm(
            applications=_application_qs(user, person),
        ),
        "goal_form": GoalForm(),
        "step_form": StepForm(),
        "step_done_form": StepDoneForm(initial={"done_on": timezone.localdate()}),
        "goal_achieved_form": GoalAchievedForm(initial={"achieved_on": timezone.localdate()}),
        "review_form": ReviewForm(initial={"reviewed_on": timezone.localdate()}),
        "close_form": CloseForm(initial={"closed_on": timezone.localdate()}),
        "decision_form": DecisionDraftForm(),
        "edit_form": ProgrammeForm(
            staff=_staff(user),
            initial={
                "kind": programme.kind,
                "protection_granted_on": programme.protection_granted_on,
                "applied_on": programme.applied_on,
                "starts_on": programme.starts_on,
                "ends_on": programme.ends_on,
                "family_size": programme.family_size,
                "coordinator": programme.coordinator_id,
            },
        ),
        "decision_visible": programme.decision_id is not None
        and decision_queryset_for_user(user=user).filter(pk=programme.decision_id).exists(),
    }
    context.update(forms)
    return context


def _application_qs(user, person):
    from gops.cases.models import Application

    ids = [a.pk for a in selectors.integration_applications(user=user, person=person)]
    return Application.objects.filter(pk__in=ids).order_by("-received_on", "-pk")


@login_required
def programme_detail(request, pk: int):
    programme = selectors.programme_get_for_user(user=request.user, programme_id=pk)
    audit_record_view(actor=request.user, instance=programme, person_id=programme.person_id)
    return render(request, "integration/programme_detail.html", _detail_context(request, programme))


def _for_write(request, pk: int):
    return selectors.programme_get_for_user(user=request.user, programme_id=pk, for_write=True)


def _post_form(request, pk: int, form_class, context_name: str, call, success: str, **form_kw):
    """Validate `form_class` from POST, call `call(programme, cleaned_data)`; on error show
    the programme page again with the form and its errors (status 400)."""
    programme = _for_write(request, pk)
    form = form_class(request.POST, **form_kw)
    if form.is_valid():
        try:
            call(programme, form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, success)
            return redirect(programme)
    return render(
        request,
        "integration/programme_detail.html",
        _detail_context(request, programme, **{context_name: form}),
        status=400,
    )


@login_required
@require_POST
def programme_edit(request, pk: int):
    return _post_form(
        request,
        pk,
        ProgrammeForm,
        "edit_form",
        lambda p, data: services.programme_update(actor=request.user, programme=p, data=data),
        _("The changes have been saved."),
        staff=_staff(request.user),
    )


@login_required
@require_POST
def programme_link_application(request, pk: int):
    programme = _for_write(request, pk)
    return _post_form(
        request,
        pk,
        ApplicationLinkForm,
        "link_form",
        lambda p, data: services.programme_update(
            actor=request.user, programme=p, data={"application": data["application"]}
        ),
        _("The application has been linked to the programme."),
        applications=_application_qs(request.user, programme.person),
    )


@login_required
@require_POST
def programme_activate(request, pk: int):
    programme = _for_write(request, pk)
    try:
        services.programme_activate(actor=request.user, programme=programme)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The programme has started."))
    return redirect(programme)


@login_required
@require_POST
def programme_close(request, pk: int):
    return _post_form(
        request,
        pk,
        CloseForm,
        "close_form",
        lambda p, data: services.programme_close(actor=request.user, programme=p, **data),
        _("The programme has been closed."),
    )


@login_required
@require_POST
def programme_decision(request, pk: int):
    """Draft the decision on the programme's benefit and open it in benefits."""
    programme = _for_write(request, pk)
    form = DecisionDraftForm(request.POST)
    if form.is_valid():
        try:
            decision = services.programme_decision_draft(
                actor=request.user, programme=programme, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The decision on the benefit has been drafted."))
            return redirect("benefits:decision_detail", pk=decision.pk)
    return render(
        request,
        "integration/programme_detail.html",
        _detail_context(request, programme, decision_form=form),
        status=400,
    )


@login_required
@require_POST
def goal_add(request, pk: int):
    def call(programme, data):
        steps = ()
        if data["first_step"] or data["first_step_deadline"]:
            steps = (
                services.StepData(action=data["first_step"], deadline=data["first_step_deadline"]),
            )
        services.goal_add(
            actor=request.user,
            programme=programme,
            area=data["area"],
            description=data["description"],
            steps=steps,
        )

    return _post_form(request, pk, GoalForm, "goal_form", call, _("The goal has been added."))


def _goal_of(programme, goal_pk: int) -> IntegrationGoal:
    goal = IntegrationGoal.objects.filter(programme=programme, pk=goal_pk).first()
    if goal is None:
        raise Http404
    return goal


def _step_of(programme, step_pk: int) -> IntegrationStep:
    step = IntegrationStep.objects.filter(goal__programme=programme, pk=step_pk).first()
    if step is None:
        raise Http404
    return step


@login_required
@require_POST
def goal_achieved(request, pk: int, goal_pk: int):
    return _post_form(
        request,
        pk,
        GoalAchievedForm,
        "goal_achieved_form",
        lambda p, data: services.goal_mark_achieved(
            actor=request.user, goal=_goal_of(p, goal_pk), **data
        ),
        _("The goal has been marked as achieved."),
    )


@login_required
@require_POST
def step_add(request, pk: int, goal_pk: int):
    return _post_form(
        request,
        pk,
        StepForm,
        "step_form",
        lambda p, data: services.step_add(actor=request.user, goal=_goal_of(p, goal_pk), **data),
        _("The step has been added."),
    )


@login_required
@require_POST
def step_done(request, pk: int, step_pk: int):
    return _post_form(
        request,
        pk,
        StepDoneForm,
        "step_done_form",
        lambda p, data: services.step_mark_done(
            actor=request.user, step=_step_of(p, step_pk), **data
        ),
        _("The step has been marked as done."),
    )


@login_required
@require_POST
def review_add(request, pk: int):
    return _post_form(
        request,
        pk,
        ReviewForm,
        "review_form",
        lambda p, data: services.review_add(actor=request.user, programme=p, **data),
        _("The review has been recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter(request, person_pk: int):
    """Choose the kind, language and details of a letter to the person; POST returns the PDF."""
    if not letters.letters_allowed(user=request.user):
        raise PermissionDenied
    user = request.user
    person = person_get_for_user(user=user, person_id=person_pk)
    activities = activity_queryset_for_user(user=user)
    form = LetterForm(
        request.POST or None,
        initial={
            "language": person.letter_language,
            "kind": request.GET.get("kind") or letters.LetterKind.INTERVIEW,
            "worker": user.pk if user.groups.filter(name__in=CASE_ROLES).exists() else None,
            "place": ", ".join(
                p
                for p in (
                    person.registered_street,
                    f"{person.registered_postal_code} {person.registered_city}".strip(),
                )
                if p
            ),
        },
        decisions=decision_queryset_for_user(user=user)
        .filter(person=person, status="issued")
        .order_by("-issued_on", "-pk"),
        staff=_staff(user),
        activities=activities,
        sessions=ActivitySession.objects.filter(
            activity__in=activities, ends_at__gte=timezone.now()
        ).select_related("activity"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = letters.LetterDetails(
            decision=data["decision"],
            interview_on=data["interview_on"],
            interview_at=data["interview_at"],
            place=data["place"],
            worker=data["worker"],
            bring=tuple(data["bring"]),
            bring_other=data["bring_other"],
            activity=data["activity"],
            session=data["session"],
        )
        try:
            pdf = letters.letter_generate(
                actor=user,
                person=person,
                kind=data["kind"],
                language=data["language"],
                details=details,
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            name = letters.letter_filename(
                person=person, kind=data["kind"], language=data["language"]
            )
            response["Content-Disposition"] = f'inline; filename="{name}"'
            return response
    return render(
        request,
        "integration/letter_form.html",
        {"form": form, "person": person},
        status=400 if form.is_bound else 200,
    )


@login_required
def person_panel(request, person_pk: int):
    """htmx: the document alert, language needs, programmes and letters on the person's page;
    an empty answer for persons for whom none of it is relevant."""
    person = person_get_for_user(user=request.user, person_id=person_pk)
    panel = selectors.person_panel(user=request.user, person=person, today=timezone.localdate())
    if not panel.show:
        return HttpResponse("")
    return render(request, "integration/_person_panel.html", {"panel": panel, "person": person})
