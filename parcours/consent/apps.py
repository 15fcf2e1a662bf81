from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "parcours.consent"
    verbose_name = "Consentements"

    def ready(self):
        from parcours.audit.registry import register_case_models
        from parcours.people.file import register as register_file_parts

        from . import file_parts, models

        register_case_models(models.NoticeGiven, models.ConsentRecord, models.ConsentOverride)
        register_file_parts(*file_parts.PARTS)
