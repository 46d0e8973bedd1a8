"""The head's dashboard (the centre at a glance) and a social worker's (own caseload and
deadlines). Charts are inline SVG built by svg.py; every chart is followed by its table."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import rules, selectors, svg


def _month(value) -> str:
    return f"{value:%m.%Y}"


def _money(value) -> str:
    return number_format(Decimal(value).quantize(Decimal("1")), decimal_pos=0, force_grouping=True)


def deadline_kind_labels() -> dict[str, str]:
    return {
        "interview": _("Community interviews"),
        "decision": _("Decisions (k.p.a. art. 35)"),
        "interview_update": _("Interview updates (every 6 months)"),
    }


def _deadline_rows(summary: selectors.DeadlineSummary) -> list[tuple]:
    labels = deadline_kind_labels()
    return [(labels[kind], *counts) for kind, *counts in summary.rows()]


def _norm_reference() -> svg.Reference:
    return svg.Reference(label=_("norm"), value=rules.STAFFING_NORM)


def _deadlines_chart(chart_id: str, summary: selectors.DeadlineSummary) -> str:
    labels = deadline_kind_labels()
    rows = summary.rows()
    names = (_("overdue"), _("due within 7 days"), _("later"))
    return svg.bar_chart(
        chart_id=chart_id,
        title=_("Deadlines by kind"),
        desc=_(
            "Overdue, due within 7 days and later deadlines; the numbers are in the table below."
        ),
        data=[
            svg.Series(name, [(labels[row[0]], row[i + 1]) for row in rows])
            for i, name in enumerate(names)
        ],
    )


def _caseload_chart(chart_id: str, loads: list[selectors.WorkerLoad]) -> str:
    return svg.hbar_chart(
        chart_id=chart_id,
        title=_("Caseload against the staffing norm"),
        desc=_(
            "Families and single persons in social work per social worker, against the norm "
            "of 50 (u.p.s. art. 110 ust. 11); the numbers are in the table below."
        ),
        data=[(str(load.worker), load.households) for load in loads],
        reference=_norm_reference(),
    )


@login_required
@permission_required("cases.view_all_applications", raise_exception=True)
def head(request):
    today = timezone.localdate()
    data = selectors.head_dashboard(user=request.user, today=today)
    charts = {
        "activity": svg.bar_chart(
            chart_id="chart-activity",
            title=_("Applications and decisions per month"),
            desc=_(
                "Applications received and decisions issued in the last 12 months; "
                "the numbers are in the table below."
            ),
            data=[
                svg.Series(
                    _("Applications received"),
                    [(_month(row.month), row.applications) for row in data.activity],
                ),
                svg.Series(
                    _("Decisions issued"),
                    [(_month(row.month), row.decisions) for row in data.activity],
                ),
            ],
        ),
        "caseload": _caseload_chart("chart-caseload", data.caseload.rows),
        "deadlines": _deadlines_chart("chart-deadlines", data.deadlines),
    }
    if data.budget is not None:
        charts["budget"] = svg.line_chart(
            chart_id="chart-budget",
            title=_("Benefits paid against the plan, %(year)s") % {"year": data.budget.year},
            desc=_(
                "Cash benefits paid to date in each month against the year's plan; "
                "the numbers are in the table below."
            ),
            data=[
                svg.Series(
                    _("Paid to date"),
                    [(f"{m.month:%m}", m.paid_to_date) for m in data.budget.months],
                )
            ],
            reference=svg.Reference(label=_("plan"), value=data.budget.planned),
            value_format=_money,
        )
    if data.shelter:
        charts["shelter"] = svg.hbar_chart(
            chart_id="chart-shelter",
            title=_("Shelter occupancy tonight"),
            desc=_(
                "Beds in use and beds occupied per facility; the numbers are in the table below."
            ),
            data=[
                svg.Series(_("Beds in use"), [(row.facility, row.beds) for row in data.shelter]),
                svg.Series(_("Occupied"), [(row.facility, row.occupied) for row in data.shelter]),
            ],
        )
    if data.attendance is not None:
        charts["attendance"] = svg.bar_chart(
            chart_id="chart-attendance",
            title=_("Activity attendance, last 3 months"),
            desc=_(
                "Places registered at the sessions held and persons who came; "
                "the numbers are in the table below."
            ),
            data=[
                svg.Series(
                    _("Registered"), [(_month(m.month), m.registered) for m in data.attendance]
                ),
                svg.Series(_("Attended"), [(_month(m.month), m.attended) for m in data.attendance]),
            ],
        )
    return render(
        request,
        "dashboards/head.html",
        {
            "d": data,
            "charts": {key: mark_safe(value) for key, value in charts.items()},  # noqa: S308
            "deadline_rows": _deadline_rows(data.deadlines),
            "norm": rules.STAFFING_NORM,
        },
    )


@login_required
@permission_required("cases.view_application", raise_exception=True)
def worker(request):
    today = timezone.localdate()
    data = selectors.worker_dashboard(user=request.user, today=today)
    charts = {
        "caseload": _caseload_chart("chart-my-caseload", [data.caseload]),
        "deadlines": _deadlines_chart("chart-my-deadlines", data.deadlines),
    }
    return render(
        request,
        "dashboards/worker.html",
        {
            "d": data,
            # svg.py escapes every text it writes.
            "charts": {key: mark_safe(value) for key, value in charts.items()},  # noqa: S308
            "deadline_rows": _deadline_rows(data.deadlines),
            "norm": rules.STAFFING_NORM,
        },
    )
