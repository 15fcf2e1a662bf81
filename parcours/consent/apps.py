from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "parcours.consent"
    verbose_name = "Consentements"

    def ready(self):
        from parcours.audit.registry import register_case_models

        from . import models

        register_case_models(models.NoticeGiven, models.ConsentRecord, models.ConsentOverride)
