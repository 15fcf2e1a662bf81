from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "parcours.centres"
    verbose_name = "Centres"

    def ready(self):
        from parcours.audit.registry import register_case_models

        from . import models

        register_case_models(
            models.Centre, models.Programme, models.Place, models.Membership, models.Invitation
        )
