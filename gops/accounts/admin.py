from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Centre, District, User


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "teryt", "head_name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "centre"]
    list_filter = ["centre"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "district", "is_active"]
    list_filter = ["groups", "district", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Centre"),
            {"fields": ["centre", "district", "position", "language", "may_sign_decisions"]},
        ),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Centre"), {"fields": ["centre", "district", "position"]}),
    )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Only a superuser may grant superuser status or single permissions; roles are groups.
        if not request.user.is_superuser:
            for name in ("is_superuser", "user_permissions"):
                if name in form.base_fields:
                    form.base_fields[name].disabled = True
        return form


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "created_at", "last_used_at", "revoked"]
    readonly_fields = ["user", "prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are created with `manage.py api_token`
