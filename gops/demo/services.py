"""Writing the demo centre: ``demo_centre_seed`` and one small function per area.

The centre, its districts and its staff are set up directly (as an administrator would in the
Django admin); the registry is written through the people services acting as each district's
social worker, so it is validated and audited like real work. Later areas (applications,
decisions, payments, shelters, ...) add one ``_<area>_seed`` function each and a call in
``demo_centre_seed``.
"""

from dataclasses import asdict, dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from gops.accounts.models import Centre, District, User
from gops.accounts.services import two_factor_demo_device_set
from gops.accounts.two_factor import DEMO_TOTP_KEY_BASE32, two_factor_required
from gops.people.models import Household, Income, Person
from gops.people.services import household_create, income_add, person_create

from . import generate
from .atrisk import atrisk_seed
from .bluecards import bluecards_seed
from .cases import cases_seed
from .community import community_seed
from .families import families_seed
from .generate import (
    CENTRE,
    DEMO_PASSWORD,
    DISTRICT_WORKERS,
    DISTRICTS,
    STAFF,
)
from .history import history_seed
from .imported import imported_seed
from .integration import integration_seed
from .payments import payments_seed
from .shelter import shelter_seed


class DemoConflictError(Exception):
    """The database holds data the demo would have to take over (e.g. a user of another centre)."""


@dataclass(frozen=True)
class StaffLogin:
    username: str
    role: str
    position: str
    district: str  # "" when the post is not tied to a district
    # Base32 key of the demo authenticator, for the roles that require two-factor sign-in.
    totp_key: str = ""


@dataclass(frozen=True)
class DemoResult:
    centre: Centre
    logins: tuple[StaffLogin, ...]
    password: str
    # False when the demo centre already had persons, so none were added.
    registry_created: bool
    persons: int
    households: int
    incomes: int
    # Persons of the registry "moved from the previous system" by the CSV import (0 when the
    # registry existed already).
    imported: int = 0


@transaction.atomic
def demo_centre_seed(
    *,
    persons: int = generate.DEFAULT_PERSONS,
    seed: int = generate.DEFAULT_SEED,
    today: date | None = None,
) -> DemoResult:
    """Create the demo centre, its staff and `persons` persons in households; idempotent.

    One transaction: a failure leaves nothing half-written. A second run refreshes the staff
    (roles, districts, the demo password) and adds no persons if the centre already has some.
    """
    if persons < 0:
        raise ValueError("persons must not be negative")
    centre = _centre_seed()
    districts = _districts_seed(centre=centre)
    staff = _staff_seed(centre=centre, districts=districts)
    reference = generate.reference_month(today or timezone.localdate())
    registry_created = _registry_seed(
        centre=centre, staff=staff, persons=persons, seed=seed, reference=reference
    )
    cases_seed(centre=centre, staff=staff, seed=seed, today=today or timezone.localdate())
    history_seed(
        centre=centre, staff=staff, today=min(today or timezone.localdate(), timezone.localdate())
    )
    payments_seed(centre=centre, staff=staff, today=today or timezone.localdate())
    shelter_seed(centre=centre, staff=staff, today=today or timezone.localdate())
    community_seed(
        centre=centre, staff=staff, today=min(today or timezone.localdate(), timezone.localdate())
    )
    families_seed(centre=centre, staff=staff, today=today or timezone.localdate())
    bluecards_seed(centre=centre, staff=staff, today=today or timezone.localdate())
    integration_seed(centre=centre, staff=staff, today=today or timezone.localdate())
    imported = (
        imported_seed(centre=centre, staff=staff, today=today or timezone.localdate())
        if registry_created
        else 0
    )
    # Last: the lists of persons at risk are computed from everything above.
    atrisk_seed(centre=centre, staff=staff, today=today or timezone.localdate())
    return DemoResult(
        centre=centre,
        logins=tuple(
            StaffLogin(
                username=spec.username,
                role=spec.role,
                position=spec.position,
                district=districts[spec.district].name if spec.district is not None else "",
                totp_key=DEMO_TOTP_KEY_BASE32 if two_factor_required(staff[spec.username]) else "",
            )
            for spec in STAFF
        ),
        password=DEMO_PASSWORD,
        registry_created=registry_created,
        persons=Person.objects.filter(centre=centre).count(),
        households=Household.objects.filter(centre=centre).count(),
        incomes=Income.objects.filter(person__centre=centre).count(),
        imported=imported,
    )


# --- Centre and staff -----------------------------------------------------------------------


def _centre_seed() -> Centre:
    """The demo centre, found again by its (fictional) TERYT code."""
    centre = Centre.objects.filter(teryt=CENTRE.teryt).order_by("pk").first()
    if centre is not None:
        return centre
    centre = Centre(**asdict(CENTRE))
    centre.full_clean()
    centre.save()
    return centre


def _districts_seed(*, centre: Centre) -> list[District]:
    return [
        District.objects.get_or_create(
            centre=centre, name=spec.name, defaults={"description": spec.description}
        )[0]
        for spec in DISTRICTS
    ]


def _staff_seed(*, centre: Centre, districts: list[District]) -> dict[str, User]:
    """One user per STAFF entry, with exactly its role and the demo password."""
    groups = {group.name: group for group in Group.objects.filter(name__in={s.role for s in STAFF})}
    # One hash for all: hashing is slow on purpose, and the password is printed anyway.
    password_hash = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for spec in STAFF:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(username=spec.username)
        elif user.centre_id not in (None, centre.pk):
            raise DemoConflictError(
                f"User {spec.username!r} belongs to another centre; run seed_demo on a "
                "database of its own."
            )
        user.centre = centre
        user.district = districts[spec.district] if spec.district is not None else None
        user.first_name = spec.first_name
        user.last_name = spec.last_name
        user.position = spec.position
        user.may_sign_decisions = spec.may_sign_decisions
        user.is_staff = spec.is_staff
        user.is_superuser = False
        user.is_active = True
        validate_password(DEMO_PASSWORD, user)
        user.password = password_hash
        user.must_change_password = False
        user.save()
        user.groups.set([groups[spec.role]])
        if two_factor_required(user):
            # The published demo key: anyone trying the demo adds it to their own app.
            two_factor_demo_device_set(user=user)
        users[spec.username] = user
    return users


# --- Registry: persons, households, incomes ------------------------------------------------


def _registry_seed(
    *, centre: Centre, staff: dict[str, User], persons: int, seed: int, reference: date
) -> bool:
    """Write the generated households; False (and nothing written) if the centre has persons."""
    if Person.objects.filter(centre=centre).exists():
        return False
    plan = generate.registry_plan(persons=persons, seed=seed, reference=reference)
    workers = [staff[username] for username in DISTRICT_WORKERS]
    for household in plan:
        _household_write(plan=household, worker=workers[household.district], staff=staff)
    return True


def _household_write(
    *, plan: generate.HouseholdPlan, worker: User, staff: dict[str, User]
) -> Household:
    """Register the members, form their household and record their incomes, as `worker`."""
    members: list[tuple[Person, str]] = []
    for member in plan.members:
        data = member.person_data()
        data["case_worker"] = staff[member.case_worker] if member.case_worker else None
        members.append((person_create(actor=worker, data=data), member.relation))
    household = household_create(
        actor=worker, members=members, joined_on=plan.joined_on, notes=plan.notes
    )
    for (person, _relation), member in zip(members, plan.members, strict=True):
        for income in member.incomes:
            income_add(actor=worker, person=person, **income.as_kwargs())
    # Family assistants are assigned by families_seed, within the caseload limit.
    return household
