"""Reads of the benefits app: legal parameters in force on a day; decisions for a user; the
care services fee scale in force on a day and the months of care delivered."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from gops.cases.models import Application
from gops.core.queries import get_visible_or_404
from gops.people.selectors import person_queryset_for_user

from . import rules
from .models import CareFeeScale, CareServiceMonth, Decision, LegalParameters


class LegalParametersMissing(ValidationError):
    """No LegalParameters row is in force on the day asked about (e.g. before 2018-10-01)."""


def legal_parameters_on(on: date) -> LegalParameters:
    """The row in force on `on`: the greatest `valid_from` not after it.

    Raises LegalParametersMissing, a ValidationError with a message for the user, when no row
    is in force yet on that day.
    """
    found = LegalParameters.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    if found is not None:
        return found
    earliest = LegalParameters.objects.order_by("valid_from").values_list("valid_from", flat=True)
    first = earliest.first()
    if first is None:
        raise LegalParametersMissing(
            _(
                "No legal parameters (income criteria) are recorded; "
                "the administrator must enter them first."
            ),
            code="no_legal_parameters",
        )
    raise LegalParametersMissing(
        _(
            "No legal parameters (income criteria) are in force on %(date)s; "
            "the earliest recorded apply from %(earliest)s."
        ),
        code="no_legal_parameters",
        params={
            "date": date_format(on, "SHORT_DATE_FORMAT"),
            "earliest": date_format(first, "SHORT_DATE_FORMAT"),
        },
    )


def legal_parameters_as_rules(legal_parameters: LegalParameters) -> rules.Parameters:
    """The pure rules' view of a LegalParameters row."""
    return rules.Parameters(
        valid_from=legal_parameters.valid_from,
        single_criterion=legal_parameters.single_criterion,
        per_person_criterion=legal_parameters.per_person_criterion,
        farm_income_per_hectare=legal_parameters.farm_income_per_hectare,
        permanent_allowance_max=legal_parameters.permanent_allowance_max,
        permanent_allowance_min=legal_parameters.permanent_allowance_min,
        periodic_allowance_min=legal_parameters.periodic_allowance_min,
        # An empty cap means the per-person criterion (LegalParameters.periodic_single_cap).
        periodic_single_cap=(
            legal_parameters.periodic_single_cap
            if legal_parameters.periodic_single_cap is not None
            else legal_parameters.per_person_criterion
        ),
        permanent_amount_percent=legal_parameters.permanent_amount_percent,
        source=legal_parameters.source,
    )


def rules_parameters_on(on: date) -> rules.Parameters:
    """The parameters in force on `on`, ready for rules.py."""
    return legal_parameters_as_rules(legal_parameters_on(on))


# --- Decisions --------------------------------------------------------------------------------


def decision_queryset_for_user(*, user) -> QuerySet[Decision]:
    """Decisions on applications the user may see; finance sees the centre's issued ones."""
    if not user.is_authenticated or not user.has_perm("benefits.view_decision"):
        return Decision.objects.none()
    qs = Decision.objects.filter(centre_id=user.centre_id)
    if user.has_perm("cases.view_all_applications"):
        return qs
    if not user.has_perm("cases.view_application"):
        # Finance: issued decisions only, for payments.
        return qs.filter(status="issued")
    # The same rows as "on an application the user may see" (assigned to them, or of an
    # applicant they may see), written against the decision's own party: a decision's person
    # is its application's applicant (benefits.services.decision_draft; changes copy it).
    # Two small hashed subqueries instead of applications nested in persons: a social
    # worker's decision register on a large city, 1.9 s -> see docs/performance.md.
    return qs.filter(
        Q(application__in=Application.objects.filter(centre_id=user.centre_id, worker=user))
        | Q(person__in=person_queryset_for_user(user=user))
    )


def decision_get_for_user(*, user, decision_id: int) -> Decision:
    return get_visible_or_404(
        decision_queryset_for_user(user=user),
        decision_id,
        fetch=Decision.objects.select_related(
            "application", "person", "centre", "signed_by", "drafted_by"
        ),
    )


def benefits_without_decision(*, application) -> list[str]:
    """The requested benefits of an application that no draft or issued decision settles."""
    settled = set(
        application.decisions.filter(
            status__in=["draft", "issued"], kind__in=["granting", "refusing"]
        ).values_list("benefit", flat=True)
    )
    return [code for code in application.benefits_requested if code not in settled]


def appeal_deadlines(*, user, everyone: bool = False):
    """Served decisions whose appeal period is running (for the deadlines page)."""
    qs = decision_queryset_for_user(user=user).filter(
        status="issued", final_on__isnull=True, appeal_deadline__isnull=False
    )
    if not everyone:
        qs = qs.filter(application__worker=user)
    return qs.select_related("person", "application").order_by("appeal_deadline", "pk")


# --- Care services (u.p.s. art. 50) -----------------------------------------------------------


class CareFeeScaleMissing(ValidationError):
    """The centre has no care services fee scale in force on the day asked about."""


def care_fee_scale_on(*, centre_id: int, on: date) -> CareFeeScale:
    """The centre's fee scale in force on `on`: the greatest `valid_from` not after it.

    Raises CareFeeScaleMissing, a ValidationError with a message for the user, when none is.
    """
    scales = CareFeeScale.objects.filter(centre_id=centre_id)
    found = scales.filter(valid_from__lte=on).order_by("-valid_from").first()
    if found is not None:
        return found
    first = scales.order_by("valid_from").values_list("valid_from", flat=True).first()
    if first is None:
        raise CareFeeScaleMissing(
            _("Set the care services fee scale (council resolution) first."),
            code="no_care_fee_scale",
        )
    raise CareFeeScaleMissing(
        _(
            "No care services fee scale (council resolution) is in force on %(date)s; "
            "the earliest recorded applies from %(earliest)s."
        ),
        code="no_care_fee_scale",
        params={
            "date": date_format(on, "SHORT_DATE_FORMAT"),
            "earliest": date_format(first, "SHORT_DATE_FORMAT"),
        },
    )


def care_months_for_decision(*, decision: Decision) -> QuerySet[CareServiceMonth]:
    """The months of care recorded under `decision` (fetched for the user beforehand)."""
    return decision.care_months.select_related("recorded_by").order_by("month")


def care_months_totals(*, decision: Decision) -> dict:
    """{"hours": total hours delivered, "fee_owed": total fee owed} under `decision`."""
    totals = decision.care_months.aggregate(hours=Sum("hours_delivered"), fee_owed=Sum("fee_owed"))
    # SQLite sums decimals without their scale (235.5); give them back their places.
    return {
        "hours": Decimal(totals["hours"] or 0).quantize(Decimal("0.1")),
        "fee_owed": Decimal(totals["fee_owed"] or 0).quantize(Decimal("0.01")),
    }
