from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "parcours.reports"
    verbose_name = "Rapports"

    def ready(self):
        from parcours.audit.registry import register_case_models

        from .models import Narrative

        register_case_models(Narrative)
