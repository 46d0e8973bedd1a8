from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditAction


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(label=_("user"), queryset=None, required=False)
    person = forms.IntegerField(label=_("person id"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("action"), choices=[("", "—")] + list(AuditAction.choices), required=False
    )
    date_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
