from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is never edited or deleted, not even here."""

    list_display = ["at", "actor_username", "action", "object_repr", "ip", "channel"]
    list_filter = ["action", "channel"]
    search_fields = ["actor_username", "object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
