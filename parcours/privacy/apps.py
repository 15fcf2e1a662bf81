from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "parcours.privacy"
    verbose_name = "Protection des données"

    def ready(self):
        from parcours.audit.registry import register_case_models
        from parcours.people.file import register as register_file_parts

        from . import file_parts, models

        register_case_models(models.LegalHold, models.ErasureRequest)
        register_file_parts(*file_parts.PARTS)
