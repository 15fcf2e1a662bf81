from django.urls import path

from . import views

app_name = "centres"

urlpatterns = [
    path("centre/", views.centre_detail, name="detail"),
    path("centre/modifier/", views.centre_edit, name="edit"),
    path("centre/choisir/", views.centre_switch, name="switch"),
    path("actions/nouvelle/", views.programme_edit, name="programme_create"),
    path("actions/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("actions/<int:pk>/modifier/", views.programme_edit, name="programme_edit"),
    path("lieux/nouveau/", views.place_edit, name="place_create"),
    path("lieux/<int:pk>/modifier/", views.place_edit, name="place_edit"),
    path("equipe/", views.team, name="team"),
    path("equipe/ajouter/", views.member_add, name="member_add"),
    path("equipe/<int:pk>/modifier/", views.member_edit, name="member_edit"),
    path("equipe/<int:pk>/desactiver/", views.member_disable, name="member_disable"),
    path(
        "equipe/<int:pk>/double-authentification/",
        views.member_otp_reset,
        name="member_otp_reset",
    ),
    path(
        "equipe/invitations/<int:pk>/renvoyer/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "equipe/invitations/<int:pk>/annuler/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
