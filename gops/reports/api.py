"""API of the statutory reports: MRPiPS-03 of a half-year or a year for the user's centre.

Same check as the pages: only holders of `reports.view_mrpips03` (403 otherwise — a report
is no object whose existence could be hidden, so there is nothing to answer 404 for)."""

from typing import Literal

from ninja import Field, Query, Router, Schema

from . import rules, selectors

router = Router(tags=["reports"])


class PeriodQuery(Schema):
    year: int = Field(ge=2000, le=2100, description="the report's year, e.g. 2025")
    half: int | None = Field(
        None,
        ge=1,
        le=2,
        description="1: January–June (MRPiPS-03-P), 2: July–December; omitted: the year",
    )


class Mrpips03RowOut(Schema):
    benefit: str = Field(description="cases.BenefitKind code, e.g. periodic")
    task: Literal["own", "commissioned"] = Field(
        description="own (u.p.s. art. 17) or commissioned (art. 18) task"
    )
    persons: int
    benefits: int
    amount: str = Field(description="paid in the period, zł, e.g. 765.00")
    families: int
    persons_in_families: int


class Mrpips03Out(Schema):
    rows: list[Mrpips03RowOut]
    total_persons: int = Field(description="each person once, whatever the benefit types")


def report_out(report: rules.Report) -> dict:
    return {
        "rows": [
            {
                "benefit": row.benefit,
                "task": row.task,
                "persons": row.persons,
                "benefits": row.benefits,
                "amount": f"{row.amount:.2f}",
                "families": row.families,
                "persons_in_families": row.persons_in_families,
            }
            for row in report.rows
        ],
        "total_persons": report.total_persons,
    }


@router.get(
    "/reports/mrpips03",
    response=Mrpips03Out,
    url_name="reports_mrpips03",
    summary="MRPiPS-03: benefits paid in a half-year or a year, per benefit type and task",
)
def mrpips03(request, period: Query[PeriodQuery]):
    start, end = rules.half_year_period(period.year, period.half)
    report = selectors.mrpips03_for_user(user=request.user, start=start, end=end)
    return report_out(report)
