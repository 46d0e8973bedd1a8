from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import LegalParameters


@admin.register(LegalParameters)
class LegalParametersAdmin(admin.ModelAdmin):
    """Edited by the administrator: a new regulation is a new row (LAW.md §2)."""

    list_display = [
        "valid_from",
        "single_criterion",
        "per_person_criterion",
        "farm_income_per_hectare",
        "permanent_allowance_max",
        "permanent_allowance_min",
        "permanent_amount_percent",
        "source",
    ]
    ordering = ["-valid_from"]
    search_fields = ["source"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["valid_from", "source"]}),
        (
            _("Income criteria (u.p.s. art. 8)"),
            {"fields": ["single_criterion", "per_person_criterion", "farm_income_per_hectare"]},
        ),
        (
            _("Permanent allowance (u.p.s. art. 37)"),
            {
                "fields": [
                    "permanent_amount_percent",
                    "permanent_allowance_max",
                    "permanent_allowance_min",
                ]
            },
        ),
        (
            _("Periodic allowance (u.p.s. art. 38)"),
            {"fields": ["periodic_allowance_min", "periodic_single_cap"]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
