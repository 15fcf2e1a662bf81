"""Restore the whole database from a backup; see parcours.core.backups."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from parcours.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Remplace toutes les données de la base par celles d'une sauvegarde faite par "
        "« backup ». Demande confirmation, sauf avec --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER", help="La sauvegarde à restaurer.")
        parser.add_argument("--yes", action="store_true", help="Ne pas demander de confirmation.")
        parser.add_argument(
            "--no-digest",
            action="store_true",
            help=(
                "Restaurer sans vérifier l'empreinte FICHIER.sha256 (une sauvegarde faite "
                "avant que Parcours n'en écrive)."
            ),
        )

    def handle(self, *args, file, yes=False, no_digest=False, **options):
        if not yes and not self._confirmed(file):
            raise CommandError("Restauration annulée : rien n'a changé.")
        try:
            missing = backup_restore(path=file, check_digest=not no_digest)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Base restaurée depuis {file}."))
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    "La sauvegarde date d'une version antérieure de Parcours : lancez "
                    "« python manage.py migrate » avant de redémarrer l'application."
                )
            )

    def _confirmed(self, file):
        name = connection.settings_dict["NAME"]
        self.stdout.write(
            f"Toutes les données actuelles de la base « {name} » vont être remplacées par "
            f"celles de {file}. Ce qui a été saisi depuis cette sauvegarde sera perdu."
        )
        try:
            answer = input("Tapez « oui » pour continuer : ")
        except EOFError:
            return False
        return answer.strip().lower() == "oui"
