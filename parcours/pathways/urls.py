from django.urls import path

from . import assessments_urls, relays_urls, report_urls, views

app_name = "pathways"

urlpatterns = [
    path("parcours/<int:pk>/", views.pathway_detail, name="pathway"),
    path(
        "parcours/<int:pk>/entretiens/nouveau/", views.appointment_create, name="appointment_create"
    ),
    path("entretiens/<int:pk>/", views.appointment_edit, name="appointment"),
    path("parcours/<int:pathway_pk>/objectifs/nouveau/", views.goal_edit, name="goal_create"),
    path("objectifs/<int:pk>/modifier/", views.goal_edit, name="goal_edit"),
    path("parcours/<int:pk>/sortie/", views.pathway_close, name="close"),
]
urlpatterns += assessments_urls.urlpatterns + relays_urls.urlpatterns + report_urls.urlpatterns
