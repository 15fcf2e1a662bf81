"""Spreadsheet import and export; included in the `people` namespace by urls.py."""

from django.urls import path

from . import spreadsheet_views

urlpatterns = [
    path("personnes/import/", spreadsheet_views.import_people, name="import"),
    path(
        "personnes/import/modele.xlsx",
        spreadsheet_views.import_template_download,
        name="import_template",
    ),
    path("personnes/export/", spreadsheet_views.export_people, name="export"),
]
