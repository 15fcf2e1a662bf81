"""The information notice handed to each person (GDPR art. 13), in French, as a PDF.

Its content comes from the centre's settings (controller, data protection contact,
retention periods) and its partner directory (the kinds of recipients). What a
person was given is kept as it was (`NoticeGiven.content`): reprinting it later shows
what they read, not what the settings say today.
"""

import datetime

from django.utils import timezone

from parcours.core.pdf import FONT, PDF
from parcours.partners.enums import PartnerKind
from parcours.partners.models import Partner

# Purposes and their legal bases (art. 6 and 9). The programme is a public-interest
# mission funded by the Département; sharing, the bilan and photos need consent.
PURPOSES = [
    (
        "Votre accompagnement social et professionnel dans l'action d'insertion : "
        "accueil, entretiens, objectifs, ateliers, orientations vers des partenaires.",
        "Mission d'intérêt public confiée au centre (RGPD, art. 6.1.e), et votre "
        "consentement pour le traitement de vos données par le centre.",
    ),
    (
        "Les bilans d'activité remis aux financeurs (Département, CAF, ville, FSE+) : "
        "des chiffres, sans nom ; pour le FSE+, une ligne par participant sous un numéro, "
        "sans nom ni coordonnées (âge, situation, dates d'entrée et de sortie).",
        "Obligations des conventions de financement (art. 6.1.c et 6.1.e).",
    ),
    (
        "Le partage d'informations avec les partenaires que vous choisissez (par "
        "exemple la structure qui vous a orienté(e)), le bilan de parcours à votre "
        "référent RSA, les photos prises pendant les ateliers.",
        "Votre consentement, demandé pour chacun séparément (art. 6.1.a) ; vous "
        "pouvez le retirer à tout moment, sans conséquence sur votre accompagnement.",
    ),
]
SPECIAL_DATA = (
    "Des informations de santé, sur des addictions ou des violences subies (données "
    "sensibles, art. 9) ne sont notées qu'avec votre consentement explicite (art. 9.2.a), "
    "enregistré et que vous pouvez retirer : la coordination les efface alors. Elles sont "
    "dans un volet confidentiel chiffré que seule la coordination peut lire ; elles ne sont "
    "jamais transmises aux partenaires ni aux financeurs."
)
RIGHTS = [
    "Droit d'accès : obtenir une copie de tout ce que le centre conserve sur vous, y compris "
    "qui a consulté votre dossier ;",
    "Droit de rectification : faire corriger une information inexacte ;",
    "Droit d'effacement : demander la suppression de vos données, quand aucune obligation "
    "légale n'impose de les garder ;",
    "Droit à la limitation : demander que vos données ne soient plus utilisées pendant une "
    "vérification ;",
    "Droit d'opposition : vous opposer à un traitement, et retirer à tout moment un "
    "consentement donné ;",
    "Réclamation : vous pouvez saisir la CNIL (3 place de Fontenoy, TSA 80715, 75334 Paris "
    "Cedex 07, www.cnil.fr) si vous estimez que vos droits ne sont pas respectés.",
]
NO_CONTACT = "l'accueil du centre (aucun contact dédié n'est encore indiqué)"


def notice_content(centre):
    """What the notice says today, as plain data (kept with each notice given)."""
    town = " ".join(filter(None, [centre.postcode, centre.city]))
    kinds = set(Partner.objects.of_centre(centre).values_list("kind", flat=True))
    return {
        "controller": centre.name,
        "address": ", ".join(filter(None, [centre.address, town])),
        "privacy_contact": centre.privacy_contact.strip(),
        "retention_months": centre.retention_months,
        "archive_months": centre.archive_months,
        # In the enum's order, so that two notices of the same settings read the same.
        "recipient_kinds": [kind.label for kind in PartnerKind if kind.value in kinds],
        "written_on": timezone.localdate().isoformat(),
    }


def _section(pdf, title):
    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9.5)


def _text(pdf, text, indent=0):
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, 4.8, text, align="L", new_x="LMARGIN", new_y="NEXT")


def notice_pdf(content, person=None):
    """The notice as PDF bytes; with `person`, their name at the top (a copy handed
    to them)."""
    pdf = PDF("Notice d'information sur vos données personnelles")
    pdf.begin_part(f"{content['controller']} — notice d'information (RGPD, article 13)")
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 6, content["controller"], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(
        0,
        8,
        "Vos données personnelles : ce que le centre en fait",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if person is not None:
        pdf.set_font(FONT, "", 10)
        _text(pdf, f"Remise à : {person.first_name} {person.last_name.upper()}")
    pdf.ln(1)
    pdf.rule(grey=0)
    pdf.ln(1)

    _section(pdf, "Qui est responsable de vos données")
    controller = content["controller"]
    if content["address"]:
        controller += f", {content['address']}"
    _text(pdf, f"{controller}.")
    contact = content["privacy_contact"] or NO_CONTACT
    _text(pdf, f"Pour toute question ou pour exercer vos droits : {contact}")

    _section(pdf, "Pourquoi, et sur quelle base")
    for purpose, basis in PURPOSES:
        _text(pdf, f"• {purpose}")
        _text(pdf, f"Base : {basis}", indent=4)
    _section(pdf, "Données sensibles")
    _text(pdf, SPECIAL_DATA)

    _section(pdf, "Qui peut recevoir vos informations")
    _text(
        pdf,
        "La coordination de l'action, et les animateurs pour les ateliers où vous êtes "
        "inscrit(e) (nom, téléphone). Avec votre accord seulement, pour ce que vous "
        "acceptez : votre référent RSA et les partenaires du centre, parmi les types de "
        "structures suivants :",
    )
    kinds = content["recipient_kinds"] or ["aucun partenaire enregistré pour l'instant"]
    _text(pdf, "; ".join(kinds) + ".", indent=4)

    _section(pdf, "Combien de temps")
    _text(
        pdf,
        f"Votre dossier est conservé {content['retention_months']} mois après votre "
        f"dernier contact avec le centre, puis archivé {content['archive_months']} mois "
        "(lisible seulement pour répondre à une obligation légale), puis anonymisé : il "
        "ne reste que les chiffres des bilans d'activité.",
    )

    _section(pdf, "Vos droits")
    for right in RIGHTS:
        _text(pdf, f"• {right}")
    _text(
        pdf,
        "Refuser ou retirer un consentement ne change rien à votre accompagnement : "
        "seul le partage concerné s'arrête, à compter de la date du retrait.",
    )
    pdf.ln(3)
    pdf.set_font(FONT, "", 8)
    written = datetime.date.fromisoformat(content["written_on"])
    _text(pdf, f"Notice établie le {written:%d/%m/%Y}.")
    return pdf.to_bytes()
