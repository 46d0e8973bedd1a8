"""Staff roles (Django groups) and the permissions each one carries.

The groups are created by a data migration and kept in step by ``sync_roles``; a role's
permissions are the single place that decides what its members may do.
"""

from django.utils.translation import gettext_lazy as _

HEAD = "head"  # kierownik ośrodka
SOCIAL_WORKER = "social_worker"  # pracownik socjalny
FAMILY_ASSISTANT = "family_assistant"  # asystent rodziny
FINANCE = "finance"  # księgowość
SHELTER_COORDINATOR = "shelter_coordinator"
ACTIVITIES_ORGANISER = "activities_organiser"
DATA_PROTECTION_OFFICER = "data_protection_officer"  # inspektor ochrony danych (IOD)
ADMINISTRATOR = "administrator"

ROLE_LABELS = {
    HEAD: _("Head of centre"),
    SOCIAL_WORKER: _("Social worker"),
    FAMILY_ASSISTANT: _("Family assistant"),
    FINANCE: _("Finance"),
    SHELTER_COORDINATOR: _("Shelter coordinator"),
    ACTIVITIES_ORGANISER: _("Activities organiser"),
    DATA_PROTECTION_OFFICER: _("Data protection officer"),
    ADMINISTRATOR: _("Administrator"),
}

# "app_label.codename". Object-level scope (district, assignment) is applied by selectors.


def _crud(
    app: str, *models: str, actions: tuple[str, ...] = ("view", "add", "change")
) -> list[str]:
    """Model permissions of `app`: every action on every model."""
    return [f"{app}.{action}_{model}" for model in models for action in actions]


# Bundles shared by several roles; each role below is a union of bundles and extras.
REGISTRY_WORK = [
    "people.view_restricted_notes",
    *_crud("people", "person", "household", actions=("view", "add", "change")),
    *_crud("people", "income", actions=("add", "change", "delete")),
]
CASE_WORK = [
    *_crud("cases", "application", "socialcontract"),
    *_crud("cases", "communityinterview", actions=("view", "change")),
    *_crud("cases", "casenote", actions=("view", "add")),
]
DECISION_WORK = [
    "benefits.view_legalparameters",
    *_crud("benefits", "decision", "appeal"),
]
REFERRAL_WORK = _crud("referrals", "institution", "advice", "referral", "employmentprofile")
SHELTER_ALL = [
    *_crud("shelter", "facility", "bed", "placement", "homelessnessexitplan"),
    *_crud("shelter", "nightrecord", actions=("view", "add")),
]
SHELTER_READ_AND_EXIT_PLANS = [
    *_crud("shelter", "facility", "bed", "placement", "nightrecord", actions=("view",)),
    *_crud("shelter", "homelessnessexitplan"),
]
ACTIVITIES_ALL = _crud("activities", "activity", "activitysession", "registration", "attendance")
ACTIVITY_REGISTRATION = [
    *_crud("activities", "activity", "activitysession", actions=("view",)),
    *_crud("activities", "registration"),
]
FAMILY_WORK = [
    *_crud("families", "familysupport", actions=("view", "change")),
    *_crud("families", "familyworkplan", "planstep", "familycontact", "familyassessment"),
    *_crud("families", "childprofile", "childcaresupport"),
]
# The family's social worker reads the assistant's work, agrees the plan, logs contacts.
FAMILY_READ = [
    *_crud(
        "families",
        "familysupport",
        "familyworkplan",
        "planstep",
        "familyassessment",
        "childprofile",
        "childcaresupport",
        actions=("view",),
    ),
    "families.change_familyworkplan",
    *_crud("families", "familycontact", actions=("view", "add")),
]
# Which cards a holder sees is decided by membership of each card (bluecards.selectors).
BLUE_CARD_WORK = _crud(
    "bluecards",
    "bluecard",
    "bluecardparticipant",
    "bluecardform",
    "bluecardmember",
    "bluecardmeeting",
)
INTEGRATION_WORK = _crud(
    "integration", "integrationprogramme", "integrationgoal", "integrationstep", "integrationreview"
)
# Lists of persons at risk (their rows follow person and Blue Card visibility).
AT_RISK = _crud("atrisk", "atriskentry", actions=("view", "change"))
DATA_PROTECTION_HEAD = [
    "dataprotection.access_report",
    "dataprotection.approve_anonymisation",
    "dataprotection.view_anonymisationrequest",
    "dataprotection.view_register",
]
PAYMENT_READ = _crud(
    "payments", "scheduleitem", "payroll", "payment", "difference", actions=("view",)
)
BUDGET_AND_DEBTS = _crud("payments", "budget", "debt")

