"""The "bilan de parcours": a one-page PDF (two at most) for the person's RSA referent,
over a period.

It is made only with the person's consent to send it to their RSA referent, or a
coordinator's override of the day (see `parcours.consent`, checked by the view).
It shows: the centre and the programme (who writes), the person's name, the period,
the date the bilan was made, the pathway's dates, the consent (its date and what was
agreed) or the override, attendance per workshop and in total, the number of
appointments held, the goals with their axis and status, the assessment progress
(first vs latest in the period, the coordinator's scoring), the relays to partners
(partner, date, status) and the next steps (goals in progress with a due date).

Never: appointment notes, goal steps, relay reasons and what was
passed on, the file's notes, the confidential section, difficulties, birth date and
contact details, the exit outcome, the person's self-assessments, and relays to
partners whose very name tells about health, addictions or violence (see
`SENSITIVE_PARTNER_KINDS`).

A fixed number of queries whatever the history: attendance and appointments are
counted by the database, lists are read once. Long lists are cut ("… et 4 autres
objectifs"), shorter and shorter until the bilan fits on two pages (`ROW_LIMITS`).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from parcours.consent.models import ConsentOverride
from parcours.core.pdf import FONT, PDF
from parcours.partners.enums import PartnerKind
from parcours.people.enums import Direction
from parcours.people.models import Referral
from parcours.workshops.enums import Presence, SessionStatus
from parcours.workshops.models import Attendance

from . import assessments
from .enums import AppointmentStatus, AssessmentBy, GoalStatus
from .models import Appointment, Goal

# A relay to one of these tells about health, addictions or violence (GDPR art. 9,
# the confidential section's topics): it never appears, whatever was agreed.
SENSITIVE_PARTNER_KINDS = (
    PartnerKind.CMP,
    PartnerKind.CSAPA,
    PartnerKind.GEM,
    PartnerKind.HEALTH_PREVENTION,
    PartnerKind.VICTIM_SUPPORT,
)
# Rows shown per list, tried in turn until the bilan fits on two pages: ten rows per
# list usually do; long goal wordings may need fewer.
ROW_LIMITS = (10, 6, 3)
MAX_PAGES = 2


@dataclass(frozen=True)
class WorkshopAttendance:
    name: str
    present: int
    excused: int
    marked: int


@dataclass
class Evolution:
    """The coordinator's scorings in the period: `assessments.progress` of them."""

    first_on: datetime.date
    latest_on: datetime.date
    progress: assessments.Progress

    @property
    def rows(self):
        return [row for row in self.progress.rows if row.coordinator]


@dataclass
class Bilan:
    """What the PDF prints."""

    pathway: object
    first_day: datetime.date
    last_day: datetime.date
    # The ConsentRecord or ConsentOverride that lets the bilan go to the referent.
    consent: object
    workshops: list[WorkshopAttendance]
    appointments_held: int = 0
    goals: list = field(default_factory=list)
    evolution: Evolution | None = None
    relays: list = field(default_factory=list)

    @property
    def present(self):
        return sum(w.present for w in self.workshops)

    @property
    def marked(self):
        return sum(w.marked for w in self.workshops)

    @property
    def next_steps(self):
        steps = [g for g in self.goals if g.status == GoalStatus.IN_PROGRESS and g.due_on]
        return sorted(steps, key=lambda goal: goal.due_on)


def bilan_gather(pathway, *, first_day, last_day, consent):
    """The figures of the bilan. Expects `pathway` with its person, programme and centre
    at hand (select_related), and the `consent` (or override) that allows it."""
    person = pathway.person
    return Bilan(
        pathway=pathway,
        first_day=first_day,
        last_day=last_day,
        consent=consent,
        workshops=_attendance(person, first_day, last_day),
        appointments_held=Appointment.objects.filter(
            person=person,
            status=AppointmentStatus.HELD,
            starts_at__date__range=(first_day, last_day),
        ).count(),
        # Every goal of the pathway, with its status today: goals are often written
        # down after the talk that set them, so their creation date says little.
        goals=list(
            Goal.objects.filter(pathway=pathway).only("axis", "wording", "status", "due_on")
        ),
        evolution=_evolution(pathway, first_day, last_day),
        relays=list(
            Referral.objects.filter(
                person=person, direction=Direction.OUT, received_on__range=(first_day, last_day)
            )
            .exclude(
                Q(partner__kind__in=SENSITIVE_PARTNER_KINDS)
                | Q(partner__theme_health=True)
                | Q(partner__theme_addictions=True)
            )
            .select_related("partner")
            .only("received_on", "status", "partner__name")
            .order_by("-received_on", "-pk")  # the latest first, should the list be cut
        ),
    )


