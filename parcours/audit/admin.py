from django.contrib import admin

from .models import AuditEvent, SecurityEvent

# django-auditlog registers its own admin for the log model; ours replaces it so that
# nobody, admin included, can add, change or delete a row.
if admin.site.is_registered(AuditEvent):
    admin.site.unregister(AuditEvent)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["timestamp", "centre", "actor", "action", "content_type", "object_pk"]
    list_filter = ["action", "centre", "content_type"]
    list_select_related = ["centre", "actor", "content_type"]
    date_hierarchy = "timestamp"


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["timestamp", "kind", "user", "username", "path", "ip_address"]
    list_filter = ["kind", "centre"]
    list_select_related = ["user"]
    date_hierarchy = "timestamp"
