from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from gops.cases.models import BenefitKind
from gops.core.forms import VersionedFormMixin
from gops.people.forms import DateInput

from . import rules
from .models import AppealOutcome, Decision, DecisionKind, PaymentMethod


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
    shelter_fee_per_night = forms.DecimalField(
        label=_("shelter: the person's fee per night (zł)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
    )
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

    def __init__(self, *args, benefits: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(BenefitKind.choices)
        self.fields["benefit"].choices = [(code, labels.get(code, code)) for code in benefits]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["guaranteed_percent"] = data.get("guaranteed_percent") or 50
        data["kind"] = data.get("kind") or None
        return data


class DecisionEditForm(VersionedFormMixin, forms.ModelForm):
    """A draft's reasoning, payment and scope of help; `editable` names the fields this draft
    may change (services.decision_editable_fields). It carries the version loaded."""

    class Meta:
        model = Decision
        fields = [
            "payment_method",
            "bank_account",
            "payee_name",
            "quantity",
            "supplier",
            "care_hours_per_week",
            "shelter_fee_per_night",
            "reasoning",
        ]
        labels = {
            "quantity": _("quantity and scope (in-kind help, care services)"),
            "shelter_fee_per_night": _("shelter: the person's fee per night (zł)"),
        }
        widgets = {"reasoning": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, editable: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.editable = editable
        for name in list(self.fields):
            if name not in editable:
                del self.fields[name]
        if "reasoning" in self.fields:
            self.fields["reasoning"].required = True
        self.track_version()

    def service_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def reload_kwargs(self) -> dict:
        return {"editable": self.editable}


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


def parse_month(value: str) -> date:
    """Read "2025-07" as date(2025, 7, 1); a ValidationError on the field "month" if not."""
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        raise ValidationError({"month": [_("Enter a month as YYYY-MM.")]}) from None


def care_months_open(*, decision, today: date) -> list[date]:
    """The months of the decision's period that have begun by `today`, the latest first."""
    if decision.period_from is None or decision.period_until is None:
        return []
    month = decision.period_from.replace(day=1)
    last = min(decision.period_until, today).replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months[::-1]


class CareHoursForm(forms.Form):
    """Hours of care delivered in a month of the decision's period (u.p.s. art. 50)."""

    month = forms.TypedChoiceField(label=_("month"), coerce=parse_month)
    hours = forms.DecimalField(
        label=_("hours delivered"),
        max_digits=5,
        decimal_places=1,
        min_value=0,
        max_value=rules.CARE_HOURS_MONTH_MAX,
    )

    def __init__(self, *args, decision, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        months = care_months_open(decision=decision, today=today)
        self.fields["month"].choices = [
            (m.strftime("%Y-%m"), date_format(m, "YEAR_MONTH_FORMAT")) for m in months
        ]
        # Hours are usually recorded once the month is over: offer the previous one.
        previous = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        if previous in months:
            self.fields["month"].initial = previous.strftime("%Y-%m")


class DecisionChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("change"),
        choices=[
            (DecisionKind.AMENDING, DecisionKind.AMENDING.label),
            (DecisionKind.REVOKING, DecisionKind.REVOKING.label),
            (DecisionKind.SUSPENDING, DecisionKind.SUSPENDING.label),
        ],
    )
    effective_from = forms.DateField(label=_("takes effect on"), widget=DateInput())
    amount = forms.DecimalField(
        label=_("new amount (zł)"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    period_until = forms.DateField(
        label=_("new end of the period"), required=False, widget=DateInput()
    )
    reasoning = forms.CharField(label=_("reasoning"), widget=forms.Textarea(attrs={"rows": 4}))
