from django import forms
from django.utils.translation import gettext_lazy as _

from gops.people.forms import DateInput

from .models import Admits, Bed, CheckoutReason, ExitArea, ExitPlanStatus, Facility, FacilityKind


class BoardFilterForm(forms.Form):
    """The board's GET filters; everything optional, the night defaults to tonight."""

    night = forms.DateField(label=_("night"), required=False, widget=DateInput())
    kind = forms.ChoiceField(
        label=_("type"), required=False, choices=[("", _("all types")), *FacilityKind.choices]
    )
    sex = forms.ChoiceField(
        label=_("for"),
        required=False,
        choices=[("", _("anyone")), (Admits.FEMALE, _("a woman")), (Admits.MALE, _("a man"))],
    )
    wheelchair = forms.BooleanField(label=_("wheelchair access"), required=False)


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Person: surname, first name, PESEL or document number"), max_length=100
    )


class CheckoutForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason for leaving"), choices=CheckoutReason.choices)
    on = forms.DateField(label=_("check-out date"), widget=DateInput())


class BedOutOfUseForm(forms.Form):
    out_of_use = forms.BooleanField(required=False)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class NightCountForm(forms.Form):
    night = forms.DateField(label=_("night"), widget=DateInput())


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class ExitPlanForm(forms.Form):
    agreed_on = forms.DateField(label=_("agreed on"), widget=DateInput())
    goals = forms.CharField(
        label=_("goals"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Housing, work, health, debts, documents — as agreed with the person."),
    )
    social_contract = forms.ModelChoiceField(
        label=_("social contract"),
        queryset=None,
        required=False,
        help_text=_("Link the programme to the person's social contract, where there is one."),
    )

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["social_contract"].queryset = contracts


class ExitCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("result"),
        choices=[
            (ExitPlanStatus.COMPLETED, ExitPlanStatus.COMPLETED.label),
            (ExitPlanStatus.BROKEN_OFF, ExitPlanStatus.BROKEN_OFF.label),
        ],
    )
    outcome = forms.CharField(label=_("outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class ExitStepForm(forms.Form):
    area = forms.ChoiceField(label=_("area"), choices=ExitArea.choices)
    action = forms.CharField(label=_("step"), max_length=300)
    due_on = forms.DateField(label=_("due"), widget=DateInput())

    def has_changed(self) -> bool:
        # The area select always has a value; a row without a step or a date is unused.
        return bool(self["action"].data or self["due_on"].data)


ExitStepFormSet = forms.formset_factory(ExitStepForm, extra=4, max_num=20)


class ExitReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=DateInput())
    notes = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 3}))


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = [
            "name",
            "kind",
            "street",
            "postal_code",
            "city",
            "phone",
            "operator",
            "contract_price_per_night",
            "contract_from",
            "contract_until",
            "admits",
            "wheelchair_accessible",
            "pets_allowed",
            "admits_intoxicated",
            "active",
        ]
        widgets = {"contract_from": DateInput(), "contract_until": DateInput()}


class BedForm(forms.ModelForm):
    class Meta:
        model = Bed
        fields = ["room", "label", "sex", "wheelchair_access", "season_from", "season_until"]
        widgets = {"season_from": DateInput(), "season_until": DateInput()}
