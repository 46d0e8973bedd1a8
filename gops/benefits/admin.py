from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gops.accounts.models import Centre

from . import services
from .models import CareFeeScale, LegalParameters


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


@admin.register(CareFeeScale)
class CareFeeScaleAdmin(admin.ModelAdmin):
    """Edited by the administrator: the gmina council's resolution on care services fees
    (u.p.s. art. 50 ust. 6). A new resolution is a new row; saving is audited."""

    list_display = ["valid_from", "hourly_cost", "resolution", "centre"]
    list_filter = ["centre"]
    ordering = ["centre", "-valid_from"]
    search_fields = ["resolution"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["centre", "valid_from", "resolution"]}),
        (_("Fees (u.p.s. art. 50 ust. 6)"), {"fields": ["hourly_cost", "brackets"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(centre_id=request.user.centre_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "centre":
            centres = Centre.objects.all()
            if not request.user.is_superuser:
                centres = centres.filter(pk=request.user.centre_id)
            kwargs["queryset"] = centres
            kwargs["initial"] = request.user.centre_id
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Decisions were priced by it; a mistaken row is corrected, a new resolution added.
        return False

    def save_model(self, request, obj, form, change):
        services.care_fee_scale_save(actor=request.user, scale=obj)
