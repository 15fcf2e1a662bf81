from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .middleware import second_factor_exempt

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("connexion/code/", views.otp_verify, name="otp_verify"),
    path("connexion/double-authentification/", views.otp_setup, name="otp_setup"),
    path("connexion/confirmer/", views.reauth, name="reauth"),
    path("deconnexion/", second_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("mot-de-passe/oubli/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("mot-de-passe/changer/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe/changer/termine/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("compte/", views.profile, name="profile"),
    path("compte/codes-de-secours/", views.recovery_codes, name="recovery_codes"),
    path("compte/double-authentification/reinitialiser/", views.otp_reset, name="otp_reset"),
]
