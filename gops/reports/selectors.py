"""Reads of the MRPiPS-03 report: the payment rows of a period for the user's centre (one
query, streamed), the report and its drill-down through rules.py, and the same figures by
one hand-written SQL aggregate (mrpips03_sql) for benchmarks and as a cross-check."""

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Func, IntegerField, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce

from gops.accounts.models import User
from gops.cases.models import Application, CommunityInterview
from gops.payments.models import Payment, PaymentStatus

from . import rules

PERMISSION = "reports.view_mrpips03"


class MembersCount(Func):
    """The number of entries in an interview snapshot's "members" list (NULL if none)."""

    output_field = IntegerField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="json_array_length(%(expressions)s, '$.members')"
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="jsonb_array_length((%(expressions)s) -> 'members')"
        )


def check_may_see(user: User) -> None:
    if not user.is_authenticated or not user.has_perm(PERMISSION):
        raise PermissionDenied


def _household_size(application: str = "item__decision__application_id"):
    latest = (
        CommunityInterview.objects.filter(application_id=OuterRef(application), status="done")
        .order_by("-conducted_on", "-id")
        .annotate(n=MembersCount("snapshot"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(latest, output_field=IntegerField()), Value(1))


def payments_in_period(*, centre_id: int, start: date, end: date):
    """The payments made in [start, end]: status paid, paid_on inside the period."""
    return Payment.objects.filter(
        centre_id=centre_id, status=PaymentStatus.PAID, paid_on__gte=start, paid_on__lte=end
    )


def payment_rows(*, centre_id: int, start: date, end: date) -> Iterator[rules.PaymentRow]:
    """The report's input: one row per payment made in the period, by one streamed query."""
    query = (
        payments_in_period(centre_id=centre_id, start=start, end=end)
        .annotate(household_size=_household_size())
        .order_by("id")
        .values_list(
            "id",
            "person_id",
            "item__decision__application__household_id",
            "household_size",
            "item__decision__benefit",
            "amount",
            "item__month",
            "paid_on",
            "item__decision__application__reasons",
            "person__surnames",
            "person__first_names",
            "item__decision__number",
        )
    )
    for (
        payment_id,
        person_id,
        household_id,
        size,
        benefit,
        amount,
        month,
        paid_on,
        reasons,
        surnames,
        first_names,
        number,
    ) in query.iterator(chunk_size=2000):
        yield rules.PaymentRow(
            payment_id=payment_id,
            person_id=person_id,
            household_id=household_id,
            household_size=max(int(size or 1), 1),
            benefit=benefit,
            task=rules.task_of(benefit),
            amount=amount,
            month=month,
            paid_on=paid_on,
            reasons=tuple(reasons or ()),
            person_name=f"{surnames} {first_names}".strip(),
            decision_number=number,
        )


def _application_facts(applications) -> dict[int, tuple[int, int, tuple[str, ...]]]:
    """Of each application of the queryset `applications`: its household, the household's
    size (as _household_size) and its art. 7 reasons, by one query."""
    query = (
        applications.annotate(
            household_size=_household_size("pk"),
            reasons_text=Cast("reasons", TextField()),
        )
        .order_by()
        .values_list("id", "household_id", "household_size", "reasons_text")
    )
    parsed: dict[str, tuple[str, ...]] = {}
    facts = {}
    for application_id, household_id, size, text in query.iterator(chunk_size=10000):
        reasons = parsed.get(text)
        if reasons is None:
            reasons = parsed[text] = tuple(json.loads(text) or ()) if text else ()
        facts[application_id] = (household_id, max(int(size or 1), 1), reasons)
    return facts


def report_rows(*, centre_id: int, start: date, end: date) -> Iterator[rules.PaymentRow]:
    """The payment rows as rules.mrpips03 reads them, and nothing more: no names, decision
    numbers or payment dates. The report over them is the same as over payment_rows, faster
    (bench/reports.py, docs/performance.md): what belongs to an application (household, its
    size from the latest interview, reasons) is read once per application by one query, not
    once per payment; the payments by one streamed query without the persons and without
    ORDER BY (the figures do not depend on the order). Memory grows with the applications."""
    paid = payments_in_period(centre_id=centre_id, start=start, end=end)
    facts = _application_facts(
        Application.objects.filter(pk__in=paid.values("item__decision__application_id"))
    )
    query = paid.order_by().values_list(
        "id",
        "person_id",
        "item__decision__application_id",
        "item__decision__benefit",
        "amount",
        "item__month",
    )
    task_of: dict[str, str] = {}
    row_of = rules.PaymentRow
    for payment_id, person_id, application_id, benefit, amount, month in query.iterator(
        chunk_size=10000
    ):
        fact = facts.get(application_id)
        if fact is None:  # paid after the first query
            facts |= _application_facts(Application.objects.filter(pk=application_id))
            fact = facts[application_id]
        household_id, size, reasons = fact
        task = task_of.get(benefit)
        if task is None:
            task = task_of[benefit] = rules.task_of(benefit)
        yield row_of(
            payment_id, person_id, household_id, size, benefit, task, amount, month, None, reasons
        )


def payment_count(*, centre_id: int, start: date, end: date) -> int:
    return payments_in_period(centre_id=centre_id, start=start, end=end).count()


def mrpips03_for_user(*, user: User, start: date, end: date) -> rules.Report:
    check_may_see(user)
    return rules.mrpips03(report_rows(centre_id=user.centre_id, start=start, end=end))


def mrpips03_drill_for_user(
    *, user: User, start: date, end: date, measure: str, benefit="", task="", reason=""
) -> rules.Drill:
    check_may_see(user)
    return rules.drill(
        payment_rows(centre_id=user.centre_id, start=start, end=end),
        measure=measure,
        benefit=benefit,
        task=task,
        reason=reason,
    )


# --- The same figures by one hand-written SQL aggregate --------------------------------------

_MEMBERS_LEN = {
    "sqlite": "json_array_length(ci.snapshot, '$.members')",
    "postgresql": "jsonb_array_length(ci.snapshot -> 'members')",
}
_REASONS_JOIN = {
    "sqlite": "CROSS JOIN json_each(pa.reasons) AS r",
    "postgresql": "CROSS JOIN LATERAL jsonb_array_elements_text(pa.reasons) AS r(value)",
}

_MRPIPS03_SQL = """
WITH paid AS (
    SELECT p.id AS payment_id, p.person_id AS person_id, a.household_id AS household_id,
           a.id AS application_id, d.benefit AS benefit, p.amount AS amount,
           i.month AS month,
           CASE WHEN d.benefit IN ({commissioned}) THEN 'commissioned' ELSE 'own' END AS task,
           CASE WHEN d.benefit IN ({monthly})
                THEN 'm' || CAST(p.person_id AS TEXT) || '|' || CAST(i.month AS TEXT)
                ELSE 'p' || CAST(p.id AS TEXT) END AS benefit_key,
           COALESCE((
               SELECT {members_len} FROM cases_communityinterview ci
               WHERE ci.application_id = a.id AND ci.status = 'done'
               ORDER BY ci.conducted_on DESC, ci.id DESC LIMIT 1
           ), 1) AS size
    FROM payments_payment p
    JOIN payments_scheduleitem i ON i.id = p.item_id
    JOIN benefits_decision d ON d.id = i.decision_id
    JOIN cases_application a ON a.id = d.application_id
    WHERE p.centre_id = %s AND p.status = 'paid' AND p.paid_on >= %s AND p.paid_on <= %s
),
row_family AS (
    SELECT benefit, task, household_id, MAX(size) AS size
    FROM paid GROUP BY benefit, task, household_id
),
family AS (
    SELECT household_id, MAX(size) AS size FROM paid GROUP BY household_id
),
paid_application AS (
    SELECT DISTINCT pa.application_id, pa.household_id, ca.reasons AS reasons
    FROM paid pa JOIN cases_application ca ON ca.id = pa.application_id
),
family_reason AS (
    SELECT DISTINCT CAST(r.value AS TEXT) AS reason, pa.household_id AS household_id
    FROM paid_application pa {reasons_join}
)
SELECT 'row' AS part, g.benefit, g.task, g.persons, g.benefits, g.amount_grosze,
       f.families, f.persons_in_families
FROM (
    SELECT benefit, task, COUNT(DISTINCT person_id) AS persons,
           COUNT(DISTINCT benefit_key) AS benefits,
           SUM(ROUND(amount * 100)) AS amount_grosze
    FROM paid GROUP BY benefit, task
) g JOIN (
    SELECT benefit, task, COUNT(*) AS families, SUM(size) AS persons_in_families
    FROM row_family GROUP BY benefit, task
) f ON f.benefit = g.benefit AND f.task = g.task
UNION ALL
SELECT 'total', '', '', (SELECT COUNT(DISTINCT person_id) FROM paid),
       (SELECT COUNT(DISTINCT benefit || '|' || task || '|' || benefit_key) FROM paid),
       (SELECT SUM(ROUND(amount * 100)) FROM paid),
       (SELECT COUNT(*) FROM family), (SELECT SUM(size) FROM family)
UNION ALL
SELECT 'reason', fr.reason, '', NULL, NULL, NULL, COUNT(*), SUM(fa.size)
FROM family_reason fr JOIN family fa ON fa.household_id = fr.household_id
GROUP BY fr.reason
"""


def _in_list(codes) -> str:
    # Codes are this module's own constants (rules.py), never user input.
    return ", ".join("'" + code.replace("'", "''") + "'" for code in sorted(codes))


def _grosze(value) -> Decimal:
    if value is None:
        return Decimal("0.00")
    return (Decimal(int(round(value))) / 100).quantize(Decimal("0.01"))


def mrpips03_sql(centre_id: int, start: date, end: date) -> rules.Report:
    """The MRPiPS-03 figures by one SQL statement (SQLite and PostgreSQL), the same Report as
    rules.mrpips03 over payment_rows. No permission check: callers check (benchmarks)."""
    vendor = connection.vendor
    sql = _MRPIPS03_SQL.format(
        commissioned=_in_list(rules.COMMISSIONED_BENEFITS),
        monthly=_in_list(rules.MONTHLY_BENEFITS),
        members_len=_MEMBERS_LEN[vendor],
        reasons_join=_REASONS_JOIN[vendor],
    )
    rows, reasons = {}, []
    total = rules.ReportRow("", "", 0, 0, Decimal("0.00"), 0, 0)
    with connection.cursor() as cursor:
        cursor.execute(sql, [centre_id, start, end])
        for part, code, task, persons, benefits, grosze, families, in_families in cursor:
            if part == "reason":
                reasons.append(
                    rules.ReasonRow(
                        reason=code, families=int(families), persons_in_families=int(in_families)
                    )
                )
                continue
            row = rules.ReportRow(
                benefit=code,
                task=task,
                persons=int(persons or 0),
                benefits=int(benefits or 0),
                amount=_grosze(grosze),
                families=int(families or 0),
                persons_in_families=int(in_families or 0),
            )
            if part == "total":
                total = row
            else:
                rows[(code, task)] = row
    return rules.Report(
        rows=[rows[key] for key in sorted(rows, key=rules._order)],
        total=total,
        reasons=sorted(reasons, key=lambda r: rules._reason_order(r.reason)),
    )
