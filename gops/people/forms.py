from django import forms
from django.utils.translation import gettext_lazy as _

from gops.accounts.models import District, User

from .models import Income, IncomeSource, Person, Relation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.ModelForm):
    """A person's data, grouped as on the paper registration form."""

    confirm_similar = forms.BooleanField(
        label=_("I have checked: this is a different person than the similar ones listed"),
        required=False,
    )
    # Optimistic locking: the version of the person the form was loaded with.
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

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
        if creating:
            del self.fields["version"]
        else:
            del self.fields["confirm_similar"]
            if self.instance.pk is not None and not self.is_bound:
                self.initial["version"] = self.instance.version
            # Each field also carries the value it was loaded with (initial-<name>), so that a
            # save over a newer version can show what changed since the user opened the form.
            for name, field in self.fields.items():
                if name != "version" and not field.disabled:
                    field.show_hidden_initial = True
        for name in ("birth_date", "sex"):
            self.fields[name].required = False

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

    def loaded_version(self) -> int | None:
        """The version of the person the form was loaded with (None on registration)."""
        if "version" not in self.fields:
            return None
        return self.cleaned_data.get("version")

    def seen_values(self) -> dict | None:
        """The values the form was loaded with, from its hidden initial-<name> inputs."""
        if "version" not in self.fields:
            return None
        seen = {}
        for name, field in self.fields.items():
            if not field.show_hidden_initial or self.add_initial_prefix(name) not in self.data:
                continue
            raw = self._widget_data_value(field.hidden_widget(), self.add_initial_prefix(name))
            try:
                seen[name] = field.to_python(raw)
            except forms.ValidationError:
                continue
        return seen

    def reloaded(self, person: Person) -> "PersonForm":
        """This form again over the version saved now, so that saving again is deliberate.

        Fields the user changed keep the user's entry; fields the user left alone take the
        value saved now (else saving again would silently undo the other user's change). The
        loaded version and the loaded values become those of `person`.
        """
        data = self.data.copy()
        data["version"] = str(person.version)
        form = PersonForm(data, instance=person, user=self.user, creating=False)
        for name, field in form.fields.items():
            if not field.show_hidden_initial:
                continue
            value = field.prepare_value(form.get_initial_for_field(field, name))
            text = "" if value is None else str(value)
            data[form.add_initial_prefix(name)] = text
            if name in self.fields and self[name]._has_changed():
                continue
            if isinstance(field, forms.BooleanField):
                if value:
                    data[name] = "on"
                else:
                    data.pop(name, None)
            else:
                data[name] = text
        form.is_valid()
        return form


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


class HouseholdMemberForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    relation = forms.ChoiceField(
        label=_("relation to the head"),
        choices=[c for c in Relation.choices if c[0] != Relation.HEAD],
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("PESEL, surname and first name, or document number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
