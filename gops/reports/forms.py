from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HALF_CHOICES = [
    ("", _("whole year")),
    ("1", _("first half (January–June)")),
    ("2", _("second half (July–December)")),
]


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(
        label=_("Period"),
        choices=HALF_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
    )

    @classmethod
    def initial_period(cls) -> dict:
        return {"year": timezone.localdate().year, "half": ""}
