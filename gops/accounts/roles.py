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
ROLE_PERMISSIONS: dict[str, list[str]] = {
    HEAD: [
        "people.view_person",
        "people.add_person",
        "people.change_person",
        "people.view_all_persons",
        "people.view_restricted_notes",
        "people.change_person_district",
        "people.view_household",
        "people.add_household",
        "people.change_household",
        "people.add_income",
        "people.change_income",
        "people.delete_income",
        "cases.view_application",
        "cases.add_application",
        "cases.change_application",
        "cases.view_all_applications",
        "cases.view_communityinterview",
        "cases.change_communityinterview",
        "cases.view_casenote",
        "cases.add_casenote",
        "cases.view_socialcontract",
        "cases.add_socialcontract",
        "cases.change_socialcontract",
        "benefits.view_legalparameters",
        "benefits.view_carefeescale",
        "benefits.view_decision",
        "benefits.add_decision",
        "benefits.change_decision",
        "benefits.sign_decision",
        "benefits.view_appeal",
        "benefits.add_appeal",
        "benefits.change_appeal",
        "payments.view_scheduleitem",
        "payments.view_payroll",
        "payments.approve_payroll",
        "payments.view_payment",
        "payments.view_difference",
        "payments.view_budget",
        "payments.add_budget",
        "payments.change_budget",
        "payments.view_debt",
        "payments.add_debt",
        "payments.change_debt",
        "audit.view_auditentry",
        "shelter.view_facility",
        "shelter.add_facility",
        "shelter.change_facility",
        "shelter.view_bed",
        "shelter.add_bed",
        "shelter.change_bed",
        "shelter.view_placement",
        "shelter.add_placement",
        "shelter.change_placement",
        "shelter.view_nightrecord",
        "shelter.add_nightrecord",
        "shelter.view_homelessnessexitplan",
        "shelter.add_homelessnessexitplan",
        "shelter.change_homelessnessexitplan",
    ],
    SOCIAL_WORKER: [
        "people.view_person",
        "people.view_district_persons",
        "people.add_person",
        "people.change_person",
        "people.view_restricted_notes",
        "people.view_household",
        "people.add_household",
        "people.change_household",
        "people.add_income",
        "people.change_income",
        "people.delete_income",
        "cases.view_application",
        "cases.add_application",
        "cases.change_application",
        "cases.view_communityinterview",
        "cases.change_communityinterview",
        "cases.view_casenote",
        "cases.add_casenote",
        "cases.view_socialcontract",
        "cases.add_socialcontract",
        "cases.change_socialcontract",
        "benefits.view_legalparameters",
        "benefits.view_decision",
        "benefits.add_decision",
        "benefits.change_decision",
        "benefits.view_appeal",
        "benefits.add_appeal",
        "benefits.change_appeal",
        "shelter.view_facility",
        "shelter.view_bed",
        "shelter.view_placement",
        "shelter.view_nightrecord",
        "shelter.view_homelessnessexitplan",
        "shelter.add_homelessnessexitplan",
        "shelter.change_homelessnessexitplan",
    ],
    FAMILY_ASSISTANT: [
        "people.view_person",
        "people.view_household",
        "people.view_restricted_notes",
        "cases.view_application",
        "cases.view_casenote",
        "cases.add_casenote",
        "cases.view_socialcontract",
        "benefits.view_decision",
    ],
    FINANCE: [
        # Payees must be identifiable for payments; no notes, no case work.
        "people.view_person",
        "people.view_all_persons",
        "benefits.view_decision",
        "payments.view_scheduleitem",
        "payments.view_payroll",
        "payments.add_payroll",
        "payments.view_payment",
        "payments.add_payment",
        "payments.change_payment",
        "payments.view_difference",
        "payments.view_budget",
        "payments.add_budget",
        "payments.change_budget",
        "payments.view_debt",
        "payments.add_debt",
        "payments.change_debt",
    ],
    SHELTER_COORDINATOR: [
        "people.view_person",
        "people.view_all_persons",
        "people.add_person",
        "shelter.view_facility",
        "shelter.add_facility",
        "shelter.change_facility",
        "shelter.view_bed",
        "shelter.add_bed",
        "shelter.change_bed",
        "shelter.view_placement",
        "shelter.add_placement",
        "shelter.change_placement",
        "shelter.view_nightrecord",
        "shelter.add_nightrecord",
        "shelter.view_homelessnessexitplan",
        "shelter.add_homelessnessexitplan",
        "shelter.change_homelessnessexitplan",
    ],
    ACTIVITIES_ORGANISER: [],
    DATA_PROTECTION_OFFICER: [
        "audit.view_auditentry",
    ],
    ADMINISTRATOR: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_centre",
        "accounts.change_centre",
        "accounts.view_district",
        "accounts.add_district",
        "accounts.change_district",
        "auth.view_group",
        "benefits.view_legalparameters",
        "benefits.add_legalparameters",
        "benefits.change_legalparameters",
        "benefits.view_carefeescale",
        "benefits.add_carefeescale",
        "benefits.change_carefeescale",
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
