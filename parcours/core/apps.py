from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "parcours.core"
    verbose_name = "Parcours"
