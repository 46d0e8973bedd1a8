from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gops.accounts.models import Centre

from . import services
from .models import Budget, Debt, DebtInstalment, DebtSettlement


class CentreScopedAdmin(admin.ModelAdmin):
    """Staff see only their centre's rows; a superuser sees all."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(centre_id=request.user.centre_id)


@admin.register(Budget)
class BudgetAdmin(CentreScopedAdmin):
    """Edited by the head and finance: the yearly plan per benefit and funding. Saving goes
    through the service, so every change is audited; lines are not deleted (set 0 instead)."""

    list_display = ["year", "benefit", "funding", "planned", "closed", "centre"]
    list_filter = ["year", "benefit", "funding", "closed"]
    ordering = ["-year", "benefit", "funding"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["centre", "year", "benefit", "funding"]}),
        (_("Plan"), {"fields": ["planned", "closed", "note"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "centre":
            centres = Centre.objects.all()
            if not request.user.is_superuser:
                centres = centres.filter(pk=request.user.centre_id)
            kwargs["queryset"] = centres
            kwargs["initial"] = request.user.centre_id
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.budget_save(actor=request.user, budget=obj)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InstalmentInline(ReadOnlyInline):
    model = DebtInstalment
    fields = ["due_on", "amount"]


class SettlementInline(ReadOnlyInline):
    model = DebtSettlement
    fields = ["on", "kind", "amount", "payment", "decision_number", "note", "recorded_by"]


@admin.register(Debt)
class DebtAdmin(CentreScopedAdmin):
    """Read-only: repayment decisions, repayments, set-offs and waivers go through the
    services (the finance pages), which audit them."""

    list_display = ["decision_number", "person", "amount", "issued_on", "due_on", "status"]
    list_filter = ["status", "set_off"]
    search_fields = ["decision_number", "person__surnames", "person__pesel"]
    inlines = [InstalmentInline, SettlementInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
