from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The top of the layering: each role's home page and the demo loader gather every
    app's part, so they live here and `core`, the base of every app, imports none."""

    name = "parcours.dashboard"
    verbose_name = "Accueil"
