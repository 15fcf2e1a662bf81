from django.urls import path

from . import feeds_urls, pdf_urls, stats_urls, views

app_name = "workshops"

urlpatterns = [
    path("ateliers/", views.workshop_list, name="list"),
    path("ateliers/nouveau/", views.workshop_edit, name="create"),
    path("ateliers/<int:pk>/", views.workshop_detail, name="detail"),
    path("ateliers/<int:pk>/modifier/", views.workshop_edit, name="edit"),
    path("ateliers/<int:pk>/inscrire/", views.enrol, name="enrol"),
    path("inscriptions/<int:pk>/fin/", views.enrolment_end, name="enrolment_end"),
    path("seances/", views.session_list, name="sessions"),
    path("seances/planifier/", views.session_plan, name="plan"),
    path("seances/nouvelle/", views.session_create, name="session_create"),
    path("seances/<int:pk>/", views.session_detail, name="session"),
    path("seances/<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path("seances/<int:pk>/annuler/", views.session_cancel, name="session_cancel"),
    path("seances/<int:pk>/presence/", views.mark, name="mark"),
    path("seances/<int:pk>/venue/", views.walk_in, name="walk_in"),
    path("fermetures/", views.closures, name="closures"),
]
urlpatterns += pdf_urls.urlpatterns + feeds_urls.urlpatterns + stats_urls.urlpatterns
