from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.decorators import method_decorator
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin as BaseStaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as BaseTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.centres.models import Membership
from parcours.workshops.services import calendar_feeds_revoke_unseen

from .models import User
from .reauth import recent_auth_required


class RecentAuthAdmin:
    """The admin pages that hand out roles, the operator's own rights or a second
    factor (accounts, memberships, phones' apps and recovery codes) ask for a recent
    code first, as the centre's team pages do (accounts.reauth): a session left open
    must not be enough to grant access or to enrol a phone of one's own on someone
    else's account. Adding goes through `changeform_view` too."""

    @method_decorator(recent_auth_required)
    def changeform_view(self, *args, **kwargs):
        return super().changeform_view(*args, **kwargs)

    @method_decorator(recent_auth_required)
    def delete_view(self, *args, **kwargs):
        return super().delete_view(*args, **kwargs)

    @method_decorator(recent_auth_required)
    def changelist_view(self, *args, **kwargs):
        # The list's bulk actions change accounts as well.
        return super().changelist_view(*args, **kwargs)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(RecentAuthAdmin, BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["is_active", "memberships__role", "memberships__centre"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Accès", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "first_name", "last_name", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]

    @method_decorator(recent_auth_required)
    def user_change_password(self, *args, **kwargs):
        # Setting someone's password takes over that account: a recent code too.
        return super().user_change_password(*args, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Accounts are disabled, never deleted: the audit trail keeps pointing at them.
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The memberships inline changes roles too: feeds end as on the membership pages
        # (centres.admin).
        calendar_feeds_revoke_unseen(owner=form.instance)


# django-otp registers its own admins for the devices; these replace them with the same
# pages behind a recent code. The key, the QR code and the recovery codes of an existing
# device stay hidden (settings.OTP_ADMIN_HIDE_SENSITIVE_DATA).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(RecentAuthAdmin, BaseTOTPDeviceAdmin):
    pass


@admin.register(StaticDevice)
class StaticDeviceAdmin(RecentAuthAdmin, BaseStaticDeviceAdmin):
    pass
