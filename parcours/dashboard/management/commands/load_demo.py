from django.core.management.base import BaseCommand
from django.db import transaction

from parcours.centres import demo as centres_demo
from parcours.consent import demo as consent_demo
from parcours.partners import demo as partners_demo
from parcours.pathways import demo as pathways_demo
from parcours.people import demo as people_demo
from parcours.policy import SECOND_FACTOR_ROLES
from parcours.workshops import demo as workshops_demo


class Command(BaseCommand):
    help = "Charge le centre de démonstration fictif « Le Lierre » (sans rien modifier d'existant)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Ne pas afficher les comptes de démo."
        )

    @transaction.atomic
    def handle(self, *args, **options):
        # Each domain loads its part, in dependency order; later domains add theirs here.
        centre = centres_demo.load()
        partners_demo.load(centre)
        people_demo.load(centre)
        workshops_demo.load(centre)
        pathways_demo.load(centre)
        consent_demo.load(centre)
        self.stdout.write(self.style.SUCCESS(f"Centre de démonstration prêt : {centre.name}"))
        if not options["quiet_logins"]:
            self.stdout.write(
                f"Comptes de démonstration (mot de passe : {centres_demo.DEMO_PASSWORD})"
            )
            for email, _first, _last, role in centres_demo.USERS:
                code = "  + code à 6 chiffres" if role in SECOND_FACTOR_ROLES else ""
                self.stdout.write(f"  {role.label:<32} {email}{code}")
            self.stdout.write(
                "Code à 6 chiffres du moment (double authentification, sans téléphone) :\n"
                "  .venv/bin/python manage.py demo_code coordination@le-lierre.example"
            )
