"""Persons, households, memberships and incomes: the registry every case starts from.

GOPS stores no religion, ethnic origin or political views: help is given regardless of them
(u.p.s. art. 7 and the centre's mission), so there is no field for any of them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gops.core.models import EncryptedTextField, MoneyField, TimeStampedModel
from gops.core.validators import validate_pesel

from . import rules


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")


class DocumentType(models.TextChoices):
    ID_CARD = "id_card", _("identity card")
    PASSPORT = "passport", _("passport")
    RESIDENCE_CARD = "residence_card", _("residence card")
    TRAVEL_DOCUMENT = "travel_document", _("travel document for foreigners")
    OTHER = "other", _("other document")


class ResidenceStatus(models.TextChoices):
    """Legal basis of a foreigner's stay (u.p.s. art. 5; LAW.md §6)."""

    PERMANENT_RESIDENCE = "permanent_residence", _("permanent residence permit")
    TEMPORARY_RESIDENCE = "temporary_residence", _("temporary residence permit")
    REFUGEE_STATUS = "refugee_status", _("refugee status")
    SUBSIDIARY_PROTECTION = "subsidiary_protection", _("subsidiary protection")
    TEMPORARY_PROTECTION_UA = (
        "temporary_protection_ua",
        _("temporary protection (citizen of Ukraine)"),
    )
    OTHER = "other", _("other")


class LetterLanguage(models.TextChoices):
    """Languages the centre's letters to clients are written in (besides Polish, the official
    language of the decision itself)."""

    POLISH = "pl", _("Polish")
    UKRAINIAN = "uk", _("Ukrainian")
    ENGLISH = "en", _("English")


class DisabilityDegree(models.TextChoices):
    NONE = "none", _("none")
    LIGHT = "light", _("light")
    MODERATE = "moderate", _("moderate")
    SIGNIFICANT = "significant", _("significant")


