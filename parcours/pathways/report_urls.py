"""The bilan de parcours and the exit outcomes; included in the pathways namespace by
urls.py."""

from django.urls import path

from . import report_views

urlpatterns = [
    path("parcours/<int:pk>/bilan.pdf", report_views.pathway_report, name="pathway_report"),
    path("sorties/issues/", report_views.exit_outcomes, name="exit_outcomes"),
    path(
        "sorties/issues/<int:pk>/modifier/",
        report_views.exit_outcome_edit,
        name="exit_outcome_edit",
    ),
]
