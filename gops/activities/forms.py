from django import forms
from django.utils.translation import gettext_lazy as _

from gops.people.forms import DateInput

from .models import Activity, TargetGroup


class ActivityForm(forms.ModelForm):
    """The activity and its dates: the first session, repeated weekly for a series."""

    target_groups = forms.MultipleChoiceField(
        label=_("target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    first_date = forms.DateField(label=_("date (of the first session)"), widget=DateInput())
    starts = forms.TimeField(label=_("from"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("until"), widget=forms.TimeInput(attrs={"type": "time"}))
    weeks = forms.IntegerField(
        label=_("number of weekly sessions"),
        min_value=1,
        max_value=52,
        initial=1,
        help_text=_("1 for a one-off event; more for a series on the same weekday."),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "place",
            "capacity",
            "target_groups",
            "accessibility_notes",
            "partner_institution",
            "public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 2}),
        }


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Person: surname, first name, PESEL or document number"), max_length=100
    )
