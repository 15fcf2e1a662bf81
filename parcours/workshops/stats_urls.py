"""Figures and vigilance views; included in the workshops namespace by urls.py."""

from django.urls import path

from . import stats_views

urlpatterns = [
    path("ateliers/chiffres/", stats_views.figures, name="figures"),
    path(
        "vigilance/<int:person_pk>/suivi/",
        stats_views.vigilance_follow_up,
        name="vigilance_follow_up",
    ),
]
