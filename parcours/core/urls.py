from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("personnes/", views.people, name="people"),
    path("ateliers/", views.workshops, name="workshops"),
    path("partenaires/", views.partners, name="partners"),
    path("rapports/", views.reports, name="reports"),
]
