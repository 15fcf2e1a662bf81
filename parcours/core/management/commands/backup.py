"""Back up the whole database; see parcours.core.backups."""

from django.core.management.base import BaseCommand, CommandError

from parcours.core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Sauvegarde toute la base (SQLite : copie cohérente à chaud ; PostgreSQL : "
        "pg_dump -Fc) dans un fichier lisible par son seul propriétaire. Le volet "
        "confidentiel y reste chiffré : sauvegardez CONFIDENTIAL_KEYS à part."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="FICHIER",
            help="Fichier à écrire (par défaut : BACKUP_DIR/parcours-<date>-<heure>).",
        )

    def handle(self, *args, output=None, **options):
        try:
            backup = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for partial in backup.stale_removed:
            self.stdout.write(
                self.style.WARNING(
                    f"Reste d'une sauvegarde interrompue supprimé : {partial} (cette "
                    "sauvegarde-là n'a pas abouti ; celle-ci la remplace)."
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {backup.path}"))
        self.stdout.write(
            f"Empreinte SHA-256 : {backup.digest}, dans {backup.path}.sha256 ; gardez-la "
            "avec la sauvegarde : la restauration vérifie que le fichier n'a pas changé."
        )
        self.stdout.write(
            "Le volet confidentiel y est chiffré : sans les clés CONFIDENTIAL_KEYS, "
            "gardées ailleurs que la sauvegarde, il est illisible."
        )
