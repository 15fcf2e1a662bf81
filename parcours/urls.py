from django.contrib import admin
from django.urls import include, path

from parcours import policy

admin.site.site_header = "Parcours — administration"
admin.site.site_title = "Parcours"
admin.site.index_title = "Administration de l'installation"
admin.site.has_permission = lambda request: policy.can_use_admin_site(request.user)

urlpatterns = [
    path("", include("parcours.dashboard.urls")),
    path("", include("parcours.accounts.urls")),
    path("", include("parcours.centres.urls")),
    path("", include("parcours.audit.urls")),
    path("", include("parcours.partners.urls")),
    path("", include("parcours.people.urls")),
    path("", include("parcours.consent.urls")),
    path("", include("parcours.workshops.urls")),
    path("", include("parcours.pathways.urls")),
    path("", include("parcours.reports.urls")),
    path("", include("parcours.privacy.urls")),
    path("admin/", admin.site.urls),
]
