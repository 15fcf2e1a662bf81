from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "parcours.people"
    verbose_name = "Personnes accompagnées"

    def ready(self):
        from parcours.audit.registry import register_case_models
        from parcours.people.file import register as register_file_parts

        from . import checks, file_parts, models  # noqa: F401  (checks registers the keys' check)

        register_case_models(
            models.Neighbourhood,
            models.Person,
            models.ConfidentialNote,
            models.RsaContract,
            models.Referral,
        )
        register_file_parts(*file_parts.PARTS)
