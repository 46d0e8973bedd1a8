"""MRPiPS-03: the table of a period, the drill-down of each figure, the CSV download and the
XLSX in the background."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gops.jobs.services import job_start

from . import exports, rules, selectors
from .forms import PeriodForm


def _period(request, data) -> tuple[PeriodForm, int | None, int | None]:
    selectors.check_may_see(request.user)
    form = PeriodForm(data if "year" in data else None, initial=PeriodForm.initial_period())
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["half"]
    return form, None, None


def _query(year: int, half: int | None, **extra) -> str:
    params = {"year": year, "half": half or ""}
    params.update({k: v for k, v in extra.items() if v})
    return urlencode(params)


@login_required
@require_http_methods(["GET", "POST"])
def mrpips03(request):
    if request.method == "POST":
        form, year, half = _period(request, request.POST)
        if year is None:
            messages.error(request, _("Choose a year and a half-year."))
            return redirect("reports:mrpips03")
        try:
            job = job_start(
                actor=request.user,
                kind="reports.mrpips03_xlsx",
                params={"year": year, "half": half},
                title=f"MRPiPS-03 — {exports.period_label(year, half)}",
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [])) or _("Not allowed."))
            return redirect("reports:mrpips03")
        return redirect(job.get_absolute_url())
    form, year, half = _period(request, request.GET)
    context = {"form": form, "report": None}
    if year is not None:
        start, end = rules.half_year_period(year, half)
        report = selectors.mrpips03_for_user(user=request.user, start=start, end=end)
        base = _query(year, half)
        table = []
        for row in [*report.rows, report.total]:
            table.append(
                {
                    "row": row,
                    "benefit": exports.benefit_label(row.benefit) if row.benefit else _("Total"),
                    "task": exports.task_label(row.task) if row.task else "",
                    "cells": [
                        (
                            getattr(row, m),
                            _query(year, half, benefit=row.benefit, task=row.task, measure=m),
                            m,
                        )
                        for m in rules.MEASURES
                    ],
                }
            )
        reasons = [
            {
                "label": exports.reason_label(r.reason),
                "cells": [
                    (getattr(r, m), _query(year, half, reason=r.reason, measure=m), m)
                    for m in rules.REASON_MEASURES
                ],
            }
            for r in report.reasons
        ]
        context |= {
            "report": report,
            "table": table,
            "reasons": reasons,
            "year": year,
            "half": half,
            "period": exports.period_label(year, half),
            "query": base,
            "measures": [exports.MEASURE_LABELS[m] for m in rules.MEASURES],
        }
    return render(request, "reports/mrpips03.html", context)


@login_required
@require_GET
def mrpips03_detail(request):
    form, year, half = _period(request, request.GET)
    if year is None:
        raise Http404
    measure = request.GET.get("measure", "")
    benefit = request.GET.get("benefit", "")
    task = request.GET.get("task", "")
    reason = request.GET.get("reason", "")
    allowed = rules.REASON_MEASURES if reason else rules.MEASURES
    if measure not in allowed or (task and task not in rules.TASKS):
        raise Http404
    start, end = rules.half_year_period(year, half)
    drill = selectors.mrpips03_drill_for_user(
        user=request.user,
        start=start,
        end=end,
        measure=measure,
        benefit=benefit,
        task=task,
        reason=reason,
    )
    if reason:
        cell = exports.reason_label(reason)
    elif benefit:
        cell = f"{exports.benefit_label(benefit)} — {exports.task_label(task)}"
    else:
        cell = _("Total")
    return render(
        request,
        "reports/mrpips03_detail.html",
        {
            "drill": drill,
            "cell": cell,
            "measure_label": exports.MEASURE_LABELS[measure],
            "period": exports.period_label(year, half),
            "back": _query(year, half),
            "payment_lines": [
                (p, exports.benefit_label(p.benefit), exports.task_label(p.task))
                for p in drill.payments
            ],
        },
    )


@login_required
@require_GET
def mrpips03_csv(request):
    form, year, half = _period(request, request.GET)
    if year is None:
        raise Http404
    start, end = rules.half_year_period(year, half)
    report = selectors.mrpips03_for_user(user=request.user, start=start, end=end)
    text = io.StringIO()
    exports.write_csv(text, report)
    response = HttpResponse(text.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{exports.file_stem(year, half)}.csv"'
    return response