ROLE_PERMISSIONS: dict[str, list[str]] = {
    HEAD: [
        *REGISTRY_WORK,
        "people.view_all_persons",
        "people.change_person_district",
        *CASE_WORK,
        "cases.view_all_applications",
        *DECISION_WORK,
        "benefits.view_carefeescale",
        "benefits.sign_decision",
        *PAYMENT_READ,
        "payments.approve_payroll",
        *BUDGET_AND_DEBTS,
        *SHELTER_ALL,
        *REFERRAL_WORK,
        *ACTIVITIES_ALL,
        *FAMILY_WORK,
        "families.add_familysupport",
        "families.view_all_familysupports",
        *BLUE_CARD_WORK,
        "bluecards.view_all_bluecards",
        *INTEGRATION_WORK,
        "audit.view_auditentry",
        *DATA_PROTECTION_HEAD,
        "reports.view_mrpips03",
        *AT_RISK,
    ],
    SOCIAL_WORKER: [
        *REGISTRY_WORK,
        "people.view_district_persons",
        *CASE_WORK,
        *DECISION_WORK,
        *SHELTER_READ_AND_EXIT_PLANS,
        *REFERRAL_WORK,
        *ACTIVITY_REGISTRATION,
        *FAMILY_READ,
        *BLUE_CARD_WORK,
        *INTEGRATION_WORK,
        "dataprotection.add_anonymisationrequest",
        *AT_RISK,
    ],
    FAMILY_ASSISTANT: [
        "people.view_person",
        "people.view_household",
        "people.view_restricted_notes",
        "cases.view_application",
        *_crud("cases", "casenote", actions=("view", "add")),
        "cases.view_socialcontract",
        "benefits.view_decision",
        *_crud("referrals", "institution", "referral", "advice", actions=("view",)),
        *ACTIVITY_REGISTRATION,
        *FAMILY_WORK,
        *BLUE_CARD_WORK,
    ],
    FINANCE: [
        # Payees must be identifiable for payments; no notes, no case work.
        "people.view_person",
        "people.view_all_persons",
        "benefits.view_decision",
        *PAYMENT_READ,
        "payments.add_payroll",
        "payments.add_payment",
        "payments.change_payment",
        *BUDGET_AND_DEBTS,
        "reports.view_mrpips03",
    ],
    SHELTER_COORDINATOR: [
        "people.view_person",
        "people.view_all_persons",
        "people.add_person",
        *SHELTER_ALL,
    ],
    ACTIVITIES_ORGANISER: ACTIVITIES_ALL,
    DATA_PROTECTION_OFFICER: [
        "audit.view_auditentry",
        # Read-only registry, to answer a data subject's requests (RODO art. 15–17).
        "people.view_person",
        "people.view_all_persons",
        "dataprotection.access_report",
        "dataprotection.add_anonymisationrequest",
        "dataprotection.view_anonymisationrequest",
        "dataprotection.view_register",
    ],
    ADMINISTRATOR: [
        *_crud("accounts", "user", "district"),
        *_crud("accounts", "centre", actions=("view", "change")),
        "auth.view_group",
        *_crud("benefits", "legalparameters", "carefeescale"),
        "dataprotection.view_register",
    ],
}


def sync_roles(groups, permissions) -> None:
    """Create the role groups and set exactly their permissions (idempotent).

    `groups` and `permissions` are managers (of a given database) for Group and Permission.
    """
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = groups.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            # A permission of an app not migrated yet is set by the migrate that creates it.
            found = permissions.filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)
