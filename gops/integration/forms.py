from django import forms
from django.utils.translation import gettext_lazy as _

from gops.people.forms import DateInput
from gops.people.models import LetterLanguage

from .letters import BringItem, LetterKind
from .models import IntegrationArea, ProgrammeKind, ProgrammeStatus


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ProgrammeForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ProgrammeKind.choices)
    protection_granted_on = forms.DateField(
        label=_("protection granted on"),
        required=False,
        widget=DateInput(),
        help_text=_("Required for the individual integration programme (within 60 days)."),
    )
    applied_on = forms.DateField(label=_("applied on"), widget=DateInput())
    starts_on = forms.DateField(label=_("starts on"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("ends on"), widget=DateInput(), help_text=_("At most 12 months.")
    )
    family_size = forms.IntegerField(
        label=_("persons covered"),
        min_value=1,
        max_value=30,
        initial=1,
        help_text=_("The foreigner and the family members covered by the programme."),
    )
    coordinator = forms.ModelChoiceField(label=_("coordinator"), queryset=None)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = staff


class ApplicationLinkForm(forms.Form):
    application = forms.ModelChoiceField(label=_("application"), queryset=None)

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications


class GoalForm(forms.Form):
    area = forms.ChoiceField(label=_("area"), choices=IntegrationArea.choices)
    description = forms.CharField(
        label=_("goal"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    first_step = forms.CharField(label=_("first step"), required=False, max_length=2000)
    first_step_deadline = forms.DateField(
        label=_("deadline of the first step"), required=False, widget=DateInput()
    )


class StepForm(forms.Form):
    action = forms.CharField(label=_("action"), max_length=2000)
    deadline = forms.DateField(label=_("deadline"), required=False, widget=DateInput())


class StepDoneForm(forms.Form):
    done_on = forms.DateField(label=_("done on"), widget=DateInput())
    outcome = forms.CharField(label=_("outcome"), required=False, max_length=2000)


class GoalAchievedForm(forms.Form):
    achieved_on = forms.DateField(label=_("achieved on"), widget=DateInput())


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=DateInput())
    progress = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 3}))
    changes = forms.CharField(
        label=_("changes to the programme"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_review_on = forms.DateField(label=_("next review"), required=False, widget=DateInput())


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("outcome"),
        choices=[
            (ProgrammeStatus.COMPLETED, ProgrammeStatus.COMPLETED.label),
            (ProgrammeStatus.DISCONTINUED, ProgrammeStatus.DISCONTINUED.label),
        ],
    )
    closed_on = forms.DateField(label=_("closed on"), widget=DateInput())
    closing_note = forms.CharField(
        label=_("closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionDraftForm(forms.Form):
    payment_method = forms.ChoiceField(label=_("payment method"), choices=())
    bank_account = forms.CharField(label=_("bank account"), required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        from gops.benefits.models import PaymentMethod

        super().__init__(*args, **kwargs)
        self.fields["payment_method"].choices = [
            (PaymentMethod.BANK_TRANSFER, PaymentMethod.BANK_TRANSFER.label),
            (PaymentMethod.CASH, PaymentMethod.CASH.label),
        ]


class LetterForm(forms.Form):
    kind = forms.ChoiceField(label=_("letter"), choices=LetterKind.choices)
    language = forms.ChoiceField(label=_("language"), choices=LetterLanguage.choices)
    decision = forms.ModelChoiceField(label=_("decision"), queryset=None, required=False)
    interview_on = forms.DateField(
        label=_("day of the interview"), required=False, widget=DateInput()
    )
    interview_at = forms.TimeField(
        label=_("time of the interview"), required=False, widget=TimeInput()
    )
    place = forms.CharField(
        label=_("place of the interview"),
        required=False,
        max_length=300,
        help_text=_("Usually the person's home address."),
    )
    worker = forms.ModelChoiceField(label=_("social worker"), queryset=None, required=False)
    bring = forms.MultipleChoiceField(
        label=_("what to bring"),
        choices=BringItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bring_other = forms.CharField(
        label=_("something else to bring"),
        required=False,
        max_length=300,
        help_text=_("Printed as written: write it in the language of the letter."),
    )
    activity = forms.ModelChoiceField(label=_("activity"), queryset=None, required=False)
    session = forms.ModelChoiceField(
        label=_("session"),
        queryset=None,
        required=False,
        help_text=_("Empty: every upcoming session of the activity."),
    )

    def __init__(self, *args, decisions, staff, activities, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
        self.fields["worker"].queryset = staff
        self.fields["activity"].queryset = activities
        self.fields["session"].queryset = sessions
