from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "parcours.pathways"
    verbose_name = "Parcours individuels"

    def ready(self):
        from parcours.audit.registry import register_case_models
        from parcours.people.file import register as register_file_parts

        from . import file_parts, models

        register_case_models(
            models.Pathway,
            models.Appointment,
            models.Goal,
            models.ExitOutcome,
            models.PathwayExit,
            models.AssessmentGrid,
            models.Criterion,
            models.Assessment,
            models.Score,
            models.CaseReview,
            models.CaseReviewItem,
        )
        register_file_parts(*file_parts.PARTS)
