from django.apps import AppConfig


class GeneratorConfig(AppConfig):
    name = "bench.generator"
    verbose_name = "Données fictives de volume"
