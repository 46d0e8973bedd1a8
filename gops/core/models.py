"""Shared kernel: base model and field types. No domain knowledge lives here."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField as _LibraryEncryptedTextField


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class MoneyField(models.DecimalField):
    """Złoty with grosze: Decimal(12, 2), never float."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "gops.core.models.MoneyField", args, kwargs


class EncryptedTextField(_LibraryEncryptedTextField):
    """Free text encrypted at rest (django-fernet-encrypted-fields; keys: gops.core.encryption).

    Two departures from the library, both for columns that were plain ``TextField``s:

    - an empty text is stored as ``''`` when the column is NOT NULL (the library stores NULL
      for any empty value), so the column, the forms and ``update(text="")`` (anonymisation)
      keep working with ``''``; a nullable column stores NULL as the library does;
    - ``clean()`` does not mark the field object "already decrypted" as the library does: the
      field object is shared by every thread, and a request reading the column at that moment
      would get the ciphertext. Plain text never decrypts, so ``to_python`` leaves it as it is.

    Nothing may filter, order or search by such a column in the database: equal texts have
    different ciphertexts.
    """

    def get_prep_value(self, value):
        if value == "" and not self.null:
            return ""
        return super().get_prep_value(value)

    def clean(self, value, model_instance):
        return models.TextField.clean(self, value, model_instance)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "gops.core.models.EncryptedTextField", args, kwargs


def non_negative():
    return [MinValueValidator(Decimal("0"))]
