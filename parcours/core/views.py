from django.shortcuts import render

from parcours import policy
from parcours.centres.enums import Role


@policy.centre_rule(policy.can_view_centre)
def home(request):
    # Each role starts from what it does first; the template per role says what.
    role = request.membership.role
    return render(request, f"core/home_{role}.html", {"role": Role(role)})


def _coming_soon(title, what):
    def view(request):
        return render(request, "core/coming_soon.html", {"title": title, "what": what})

    return view


people = policy.centre_rule(policy.can_view_people)(
    _coming_soon(
        "Personnes",
        "Les dossiers des personnes accompagnées, les orientations entrantes, l'accueil "
        "et l'import depuis un tableur.",
    )
)
workshops = policy.centre_rule(policy.can_view_workshops)(
    _coming_soon(
        "Ateliers",
        "Les ateliers collectifs, le calendrier des séances, les inscriptions et les "
        "feuilles d'émargement.",
    )
)
partners = policy.centre_rule(policy.can_view_partners)(
    _coming_soon(
        "Partenaires",
        "L'annuaire des partenaires du réseau, leurs contacts et les relais.",
    )
)
reports = policy.centre_rule(policy.can_view_reports)(
    _coming_soon(
        "Rapports",
        "Le bilan d'activité annuel pour les financeurs, en PDF, tableur et JSON.",
    )
)
