"""Assessment views; included in the pathways namespace by urls.py."""

from django.urls import path

from . import assessment_views as views

urlpatterns = [
    path("evaluations/grille/", views.grid, name="grid"),
    path("evaluations/grille/modifier/", views.grid_edit, name="grid_edit"),
    path("parcours/<int:pk>/evaluations/", views.assessment_list, name="assessments"),
    path(
        "parcours/<int:pk>/evaluations/nouvelle/",
        views.assessment_create,
        name="assessment_create",
    ),
]
