from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gops.people.forms import DateInput

from .models import ApplicationStatus, AssistanceReason, BenefitKind


class ApplicationForm(forms.Form):
    applicant = forms.ChoiceField(label=_("applicant"))
    received_on = forms.DateField(label=_("date received"), widget=DateInput())
    ex_officio = forms.BooleanField(label=_("opened ex officio (z urzędu)"), required=False)
    benefits_requested = forms.MultipleChoiceField(
        label=_("help requested (u.p.s. art. 36)"),
        choices=BenefitKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = forms.MultipleChoiceField(
        label=_("reasons for help (u.p.s. art. 7)"),
        choices=AssistanceReason.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    reason_other = forms.CharField(label=_("other reason"), max_length=200, required=False)
    description = forms.CharField(
        label=_("what the person asks for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    urgent = forms.BooleanField(label=_("urgent (interview within 2 working days)"), required=False)
    particularly_complicated = forms.BooleanField(
        label=_("particularly complicated case (decision within 2 months)"), required=False
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = [
            (m.person_id, str(m.person)) for m in household.active_members
        ]
        self.fields["received_on"].initial = timezone.localdate()


class InterviewForm(forms.Form):
    conducted_on = forms.DateField(label=_("date of the visit"), widget=DateInput())
    refused = forms.BooleanField(label=_("the person refused the interview"), required=False)
    needs = forms.CharField(
        label=_("H. needs and expectations"), widget=forms.Textarea, required=False
    )
    diagnosis = forms.CharField(
        label=_("I. diagnosis and the worker's conclusions"),
        widget=forms.Textarea,
        required=False,
    )
    help_plan = forms.CharField(label=_("J. plan of help"), widget=forms.Textarea, required=False)
    material_situation = forms.CharField(
        label=_("material situation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    health = forms.CharField(
        label=_("health"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    work_and_education = forms.CharField(
        label=_("work and education"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    housing = forms.CharField(
        label=_("housing"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("how the application ends"),
        choices=[
            (ApplicationStatus.WITHDRAWN, ApplicationStatus.WITHDRAWN.label),
            (
                ApplicationStatus.LEFT_WITHOUT_CONSIDERATION,
                ApplicationStatus.LEFT_WITHOUT_CONSIDERATION.label,
            ),
        ],
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("social work note"), widget=forms.Textarea(attrs={"rows": 3}))


class ContractForm(forms.Form):
    signed_on = forms.DateField(label=_("signed on"), widget=DateInput())
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("valid until"), widget=DateInput())
    situation = forms.CharField(label=_("assessment of the situation"), widget=forms.Textarea)
    goals = forms.CharField(label=_("goals"), widget=forms.Textarea)
    person_obligations = forms.CharField(
        label=_("obligations of the person"), widget=forms.Textarea
    )
    centre_obligations = forms.CharField(
        label=_("obligations of the centre"), widget=forms.Textarea
    )


class ContractReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=DateInput())
    notes = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 3}))
