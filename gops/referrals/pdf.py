"""The referral letter as a PDF (WeasyPrint), in Polish, with the centre's header."""

from django.template.loader import render_to_string
from django.utils import translation

from .models import Referral


def referral_letter_pdf(referral: Referral) -> bytes:
    from weasyprint import HTML

    with translation.override("pl"):
        html = render_to_string(
            "referrals/referral_letter_pdf.html",
            {
                "referral": referral,
                "centre": referral.centre,
                "person": referral.person,
                "institution": referral.institution,
            },
        )
    return HTML(string=html).write_pdf()
