from django.urls import path

from . import spreadsheet_urls, views

app_name = "people"

urlpatterns = [
    path("personnes/", views.person_list, name="list"),
    path("personnes/doublons/", views.duplicates, name="duplicates"),
    path("personnes/<int:pk>/", views.person_detail, name="detail"),
    path("personnes/<int:pk>/modifier/", views.person_edit, name="edit"),
    path("personnes/<int:pk>/confidentiel/", views.confidential, name="confidential"),
    path(
        "personnes/<int:pk>/confidentiel/modifier/",
        views.confidential_edit,
        name="confidential_edit",
    ),
    path("personnes/<int:pk>/cer/nouveau/", views.rsa_contract_create, name="rsa_contract_create"),
    path(
        "personnes/<int:pk>/orientations/nouvelle/", views.referral_create, name="referral_create"
    ),
    path("orientations/", views.referral_list, name="referrals"),
    path("orientations/nouvelle/", views.referral_new, name="referral_new"),
    path("orientations/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("orientations/<int:pk>/accueil/", views.referral_plan, name="referral_plan"),
    path("orientations/<int:pk>/admission/", views.referral_admit, name="referral_admit"),
    path("orientations/<int:pk>/cloture/", views.referral_close, name="referral_close"),
    path("quartiers/", views.neighbourhood_list, name="neighbourhoods"),
    path("quartiers/<int:pk>/modifier/", views.neighbourhood_edit, name="neighbourhood_edit"),
]
urlpatterns += spreadsheet_urls.urlpatterns
