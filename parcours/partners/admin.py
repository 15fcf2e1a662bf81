from django.contrib import admin
from django.db import models

from .forms import THEME_FIELDS
from .models import Partner, PartnerContact


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "centre"]
    list_filter = ["centre", "kind"]
    search_fields = ["name", "city"]
    list_select_related = ["centre"]
    fieldsets = [
        (None, {"fields": ["centre", "name", "kind"]}),
        ("Thèmes", {"fields": THEME_FIELDS}),
        ("Coordonnées", {"fields": ["address", "postcode", "city", "phone", "email", "website"]}),
        (None, {"fields": ["notes"]}),
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [PartnerContactInline]
