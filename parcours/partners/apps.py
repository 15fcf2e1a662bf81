from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "parcours.partners"
    verbose_name = "Partenaires"

    def ready(self):
        from parcours.audit.registry import register_case_models

        from . import models

        register_case_models(models.Partner, models.PartnerContact)
