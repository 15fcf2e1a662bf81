import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from parcours.centres.models import Centre
from parcours.workshops.services import sessions_plan


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"date invalide : « {value} » (attendu : AAAA-MM-JJ)") from None


class Command(BaseCommand):
    help = (
        "Planifie les séances du planning hebdomadaire sur une période (sans jours fériés, "
        "fermetures ni vacances scolaires pour les ateliers qui s'arrêtent). Relancer la "
        "même période n'ajoute rien et ne modifie aucune séance existante."
    )

    def add_arguments(self, parser):
        parser.add_argument("--centre", required=True, help="identifiant court du centre")
        parser.add_argument("--from", dest="start", required=True, type=iso_date)
        parser.add_argument("--to", dest="end", required=True, type=iso_date)

    def handle(self, *args, centre, start, end, **options):
        found = Centre.objects.filter(slug=centre).first()
        if found is None:
            raise CommandError(f"aucun centre « {centre} »")
        try:
            result = sessions_plan(centre=found, start=start, end=end)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"{result.created} séance(s) créée(s), {result.already_planned} déjà planifiée(s), "
            f"{len(result.skipped)} jour(s) sautés (jours fériés, fermetures, vacances)."
        )
        if result.school_calendar_incomplete:
            self.stdout.write(
                self.style.WARNING(
                    "Attention : les vacances scolaires ne sont connues que jusqu'au "
                    f"{result.school_calendar_known_until:%d/%m/%Y} ; ajoutez les suivantes "
                    "(administration, « Vacances scolaires ») puis relancez la planification."
                    if result.school_calendar_known_until
                    else "Attention : aucune vacance scolaire n'est connue pour la zone du centre."
                )
            )
