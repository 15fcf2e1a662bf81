from django.contrib import admin

from parcours.accounts.admin import RecentAuthAdmin
from parcours.accounts.models import User
from parcours.workshops.services import calendar_feeds_revoke_unseen

from .models import Centre, Membership, Place, Programme


class ProgrammeInline(admin.TabularInline):
    model = Programme
    extra = 0


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "school_zone"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgrammeInline, PlaceInline]


@admin.register(Membership)
class MembershipAdmin(RecentAuthAdmin, admin.ModelAdmin):
    list_display = ["user", "centre", "role", "created_at"]
    list_filter = ["centre", "role"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user"]

    # Here roles change and members leave without the team pages' services: a calendar
    # feed whose sessions the account may no longer see ends here too.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar_feeds_revoke_unseen(owner=obj.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar_feeds_revoke_unseen(owner=obj.user)

    def delete_queryset(self, request, queryset):
        owners = list(User.objects.filter(memberships__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for owner in owners:
            calendar_feeds_revoke_unseen(owner=owner)