class Person(TimeStampedModel):
    """Osoba: a client or a member of a client's household."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="persons",
    )
    # The social worker who leads this person's case, besides the district's workers.
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_persons",
    )

    first_names = models.CharField(_("first name(s)"), max_length=100)
    surnames = models.CharField(_("surname(s)"), max_length=100)
    pesel = models.CharField(
        _("PESEL"), max_length=11, null=True, blank=True, validators=[validate_pesel]
    )
    birth_date = models.DateField(_("date of birth"), blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)

    id_document_type = models.CharField(
        _("identity document"), max_length=20, choices=DocumentType.choices, blank=True
    )
    id_document_number = models.CharField(_("document number"), max_length=30, blank=True)
    citizenship = models.CharField(
        _("citizenship"), max_length=2, default="PL", help_text=_("ISO 3166 country code")
    )
    residence_status = models.CharField(
        _("residence status"), max_length=30, choices=ResidenceStatus.choices, blank=True
    )
    residence_document_valid_until = models.DateField(
        _("residence document valid until"), null=True, blank=True
    )

    # Language needs (LAW.md §6): what the person speaks, the language of letters, interpreter.
    languages_spoken = models.CharField(
        _("languages spoken"), max_length=100, blank=True, help_text=_("e.g. Ukrainian, Russian")
    )
    letter_language = models.CharField(
        _("language of letters"),
        max_length=2,
        choices=LetterLanguage.choices,
        default=LetterLanguage.POLISH,
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)

    registered_street = models.CharField(_("street and number"), max_length=200, blank=True)
    registered_postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    registered_city = models.CharField(_("city"), max_length=100, blank=True)
    actual_same_as_registered = models.BooleanField(
        _("lives at the registered address"), default=True
    )
    actual_street = models.CharField(_("street and number"), max_length=200, blank=True)
    actual_postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    actual_city = models.CharField(_("city"), max_length=100, blank=True)
    # Osoba bezdomna (u.p.s. art. 6 pkt 8).
    homeless = models.BooleanField(_("homeless"), default=False)

    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    disability_degree = models.CharField(
        _("degree of disability"),
        max_length=12,
        choices=DisabilityDegree.choices,
        default=DisabilityDegree.NONE,
    )
    disability_valid_until = models.DateField(
        _("disability certificate valid until"),
        null=True,
        blank=True,
        help_text=_("leave empty for a permanent certificate"),
    )
    # Only roles with people.view_restricted_notes read this (not finance, not shelter).
    # Encrypted at rest (docs/admin/klucze-szyfrowania.md).
    restricted_notes = EncryptedTextField(_("restricted notes"), blank=True)

    # Folded copies for search and duplicate detection (rules.normalize_name).
    surnames_search = models.CharField(max_length=100, editable=False)
    # The parts of a double surname rotated ("kowalska nowak"), so each part is a prefix.
    surnames_alt_search = models.CharField(max_length=100, editable=False, default="")
    first_names_search = models.CharField(max_length=100, editable=False)
    document_search = models.CharField(max_length=30, editable=False, blank=True)
    # Optimistic locking: people.services.person_update raises it by one on every change, and
    # refuses a save made over a newer version than the one the user loaded.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["surnames_search", "first_names_search", "id"]
        permissions = [
            ("view_all_persons", _("Can see persons of every district")),
            ("view_district_persons", _("Can see persons of own district")),
            ("view_restricted_notes", _("Can read restricted notes")),
            ("change_person_district", _("Can move a person to another district")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "pesel"],
                condition=Q(pesel__isnull=False),
                name="person_unique_pesel_per_centre",
            ),
            models.CheckConstraint(
                condition=Q(pesel__isnull=True) | Q(pesel__regex=r"^[0-9]{11}$"),
                name="person_pesel_11_digits",
            ),
        ]
        indexes = [
            # Prefix search (LIKE 'x%'): pattern opclasses on PostgreSQL whatever the collation;
            # other databases ignore opclasses and build plain indexes.
            models.Index(
                fields=["centre", "surnames_search"],
                name="person_surname_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["centre", "surnames_alt_search"],
                name="person_surname_alt_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["centre", "first_names_search"],
                name="person_first_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["centre", "pesel"],
                name="person_pesel_prefix_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["centre", "document_search"], name="person_document_idx"),
            models.Index(fields=["centre", "birth_date"], name="person_birth_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.surnames} {self.first_names}"

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.surnames}"

    def clean(self) -> None:
        """Cross-field rules: PESEL-derived data, identification without PESEL, foreigners."""
        errors: dict[str, list] = {}
        self.pesel = (self.pesel or "").strip() or None
        self.citizenship = (self.citizenship or "").strip().upper()
        derived = rules.pesel_data(self.pesel) if self.pesel else None
        # An invalid PESEL is reported on its own field; do not pile on more errors.
        pesel_invalid = bool(self.pesel) and derived is None
        if self.pesel:
            if derived is not None:
                if self.birth_date is None:
                    self.birth_date = derived.birth_date
                elif self.birth_date != derived.birth_date:
                    errors.setdefault("birth_date", []).append(
                        _(
                            "The date of birth %(given)s contradicts the PESEL, "
                            "which gives %(pesel)s."
                        )
                        % {"given": self.birth_date.isoformat(), "pesel": derived.birth_date}
                    )
                if not self.sex:
                    self.sex = derived.sex
                elif self.sex != derived.sex:
                    errors.setdefault("sex", []).append(
                        _("The sex contradicts the PESEL, which gives: %(sex)s.")
                        % {"sex": Sex(derived.sex).label}
                    )
        else:
            # Without PESEL the person is identified by birth date, sex and a document.
            if not self.id_document_type:
                errors.setdefault("id_document_type", []).append(
                    _("Without a PESEL, the type of identity document is required.")
                )
            if not self.id_document_number:
                errors.setdefault("id_document_number", []).append(
                    _("Without a PESEL, the document number is required.")
                )
        if self.birth_date is None and "birth_date" not in errors and not pesel_invalid:
            errors["birth_date"] = [_("The date of birth is required without a valid PESEL.")]
        if not self.sex and "sex" not in errors and not pesel_invalid:
            errors["sex"] = [_("The sex is required without a valid PESEL.")]
        if len(self.citizenship) != 2 or not self.citizenship.isalpha():
            errors.setdefault("citizenship", []).append(
                _("Give the citizenship as a two-letter ISO 3166 code, e.g. PL or UA.")
            )
        elif self.citizenship != "PL" and not self.residence_status:
            errors.setdefault("residence_status", []).append(
                _("For a foreigner the residence status is required.")
            )
        elif self.citizenship == "PL" and self.residence_status:
            errors.setdefault("residence_status", []).append(
                _("A Polish citizen has no residence status.")
            )
        if self.disability_degree == DisabilityDegree.NONE and self.disability_valid_until:
            errors.setdefault("disability_valid_until", []).append(
                _("A validity date needs a degree of disability.")
            )
        if not self.actual_same_as_registered and not self.homeless and not self.actual_city:
            errors.setdefault("actual_city", []).append(
                _("Give the actual address, or mark that the person lives at the registered one.")
            )
        if errors:
            raise ValidationError(errors)

    def set_search_keys(self) -> None:
        """Fill the folded search columns from the names and the document number. save()
        calls it; a bulk write, which bypasses save(), calls it on every person itself."""
        self.surnames_search = rules.normalize_name(self.surnames)
        self.surnames_alt_search = rules.rotate_name_parts(self.surnames_search)
        self.first_names_search = rules.normalize_name(self.first_names)
        self.document_search = rules.normalize_document_number(self.id_document_number or "")

    def save(self, *args, **kwargs):
        self.set_search_keys()
        super().save(*args, **kwargs)

    @property
    def is_foreigner(self) -> bool:
        return self.citizenship != "PL"

    @property
    def active_membership(self):
        return self.memberships.filter(left_on__isnull=True).select_related("household").first()


class Relation(models.TextChoices):
    """Relation of a household member to the head of the household."""

    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    SIBLING = "sibling", _("brother or sister")
    GRANDCHILD = "grandchild", _("grandchild")
    GRANDPARENT = "grandparent", _("grandparent")
    OTHER_RELATIVE = "other_relative", _("other relative")
    NOT_RELATED = "not_related", _("not related")


class Household(TimeStampedModel):
    """Gospodarstwo domowe / rodzina: persons who live and keep house together."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    family_assistant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("family assistant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assisted_households",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Optimistic lock: raised by one on every edit through household_update, which
    # refuses a save made over a newer version than the one the user loaded.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["-id"]

    def __str__(self) -> str:
        head = next((m for m in self.active_members if m.relation == Relation.HEAD), None)
        name = str(head.person) if head else f"#{self.pk}"
        return str(_("Household of %(name)s") % {"name": name})

    def get_absolute_url(self) -> str:
        return reverse("people:household_detail", args=[self.pk])

    @property
    def active_members(self) -> list["HouseholdMembership"]:
        """Current members; uses prefetched memberships when the selector prefetched them."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "memberships" in cache:
            return [m for m in self.memberships.all() if m.left_on is None]
        return list(
            self.memberships.filter(left_on__isnull=True).select_related("person").order_by("id")
        )


class HouseholdMembership(TimeStampedModel):
    """A person's membership of a household; history is kept by closing it (left_on)."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relation = models.CharField(_("relation to the head"), max_length=20, choices=Relation.choices)
    joined_on = models.DateField(_("member since"))
    left_on = models.DateField(_("member until"), null=True, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            # A person is in at most one active household at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(left_on__isnull=True),
                name="membership_one_active_household_per_person",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(left_on__isnull=True, relation="head"),
                name="membership_one_active_head_per_household",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_relation_display()}"