def _attendance(person, first_day, last_day):
    """Per workshop: sessions marked present, excused, and marked at all, in the period
    (sessions cancelled afterwards aside)."""
    marks = (
        Attendance.objects.filter(person=person, session__date__range=(first_day, last_day))
        .exclude(session__status=SessionStatus.CANCELLED)
        .values("session__workshop_id", "session__workshop__name")
        .annotate(
            present=Count("pk", filter=Q(presence=Presence.PRESENT)),
            excused=Count("pk", filter=Q(presence=Presence.EXCUSED)),
            marked=Count("pk"),
        )
        .order_by("session__workshop__name", "session__workshop_id")
    )
    return [
        WorkshopAttendance(m["session__workshop__name"], m["present"], m["excused"], m["marked"])
        for m in marks
    ]


def _evolution(pathway, first_day, last_day):
    """Progress from the coordinator's first scoring in the period to the latest (the
    person's self-assessments stay in their file)."""
    scorings = (
        pathway.assessments.filter(
            by=AssessmentBy.COORDINATOR, assessed_on__range=(first_day, last_day)
        )
        .select_related("grid")
        .prefetch_related("scores__criterion")
        .order_by("assessed_on", "pk")
    )
    scorings = list(scorings)
    if not scorings:
        return None
    return Evolution(
        scorings[0].assessed_on,
        scorings[-1].assessed_on,
        assessments.progress(pathway, assessments=scorings),
    )


# Drawing. Widths in mm: A4 is 210 mm wide, 180 mm between the margins.


def _date(day):
    return f"{day:%d/%m/%Y}"


def _plural(count, singular, plural):
    return f"{count} {singular if count in (0, 1) else plural}"


def _attendance_text(present, marked, excused=0):
    text = f"{_plural(present, 'présence', 'présences')} sur {_plural(marked, 'séance', 'séances')}"
    if excused:
        text += f" (dont {_plural(excused, 'absence excusée', 'absences excusées')})"
    return text


def _section(pdf, title):
    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.rule(grey=160)
    pdf.ln(1.5)
    pdf.set_font(FONT, "", 10)


def _line(pdf, text, *, size=10, style=""):
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _table(pdf, widths, heading, rows):
    pdf.grid(widths, [heading, *rows])
    pdf.ln(1)


def _more(pdf, rest, singular, plural):
    if rest > 0:
        _line(pdf, f"… et {_plural(rest, singular, plural)}.", size=9)


def _heading(pdf, bilan):
    pathway, person = bilan.pathway, bilan.pathway.person
    pdf.heading(
        centre=pathway.centre.name, programme=pathway.programme.name, title="Bilan de parcours"
    )
    fields = [
        ("Personne", f"{person.last_name.upper()} {person.first_name}"),
        ("Période", f"du {_date(bilan.first_day)} au {_date(bilan.last_day)}"),
    ]
    dates = f"entrée le {_date(pathway.started_on)}"
    if pathway.ended_on:
        dates += f", sortie le {_date(pathway.ended_on)}"
    fields.append(("Parcours", dates))
    fields += _consent_fields(bilan.consent)
    fields.append(("Établi le", _date(timezone.localdate())))
    pdf.fields(fields, label_width=38, height=5.5)


def _consent_fields(consent):
    if isinstance(consent, ConsentOverride):
        made_on = _date(timezone.localtime(consent.at).date())
        return [("Transmission", f"décidée par la coordination le {made_on}, sans accord")]
    fields = [("Accord", f"donné par la personne le {_date(consent.on)}")]
    if consent.scope:
        fields.append(("Partage convenu", consent.scope))
    return fields


def _draw_workshops(pdf, bilan, limit):
    _section(pdf, "Ateliers collectifs")
    if not bilan.workshops:
        _line(pdf, "Aucune présence notée sur la période.")
        return
    shown = bilan.workshops[:limit]
    rows = [(w.name, _attendance_text(w.present, w.marked, w.excused)) for w in shown]
    _table(pdf, (80, 100), ("Atelier", "Présences"), rows)
    _more(pdf, len(bilan.workshops) - len(shown), "autre atelier", "autres ateliers")
    _line(pdf, f"Au total : {_attendance_text(bilan.present, bilan.marked)}.", style="B")


