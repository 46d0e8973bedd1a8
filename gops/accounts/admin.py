from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change, diff, snapshot

from .models import ApiToken, Centre, District, User
from .roles import HEAD

_AUDITED_USER_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "centre_id",
    "district_id",
    "position",
    "language",
    "may_sign_decisions",
]


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

    # Staff accounts and roles decide who sees personal data: every change is audited.
    def save_model(self, request, obj, form, change):
        self._before = snapshot(User.objects.get(pk=obj.pk), _AUDITED_USER_FIELDS) if change else {}
        self._groups_before = (
            sorted(User.objects.get(pk=obj.pk).groups.values_list("name", flat=True))
            if change
            else []
        )
        self._password_changed = change and "password" in form.changed_data
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        changes = diff(self._before, snapshot(user, _AUDITED_USER_FIELDS))
        groups = sorted(user.groups.values_list("name", flat=True))
        if groups != self._groups_before:
            changes["groups"] = [self._groups_before, groups]
        if self._password_changed:
            changes["password"] = ["***", "***"]
        if changes or not change:
            audit_record_change(
                actor=request.user,
                instance=user,
                action=AuditAction.UPDATE if change else AuditAction.CREATE,
                changes=changes,
            )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Only a superuser may grant superuser status or single permissions; roles are groups.
        if not request.user.is_superuser:
            for name in ("is_superuser", "user_permissions"):
                if name in form.base_fields:
                    form.base_fields[name].disabled = True
            groups = form.base_fields.get("groups")
            if groups is not None:
                # The head's role opens every file, Blue Cards included: only a superuser gives
                # or takes it, and nobody changes their own roles.
                if obj is not None and (obj.pk == request.user.pk or obj.has_role(HEAD)):
                    groups.disabled = True
                else:
                    groups.queryset = groups.queryset.exclude(name=HEAD)
        return form


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "created_at", "last_used_at", "revoked"]
    readonly_fields = ["user", "prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are created with `manage.py api_token`
