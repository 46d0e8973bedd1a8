from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change, diff, snapshot

from . import services, two_factor
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
    "must_change_password",
]


class TemporaryPasswordForm(AdminPasswordChangeForm):
    """The admin's "set password" form; marks the user so the change is followed up."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        user._password_set_in_admin = True
        return user


class OwnCentreOnlyMixin:
    """An administrator who is not a superuser sees and edits only their own centre's rows.

    Centres of one installation are separate data controllers (docs/adr/0001-centre-key.md):
    the administrator of one must not reset the passwords of another's staff.
    """

    centre_lookup = "centre_id"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.centre_lookup: request.user.centre_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "centre":
                kwargs["queryset"] = Centre.objects.filter(pk=request.user.centre_id)
            elif db_field.name == "district":
                kwargs["queryset"] = District.objects.filter(centre_id=request.user.centre_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Centre)
class CentreAdmin(OwnCentreOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "municipality", "teryt", "head_name"]
    centre_lookup = "pk"


@admin.register(District)
class DistrictAdmin(OwnCentreOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "centre"]
    list_filter = ["centre"]


@admin.register(User)
class UserAdmin(OwnCentreOnlyMixin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "district", "is_active"]
    list_filter = ["groups", "district", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Centre"),
            {"fields": ["centre", "district", "position", "language", "may_sign_decisions"]},
        ),
        (_("Sign-in security"), {"fields": ["must_change_password", "two_factor_status"]}),
    )
    readonly_fields = ["two_factor_status"]
    change_password_form = TemporaryPasswordForm
    actions = ["unlock_sign_in", "log_out_everywhere", "remove_two_factor"]

    @admin.display(description=_("two-factor authentication"))
    def two_factor_status(self, obj: User) -> str:
        if obj.pk and two_factor.confirmed_device(obj) is not None:
            return _("turned on")
        if obj.pk and two_factor.two_factor_required(obj):
            return _("off: will be set up at the next sign-in (required for this role)")
        return _("turned off")

    @admin.action(description=_("Unlock sign-in"), permissions=["change"])
    def unlock_sign_in(self, request, queryset):
        """Lift the lockout after failed sign-ins (django-axes), e.g. after a phone call."""
        for user in queryset:
            services.user_sign_in_unlock(user=user, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "Sign-in unlocked for %(count)d user.",
                "Sign-in unlocked for %(count)d users.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Log out everywhere"), permissions=["change"])
    def log_out_everywhere(self, request, queryset):
        """End every session of the users (a lost laptop, a phone left logged in)."""
        for user in queryset:
            services.user_sessions_end_all(user=user, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "Every session of %(count)d user was ended.",
                "Every session of %(count)d users was ended.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Remove two-factor authentication"), permissions=["change"])
    def remove_two_factor(self, request, queryset):
        """For a lost phone: the user sets up a new authenticator at the next sign-in.

        Only a superuser does this for the head or a superuser: with a password set in the
        admin it would hand over their account.
        """
        if not request.user.is_superuser:
            protected = [u.username for u in queryset if u.is_superuser or u.has_role(HEAD)]
            if protected:
                self.message_user(
                    request,
                    _("Only a superuser may remove the two-factor authentication of: %(names)s.")
                    % {"names": ", ".join(protected)},
                    messages.ERROR,
                )
                return
        removed = 0
        for user in queryset:
            if services.two_factor_remove(user=user, actor=request.user):
                removed += 1
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication removed for %(count)d user.",
                "Two-factor authentication removed for %(count)d users.",
                removed,
            )
            % {"count": removed},
            messages.SUCCESS,
        )

    def user_change_password(self, request, id, form_url=""):
        # The password, the flag to change it and the audit entry are saved together.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        if getattr(obj, "_password_set_in_admin", False):
            # A password set by an administrator is temporary: the user changes it at sign-in.
            services.user_password_set_by_admin(user=obj, actor=request.user)
        return super().log_change(request, obj, message)

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
        if not change and obj.has_usable_password():
            # The administrator chose the first password: the user replaces it at sign-in.
            obj.must_change_password = True
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
class ApiTokenAdmin(OwnCentreOnlyMixin, admin.ModelAdmin):
    centre_lookup = "user__centre_id"
    list_display = ["user", "prefix", "created_at", "last_used_at", "revoked"]
    readonly_fields = ["user", "prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are created with `manage.py api_token`
