# Importing axes' admin registers its classes, which this module then replaces,
# whatever the order of the apps.
from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
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


# The login records django-axes keeps (addresses, browsers, e-mails typed) are part of
# the trail: read-only too, without axes' action that deletes the expired attempts
# (the retention does). An account locked by mistake is unlocked from the shell:
# `manage.py axes_reset_username <e-mail>`.
for model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReadOnlyAdmin, axes_admin.AccessAttemptAdmin):
    actions = None


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin, axes_admin.AccessLogAdmin):
    actions = None


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ReadOnlyAdmin, axes_admin.AccessFailureLogAdmin):
    actions = None
