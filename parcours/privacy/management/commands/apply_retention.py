import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from parcours.centres.models import Centre
from parcours.privacy import services


def _plural(count, singular, plural):
    return f"{count} {singular if count < 2 else plural}"


def _last_contact(pk, last, *rest):
    text = f"(dernier contact le {last:%d/%m/%Y})"
    return f"archivé le {rest[0]:%d/%m/%Y} {text}" if rest else text


class Command(BaseCommand):
    help = (
        "Applique les durées de conservation de chaque centre : liste les dossiers à "
        "archiver dans les 30 jours, archive ceux arrivés au terme, anonymise les archives "
        "échues et purge le journal d'audit trop ancien. Sans --wet-run, n'affiche que ce "
        "qui serait fait. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run", action="store_true", help="Agir vraiment (sinon : simulation)."
        )
        parser.add_argument("--centre", help="Identifiant court d'un seul centre (sinon : tous).")
        parser.add_argument(
            "--date",
            help="Le jour à considérer comme aujourd'hui, AAAA-MM-JJ (défaut : aujourd'hui).",
        )

    def handle(self, *args, **options):
        wet = options["wet_run"]
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"Date « {options['date']} » illisible : écrivez-la AAAA-MM-JJ."
                ) from None
        centres = Centre.objects.order_by("slug")
        if options["centre"]:
            centres = centres.filter(slug=options["centre"])
            if not centres:
                known = ", ".join(Centre.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(
                    f"Centre « {options['centre']} » inconnu ; centres : {known or 'aucun'}."
                )
        mode = "" if wet else " — SIMULATION : rien n'est modifié (ajoutez --wet-run pour agir)"
        self.stdout.write(f"Conservation des données au {today:%d/%m/%Y}{mode}")
        # "supprimées" agrees with "lignes", "supprimés" with "événements".
        if wet:
            archived_word, anonymised_word = "archivés", "anonymisés"
            deleted_word = {"f": "supprimées", "m": "supprimés"}
        else:
            archived_word, anonymised_word = "à archiver", "à anonymiser"
            deleted_word = {"f": "à supprimer", "m": "à supprimer"}
        failed = []
        for centre in centres:
            run = services.retention_apply(centre=centre, today=today, wet_run=wet)
            failed += run.failed
            self.stdout.write(
                f"\n{centre.name} ({centre.slug}) : conservation {centre.retention_months} mois "
                f"après le dernier contact, archives {centre.archive_months} mois, "
                f"journal {centre.audit_retention_months} mois"
            )
            self._files("Bientôt archivés (30 jours)", run.warned, _last_contact)
            self._files(archived_word.capitalize(), run.archived, _last_contact)
            self._files(
                anonymised_word.capitalize(),
                run.anonymised,
                lambda pk, on: f"(archivé le {on:%d/%m/%Y})",
            )
            if run.kept:
                self._files(
                    "Gardés pour motif légal", run.kept, lambda pk, reasons: " ; ".join(reasons)
                )
            if run.failed:
                self._files("ÉCHEC, laissés tels quels", run.failed, lambda pk, what: f"({what})")
            self._audit(run.audit_before, run.audit_rows, run.security_rows, deleted_word)
        if not options["centre"]:
            before, audit_rows, security_rows, logins = services.audit_purge_without_centre(
                today=today, wet_run=wet
            )
            self.stdout.write("\nJournal sans centre (connexions avant le choix d'un centre)")
            self._audit(before, audit_rows, security_rows, deleted_word)
            self.stdout.write(
                f"  Connexions enregistrées avant le {timezone.localtime(before):%d/%m/%Y} "
                f"(adresse, navigateur) : {_plural(logins, 'ligne', 'lignes')} {deleted_word['f']}"
            )
        if failed:
            # A non-zero exit, so that cron or systemd reports the run as failed.
            raise CommandError(
                f"{_plural(len(failed), 'dossier', 'dossiers')} en échec (voir plus haut et "
                "le journal des erreurs) ; les autres ont été traités. Relancez la commande "
                "une fois la cause corrigée."
            )

    def _files(self, label, rows, describe):
        """A count, then one line per file: its number, never a name."""
        lines = [f"  {label} : {_plural(len(rows), 'dossier', 'dossiers')}"]
        lines += [f"    dossier n° {row[0]} {describe(*row)}" for row in rows]
        self.stdout.write("\n".join(lines))

    def _audit(self, before, audit_rows, security_rows, deleted_word):
        self.stdout.write(
            f"  Journal antérieur au {timezone.localtime(before):%d/%m/%Y} : "
            f"{_plural(audit_rows, 'ligne', 'lignes')} d'audit {deleted_word['f']}, "
            f"{_plural(security_rows, 'événement', 'événements')} de sécurité {deleted_word['m']}"
        )
