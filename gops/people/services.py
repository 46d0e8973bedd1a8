"""Writes to the registry. Each service is one transaction with its audit entry inside it."""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gops.accounts.models import District, User
from gops.accounts.roles import FAMILY_ASSISTANT, SOCIAL_WORKER
from gops.audit.models import AuditAction
from gops.audit.services import (
    Change,
    audit_record_change,
    audit_record_changes,
    diff,
    snapshot,
)
from gops.audit.versioning import changes_since
from gops.core.errors import ConflictError, NeedsConfirmation, VersionConflict
from gops.core.imports import MAX_LISTED_ERRORS, ImportReport, csv_reader

from . import imports, rules, selectors
from .models import Household, HouseholdMembership, Income, Person, Relation

# Fields a caller may set on a person; the rest (centre, search keys, audit) are the system's.
PERSON_FIELDS = (
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
    "actual_street",
    "actual_postal_code",
    "actual_city",
    "homeless",
    "phone",
    "email",
    "disability_degree",
    "disability_valid_until",
    "restricted_notes",
    "case_worker",
    "district",
)


def _check_pesel_free(*, person: Person) -> None:
    if not person.pesel:
        return
    existing = (
        Person.objects.filter(centre_id=person.centre_id, pesel=person.pesel)
        .exclude(pk=person.pk)
        .first()
    )
    if existing is not None:
        raise ConflictError(
            _("A person with this PESEL is already registered."), field="pesel", existing=existing
        )


def _check_similar(*, person: Person, confirm_similar: bool) -> None:
    if confirm_similar:
        return
    # A person registered earlier without a PESEL (e.g. a foreigner by passport) may be the
    # same one now registered with it; persons with another PESEL are other persons.
    similar = selectors.person_similar(
        centre_id=person.centre_id,
        first_names=person.first_names,
        surnames=person.surnames,
        birth_date=person.birth_date,
        exclude_id=person.pk,
        without_pesel=bool(person.pesel),
    )
    if similar:
        raise NeedsConfirmation(
            _(
                "A person with the same names and date of birth is already registered. "
                "Check that it is not the same person before you register another record."
            ),
            candidates=similar,
        )


def _assign(person: Person, data: dict[str, Any]) -> None:
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    for name, value in data.items():
        setattr(person, name, "" if value is None and name not in _NULLABLE else value)


_NULLABLE = {
    "pesel",
    "birth_date",
    "residence_document_valid_until",
    "disability_valid_until",
    "case_worker",
}


def _save_person(person: Person) -> None:
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        # Two registrations of one PESEL racing each other: the constraint decides.
        if "pesel" in str(exc).lower():
            raise ConflictError(
                _("A person with this PESEL is already registered."), field="pesel"
            ) from exc
        raise


@transaction.atomic
def person_create(*, actor: User, data: dict[str, Any], confirm_similar: bool = False) -> Person:
    """Register a person in the actor's centre.

    Refuses a PESEL already registered (ConflictError) and asks for confirmation when a
    person with the same names and birth date exists (NeedsConfirmation). The district
    defaults to the registering worker's district.
    """
    if not actor.has_perm("people.add_person"):
        raise PermissionDenied
    data = dict(data)
    person = Person(centre_id=actor.centre_id, created_by=actor, updated_by=actor)
    if data.get("district") is None:
        data.pop("district", None)
        if actor.district_id is None:
            raise ValidationError({"district": _("Choose the district of the person.")})
        person.district_id = actor.district_id
    elif data["district"].centre_id != actor.centre_id:
        raise ValidationError({"district": _("Unknown district.")})
    _assign(person, data)
    person.full_clean(validate_constraints=False)
    _check_pesel_free(person=person)
    _check_similar(person=person, confirm_similar=confirm_similar)
    _save_person(person)
    audit_record_change(
        actor=actor,
        instance=person,
        action=AuditAction.CREATE,
        changes=diff({}, _audited(person)),
        person_id=person.pk,
    )
    return person


def _audited(person: Person) -> dict[str, Any]:
    data = snapshot(person)
    for name in (
        "surnames_search",
        "surnames_alt_search",
        "first_names_search",
        "document_search",
        "updated_by_id",
        "version",
    ):
        data.pop(name, None)
    return data


# The name callers of person_update know; the conflict is the same for every versioned record.
PersonVersionConflict = VersionConflict


