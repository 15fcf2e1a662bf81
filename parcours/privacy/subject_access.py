"""Everything Parcours holds about a person (GDPR art. 15), in plain French: one list
of sections that the PDF for the person, the JSON export and the admin's archive view
all show. Nothing about anyone else: a case review gives the decision about this
person only, a referral the organisation that sent them, and the trail who of the
team read or changed the file, and when.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from parcours.audit.enums import ACTION_LABELS
from parcours.audit.models import AuditEvent
from parcours.centres.enums import Role
from parcours.centres.models import Membership
from parcours.core.pdf import FONT, PDF
from parcours.people import file
from parcours.people.file import Export, Section
from parcours.people.models import Person


def _fields(person, names):
    """(French label, value as shown) of these fields of the file."""
    pairs = []
    for name in names:
        model_field = Person._meta.get_field(name)
        display = getattr(person, f"get_{name}_display", None)
        pairs.append(
            (
                # capfirst, not capitalize: acronyms keep their capitals (RSA, RQTH).
                capfirst(model_field.verbose_name),
                display() if display else getattr(person, name),
            )
        )
    return file.entry(*pairs)


IDENTITY = [
    "last_name",
    "first_name",
    "birth_date",
    "sex",
    "phone",
    "email",
    "address",
    "postcode",
    "city",
    "neighbourhood",
]
SITUATION = [
    "household",
    "children_count",
    "children_ages",
    "benefit",
    "rsa_orientation",
    "rights_end_on",
    "french_level",
    "education_level",
    "disability_recognised",
    "status",
]
REFERENT = ["rsa_referent_name", "rsa_referent_partner", "rsa_referent_phone", "rsa_referent_email"]


def person_audit_rows(person):
    """The audit trail about `person`: rows of their records, and of the file itself."""
    content_type = ContentType.objects.get_for_model(Person)
    return AuditEvent.objects.filter(
        Q(person_id=person.pk) | Q(content_type=content_type, object_pk=str(person.pk))
    )


def readers(person):
    """Who of the team read or changed the file, and when, newest first: the name and
    role of each, never anything about other people. Two queries."""
    events = person_audit_rows(person).select_related("actor").order_by("-timestamp", "-pk")
    events = list(events)
    roles = dict(
        Membership.objects.filter(
            centre_id=person.centre_id, user__in={e.actor_id for e in events if e.actor_id}
        ).values_list("user_id", "role")
    )
    rows = []
    for event in events:
        if event.actor is None:
            who, role = "Parcours (traitement sans utilisateur connecté)", None
        else:
            who = event.actor.get_full_name() or event.actor.email
            role = (
                Role(roles[event.actor_id]).label
                if event.actor_id in roles
                else "ancien membre de l'équipe"
            )
        rows.append(
            file.entry(
                ("Date", event.timestamp),
                ("Par", who),
                ("Rôle", role),
                ("Action", ACTION_LABELS[event.action]),
            )
        )
    return rows


# The file's own sections, placed among those of its parts (see people.file.Export).
OWN_SECTIONS = [
    Export(10, "Votre identité", lambda person: [_fields(person, IDENTITY)]),
    Export(
        20,
        "Votre situation",
        lambda person: [
            _fields(person, SITUATION)
            + file.entry(("Difficultés", ", ".join(str(d.label) for d in person.difficulties)))
        ],
    ),
    Export(30, "Votre référent RSA", lambda person: [_fields(person, REFERENT)]),
    Export(
        70,
        "Notes de la coordination",
        lambda person: [file.entry(("Notes", person.notes))] if person.notes else [],
    ),
]


def gather(person, *, confidential=True):
    """The sections of everything held about `person`, the confidential section
    included (the person is entitled to it) unless `confidential` is False: the
    archive kept for legal proof is read by the centre's administration, who never
    read health, addiction or violence notes. Raises ConfidentialDataLocked when the
    key is missing: an export never leaves out part of the file silently."""
    exports = OWN_SECTIONS + [export for part in file.parts() for export in part.exports]
    sections = [
        Section(export.title, export.entries(person))
        for export in sorted(exports, key=lambda export: export.position)
        if confidential or not export.confidential
    ]
    sections.append(
        Section(
            "Qui a consulté ou modifié votre dossier",
            readers(person),
            empty="Aucune consultation enregistrée.",
        )
    )
    return sections


def as_json(person, sections, exported_at):
    """The export as JSON text: the same sections, each entry an object."""
    document = {
        "personne": person.pk,
        "centre": person.centre.name,
        "exporte_le": exported_at.isoformat(),
        "sections": [
            {"titre": s.title, "elements": [_as_object(entry) for entry in s.entries]}
            for s in sections
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _as_object(entry):
    """An entry as a JSON object, its values typed (see people.file.as_data). A label
    may repeat (two steps of a relay on one day, two goals on one axis): its values then
    form a list, in order, so nothing is lost."""
    found = {}
    for label, raw in entry:
        value = file.as_data(raw)
        if label not in found:
            found[label] = value
        elif isinstance(found[label], list):
            found[label].append(value)
        else:
            found[label] = [found[label], value]
    return found


def as_pdf(person, sections, exported_at):
    """The export as PDF bytes, for the person: A4, the vendored font, plain French."""
    pdf = PDF(f"Vos données — {person.centre.name}")
    pdf.begin_part(
        f"{person.centre.name} — vos données au {timezone.localtime(exported_at):%d/%m/%Y}"
    )
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(
        width, 8, "Les données que le centre détient sur vous", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        width,
        5,
        (
            f"{person.centre.name} vous remet tout ce que son logiciel Parcours garde sur vous, "
            f"au {timezone.localtime(exported_at):%d/%m/%Y à %H:%M}. Si une information est "
            "fausse, dites-le à la coordinatrice : elle la corrige. Vous pouvez aussi demander "
            "l'effacement de votre dossier."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if person.centre.privacy_contact:
        pdf.multi_cell(
            width, 5, f"Contact : {person.centre.privacy_contact}", new_x="LMARGIN", new_y="NEXT"
        )
    for section in sections:
        pdf.ln(3)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(width, 7, section.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
        if not section.entries:
            pdf.multi_cell(width, 5, section.empty, new_x="LMARGIN", new_y="NEXT")
        for entry in section.text_entries():
            for label, value in entry:
                pdf.multi_cell(width, 5, f"{label} : {value}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
    return pdf.to_bytes()
