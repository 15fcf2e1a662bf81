from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "parcours.core"
    verbose_name = "Parcours"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401  (registers the system checks)

        connection_created.connect(_postgresql_without_jit)


def _postgresql_without_jit(sender, connection, **kwargs):
    """JIT compilation starts on the queries the planner finds costly (the coordinator's
    home, reports) and adds ~100 ms of compiling to queries that run in a few ms (bench,
    federation size). Set on each new connection, so a default server gets it too; a SET
    rather than a startup option, which PgBouncer refuses."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
