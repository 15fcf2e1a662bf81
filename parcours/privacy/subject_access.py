"""Everything Parcours holds about a person (GDPR art. 15), in plain French: one list
of sections that the PDF for the person, the JSON export and the admin's archive view
all show. Nothing about anyone else: a case review gives the decision about this
person only, a referral the organisation that sent them, and the trail who of the
team read or changed the file, and when.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from parcours.audit.enums import ACTION_LABELS
from parcours.audit.models import AuditEvent
from parcours.centres.enums import Role
from parcours.centres.models import Membership
from parcours.pathways.enums import AppointmentStatus
from parcours.people.enums import Direction
from parcours.people.models import ConfidentialNote, Person

EMPTY = "—"


@dataclass
class Section:
    title: str
    # Each entry is a list of (label, value) pairs: one thing held (a referral, an
    # appointment…), or the fields of the file for the identity sections.
    entries: list = field(default_factory=list)
    empty: str = "Rien n'est enregistré."


def _text(value):
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y à %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _entry(*pairs):
    return [(label, _text(value)) for label, value in pairs]


def _steps(changes, text="reason"):
    """Each change of a record's status (a referral's events, a goal's, an
    appointment's or an enrolment's transitions), dated, with its note or reason (the
    field `text`)."""
    return [
        (
            f"Le {timezone.localtime(e.at):%d/%m/%Y}",
            f"{e.get_to_status_display()}{' — ' + getattr(e, text) if getattr(e, text) else ''}",
        )
        for e in changes
    ]


def _goal(goal):
    """A goal in the person's words, its state and steps, then its changes of state."""
    parts = (goal.wording, goal.get_status_display(), goal.steps)
    return [
        (f"Objectif ({goal.get_axis_display()})", " — ".join(part for part in parts if part)),
        *_steps(goal.transitions.all()),
    ]


def _fields(person, names):
    """(French label, value as shown) of these fields of the file."""
    pairs = []
    for name in names:
        model_field = Person._meta.get_field(name)
        display = getattr(person, f"get_{name}_display", None)
        pairs.append(
            (
                str(model_field.verbose_name).capitalize(),
                display() if display else getattr(person, name),
            )
        )
    return _entry(*pairs)


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
            who, role = "Parcours (traitement sans utilisateur connecté)", EMPTY
        else:
            who = event.actor.get_full_name() or event.actor.email
            role = (
                Role(roles[event.actor_id]).label
                if event.actor_id in roles
                else "ancien membre de l'équipe"
            )
        rows.append(
            _entry(
                ("Date", event.timestamp),
                ("Par", who),
                ("Rôle", role),
                ("Action", ACTION_LABELS[event.action]),
            )
        )
    return rows


