from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "parcours.accounts"
    verbose_name = "Comptes"

    def ready(self):
        from parcours.audit.registry import register_case_models

        from . import middleware  # noqa: F401  (connects the login-time receiver)
        from .models import User

        register_case_models(User)
