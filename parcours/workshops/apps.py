from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "parcours.workshops"
    verbose_name = "Ateliers"

    def ready(self):
        from parcours.audit.registry import register_case_models
        from parcours.people.file import register as register_file_parts

        from . import file_parts, models

        register_case_models(
            models.Workshop,
            models.TimetableSlot,
            models.ClosurePeriod,
            models.Session,
            models.Enrolment,
            models.Attendance,
            models.CalendarFeed,
            models.VigilanceFollowUp,
        )
        register_file_parts(*file_parts.PARTS)
