from django import forms
from django.utils.translation import gettext_lazy as _

from gops.accounts.models import District, User
from gops.core.forms import CsvUploadForm, VersionedFormMixin

from .models import Household, Income, IncomeSource, Person, Relation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(VersionedFormMixin, forms.ModelForm):
    """A person's data, grouped as on the paper registration form. Editing, it carries the
    version loaded (optimistic locking, VersionedFormMixin)."""

    confirm_similar = forms.BooleanField(
        label=_("I have checked: this is a different person than the similar ones listed"),
        required=False,
    )

    fieldsets = [
        (_("Identity"), ["first_names", "surnames", "pesel", "birth_date", "sex"]),
        (
            _("Document and citizenship"),
            [
                "id_document_type",
                "id_document_number",
                "citizenship",
                "residence_status",
                "residence_document_valid_until",
            ],
        ),
        (_("Language"), ["languages_spoken", "letter_language", "needs_interpreter"]),
        (
            _("Registered address"),
            ["registered_street", "registered_postal_code", "registered_city"],
        ),
        (
            _("Actual address"),
            [
                "actual_same_as_registered",
                "homeless",
                "actual_street",
                "actual_postal_code",
                "actual_city",
            ],
        ),
        (_("Contact"), ["phone", "email"]),
        (_("Disability"), ["disability_degree", "disability_valid_until"]),
        (_("Case"), ["district", "case_worker", "restricted_notes"]),
    ]

    class Meta:
        model = Person
        fields = [
            "first_names",
            "surnames",
            "pesel",
            "birth_date",
            "sex",
            "id_document_type",
            "id_document_number",
            "citizenship",
            "residence_status",
            "residence_document_valid_until",
            "languages_spoken",
            "letter_language",
            "needs_interpreter",
            "registered_street",
            "registered_postal_code",
            "registered_city",
            "actual_same_as_registered",
            "homeless",
            "actual_street",
            "actual_postal_code",
            "actual_city",
            "phone",
            "email",
            "disability_degree",
            "disability_valid_until",
            "district",
            "case_worker",
            "restricted_notes",
        ]
        widgets = {
            "birth_date": DateInput(),
            "residence_document_valid_until": DateInput(),
            "disability_valid_until": DateInput(),
            "restricted_notes": forms.Textarea(attrs={"rows": 4}),
            "pesel": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }
        help_texts = {
            "pesel": _("11 digits; the date of birth and sex are read from it."),
            "birth_date": _("Required only without a PESEL."),
        }

    def __init__(self, *args, user: User, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["district"].queryset = District.objects.filter(centre_id=user.centre_id)
        self.fields["case_worker"].queryset = User.objects.filter(
            centre_id=user.centre_id, is_active=True, groups__name="social_worker"
        ).order_by("last_name")
        may_move = user.has_perm("people.change_person_district")
        if creating and user.district_id and not may_move:
            del self.fields["district"]
        elif not creating and not may_move:
            self.fields["district"].disabled = True
        else:
            self.fields["district"].required = True
        if not user.has_perm("people.view_restricted_notes"):
            del self.fields["restricted_notes"]
        for name in ("birth_date", "sex"):
            self.fields[name].required = False
        if not creating:
            del self.fields["confirm_similar"]
            self.track_version()

    def grouped(self):
        """(legend, [bound fields]) in the order of the paper form, for the template."""
        groups = []
        for legend, names in self.fieldsets:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                groups.append((legend, fields))
        return groups

    def service_data(self) -> dict:
        data = {
            k: v for k, v in self.cleaned_data.items() if k not in ("confirm_similar", "version")
        }
        if "district" in self.fields and self.fields["district"].disabled:
            data.pop("district", None)
        return data

    def reload_kwargs(self) -> dict:
        return {"user": self.user, "creating": False}


class IncomeForm(forms.ModelForm):
    class Meta:
        model = Income
        fields = [
            "month",
            "source",
            "net_amount",
            "gross_amount",
            "income_tax",
            "health_insurance",
            "social_insurance",
            "alimony_paid",
            "farm_hectares",
            "counts_as_income",
            "note",
        ]
        widgets = {"month": forms.DateInput(attrs={"type": "month"}, format="%Y-%m")}
        help_texts = {
            "net_amount": _("After tax, contributions and alimony paid (u.p.s. art. 8 ust. 3)."),
            "gross_amount": _("Alternatively: the gross amount and the deductions below."),
            "counts_as_income": _(
                "Clear for sources that are not income under art. 8 ust. 4 "
                "(e.g. zasiłek celowy, one-off benefits, benefits in kind)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].input_formats = ["%Y-%m", "%Y-%m-%d"]
        self.fields["net_amount"].required = False
        self.fields["source"].choices = IncomeSource.choices
        self.fields["counts_as_income"].initial = True

    def _post_clean(self):
        # Validation of amounts belongs to the service (net or gross, farm hectares).
        pass


class HouseholdForm(VersionedFormMixin, forms.ModelForm):
    """A household's own data; it carries the version loaded (optimistic locking)."""

    class Meta:
        model = Household
        fields = ["notes", "district"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["district"].queryset = District.objects.filter(centre_id=user.centre_id)
        # Only the head moves a household to another district, as a person.
        self.fields["district"].disabled = not user.has_perm("people.change_person_district")
        self.track_version()

    def service_data(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and not self.fields[name].disabled
        }

    def reload_kwargs(self) -> dict:
        return {"user": self.user}


class HouseholdMemberForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    relation = forms.ChoiceField(
        label=_("relation to the head"),
        choices=[c for c in Relation.choices if c[0] != Relation.HEAD],
    )


# An upload is read whole in the request; a larger file goes through `manage.py import_persons`.
PERSON_IMPORT_MAX_BYTES = 5 * 1024 * 1024


class PersonImportForm(CsvUploadForm):
    @property
    def max_bytes(self) -> int:
        return PERSON_IMPORT_MAX_BYTES

    too_large = _(
        "The file is larger than %(limit)s MB. Split it, or ask the administrator to import "
        "it with the import_persons command."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A header row with the column names, then one person per row; UTF-8, separated "
            "by semicolons or commas (as a spreadsheet saves CSV). At most 5 MB."
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("PESEL, surname and first name, or document number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
