from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.centres import demo


class Command(BaseCommand):
    help = (
        "Affiche le code à 6 chiffres du moment d'un compte de démonstration "
        "(centre « Le Lierre » seulement)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="ex. coordination@le-lierre.example")

    def handle(self, *args, email, **options):
        email = email.strip().lower()
        demo_emails = {user_email for user_email, *_ in demo.USERS}
        if email not in demo_emails:
            raise CommandError(
                f"{email} n'est pas un compte de démonstration : cette commande ne donne les "
                "codes que des comptes fictifs du centre « Le Lierre » "
                f"({', '.join(sorted(demo_emails))})."
            )
        # Only the fixed, public demo secret: a device enrolled for real on one of these
        # addresses (a demo install turned into a real one) is never read here.
        device = TOTPDevice.objects.filter(
            user__email=email,
            user__memberships__centre__slug=demo.CENTRE["slug"],
            key=demo.demo_totp_key(email),
            confirmed=True,
        ).first()
        if device is None:
            raise CommandError(
                f"{email} n'a pas de double authentification de démonstration : le mot de "
                "passe suffit, ou lancez d'abord `python manage.py load_demo`."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