def _draw_appointments(pdf, bilan):
    _section(pdf, "Entretiens individuels")
    count = bilan.appointments_held
    _line(pdf, f"{_plural(count, 'entretien tenu', 'entretiens tenus')} sur la période.")


def _draw_goals(pdf, bilan, limit):
    _section(pdf, "Objectifs")
    if not bilan.goals:
        _line(pdf, "Aucun objectif fixé sur la période.")
        return
    shown = bilan.goals[:limit]
    rows = [(g.get_axis_display(), g.wording, g.get_status_display()) for g in shown]
    _table(pdf, (50, 105, 25), ("Axe", "Objectif", "État"), rows)
    _more(pdf, len(bilan.goals) - len(shown), "autre objectif", "autres objectifs")


def _draw_evolution(pdf, evolution, limit):
    _section(pdf, "Évolution (distance parcourue)")
    rows = evolution.rows[: 2 * limit]
    if evolution.first_on == evolution.latest_on:
        _line(pdf, "Une seule évaluation sur la période : l'évolution se lira à la suivante.")
        _table(
            pdf,
            (75, 105),
            ("Critère", f"Évaluation du {_date(evolution.first_on)}"),
            [(r.label, _level(r.coordinator.latest, r.coordinator.latest_text)) for r in rows],
        )
    else:
        heading = (
            "Critère",
            f"Première évaluation ({_date(evolution.first_on)})",
            f"Dernière évaluation ({_date(evolution.latest_on)})",
            "Évolution",
        )
        _table(
            pdf,
            (56, 52, 52, 20),
            heading,
            [
                (
                    r.label,
                    _level(r.coordinator.first, r.coordinator.first_text),
                    _level(r.coordinator.latest, r.coordinator.latest_text),
                    r.coordinator.change_text,
                )
                for r in rows
            ],
        )
    _more(pdf, len(evolution.rows) - len(rows), "autre critère", "autres critères")
    _line(pdf, "Niveaux de 1 (le plus difficile) à 4 (le plus à l'aise).", size=8)
    if evolution.progress.grid_changed:
        _line(
            pdf,
            "La grille a changé entre-temps : les critères sont rapprochés par leur intitulé.",
            size=8,
        )


def _level(value, text):
    return f"{value} · {text}"


def _draw_relays(pdf, bilan, limit):
    _section(pdf, "Relais vers des partenaires")
    if not bilan.relays:
        _line(pdf, "Aucun relais sur la période.")
        return
    shown = bilan.relays[:limit]
    rows = [
        (_date(r.received_on), r.partner.name if r.partner else "—", r.get_status_display())
        for r in shown
    ]
    _table(pdf, (25, 90, 65), ("Date", "Partenaire", "État"), rows)
    _more(pdf, len(bilan.relays) - len(shown), "autre relais", "autres relais")


def _draw_next_steps(pdf, bilan, limit):
    _section(pdf, "Prochaines étapes")
    steps = bilan.next_steps
    if not steps:
        _line(pdf, "Aucune échéance fixée pour les objectifs en cours.")
        return
    shown = steps[:limit]
    _table(
        pdf,
        (42, 138),
        ("Échéance", "Objectif en cours"),
        [
            (
                f"{_date(g.due_on)} — dépassée"
                if g.is_overdue(bilan.last_day)
                else _date(g.due_on),
                g.wording,
            )
            for g in shown
        ],
    )
    _more(pdf, len(steps) - len(shown), "autre échéance", "autres échéances")


def bilan_pdf(bilan):
    """The bilan as PDF bytes, on two pages at most."""
    for limit in ROW_LIMITS:
        pdf = _draw(bilan, limit)
        if pdf.page <= MAX_PAGES:
            break
    return pdf.to_bytes()


def _draw(bilan, limit):
    person = bilan.pathway.person
    pdf = PDF(f"Bilan de parcours — {person.last_name.upper()} {person.first_name}")
    pdf.begin_part(
        f"Bilan de parcours — {person.last_name.upper()} {person.first_name} — "
        f"du {_date(bilan.first_day)} au {_date(bilan.last_day)}"
    )
    _heading(pdf, bilan)
    _draw_workshops(pdf, bilan, limit)
    _draw_appointments(pdf, bilan)
    _draw_goals(pdf, bilan, limit)
    if bilan.evolution:
        _draw_evolution(pdf, bilan.evolution, limit)
    _draw_relays(pdf, bilan, limit)
    _draw_next_steps(pdf, bilan, limit)
    return pdf
