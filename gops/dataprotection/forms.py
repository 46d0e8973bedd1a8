from django import forms
from django.utils.translation import gettext_lazy as _


class AnonymisationRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "E.g. the retention period has ended, or the person asked for erasure "
            "(RODO art. 17) and no legal obligation requires keeping the data."
        ),
    )
