from django.urls import path

from . import export_urls, views

app_name = "reports"

urlpatterns = [
    path("rapports/", views.index, name="index"),
    path("rapports/<int:programme_pk>/", views.report, name="report"),
    path("rapports/<int:programme_pk>/commentaire/", views.narrative, name="narrative"),
]
urlpatterns += export_urls.urlpatterns
