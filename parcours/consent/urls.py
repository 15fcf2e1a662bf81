from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("personnes/<int:pk>/consentements/", views.person_consents, name="person"),
    path("personnes/<int:pk>/consentements/accord/", views.consent_create, name="record"),
    path("personnes/<int:pk>/consentements/notice/", views.notice_give, name="notice_give"),
    path("personnes/<int:pk>/consentements/derogation/", views.override_create, name="override"),
    path("consentements/<int:pk>/retrait/", views.consent_withdraw, name="withdraw"),
    path("consentements/notice.pdf", views.notice, name="notice"),
    path("consentements/notices/<int:pk>.pdf", views.notice_given, name="notice_given"),
]
