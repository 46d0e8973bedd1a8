from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def form_add_validation_error(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields where it names them."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class VersionedFormMixin:
    """For a ModelForm that edits a record under optimistic locking (a `version` field that the
    update service raises with every change).

    Call `track_version()` at the end of `__init__`: the form then carries, in hidden inputs,
    the version it was loaded with and each editable field's loaded value (initial-<name>), so
    that a save over a newer version can be refused with what changed since (see
    gops.audit.versioning.changes_since and gops.core.errors.VersionConflict).
    """

    def track_version(self) -> None:
        self.fields["version"] = forms.IntegerField(
            min_value=1, required=False, widget=forms.HiddenInput
        )
        if self.instance.pk is not None and not self.is_bound:
            self.initial["version"] = self.instance.version
        for name, field in self.fields.items():
            if name != "version" and not field.disabled:
                field.show_hidden_initial = True

    def reload_kwargs(self) -> dict:
        """The keyword arguments, besides data and instance, to build this form again."""
        return {}

    def loaded_version(self) -> int | None:
        """The version the form was loaded with (None when the form does not track one)."""
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
            except ValidationError:
                continue
        return seen

    def reloaded(self, instance):
        """This form again over the version saved now, so that saving again is deliberate.

        Fields the user changed keep the user's entry; fields the user left alone take the
        value saved now (else saving again would silently undo the other user's change). The
        loaded version and the loaded values become those of `instance`.
        """
        data = self.data.copy()
        data["version"] = str(instance.version)
        form = type(self)(data, instance=instance, **self.reload_kwargs())
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


class CsvUploadForm(forms.Form):
    """An uploaded CSV file, given to the view as its text (UTF-8, a BOM as Excel writes it
    dropped). Subclasses set the field's help text and may limit the size (`max_bytes`)."""

    max_bytes: int | None = None
    too_large = _("The file is larger than %(limit)s MB.")
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if self.max_bytes is not None and upload.size > self.max_bytes:
            raise ValidationError(self.too_large % {"limit": self.max_bytes // (1024 * 1024)})
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text.")) from None
