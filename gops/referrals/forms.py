from django import forms
from django.utils.translation import gettext_lazy as _

from gops.core.forms import CsvUploadForm
from gops.people.forms import DateInput

from .models import (
    EmploymentProfile,
    Institution,
    InstitutionKind,
    OutcomeKind,
    ReferralKind,
    ReferralState,
)


class InstitutionSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("type"), required=False, choices=[("", _("all types")), *InstitutionKind.choices]
    )


class InstitutionForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Institution
        fields = [
            "name",
            "kind",
            "address",
            "phone",
            "email",
            "website",
            "opening_hours",
            "services",
            "eligibility",
            "languages",
        ]
        widgets = {
            "services": forms.Textarea(attrs={"rows": 3}),
            "eligibility": forms.Textarea(attrs={"rows": 2}),
        }


class ImportForm(CsvUploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Columns: name, kind, address, phone, email, website, opening_hours, services, "
            "eligibility, languages. UTF-8, separated by commas or semicolons."
        )


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Person: surname, first name, PESEL or document number"), max_length=100
    )


class AdviceForm(forms.Form):
    topic = forms.CharField(label=_("topic"), max_length=200)
    institutions = forms.ModelMultipleChoiceField(
        label=_("institutions recommended"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institutions"].queryset = institutions


class ReferralForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("institution"), queryset=None)
    kind = forms.ChoiceField(label=_("kind"), choices=ReferralKind.choices)
    purpose = forms.CharField(label=_("purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    consent_given = forms.BooleanField(
        label=_("the person consents to passing their data to the institution"),
        required=False,
    )
    consent_on = forms.DateField(label=_("consent given on"), widget=DateInput())
    follow_up_on = forms.DateField(label=_("follow up on"), required=False, widget=DateInput())
    social_contract = forms.ModelChoiceField(
        label=_("social contract"),
        queryset=None,
        required=False,
        help_text=_("The activation goal of a social contract this referral serves."),
    )

    def __init__(self, *args, institutions, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["social_contract"].queryset = contracts


class OutcomeForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"),
        choices=[(s, label) for s, label in ReferralState.choices if s != ReferralState.SENT],
    )
    outcome = forms.CharField(
        label=_("outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome_kind = forms.ChoiceField(
        label=_("result"), required=False, choices=[("", "—"), *OutcomeKind.choices]
    )
    outcome_on = forms.DateField(label=_("outcome on"), required=False, widget=DateInput())
    follow_up_on = forms.DateField(label=_("next follow-up"), required=False, widget=DateInput())


class EmploymentProfileForm(forms.ModelForm):
    class Meta:
        model = EmploymentProfile
        fields = [
            "education",
            "skills",
            "languages",
            "registered_at_labour_office",
            "registered_since",
            "barrier_care_duties",
            "barrier_health",
            "barrier_transport",
            "barrier_addiction",
            "notes",
        ]
        widgets = {
            "registered_since": DateInput(),
            "skills": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
