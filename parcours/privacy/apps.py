from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "parcours.privacy"
    verbose_name = "Protection des données"

    def ready(self):
        from parcours.audit.registry import register_case_models

        from . import models

        register_case_models(models.LegalHold, models.ErasureRequest)
