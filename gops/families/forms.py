"""Forms of family assistance. They only parse input: the services validate and write."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import (
    ChildcareKind,
    ClosureOutcome,
    ContactKind,
    EducationSetting,
    Progress,
    Recommendation,
    StepStatus,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AssistantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(
            _("%(name)s (%(count)s of %(limit)s families)")
            % {
                "name": obj,
                "count": getattr(obj, "caseload", 0),
                "limit": settings.FAMILY_ASSISTANT_CASELOAD_LIMIT,
            }
        )


class AssignForm(forms.Form):
    assistant = AssistantChoiceField(label=_("family assistant"), queryset=None)
    social_worker = forms.ModelChoiceField(
        label=_("social worker of the family"), queryset=None, required=False
    )
    started_on = forms.DateField(label=_("work started on"), widget=DateInput())
    reason = forms.CharField(
        label=_("reason for assigning an assistant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, assistants, social_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assistant"].queryset = assistants
        self.fields["social_worker"].queryset = social_workers


class PlanForm(forms.Form):
    agreed_on = forms.DateField(label=_("agreed on"), required=False, widget=DateInput())
    agreed_with_family = forms.BooleanField(label=_("agreed with the family"), required=False)
    agreed_with_social_worker = forms.BooleanField(
        label=_("agreed with the social worker"), required=False
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StepForm(forms.Form):
    goal = forms.CharField(label=_("goal"), max_length=200)
    action = forms.CharField(label=_("action"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label=_("who does it"), max_length=200, required=False)
    # Not required here: the service gives the message about the missing deadline.
    deadline = forms.DateField(label=_("deadline"), required=False, widget=DateInput())
    expected_effect = forms.CharField(
        label=_("expected effect"), widget=forms.Textarea(attrs={"rows": 2})
    )


class StepUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=StepStatus.choices)
    completed_on = forms.DateField(label=_("completed on"), required=False, widget=DateInput())
    outcome = forms.CharField(
        label=_("outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContactForm(forms.Form):
    happened_on = forms.DateField(label=_("date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("kind"), choices=ContactKind.choices)
    duration_minutes = forms.IntegerField(
        label=_("duration (minutes)"), required=False, min_value=1, max_value=1440
    )
    participants = forms.CharField(label=_("who took part"), max_length=300, required=False)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 4}))


class AssessmentForm(forms.Form):
    done_on = forms.DateField(label=_("done on"), widget=DateInput())
    progress = forms.ChoiceField(label=_("progress"), choices=Progress.choices)
    recommendation = forms.ChoiceField(label=_("recommendation"), choices=Recommendation.choices)
    summary = forms.CharField(label=_("assessment"), widget=forms.Textarea(attrs={"rows": 5}))


class ChildForm(forms.Form):
    child = forms.ModelChoiceField(label=_("child"), queryset=None)
    education_setting = forms.ChoiceField(
        label=_("nursery or school"), choices=EducationSetting.choices
    )
    institution_name = forms.CharField(
        label=_("name of the institution"), max_length=200, required=False
    )
    special_needs = forms.CharField(
        label=_("special needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children


class ChildcareForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of support"), choices=ChildcareKind.choices)
    child = forms.ModelChoiceField(
        label=_("child"),
        queryset=None,
        required=False,
        help_text=_("Leave empty for support of the parents, such as a parenting course."),
    )
    provider = forms.CharField(label=_("provided by"), max_length=200, required=False)
    started_on = forms.DateField(label=_("from"), widget=DateInput())
    ended_on = forms.DateField(label=_("until"), required=False, widget=DateInput())
    outcome = forms.CharField(
        label=_("outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children


class ChildcareFinishForm(forms.Form):
    ended_on = forms.DateField(label=_("until"), widget=DateInput())
    outcome = forms.CharField(label=_("outcome"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("work closed on"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("outcome"), choices=ClosureOutcome.choices)
    closing_summary = forms.CharField(
        label=_("closing summary"), widget=forms.Textarea(attrs={"rows": 4})
    )
    monitoring_until = forms.DateField(
        label=_("monitoring until"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Leave empty to close the file; with a date the assistant monitors how the family "
            "manages until then (it does not count to the caseload)."
        ),
    )
