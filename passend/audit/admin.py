from django.contrib import admin

from passend.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is never edited."""

    list_display = [
        "timestamp",
        "actor_label",
        "action",
        "object_type",
        "object_code",
        "ip_address",
    ]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
