from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "parcours.audit"
    verbose_name = "Journal d'audit"

    def ready(self):
        from . import receivers  # noqa: F401  (connects login-failure logging)
