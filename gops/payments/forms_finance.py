"""Forms of the finance pages: budget lines, repayment decisions, repayments and waivers."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gops.people.forms import DateInput

from . import rules
from .models import Budget, Difference, Funding, SettlementKind


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    benefit = forms.ChoiceField(
        label=_("benefit"), choices=Budget._meta.get_field("benefit").choices
    )
    funding = forms.ChoiceField(label=_("funding"), choices=Funding.choices)
    planned = forms.DecimalField(
        label=_("planned amount"), min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    closed = forms.BooleanField(label=_("closed"), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class DebtForm(forms.Form):
    """A repayment decision: the amount, the decision it stems from, and the instalments,
    either equal monthly ones or each on its own line."""

    source_decision = forms.ModelChoiceField(
        label=_("decision changed or revoked"), queryset=None, empty_label=None
    )
    differences = forms.ModelMultipleChoiceField(
        label=_("overpaid months recorded by the schedule"),
        queryset=Difference.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    amount = forms.DecimalField(
        label=_("amount owed"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the benefit was undue, e.g. income not reported (u.p.s. art. 6 pkt 16)."),
    )
    decision_number = forms.CharField(label=_("repayment decision number"), max_length=60)
    issued_on = forms.DateField(label=_("repayment decision issued on"), widget=DateInput())
    instalment_count = forms.IntegerField(
        label=_("number of monthly instalments"), min_value=1, max_value=120, required=False
    )
    first_due_on = forms.DateField(
        label=_("first instalment due on"), widget=DateInput(), required=False
    )
    instalment_lines = forms.CharField(
        label=_("or: each instalment on its own line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("A date and an amount on each line, e.g. “2025-10-15 150.00”."),
    )
    set_off = forms.BooleanField(
        label=_("set off against current benefits (the decision orders it)"), required=False
    )

    def __init__(self, *args, decisions, differences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_decision"].queryset = decisions
        self.fields["differences"].queryset = differences

    def clean(self):
        data = super().clean()
        lines = (data.get("instalment_lines") or "").strip()
        count, first = data.get("instalment_count"), data.get("first_due_on")
        amount = data.get("amount")
        if lines:
            data["instalments"] = self._parse_lines(lines)
        elif count and first and amount:
            try:
                plan = rules.equal_instalments(amount=amount, count=count, first_due=first)
            except ValueError:
                raise ValidationError(
                    {"instalment_count": _("Too many instalments for the amount.")}
                ) from None
            data["instalments"] = [(i.due_on, i.amount) for i in plan]
        elif amount:
            raise ValidationError(
                _("Give the number of instalments and the first due date, or list them.")
            )
        return data

    @staticmethod
    def _parse_lines(text: str) -> list[tuple]:
        plan = []
        field = forms.DateField()
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            try:
                if len(parts) != 2:
                    raise ValueError
                due = field.clean(parts[0])
                value = Decimal(parts[1].replace(",", "."))
            except (ValueError, ArithmeticError, ValidationError):
                raise ValidationError(
                    {
                        "instalment_lines": _(
                            "Line %(number)s: give a date and an amount, e.g. “2025-10-15 150.00”."
                        )
                        % {"number": number}
                    }
                ) from None
            plan.append((due, value))
        return plan

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "source_decision": data["source_decision"],
            "differences": list(data["differences"]),
            "amount": data["amount"],
            "reason": data["reason"],
            "decision_number": data["decision_number"],
            "issued_on": data["issued_on"],
            "instalments": data["instalments"],
            "set_off": data["set_off"],
        }


class RepaymentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("how"),
        choices=[
            (SettlementKind.TRANSFER, SettlementKind.TRANSFER.label),
            (SettlementKind.CASH, SettlementKind.CASH.label),
        ],
    )
    amount = forms.DecimalField(
        label=_("amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    on = forms.DateField(label=_("date"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class WaiverForm(forms.Form):
    decision_number = forms.CharField(label=_("waiver decision number"), max_length=60)
    on = forms.DateField(label=_("waived on"), widget=DateInput())
    amount = forms.DecimalField(
        label=_("amount waived"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to waive everything still owed."),
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
