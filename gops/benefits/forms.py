from django import forms
from django.utils.translation import gettext_lazy as _

from gops.cases.models import BenefitKind
from gops.people.forms import DateInput

from .models import AppealOutcome, DecisionKind, PaymentMethod


class DecisionForm(forms.Form):
    benefit = forms.ChoiceField(label=_("benefit"))
    kind = forms.ChoiceField(
        label=_("kind of decision"),
        required=False,
        choices=[
            ("", _("as the calculation gives (granting or refusing)")),
            (DecisionKind.GRANTING, DecisionKind.GRANTING.label),
            (DecisionKind.REFUSING, DecisionKind.REFUSING.label),
        ],
    )
    period_from = forms.DateField(label=_("from"), required=False, widget=DateInput())
    period_until = forms.DateField(label=_("until"), required=False, widget=DateInput())
    amount = forms.DecimalField(
        label=_("amount (zł)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text=_(
            "Required for a purpose allowance. For permanent and periodic allowances "
            "leave empty to take the computed amount."
        ),
    )
    amount_change_reason = forms.CharField(
        label=_("reason for changing the computed amount"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    guaranteed_percent = forms.DecimalField(
        label=_("guaranteed percentage (periodic allowance)"),
        initial=50,
        min_value=50,
        max_value=100,
        required=False,
    )
    payment_method = forms.ChoiceField(
        label=_("payment method"),
        choices=[("", "—")] + list(PaymentMethod.choices),
        required=False,
    )
    bank_account = forms.CharField(label=_("bank account (IBAN)"), max_length=34, required=False)
    payee_name = forms.CharField(label=_("third party (payee)"), max_length=200, required=False)
    quantity = forms.CharField(
        label=_("quantity and scope (in-kind help, care services)"),
        max_length=200,
        required=False,
    )
    supplier = forms.CharField(label=_("supplier"), max_length=200, required=False)
    care_hours_per_week = forms.DecimalField(
        label=_("care hours per week"),
        required=False,
        max_digits=5,
        decimal_places=1,
        min_value=0,
    )
    reasoning = forms.CharField(
        label=_("reasoning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to use the explanation of the calculation."),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(BenefitKind.choices)
        self.fields["benefit"].choices = [
            (code, labels.get(code, code)) for code in application.benefits_requested
        ]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["guaranteed_percent"] = data.get("guaranteed_percent") or 50
        data["kind"] = data.get("kind") or None
        return data


class ServeForm(forms.Form):
    served_on = forms.DateField(label=_("served on"), widget=DateInput())


class AppealForm(forms.Form):
    lodged_on = forms.DateField(label=_("appeal lodged on"), widget=DateInput())
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AppealForwardForm(forms.Form):
    forwarded_on = forms.DateField(label=_("forwarded on"), widget=DateInput())


class AppealOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[c for c in AppealOutcome.choices if c[0] != AppealOutcome.PENDING],
    )
    outcome_on = forms.DateField(label=_("outcome on"), widget=DateInput())