def gather(person, *, confidential=True):
    """The sections of everything held about `person`, the confidential section
    included (the person is entitled to it) unless `confidential` is False: the
    archive kept for legal proof is read by the centre's administration, who never
    read health, addiction or violence notes. Raises ConfidentialDataLocked when the
    key is missing: an export never leaves out part of the file silently."""
    sections = [
        Section("Votre identité", [_fields(person, IDENTITY)]),
        Section(
            "Votre situation",
            [
                _fields(person, SITUATION)
                + _entry(("Difficultés", ", ".join(str(d.label) for d in person.difficulties)))
            ],
        ),
        Section("Votre référent RSA", [_fields(person, REFERENT)]),
        Section(
            "L'information que vous avez reçue",
            [
                _entry(("Notice d'information remise le", n.given_on))
                for n in person.notices_given.all()
            ],
        ),
        Section(
            "Vos accords et leurs retraits",
            [
                _entry(
                    ("À compter du", r.on),
                    ("Objet", r.scope_label),
                    ("Réponse", r.get_answer_display()),
                    ("Ce qui a été convenu", r.scope),
                )
                for r in person.consent_records.select_related("partner").order_by("on", "pk")
            ],
        ),
        Section(
            "Informations transmises sans votre accord (dérogations)",
            [
                _entry(("Le", o.at), ("Objet", o.scope_label), ("Motif", o.reason))
                for o in person.consent_overrides.select_related("partner").order_by("at")
            ],
        ),
        Section(
            "Notes de la coordination", [_entry(("Notes", person.notes))] if person.notes else []
        ),
    ]
    if confidential:
        note = ConfidentialNote.objects.filter(person=person).first()
        sections.append(
            Section(
                "Volet confidentiel (santé, addictions, violences)",
                [
                    _entry(
                        ("Santé", note.health),
                        ("Addictions", note.addictions),
                        ("Violences subies", note.violence),
                    )
                ]
                if note
                else [],
            )
        )
    referrals = person.referrals.select_related("partner").prefetch_related("events__by")
    sections.append(
        Section(
            "Vos orientations vers le centre",
            [
                _entry(
                    ("Reçue le", r.received_on),
                    ("Par", r.partner or "vous-même"),
                    ("Motif", r.reason),
                    ("Vos attentes", r.expectations),
                    ("Suite", r.get_status_display()),
                    ("Décision le", r.decided_on),
                    ("Motif de la décision", r.decision_reason),
                )
                + _steps(r.events.all(), text="note")
                for r in referrals
                if r.direction == Direction.IN
            ],
        )
    )
    sections.append(
        Section(
            "Vos relais vers des partenaires",
            [
                _entry(
                    ("Envoyé le", r.received_on),
                    ("Vers", r.partner),
                    ("Motif", r.reason),
                    ("Informations transmises", r.shared_information),
                    ("Suite", r.get_status_display()),
                    ("Réponse le", r.decided_on),
                    ("Réponse du partenaire", r.decision_reason),
                )
                + _steps(r.events.all(), text="note")
                for r in referrals
                if r.direction == Direction.OUT
            ],
        )
    )
    pathways = person.pathways.select_related("programme", "exit__outcome").prefetch_related(
        "goals__transitions"
    )
    pathway_entries = []
    for pathway in pathways:
        exit_ = getattr(pathway, "exit", None)
        pathway_entries.append(
            _entry(
                ("Action", pathway.programme),
                ("Entrée le", pathway.started_on),
                ("Sortie le", pathway.ended_on),
                ("Issue", exit_.outcome if exit_ else None),
                ("Commentaire de sortie", exit_.comment if exit_ else None),
            )
            + [pair for goal in pathway.goals.all() for pair in _goal(goal)]
        )
    sections.append(Section("Vos parcours et vos objectifs", pathway_entries))
    sections.append(
        Section(
            "Vos contrats d'engagement RSA",
            [
                _entry(("Du", c.starts_on), ("Au", c.ends_on), ("Objectifs", c.goals))
                for c in person.rsa_contracts.all()
            ],
        )
    )
    sections.append(
        Section(
            "Vos entretiens",
            [
                _entry(
                    ("Date", a.starts_at),
                    ("Type", a.get_kind_display()),
                    ("État", a.get_status_display()),
                    ("Note d'entretien", a.note),
                )
                + _steps(a.transitions.all())
                for a in person.appointments.order_by("-starts_at").prefetch_related("transitions")
                if a.status != AppointmentStatus.CANCELLED or a.note
            ],
        )
    )
    from parcours.pathways.models import Assessment  # pathways build on people

    assessments = (
        Assessment.objects.filter(pathway__person=person)
        .prefetch_related("scores__criterion")
        .order_by("assessed_on", "pk")
    )
    sections.append(
        Section(
            "Vos évaluations",
            [
                _entry(("Le", a.assessed_on), ("Par", a.get_by_display()))
                + [(s.criterion.label, f"niveau {s.value} sur 4") for s in a.scores.all()]
                for a in assessments
            ],
        )
    )
    sections.append(
        Section(
            "Vos ateliers",
            [
                _entry(
                    ("Atelier", e.workshop),
                    ("Depuis le", e.starts_on),
                    ("Jusqu'au", e.ends_on),
                    ("État", e.get_status_display()),
                )
                + _steps(e.transitions.all())
                for e in person.enrolments.select_related("workshop")
                .prefetch_related("transitions")
                .order_by("starts_on")
            ]
            + [
                _entry(
                    ("Séance", a.session.workshop),
                    ("Le", a.session.date),
                    ("Présence", a.get_presence_display()),
                )
                for a in person.attendances.select_related("session__workshop").order_by(
                    "session__date"
                )
            ],
        )
    )
    sections.append(
        Section(
            "Cellules d'appui (décisions vous concernant)",
            [
                _entry(("Le", item.review.held_on), ("Décision", item.decision))
                for item in person.case_reviews.select_related("review").order_by("review__held_on")
            ],
        )
    )
    sections.append(
        Section(
            "Suivis après des absences",
            [
                _entry(("Le", f.noted_at), ("Suivi", f.note))
                for f in person.vigilance_follow_ups.all()
            ],
        )
    )
    sections.append(
        Section(
            "Vos demandes sur vos données",
            [
                _entry(
                    ("Demande d'effacement reçue le", r.requested_on),
                    ("Faite", r.get_channel_display()),
                    ("Suite", r.get_outcome_display()),
                    ("Motif du refus", r.refusal_reason),
                )
                for r in person.erasure_requests.all()
            ]
            + [
                _entry(
                    ("Conservation décidée le", h.recorded_on),
                    ("Motif", h.reason),
                    ("Levée le", h.lifted_on),
                )
                for h in person.legal_holds.all()
            ],
        )
    )
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
    """An entry as a JSON object. A label may repeat (two steps of a relay on one day,
    two goals on one axis): its values then form a list, in order, so nothing is lost."""
    found = {}
    for label, value in entry:
        if label not in found:
            found[label] = value
        elif isinstance(found[label], list):
            found[label].append(value)
        else:
            found[label] = [found[label], value]
    return found


def as_pdf(person, sections, exported_at):
    """The export as PDF bytes, for the person: A4, the vendored font, plain French."""
    from parcours.workshops.sheets import FONT, SheetPDF  # the same page and font

    pdf = SheetPDF(f"Vos données — {person.centre.name}")
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
        for entry in section.entries:
            for label, value in entry:
                pdf.multi_cell(width, 5, f"{label} : {value}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
    return pdf.to_bytes()
