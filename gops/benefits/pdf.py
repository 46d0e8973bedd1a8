"""The decision as a PDF (WeasyPrint), with every element of k.p.a. art. 107 § 1."""

from django.template.loader import render_to_string
from django.utils import translation
from num2words import num2words

from .models import Decision


def amount_in_words(amount) -> str:
    return num2words(amount, lang="pl", to="currency", currency="PLN")


def decision_pdf(decision: Decision) -> bytes:
    """Render the decision once, at issue. Decisions are in Polish, the official language."""
    from weasyprint import HTML

    with translation.override("pl"):
        html = render_to_string(
            "benefits/decision_pdf.html",
            {
                "decision": decision,
                "centre": decision.centre,
                "person": decision.person,
                "amount_words": amount_in_words(decision.amount) if decision.amount else "",
            },
        )
    return HTML(string=html).write_pdf()
