from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("journal/", views.trail, name="trail"),
    path("journal/securite/", views.security, name="security"),
]
