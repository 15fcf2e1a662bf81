"""PDF views; included in the workshops namespace by urls.py."""

from django.urls import path

from . import pdf_views

urlpatterns = [
    path("seances/<int:pk>/emargement.pdf", pdf_views.session_sheet, name="session_sheet"),
    path("seances/<int:pk>/presences.pdf", pdf_views.session_record, name="session_record"),
    path(
        "ateliers/<int:pk>/emargement/<int:year>/<int:month>.pdf",
        pdf_views.monthly_sheet,
        name="monthly_sheet",
    ),
]
