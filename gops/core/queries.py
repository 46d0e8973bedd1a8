"""Query expressions and helpers shared by the apps' selectors."""

from typing import TypeVar

from django.db.models import BooleanField, F, Func, Model, QuerySet, Subquery
from django.http import Http404

M = TypeVar("M", bound=Model)


class InSmallSubquery(Func):
    """``field IN (subquery)`` for a subquery of a bounded number of rows (the persons of a
    family assistant's caseload), OR-ed with other conditions of an access rule.

    PostgreSQL cannot combine a subquery inside an OR with index scans: it reads the whole table
    and tests every row (``Seq Scan … Filter: … OR (hashed SubPlan)``), and estimates half the
    table matches. Written as ``field = ANY(ARRAY(subquery))`` the subquery runs once, before
    the scan, and its array becomes an index condition that joins the other branches' bitmap
    index scans (``BitmapOr``). Other databases get the plain ``IN``; the rows are the same.
    """

    output_field = BooleanField()
    arity = 2

    def __init__(self, field: str, queryset, **extra):
        super().__init__(F(field), Subquery(queryset), **extra)

    def as_sql(self, compiler, connection, template="%(field)s IN %(subquery)s", **extra):
        field, subquery = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        # An empty subquery raises EmptyResultSet: the WHERE clause then treats this condition
        # as matching nothing, as it does for IN.
        subquery_sql, subquery_params = compiler.compile(subquery)  # "(SELECT …)"
        sql = template % {"field": field_sql, "subquery": subquery_sql}
        return sql, (*field_params, *subquery_params)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="%(field)s = ANY(ARRAY%(subquery)s)", **extra
        )


def get_visible_or_404(visible: QuerySet[M], pk: int, *, fetch: QuerySet[M] | None = None) -> M:
    """The object with primary key `pk` if `visible` — a user's access-filtered queryset, the
    one rule of an entity's ``*_queryset_for_user`` — holds it; else Http404, the same whether
    the object exists or not.

    Two cheap queries instead of one: the row by its primary key (from `fetch`, which carries the
    page's ``select_related``; by default the model's manager), then whether the access filter
    keeps that one row (``EXISTS``, no ORDER BY). Asking for ``visible.filter(pk=pk).first()``
    instead lets PostgreSQL plan the access filter, the joins and the ordering together: on a
    large city that took 0.4–1.4 s for one decision (docs/performance.md).
    """
    if visible.query.is_empty():  # no permission at all: nothing to read
        raise Http404
    source = visible.model._default_manager.all() if fetch is None else fetch
    if source.model is not visible.model:
        raise TypeError(f"fetch reads {source.model.__name__}, not {visible.model.__name__}")
    try:
        found = source.get(pk=pk)
    except source.model.DoesNotExist:
        raise Http404 from None
    if not visible.filter(pk=pk).exists():
        raise Http404
    return found
