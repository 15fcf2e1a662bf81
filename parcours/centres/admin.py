from django.contrib import admin

from parcours.accounts.admin import RecentAuthAdmin

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
