"""Report exports; included in the reports namespace by urls.py."""

from django.urls import path

from . import export_views

urlpatterns = [
    path("rapports/<int:programme_pk>/export/", export_views.export, name="export"),
    path("rapports/<int:programme_pk>/fse.xlsx", export_views.fse_export, name="fse_export"),
]
