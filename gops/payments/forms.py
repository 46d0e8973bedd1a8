from django import forms
from django.utils.translation import gettext_lazy as _

from gops.people.forms import DateInput

from .models import PaymentStatus


class PayrollGenerateForm(forms.Form):
    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[
            (PaymentStatus.PAID, PaymentStatus.PAID.label),
            (PaymentStatus.RETURNED, PaymentStatus.RETURNED.label),
            (PaymentStatus.NOT_COLLECTED, PaymentStatus.NOT_COLLECTED.label),
        ],
    )
    on = forms.DateField(label=_("date"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class AccountForm(forms.Form):
    bank_account = forms.CharField(label=_("correct bank account (IBAN)"), max_length=34)