def _changes_since(
    *, actor: User, person: Person, expected_version: int, seen: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """What changed since the version the user loaded; restricted notes only by name for
    users who may not read them."""
    hidden = () if actor.has_perm("people.view_restricted_notes") else ("restricted_notes",)
    return changes_since(
        instance=person,
        now=_audited(person),
        expected_version=expected_version,
        seen=seen,
        hidden=hidden,
    )


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    data: dict[str, Any],
    confirm_similar: bool = True,
    expected_version: int | None = None,
    seen: dict[str, Any] | None = None,
) -> Person:
    """Change a person's data; every changed field is audited old → new.

    Moving a person to another district needs people.change_person_district (the head).
    With `expected_version` (the version the user loaded) a save over a newer version is
    refused with VersionConflict listing what changed since, and nothing is written;
    `seen` (the values the user loaded) makes that list exact.
    """
    if not selectors.person_can_write(user=actor, person=person):
        raise PermissionDenied
    person = Person.objects.select_for_update().get(pk=person.pk)
    if expected_version is not None and person.version != expected_version:
        raise VersionConflict(
            _(
                "Someone else has changed this person's data since you opened it. "
                "Nothing has been saved."
            ),
            changes=_changes_since(
                actor=actor, person=person, expected_version=expected_version, seen=seen
            ),
            version=person.version,
        )
    before = _audited(person)
    data = _checked_district(
        data,
        actor=actor,
        current_id=person.district_id,
        refused=_("Only the head of the centre may change a person's district."),
    )
    _assign(person, data)
    person.updated_by = actor
    person.full_clean(validate_constraints=False)
    _check_pesel_free(person=person)
    _check_similar(person=person, confirm_similar=confirm_similar)
    changes = diff(before, _audited(person))
    if not changes:
        return person
    person.version += 1
    _save_person(person)
    audit_record_change(
        actor=actor,
        instance=person,
        action=AuditAction.UPDATE,
        changes=changes,
        person_id=person.pk,
    )
    return person


def _checked_district(
    data: dict[str, Any], *, actor: User, current_id: int, refused: str
) -> dict[str, Any]:
    """`data` with its district checked: a move needs people.change_person_district (the head)
    and a district of the actor's centre; an empty district is left out (no change)."""
    district: District | None = data.get("district")
    if district is None:
        return {k: v for k, v in data.items() if k != "district"}
    if district.pk != current_id:
        if not actor.has_perm("people.change_person_district"):
            raise ValidationError({"district": refused})
        if district.centre_id != actor.centre_id:
            raise ValidationError({"district": _("Unknown district.")})
    return data


# --- Households -----------------------------------------------------------------------------


def _require_household_write(actor: User, household: Household) -> None:
    if not actor.has_perm("people.change_household"):
        raise PermissionDenied
    visible = selectors.household_queryset_for_user(user=actor).filter(pk=household.pk)
    if not visible.exists():
        raise PermissionDenied


def _require_person_write(actor: User, person: Person) -> None:
    if not selectors.person_can_write(user=actor, person=person) and not actor.has_perm(
        "people.view_all_persons"
    ):
        raise PermissionDenied


def _check_not_in_household(person: Person) -> None:
    current = person.memberships.filter(left_on__isnull=True).select_related("household").first()
    if current is not None:
        raise ValidationError(
            _("%(person)s is already a member of household no. %(id)s; end that membership first.")
            % {"person": person, "id": current.household_id}
        )


@transaction.atomic
def household_create(
    *,
    actor: User,
    members: list[tuple[Person, str]],
    joined_on: date | None = None,
    notes: str = "",
) -> Household:
    """Create a household from (person, relation) pairs; exactly one of them is its head.

    The household's district is its head's district.
    """
    if not actor.has_perm("people.add_household"):
        raise PermissionDenied
    heads = [p for p, relation in members if relation == Relation.HEAD]
    if len(heads) != 1:
        raise ValidationError({"members": _("A household has exactly one head.")})
    persons = [p for p, _r in members]
    if len({p.pk for p in persons}) != len(persons):
        raise ValidationError({"members": _("A person is listed twice.")})
    for person in persons:
        _require_person_write(actor, person)
    joined_on = joined_on or timezone.localdate()
    household = Household.objects.create(
        centre_id=actor.centre_id, district_id=heads[0].district_id, created_by=actor, notes=notes
    )
    audit_record_change(
        actor=actor,
        instance=household,
        action=AuditAction.CREATE,
        changes={"notes": [None, notes]} if notes else {},
        household_id=household.pk,
    )
    for person, relation in members:
        _add_member(
            actor=actor, household=household, person=person, relation=relation, joined_on=joined_on
        )
    return household


