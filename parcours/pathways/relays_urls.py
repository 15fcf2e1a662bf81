"""Relays to partners and case reviews; included in the pathways namespace by urls.py."""

from django.urls import path

from . import relay_views

urlpatterns = [
    path("personnes/<int:pk>/relais/nouveau/", relay_views.relay_create, name="relay_create"),
    path("relais/", relay_views.relay_list, name="relays"),
    path("relais/contacts/", relay_views.relay_contacts, name="relay_contacts"),
    path("relais/<int:pk>/", relay_views.relay_detail, name="relay"),
    path("relais/<int:pk>/etat/", relay_views.relay_move, name="relay_move"),
    path("cellules/", relay_views.case_review_list, name="case_reviews"),
    path("cellules/nouvelle/", relay_views.case_review_create, name="case_review_create"),
    path("cellules/<int:pk>/", relay_views.case_review_detail, name="case_review"),
]
