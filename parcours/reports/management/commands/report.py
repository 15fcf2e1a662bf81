import datetime
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.centres.models import Centre, Programme
from parcours.reports import layout
from parcours.reports.enums import Funder
from parcours.reports.exports import report_json, report_pdf, report_xlsx

EXPORTS = {"json": report_json, "xlsx": report_xlsx, "pdf": report_pdf}


class Command(BaseCommand):
    help = (
        "Écrit le bilan d'activité d'une action sur une période, en JSON, .xlsx ou PDF, "
        "comme le bouton d'export de la page du bilan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--centre", required=True, help="Identifiant court du centre.")
        parser.add_argument("--programme", required=True, help="Identifiant court de l'action.")
        parser.add_argument(
            "--from", dest="start", required=True, help="Début de la période, AAAA-MM-JJ."
        )
        parser.add_argument(
            "--to", dest="end", required=True, help="Fin de la période, AAAA-MM-JJ."
        )
        # Checked in handle() rather than by `choices`, for a message in French.
        parser.add_argument("--format", required=True, help="json, xlsx ou pdf.")
        parser.add_argument("--output", required=True, help="Le fichier à écrire.")
        parser.add_argument(
            "--funder",
            default="",
            help="Le financeur dont le bilan suit les règles : departement, caf, city ou fse.",
        )

    def handle(self, *args, **options):
        export = EXPORTS.get(options["format"])
        if export is None:
            raise CommandError(
                f"Format « {options['format']} » inconnu : choisissez json, xlsx ou pdf."
            )
        funders = [value for value in Funder.values if value]
        if options["funder"] not in Funder.values:
            raise CommandError(
                f"Financeur « {options['funder']} » inconnu : choisissez {', '.join(funders)}."
            )
        start = _date(options["start"], "--from")
        end = _date(options["end"], "--to")
        if start > end:
            raise CommandError(
                f"Le début de la période ({start:%d/%m/%Y}) suit sa fin ({end:%d/%m/%Y})."
            )
        centre = Centre.objects.filter(slug=options["centre"]).first()
        if centre is None:
            known = ", ".join(Centre.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"Centre « {options['centre']} » inconnu ; centres : {known or 'aucun'}."
            )
        programme = Programme.objects.of_centre(centre).filter(slug=options["programme"]).first()
        if programme is None:
            known = ", ".join(Programme.objects.of_centre(centre).values_list("slug", flat=True))
            raise CommandError(
                f"Action « {options['programme']} » inconnue dans ce centre ; "
                f"actions : {known or 'aucune'}."
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Le dossier « {output.parent} » n'existe pas.")

        report = layout.compute(
            centre=centre, programme=programme, start=start, end=end, funder=options["funder"]
        )
        layout.report_narratives(report, centre, programme)
        _write_atomically(output, export(report))
        self.stdout.write(self.style.SUCCESS(f"Bilan écrit dans {output}."))


def _date(text, option):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Date « {text} » invalide pour {option} : attendu AAAA-MM-JJ, par exemple 2025-01-31."
        ) from None


def _write_atomically(path, content):
    """Write into a temporary file beside `path`, then rename it over `path`: readers
    see the old file or the whole new one, never half of it."""
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise CommandError(
            f"Impossible d'écrire dans « {path.parent} » : {error.strerror}."
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise CommandError(f"Impossible d'écrire « {path} » : {error.strerror}.") from None
        raise
