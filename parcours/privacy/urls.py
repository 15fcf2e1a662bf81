from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("personnes/<int:pk>/donnees/", views.person_privacy, name="person"),
    path("personnes/<int:pk>/donnees/export.pdf", views.export_pdf, name="export_pdf"),
    path("personnes/<int:pk>/donnees/export.json", views.export_json, name="export_json"),
    path("personnes/<int:pk>/donnees/effacement/", views.erasure, name="erasure"),
    path("personnes/<int:pk>/donnees/conservation/", views.hold_create, name="hold_create"),
    path("conservations/<int:pk>/lever/", views.hold_lift, name="hold_lift"),
    path("archives/", views.archive_list, name="archive"),
    path("archives/<int:pk>/", views.archived_person, name="archived_person"),
]
