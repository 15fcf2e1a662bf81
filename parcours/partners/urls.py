from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partenaires/", views.partner_list, name="list"),
    path("partenaires/nouveau/", views.partner_edit, name="create"),
    path("partenaires/<int:pk>/", views.partner_detail, name="detail"),
    path("partenaires/<int:pk>/modifier/", views.partner_edit, name="edit"),
    path("partenaires/<int:pk>/contacts/nouveau/", views.contact_create, name="contact_create"),
    path("partenaires/contacts/<int:pk>/modifier/", views.contact_edit, name="contact_edit"),
]
