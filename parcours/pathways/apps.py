from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "parcours.pathways"
    verbose_name = "Parcours individuels"

    def ready(self):
        from parcours.audit.registry import register_case_models

        from . import models

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
