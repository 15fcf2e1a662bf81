from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.centres.models import Centre, Programme
from parcours.people.imports import people_import


class Command(BaseCommand):
    help = (
        "Importe les personnes d'un tableur (.xlsx ou .csv) dans un centre : tout le fichier "
        "est vérifié d'abord, et rien n'est importé s'il contient une erreur."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Le fichier .xlsx ou .csv à importer.")
        parser.add_argument("--centre", required=True, help="Identifiant court du centre.")
        parser.add_argument(
            "--programme",
            help=(
                "Identifiant court de l'action où entrent les personnes qui ont une date "
                "d'entrée ; facultatif si le centre n'a qu'une action."
            ),
        )

    def handle(self, *args, **options):
        centre = Centre.objects.filter(slug=options["centre"]).first()
        if centre is None:
            known = ", ".join(Centre.objects.values_list("slug", flat=True)) or "aucun"
            raise CommandError(f"Centre « {options['centre']} » inconnu ; centres : {known}.")
        programme = self._programme(centre, options["programme"])
        path = Path(options["file"])
        try:
            with path.open("rb") as file:
                result = people_import(
                    file=file, filename=path.name, centre=centre, programme=programme
                )
        except OSError as error:
            raise CommandError(f"Impossible de lire « {path} » : {error.strerror}.") from None
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            count = len(result.errors)
            raise CommandError(
                f"Rien n'a été importé : {count} erreur{'s' if count > 1 else ''} à corriger."
            )
        self.stdout.write(self.style.SUCCESS(result.summary))

    def _programme(self, centre, slug):
        programmes = list(Programme.objects.of_centre(centre))
        slugs = ", ".join(p.slug for p in programmes) or "aucune"
        if slug is not None:
            for programme in programmes:
                if programme.slug == slug:
                    return programme
            raise CommandError(f"Action « {slug} » inconnue dans ce centre ; actions : {slugs}.")
        if len(programmes) > 1:
            raise CommandError(f"Le centre a plusieurs actions : précisez --programme ({slugs}).")
        return programmes[0] if programmes else None