class IncomeSource(models.TextChoices):
    WAGES = "wages", _("wages")
    OLD_AGE_PENSION = "old_age_pension", _("old-age pension")
    DISABILITY_PENSION = "disability_pension", _("disability pension")
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", _("unemployment benefit")
    FAMILY_BENEFITS = "family_benefits", _("family benefits")
    ALIMONY = "alimony", _("alimony received")
    FARM = "farm", _("farm (hectares przeliczeniowe)")
    HOUSING_ALLOWANCE = "housing_allowance", _("housing allowance")
    PURPOSE_ALLOWANCE = "purpose_allowance", _("purpose allowance (zasiłek celowy)")
    OTHER = "other", _("other")


class Income(TimeStampedModel):
    """Dochód: one source of a person's income in one month (u.p.s. art. 8 ust. 3–4)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="incomes")
    month = models.DateField(_("month"), help_text=_("first day of the month"))
    source = models.CharField(_("source"), max_length=30, choices=IncomeSource.choices)
    # Entered either as net, or as gross with the deductions of art. 8 ust. 3.
    gross_amount = MoneyField(_("gross amount"), null=True, blank=True)
    income_tax = MoneyField(_("income tax"), default=0)
    health_insurance = MoneyField(_("health insurance contribution"), default=0)
    social_insurance = MoneyField(_("social insurance contributions"), default=0)
    alimony_paid = MoneyField(_("alimony paid to others"), default=0)
    net_amount = MoneyField(_("net amount"))
    # Farm income is counted from hectares przeliczeniowe × the rate of the month (art. 8 ust. 8).
    farm_hectares = models.DecimalField(
        _("hectares przeliczeniowe"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    # False for sources art. 8 ust. 4 leaves out (e.g. zasiłek celowy).
    counts_as_income = models.BooleanField(_("counts as income"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("income")
        verbose_name_plural = _("incomes")
        ordering = ["-month", "source", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(net_amount__gte=0), name="income_net_not_negative"),
            models.CheckConstraint(
                condition=~Q(source="farm") | Q(farm_hectares__isnull=False),
                name="income_farm_has_hectares",
            ),
        ]
        indexes = [models.Index(fields=["person", "month"], name="income_person_month")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.month:%Y-%m}: {self.net_amount} zł"
