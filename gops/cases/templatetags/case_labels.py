"""Human labels for the codes kept in an interview's snapshot (stored as plain JSON)."""

from django import template

from gops.people.models import IncomeSource, Relation

register = template.Library()


@register.filter
def relation_label(code: str) -> str:
    return str(dict(Relation.choices).get(code, code))


@register.filter
def income_source_label(code: str) -> str:
    return str(dict(IncomeSource.choices).get(code, code))
