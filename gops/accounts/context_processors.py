from django.urls import reverse
from django.utils.translation import gettext as _


def navigation(request):
    """Menu entries for the areas the signed-in user may use — never a dead link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if getattr(request, "account_step", None):
        # Second factor or a new password still to give (AccountGateMiddleware): no menu.
        return {"nav_items": []}
    items = []
    if user.has_perm("cases.view_all_applications"):
        items.append((reverse("dashboards:head"), _("Dashboard of the centre")))
    elif user.has_perm("cases.view_application"):
        items.append((reverse("dashboards:worker"), _("My dashboard")))
    if user.has_perm("people.view_person"):
        items.append((reverse("people:person_list"), _("Registry of persons")))
    if user.has_perm("cases.view_application"):
        items.append((reverse("cases:application_list"), _("Applications")))
        items.append((reverse("benefits:deadlines"), _("Deadlines")))
    if user.has_perm("benefits.view_decision"):
        items.append((reverse("benefits:decision_register"), _("Register of decisions")))
    if user.has_perm("payments.view_payroll"):
        items.append((reverse("payments:payroll_list"), _("Payrolls")))
    if user.has_perm("payments.view_budget"):
        items.append((reverse("finance:budget_overview"), _("Budget")))
    if user.has_perm("payments.view_debt"):
        items.append((reverse("finance:debt_list"), _("Undue benefits")))
    if user.has_perm("shelter.view_facility"):
        items.append((reverse("shelter:board"), _("Shelter")))
    if user.has_perm("referrals.view_institution"):
        items.append((reverse("referrals:directory"), _("Advice and referrals")))
    if user.has_perm("activities.view_activity"):
        items.append((reverse("activities:list"), _("Activities")))
    if user.has_perm("families.view_familysupport"):
        items.append((reverse("families:support_list"), _("Family assistance")))
    if user.has_perm("integration.view_integrationprogramme"):
        items.append((reverse("integration:foreigners"), _("Foreigners")))
    if user.has_perm("bluecards.view_bluecard"):
        items.append((reverse("bluecards:list"), _("Blue Cards")))
    if user.has_perm("atrisk.view_atriskentry"):
        items.append((reverse("atrisk:list"), _("Persons at risk")))
    if user.has_perm("reports.view_mrpips03"):
        items.append((reverse("reports:mrpips03"), _("MRPiPS-03 report")))
    if user.has_perm("audit.view_auditentry"):
        items.append((reverse("audit:entry_list"), _("Audit log")))
    if user.has_perm("dataprotection.view_anonymisationrequest"):
        items.append((reverse("dataprotection:retention"), _("Data protection")))
    elif user.has_perm("dataprotection.view_register"):
        items.append((reverse("dataprotection:register"), _("Register of processing")))
    if user.is_staff:
        items.append((reverse("admin:index"), _("Administration")))
    path = request.path
    return {
        "nav_items": [
            {"url": url, "label": label, "active": path.startswith(url)} for url, label in items
        ]
    }
