"""Forms of the Blue Card pages. They parse input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gops.people.forms import DateInput

from .models import BlueCardStatus, ClosingReason, FormKind, ParticipantRole

TEXT = {"rows": 6}


class CardSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Number or person (surname, first name, PESEL)"), max_length=100, required=False
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("all")), *BlueCardStatus.choices],
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person: surname, first name, PESEL or document number"),
        max_length=100,
        required=False,
    )


class OpenForm(forms.Form):
    """Form A: the date, the text and, when already known, the team and the date sent to it."""

    opened_on = forms.DateField(label=_("form A filled on"), widget=DateInput())
    circumstances = forms.CharField(
        label=_("circumstances"),
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Stored encrypted. Seen only by the members of the card and the head."),
    )
    team_name = forms.CharField(label=_("interdisciplinary team"), max_length=200, required=False)
    sent_to_team_on = forms.DateField(
        label=_("form A sent to the team on"), required=False, widget=DateInput()
    )


class EditForm(forms.Form):
    circumstances = forms.CharField(label=_("circumstances"), widget=forms.Textarea(attrs=TEXT))
    team_name = forms.CharField(label=_("interdisciplinary team"), max_length=200, required=False)
    sent_to_team_on = forms.DateField(
        label=_("form A sent to the team on"), required=False, widget=DateInput()
    )
    group_received_on = forms.DateField(
        label=_("passed to the group on"), required=False, widget=DateInput()
    )


class ParticipantRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=ParticipantRole.choices)


class FormRecordForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("form"), choices=[(k, label) for k, label in FormKind.choices if k != FormKind.A]
    )
    participant = forms.ModelChoiceField(label=_("person"), queryset=None)
    filled_on = forms.DateField(label=_("date"), widget=DateInput())
    content = forms.CharField(label=_("content"), required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["participant"].label_from_instance = lambda p: (
            f"{p.person} — {p.get_role_display()}"
        )


class MemberForm(forms.Form):
    """A member of staff (chosen from the list) or an external member by name."""

    user = forms.ModelChoiceField(
        label=_("staff member"),
        queryset=None,
        required=False,
        empty_label=_("— an external member (give the name) —"),
    )
    name = forms.CharField(label=_("name"), max_length=200, required=False)
    institution = forms.CharField(
        label=_("institution"),
        max_length=200,
        required=False,
        help_text=_("e.g. Komenda Powiatowa Policji, Szkoła Podstawowa nr 1"),
    )
    function = forms.CharField(label=_("function in the group"), max_length=200, required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class MeetingPlanForm(forms.Form):
    planned_on = forms.DateField(label=_("planned for"), widget=DateInput())


class MeetingRecordForm(forms.Form):
    held_on = forms.DateField(label=_("held on"), widget=DateInput())
    attendees = forms.CharField(label=_("who attended"), max_length=500, required=False)
    minutes = forms.CharField(label=_("minutes"), required=False, widget=forms.Textarea(attrs=TEXT))


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("closed on"), widget=DateInput())
    reason = forms.ChoiceField(
        label=_("reason for closing"),
        choices=[("", _("— choose —")), *ClosingReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("closing note"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
