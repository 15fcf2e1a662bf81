from django.apps import AppConfig


class GeneratorConfig(AppConfig):
    name = "parcours.generator"
    verbose_name = "Données fictives de volume"
