import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from bench.generator.build import SIZES, GeneratorError, generate


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Date invalide : « {text} » (format attendu : AAAA-MM-JJ).") from None


class Command(BaseCommand):
    help = (
        "Génère des centres fictifs avec des années d'historique (personnes, orientations, "
        "parcours, ateliers, séances, présences…) pour mesurer les performances. "
        "Tailles prêtes : --size small (1 centre, 100 personnes, 2 ans) ou --size "
        "federation (200 centres × 500 personnes × 5 ans, environ 9 millions de "
        "présences). Même graine, mêmes données. Refuse une base qui contient déjà des "
        "centres générés, sauf avec --append. Tout ou rien : une erreur n'écrit rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=sorted(SIZES),
            help="Taille prête à l'emploi ; --centres, --people-per-centre, --years la modifient.",
        )
        parser.add_argument("--centres", type=int, help="Nombre de centres (par défaut 1).")
        parser.add_argument(
            "--people-per-centre",
            type=int,
            help="Personnes orientées vers chaque centre sur la période (par défaut 100).",
        )
        parser.add_argument("--years", type=int, help="Années d'historique (par défaut 2).")
        parser.add_argument("--seed", type=int, default=1, help="Graine du tirage (par défaut 1).")
        parser.add_argument(
            "--end",
            type=_date,
            help="Dernier jour de l'historique, AAAA-MM-JJ (par défaut aujourd'hui).",
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Ajouter des centres à ceux déjà générés au lieu de refuser.",
        )
        parser.add_argument(
            "--password",
            help=(
                "Mot de passe de tous les comptes générés (sinon ils ne peuvent pas se "
                "connecter par mot de passe)."
            ),
        )

    def handle(self, *args, **options):
        sizes = SIZES[options["size"] or "small"]
        arguments = {
            name: options[name] if options[name] is not None else sizes[name]
            for name in ("centres", "people_per_centre", "years")
        }
        started = time.monotonic()
        try:
            counts = generate(
                **arguments,
                seed=options["seed"],
                end=options["end"],
                stdout=self.stdout if options["verbosity"] >= 1 else None,
                append=options["append"],
                password=options["password"],
            )
        except GeneratorError as error:
            raise CommandError(str(error)) from None
        elapsed = time.monotonic() - started
        total = sum(counts.values())
        if options["verbosity"] >= 1:
            for table, count in counts.items():
                self.stdout.write(f"  {table:<36} {count:>12,}".replace(",", " "))
        self.stdout.write(
            self.style.SUCCESS(
                f"{total:,} lignes écrites en {elapsed:.1f} s".replace(",", " ")
                + f" ({total / elapsed:,.0f} lignes/s).".replace(",", " ")
            )
        )
