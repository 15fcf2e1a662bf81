"""French names for the sections that third-party apps add to the Django admin.

The installation operators read the admin in French like everyone else; these apps
name their sections in English ("Axes", "Otp_Totp"). Each config only renames: its
label, models and `ready()` are the app's own, so migrations and data do not move.
"""

from auditlog.apps import AuditlogConfig
from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig
from django_tasks_db.apps import TasksAppConfig as TasksDatabaseConfig


class Auditlog(AuditlogConfig):
    verbose_name = "Historique des modifications (auditlog)"


class Axes(AxesAppConfig):
    verbose_name = "Tentatives de connexion et verrouillages"


class TotpDevices(TotpConfig):
    verbose_name = "Double authentification : applications"


class StaticDevices(StaticConfig):
    verbose_name = "Double authentification : codes de secours"


class TasksDatabase(TasksDatabaseConfig):
    verbose_name = "Tâches en arrière-plan (e-mails)"