# Fields of a household a caller may change; its head and members change through memberships,
# its family assistant through household_assign_family_assistant.
HOUSEHOLD_FIELDS = ("notes", "district")


def _household_audited(household: Household) -> dict[str, Any]:
    return snapshot(household, ["district_id", "family_assistant_id", "notes"])


@transaction.atomic
def household_update(
    *,
    actor: User,
    household: Household,
    data: dict[str, Any],
    expected_version: int | None = None,
    seen: dict[str, Any] | None = None,
) -> Household:
    """Change a household's notes or (the head) its district; each change audited old → new.

    With `expected_version` (the version the user loaded) a save over a newer version is
    refused with VersionConflict listing what changed since, and nothing is written;
    `seen` (the values the user loaded) makes that list exact.
    """
    _require_household_write(actor, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if expected_version is not None and household.version != expected_version:
        raise VersionConflict(
            _(
                "Someone else has changed this household's data since you opened it. "
                "Nothing has been saved."
            ),
            changes=changes_since(
                instance=household,
                now=_household_audited(household),
                expected_version=expected_version,
                seen=seen,
            ),
            version=household.version,
        )
    unknown = set(data) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    before = _household_audited(household)
    data = _checked_district(
        data,
        actor=actor,
        current_id=household.district_id,
        refused=_("Only the head of the centre may change a household's district."),
    )
    for name, value in data.items():
        setattr(household, name, "" if value is None and name == "notes" else value)
    changes = diff(before, _household_audited(household))
    if not changes:
        return household
    household.version += 1
    household.save()
    audit_record_change(
        actor=actor,
        instance=household,
        action=AuditAction.UPDATE,
        changes=changes,
        household_id=household.pk,
    )
    return household


def _add_member(
    *, actor: User, household: Household, person: Person, relation: str, joined_on: date
) -> HouseholdMembership:
    if relation not in Relation.values:
        raise ValidationError({"relation": _("Unknown relation.")})
    if person.centre_id != household.centre_id:
        raise ValidationError({"person": _("Unknown person.")})
    # Lock the person's row so two households cannot take them at once.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    _check_not_in_household(person)
    try:
        with transaction.atomic():
            membership = HouseholdMembership.objects.create(
                household=household, person=person, relation=relation, joined_on=joined_on
            )
    except IntegrityError as exc:
        raise ValidationError(
            _(
                "%(person)s is already a member of another household, or the household "
                "already has a head."
            )
            % {"person": person}
        ) from exc
    audit_record_change(
        actor=actor,
        instance=membership,
        action=AuditAction.CREATE,
        changes={"relation": [None, relation], "joined_on": [None, joined_on.isoformat()]},
        person_id=person.pk,
        household_id=household.pk,
    )
    return membership


@transaction.atomic
def household_add_member(
    *,
    actor: User,
    household: Household,
    person: Person,
    relation: str,
    joined_on: date | None = None,
) -> HouseholdMembership:
    """Add a person to a household; they may not be an active member of another one."""
    _require_household_write(actor, household)
    _require_person_write(actor, person)
    if relation == Relation.HEAD:
        raise ValidationError({"relation": _("The household already has a head.")})
    return _add_member(
        actor=actor,
        household=household,
        person=person,
        relation=relation,
        joined_on=joined_on or timezone.localdate(),
    )


@transaction.atomic
def household_end_membership(
    *, actor: User, membership: HouseholdMembership, left_on: date | None = None
) -> HouseholdMembership:
    """End a membership; the record stays as history. The head leaves last."""
    membership = HouseholdMembership.objects.select_for_update().get(pk=membership.pk)
    _require_household_write(actor, membership.household)
    if membership.left_on is not None:
        raise ValidationError(_("This membership has already ended."))
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("The end date cannot be before the start date.")})
    others = membership.household.memberships.filter(left_on__isnull=True).exclude(pk=membership.pk)
    if membership.relation == Relation.HEAD and others.exists():
        raise ValidationError(
            _("The head cannot leave while other members remain; choose a new head first.")
        )
    membership.left_on = left_on
    membership.save(update_fields=["left_on", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=membership,
        action=AuditAction.UPDATE,
        changes={"left_on": [None, left_on.isoformat()]},
        person_id=membership.person_id,
        household_id=membership.household_id,
    )
    return membership


# --- Incomes --------------------------------------------------------------------------------


@transaction.atomic
def income_add(
    *,
    actor: User,
    person: Person,
    month: date,
    source: str,
    net_amount: Decimal | None = None,
    gross_amount: Decimal | None = None,
    income_tax: Decimal = Decimal(0),
    health_insurance: Decimal = Decimal(0),
    social_insurance: Decimal = Decimal(0),
    alimony_paid: Decimal = Decimal(0),
    farm_hectares: Decimal | None = None,
    counts_as_income: bool | None = None,
    note: str = "",
) -> Income:
    """Record one source of a person's income in one month (u.p.s. art. 8 ust. 3–4).

    Give either the net amount, or the gross amount with its deductions; a farm is given in
    hectares przeliczeniowe (its money value follows from the legal parameters of the month).
    """
    if not actor.has_perm("people.add_income") or not selectors.person_can_write(
        user=actor, person=person
    ):
        raise PermissionDenied
    errors: dict[str, str] = {}
    month = month.replace(day=1)
    amounts = {
        "gross_amount": gross_amount,
        "income_tax": income_tax,
        "health_insurance": health_insurance,
        "social_insurance": social_insurance,
        "alimony_paid": alimony_paid,
    }
    for name, amount in amounts.items():
        if amount is not None and amount < 0:
            errors[name] = _("An amount cannot be negative.")
    if errors:
        raise ValidationError(errors)
    if source == "farm":
        if farm_hectares is None or farm_hectares < 0:
            errors["farm_hectares"] = _("Give the farm's area in hectares przeliczeniowe.")
        net_amount = net_amount if net_amount is not None else Decimal("0.00")
    elif gross_amount is not None:
        if net_amount is not None:
            errors["net_amount"] = _("Give either the net amount or the gross amount, not both.")
        else:
            net_amount = rules.net_income(
                gross=gross_amount,
                income_tax=income_tax,
                health_insurance=health_insurance,
                social_insurance=social_insurance,
                alimony_paid=alimony_paid,
            )
    elif net_amount is None:
        errors["net_amount"] = _("Give the net amount, or the gross amount with its deductions.")
    if net_amount is not None and net_amount < 0:
        errors["net_amount"] = _("An amount cannot be negative.")
    if errors:
        raise ValidationError(errors)
    income = Income(
        person=person,
        month=month,
        source=source,
        gross_amount=gross_amount,
        income_tax=income_tax,
        health_insurance=health_insurance,
        social_insurance=social_insurance,
        alimony_paid=alimony_paid,
        net_amount=net_amount,
        farm_hectares=farm_hectares if source == "farm" else None,
        counts_as_income=(
            rules.counts_as_income_by_default(source)
            if counts_as_income is None
            else counts_as_income
        ),
        note=note,
        created_by=actor,
    )
    income.full_clean()
    income.save()
    audit_record_change(
        actor=actor,
        instance=income,
        action=AuditAction.CREATE,
        changes=diff({}, snapshot(income)),
        person_id=person.pk,
    )
    return income


@transaction.atomic
def income_delete(*, actor: User, income: Income) -> None:
    """Remove an income entered by mistake; the audit entry keeps what it was."""
    if not actor.has_perm("people.delete_income") or not selectors.person_can_write(
        user=actor, person=income.person
    ):
        raise PermissionDenied
    audit_record_change(
        actor=actor,
        instance=income,
        action=AuditAction.DELETE,
        changes={name: [value, None] for name, value in snapshot(income).items()},
        person_id=income.person_id,
    )
    income.delete()


@transaction.atomic
def household_assign_family_assistant(
    *, actor: User, household: Household, assistant: User | None
) -> Household:
    """Give a household a family assistant (asystent rodziny), or take them away (None).

    Only staff who see the whole centre (the head) assign assistants; the assistant must be
    an active family assistant of the same centre.
    """
    if not (
        actor.has_perm("people.change_household") and actor.has_perm("people.view_all_persons")
    ):
        raise PermissionDenied
    if assistant is not None and not (
        assistant.is_active
        and assistant.centre_id == household.centre_id
        and assistant.has_role(FAMILY_ASSISTANT)
    ):
        raise ValidationError({"family_assistant": _("Choose a family assistant of the centre.")})
    household = Household.objects.select_for_update().get(pk=household.pk)
    before = household.family_assistant_id
    household.family_assistant = assistant
    # A new version like any other change, so that a form loaded before it notices.
    household.version += 1
    household.save(update_fields=["family_assistant", "version", "updated_at"])
    audit_record_change(
        actor=actor,
        instance=household,
        action=AuditAction.UPDATE,
        changes={"family_assistant_id": [before, assistant.pk if assistant else None]},
        household_id=household.pk,
    )
    return household


# --- Importing persons from CSV ---------------------------------------------------------------

# Rows validated, checked against the registry and written together: one query for the PESELs
# and one for the document numbers of the batch, one INSERT of persons, one of audit entries.
IMPORT_BATCH_SIZE = 1000
# Values per IN (...) of the duplicate checks: below SQLite's oldest limit of 999 parameters.
_IN_CHUNK = 500
# Set by the system, never by the file; validated by the lookups of the import, not per row.
_IMPORT_EXCLUDED = frozenset({"centre", "district", "case_worker", "created_by", "updated_by"})


class _NothingImported(Exception):
    """Raised inside the import's transaction to roll back a file with a broken row."""


@dataclass
class _ImportRow:
    line: int
    person: Person
    reasons: list[str]
    # Whether this row is the first in the file with its PESEL / document number, so the
    # registry is asked about it.
    new_pesel: bool = False
    new_document: bool = False


def persons_import_csv(
    *,
    actor: User,
    text_or_stream: str | TextIO,
    batch_size: int = IMPORT_BATCH_SIZE,
    max_listed_errors: int = MAX_LISTED_ERRORS,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Register the persons of a CSV file (gops.people.imports: columns) in the actor's centre.

    Every row passes the validation a person registered through the form passes (Person's
    field validators and Person.clean: PESEL check digit, birth date and sex agreeing with
    it, a document without PESEL, a residence status for a foreigner, ...). A PESEL or a
    document number that repeats an earlier row, or belongs to a person of the centre
    already, is an error too. All or nothing: one broken row and nothing is written; the
    report lists the broken rows by line (the first `max_listed_errors` of them) and counts
    them all. A valid file is written in one transaction, `batch_size` persons per INSERT,
    each with its CREATE audit entry: each batch is written once checked, as long as no row
    so far is broken, and a broken row further on rolls the whole transaction back. The file
    is read as a stream: `text_or_stream` may be a text stream (opened with newline=""), so
    memory does not grow with the file.

    The district of a row is its ``rejon`` column or, when empty, the actor's district; a
    district other than the actor's own needs people.change_person_district (the head), as
    moving a person does. `progress`, if given, is called with the number of rows read after
    each batch.
    """
    if not actor.has_perm("people.add_person") or actor.centre_id is None:
        raise PermissionDenied
    report = ImportReport(max_listed=max_listed_errors)
    try:
        with transaction.atomic():
            _PersonImport(actor=actor, report=report, batch_size=batch_size).run(
                text_or_stream, progress=progress
            )
            if not report.ok:
                raise _NothingImported
    except _NothingImported:
        report.imported = 0
    except IntegrityError:
        # Checked in bulk before each write, a PESEL may still be registered by someone else
        # between the check and the write: the database's unique constraint refuses it.
        report.imported = 0
        report.add_error(
            1,
            _(
                "A PESEL of the file was registered by someone else during the import. "
                "Nothing has been imported: import the file again."
            ),
        )
    return report


def _in_column(field: str, message: str) -> str:
    """`message` about the cell of `field`'s column, prefixed with the column's name."""
    column = imports.COLUMN_BY_FIELD.get(field)
    return f"{column.name}: {message}" if column else str(message)


class _PersonImport:
    """One run of persons_import_csv: the header, then the rows batch by batch."""

    def __init__(self, *, actor: User, report: ImportReport, batch_size: int) -> None:
        self.actor = actor
        self.report = report
        self.batch_size = max(1, batch_size)
        self.may_place_anywhere = actor.has_perm("people.change_person_district")
        self.districts: dict[str, int | None] = {}
        self.district_keys: dict[str, str] = {}  # a name as written -> folded, once each
        for district_id, name in District.objects.filter(centre_id=actor.centre_id).values_list(
            "pk", "name"
        ):
            # Two names folding alike ("Rejon 1" and "rejon-1") cannot be told apart: None.
            key = rules.normalize_name(name)
            self.districts[key] = None if key in self.districts else district_id
        # As the person form offers them: active social workers of the centre.
        self.case_workers = dict(
            User.objects.filter(
                centre_id=actor.centre_id, is_active=True, groups__name=SOCIAL_WORKER
            ).values_list("username", "pk")
        )
        self.parsers = imports.parsers()
        self.columns: list[imports.Column] = []
        self.seen_pesels: dict[str, int] = {}
        self.seen_documents: dict[str, int] = {}
        self.batch: list[_ImportRow] = []
        self.rows_read = 0

    # -- reading --

    def run(self, source: str | TextIO, *, progress: Callable[[int], None] | None) -> None:
        reader = None
        try:
            # A stream decodes ahead of the rows read: a byte that is not UTF-8 may stop the
            # import a few lines before its own line (the command finds that line first).
            reader = csv_reader(source)
            header = next(reader, None)
            if not self.read_header(header):
                return
            for cells in reader:
                if not any(cell.strip() for cell in cells):
                    continue
                self.rows_read += 1
                self.batch.append(self.read_row(reader.line_num, cells))
                if len(self.batch) >= self.batch_size:
                    self.flush()
                    if progress is not None:
                        progress(self.rows_read)
        except UnicodeDecodeError:
            self.flush(write=False)
            line = reader.line_num + 1 if reader is not None else 1
            self.report.add_error(line, _("The file is not UTF-8 text."))
            return
        except csv.Error as exc:
            self.flush(write=False)
            self.report.add_error(
                reader.line_num, _("The file cannot be read as CSV: %(reason)s") % {"reason": exc}
            )
            return
        self.flush()
        if progress is not None:
            progress(self.rows_read)
        if not self.rows_read and self.report.ok:
            self.report.add_error(1, _("The file has a header row but no persons."))

    def read_header(self, header: list[str] | None) -> bool:
        """Map the header's cells to columns; False (and line 1 reported) if it is wrong."""
        if not header or not any(cell.strip() for cell in header):
            self.report.add_error(1, _("The file is empty: the first row must name the columns."))
            return False
        problems = []
        columns = []
        for cell in header:
            column = imports.column_for_header(cell)
            if column is None:
                problems.append(_("unknown column “%(name)s”") % {"name": cell.strip()})
            elif column in columns:
                problems.append(_("column “%(name)s” appears twice") % {"name": column.name})
            columns.append(column)
        for column in imports.COLUMNS:
            if column.required and column not in columns:
                problems.append(_("column “%(name)s” is missing") % {"name": column.name})
        notes = imports.COLUMN_BY_FIELD["restricted_notes"]
        if notes in columns and not self.actor.has_perm("people.view_restricted_notes"):
            problems.append(
                _("you may not write restricted notes (column “%(name)s”)") % {"name": notes.name}
            )
        if problems:
            self.report.add_error(1, "; ".join(problems))
            return False
        self.columns = columns
        return True

    def read_row(self, line: int, cells: list[str]) -> _ImportRow:
        """One row as a validated, unsaved Person with the reasons it is not valid."""
        reasons: list[str] = []
        if len(cells) > len(self.columns) and any(c.strip() for c in cells[len(self.columns) :]):
            reasons.append(
                _("the row has %(found)s fields but the header names %(expected)s columns")
                % {"found": len(cells), "expected": len(self.columns)}
            )
        values: dict[str, Any] = {}
        unreadable: set[str] = set()
        district_name = case_worker_name = ""
        for column, cell in zip(self.columns, cells, strict=False):
            text = cell.strip()
            if not text:
                continue
            if "\x00" in text:
                # As the person form refuses it (ProhibitNullCharactersValidator); PostgreSQL
                # cannot store it at all.
                reasons.append(f"{column.name}: {_('Null characters are not allowed.')}")
                unreadable.add(column.field)
                continue
            if column.kind == imports.DISTRICT:
                district_name = text
                continue
            if column.kind == imports.CASE_WORKER:
                case_worker_name = text
                continue
            parse = self.parsers.get(column.field)
            if parse is None:
                values[column.field] = text
                continue
            try:
                values[column.field] = parse(text)
            except ValueError as exc:
                reasons.append(f"{column.name}: {exc}")
                unreadable.add(column.field)
        pesel = values.get("pesel", "")
        if len(pesel) == 10 and pesel.isdigit():
            reasons.append(
                _in_column(
                    "pesel",
                    _(
                        "10 digits: a spreadsheet drops the leading zero of a PESEL kept as "
                        "a number; format the column as text"
                    ),
                )
            )
        person = Person(
            centre_id=self.actor.centre_id,
            district_id=self.district_of(district_name, reasons),
            case_worker_id=self.case_worker_of(case_worker_name, reasons),
            created_by_id=self.actor.pk,
            updated_by_id=self.actor.pk,
            **values,
        )
        try:
            person.full_clean(
                exclude=_IMPORT_EXCLUDED | unreadable,
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name in unreadable:
                    continue  # its cell is reported already; Person.clean() only piles on
                reasons += [_in_column(name, m) for m in messages]
        person.set_search_keys()
        row = _ImportRow(line=line, person=person, reasons=reasons)
        if person.pesel:
            first = self.seen_pesels.setdefault(person.pesel, line)
            if first != line:
                reasons.append(
                    _in_column("pesel", _("the PESEL repeats line %(line)s") % {"line": first})
                )
            row.new_pesel = first == line
        if person.document_search:
            first = self.seen_documents.setdefault(person.document_search, line)
            if first != line:
                reasons.append(
                    _in_column(
                        "id_document_number",
                        _("the document number repeats line %(line)s") % {"line": first},
                    )
                )
            row.new_document = first == line
        return row

    def district_of(self, name: str, reasons: list[str]) -> int | None:
        if not name:
            if self.actor.district_id is None:
                reasons.append(_in_column("district", _("Choose the district of the person.")))
            return self.actor.district_id
        key = self.district_keys.get(name)
        if key is None:
            key = self.district_keys[name] = rules.normalize_name(name)
        district_id = self.districts.get(key)
        if district_id is None:
            message = (
                _("the centre has no district “%(name)s”")
                if key not in self.districts
                else _("more districts are named like “%(name)s”: rename one")
            )
            reasons.append(_in_column("district", message % {"name": name}))
        elif district_id != self.actor.district_id and not self.may_place_anywhere:
            reasons.append(
                _in_column(
                    "district",
                    _("only the head of the centre may register a person in another district"),
                )
            )
        return district_id

    def case_worker_of(self, username: str, reasons: list[str]) -> int | None:
        if not username:
            return None
        worker_id = self.case_workers.get(username)
        if worker_id is None:
            reasons.append(
                _in_column(
                    "case_worker",
                    _("“%(username)s” is not an active social worker of the centre")
                    % {"username": username},
                )
            )
        return worker_id

    # -- checking against the registry and writing --

    def flush(self, *, write: bool = True) -> None:
        """Check the batch against the registry, report its broken rows in line order, and
        write it while the file has no broken row so far."""
        batch, self.batch = self.batch, []
        if not batch:
            return
        taken_pesels = self.registered(
            "pesel", [row.person.pesel for row in batch if row.new_pesel]
        )
        taken_documents = self.registered(
            "document_search", [row.person.document_search for row in batch if row.new_document]
        )
        for row in batch:
            if row.new_pesel and row.person.pesel in taken_pesels:
                row.reasons.append(
                    _in_column("pesel", _("A person with this PESEL is already registered."))
                )
            if row.new_document and row.person.document_search in taken_documents:
                row.reasons.append(
                    _in_column(
                        "id_document_number",
                        _("A person with this document number is already registered."),
                    )
                )
            if row.reasons:
                self.report.add_error(row.line, "; ".join(row.reasons))
        if not write or not self.report.ok:
            return
        persons = Person.objects.bulk_create([row.person for row in batch], batch_size=len(batch))
        audit_record_changes(
            actor=self.actor,
            action=AuditAction.CREATE,
            changes=(
                Change(
                    instance=person,
                    # As person_create records it, and the line of the file it came from.
                    changes={"import_line": [None, row.line]} | diff({}, _audited(person)),
                    person_id=person.pk,
                )
                for row, person in zip(batch, persons, strict=True)
            ),
            batch_size=len(batch),
        )
        self.report.imported += len(persons)

    def registered(self, field: str, values: list[str]) -> set[str]:
        """Those of `values` that persons of the centre hold in `field`."""
        found: set[str] = set()
        for start in range(0, len(values), _IN_CHUNK):
            chunk = values[start : start + _IN_CHUNK]
            found.update(
                Person.objects.filter(centre_id=self.actor.centre_id, **{f"{field}__in": chunk})
                .values_list(field, flat=True)
                .order_by()
            )
        return found
