"""Printable PDFs of the workshops: the sign-in sheet of a session (or of a month of
one workshop's sessions) and the attendance record after a session.

Funders ask for signed sign-in sheets, so these are printed on A4 (see
`parcours.core.pdf`) and signed by hand.
"""

import datetime
from typing import NamedTuple

from django.db.models import Q
from django.utils import dateformat

from parcours.centres.models import Programme
from parcours.core.pdf import FONT, PDF
from parcours.core.search import name_key

from .enums import EnrolmentStatus, Presence, SessionStatus
from .models import Enrolment, Session

# Widths in mm; A4 is 210 mm wide, 180 mm between the margins.
SHEET_COLUMNS = (("Nom", 60), ("Prénom", 45), ("Signature", 75))
RECORD_COLUMNS = (("Nom", 60), ("Prénom", 45), ("Présence", 35), ("Remarque", 40))
SIGNATURE_ROW_HEIGHT = 13  # room to sign by hand
RECORD_ROW_HEIGHT = 7
WALK_IN_ROWS = 5  # blank rows for people who come without being enrolled
NOT_RECORDED = "Non noté"


def french_date(day):
    """'lundi 2 mars 2026', 'dimanche 1er mars 2026'."""
    # French writes the first of the month "1er", which no date format gives.
    number = "1er" if day.day == 1 else str(day.day)
    return f"{dateformat.format(day, 'l')} {number} {dateformat.format(day, 'F Y')}"


def _time(value):
    return f"{value:%H}h{value:%M}"


def _place_text(place):
    if place is None:
        return "—"
    town = " ".join(filter(None, [place.postcode, place.city]))
    address = ", ".join(filter(None, [place.address, town]))
    return f"{place.name} — {address}" if address else place.name


def _programme_name(workshop):
    """The workshop's programme; else the centre's, when it runs only one."""
    if workshop.programme_id:
        return workshop.programme.name
    names = list(Programme.objects.of_centre(workshop.centre_id).values_list("name", flat=True)[:2])
    return names[0] if len(names) == 1 else ""


def _facilitators(workshop):
    users = workshop.facilitators.order_by("last_name", "first_name")
    return ", ".join(str(user) for user in users) or "—"


def _enrolments_between(workshop, first_day, last_day):
    """Enrolments of `workshop` active on at least one day of the period, in one query;
    `_active_on` then picks those of each day."""
    return list(
        Enrolment.objects.filter(
            workshop=workshop,
            status=EnrolmentStatus.ACTIVE,
            starts_on__lte=last_day,
            person__archived_on__isnull=True,  # an archived file leaves every list
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first_day))
        .select_related("person")
    )


def _active_on(enrolments, day):
    """The people of `enrolments` active on `day` (the rule of
    `Enrolment.objects.active_on`, applied in memory), sorted by name."""
    people = [
        e.person
        for e in enrolments
        if e.starts_on <= day and (e.ends_on is None or e.ends_on >= day)
    ]
    return sorted(people, key=_by_name)


def _by_name(person):
    # Accents and case aside, alike on SQLite and PostgreSQL.
    return (name_key(person.last_name), name_key(person.first_name))


def _heading(pdf, *, title, session, programme, facilitators, extra=()):
    workshop = session.workshop
    pdf.heading(centre=workshop.centre.name, programme=programme, title=title)
    fields = [
        ("Atelier", workshop.name),
        ("Date", french_date(session.date)),
        ("Horaire", f"{_time(session.starts_at)} – {_time(session.ends_at)}"),
        ("Lieu", _place_text(session.where)),
        ("Animation", facilitators),
        *extra,
    ]
    pdf.fields(fields, label_width=28)
    pdf.ln(4)


def _continued(pdf, session):
    pdf.set_text_color(90)
    pdf.set_font(FONT, "", 9)
    pdf.cell(
        0,
        6,
        f"{session.workshop.name} — {french_date(session.date)} (suite)",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0)
    pdf.ln(2)


def _table_head(pdf, columns):
    pdf.set_font(FONT, "B", 10)
    pdf.set_fill_color(225)
    pdf.set_line_width(0.2)
    for label, width in columns:
        pdf.cell(width, 8, label, border=1, fill=True)
    pdf.ln()


def _table_row(pdf, session, columns, values, height):
    if pdf.will_page_break(height):
        pdf.add_page()
        _continued(pdf, session)
        _table_head(pdf, columns)
    for (_, width), value in zip(columns, values, strict=True):
        _fitted_cell(pdf, width, height, value)
    pdf.ln()


def _fitted_cell(pdf, width, height, text, size=10):
    """A bordered cell whose text shrinks rather than run over the next column."""
    pdf.set_font(FONT, "", size)
    while size > 6 and pdf.get_string_width(text) > width - 2 * pdf.c_margin:
        size -= 0.5
        pdf.set_font_size(size)
    pdf.cell(width, height, text, border=1)


def _draw_sign_in_sheet(pdf, session, people, *, programme, facilitators):
    footer = f"{session.workshop.name} — {french_date(session.date)}"
    pdf.begin_part(footer)
    _heading(
        pdf,
        title="Feuille d'émargement",
        session=session,
        programme=programme,
        facilitators=facilitators,
    )
    _table_head(pdf, SHEET_COLUMNS)
    for person in people:
        _table_row(
            pdf,
            session,
            SHEET_COLUMNS,
            (person.last_name.upper(), person.first_name, ""),
            SIGNATURE_ROW_HEIGHT,
        )
    for _ in range(WALK_IN_ROWS):
        _table_row(pdf, session, SHEET_COLUMNS, ("", "", ""), SIGNATURE_ROW_HEIGHT)
    # The facilitator signs the sheet too; funders ask for it.
    if pdf.will_page_break(28):
        pdf.add_page()
        _continued(pdf, session)
    pdf.ln(5)
    pdf.set_font(FONT, "B", 10)
    box_x = pdf.w - pdf.r_margin - 80
    pdf.set_x(box_x)
    pdf.cell(80, 6, "Signature de l'animation", new_x="LMARGIN", new_y="NEXT")
    pdf.rect(box_x, pdf.get_y(), 80, 18)


def sign_in_sheet(session):
    """The sign-in sheet of one session, as PDF bytes: one row per person enrolled and
    active on that day, then blank rows for walk-ins.

    Expects `session` with its workshop, centre and places at hand (select_related);
    three queries at most, whatever the number of people.
    """
    workshop = session.workshop
    enrolments = _enrolments_between(workshop, session.date, session.date)
    pdf = PDF(f"Feuille d'émargement — {workshop.name} — {french_date(session.date)}")
    _draw_sign_in_sheet(
        pdf,
        session,
        _active_on(enrolments, session.date),
        programme=_programme_name(workshop),
        facilitators=_facilitators(workshop),
    )
    return pdf.to_bytes()


def monthly_sign_in_sheet(workshop, year, month):
    """The sign-in sheets of every session of `workshop` in that month (cancelled
    sessions aside), each starting on a new page, in one PDF."""
    first_day = datetime.date(year, month, 1)
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = next_month - datetime.timedelta(days=1)
    sessions = list(
        Session.objects.filter(workshop=workshop, date__range=(first_day, last_day))
        .not_cancelled()
        .select_related("place")
        .order_by("date", "starts_at")
    )
    month_label = dateformat.format(first_day, "F Y")
    pdf = PDF(f"Feuilles d'émargement — {workshop.name} — {month_label}")
    if not sessions:
        pdf.begin_part(workshop.name)
        pdf.set_font(FONT, "B", 14)
        pdf.cell(0, 10, workshop.name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 11)
        pdf.cell(0, 8, f"Aucune séance prévue en {month_label}.")
        return pdf.to_bytes()
    enrolments = _enrolments_between(workshop, first_day, last_day)
    programme = _programme_name(workshop)
    facilitators = _facilitators(workshop)
    for session in sessions:
        session.workshop = workshop  # already at hand: no query per session
        _draw_sign_in_sheet(
            pdf,
            session,
            _active_on(enrolments, session.date),
            programme=programme,
            facilitators=facilitators,
        )
    return pdf.to_bytes()


PRESENCE_ORDER = {Presence.PRESENT: 0, Presence.ABSENT: 1, Presence.EXCUSED: 2}


class AttendanceListing(NamedTuple):
    enrolled: list  # the people enrolled on the session's day
    rows: list  # (person, presence or None, walk-in), in the record's order


def attendance_listing(session):
    """Who the attendance record of `session` lists: the marked people, then the
    enrolled people nobody marked (the view audits a read of each)."""
    enrolled = _active_on(
        _enrolments_between(session.workshop, session.date, session.date), session.date
    )
    marks = {
        mark.person_id: mark
        for mark in session.attendances.filter(person__archived_on__isnull=True).select_related(
            "person"
        )
    }
    rows = [(mark.person, mark.presence, mark.walk_in) for mark in marks.values()]
    rows += [(person, None, False) for person in enrolled if person.pk not in marks]
    rows.sort(key=lambda row: (PRESENCE_ORDER.get(row[1], 3), *_by_name(row[0])))
    return AttendanceListing(enrolled, rows)


def attendance_record(session, listing):
    """Who came to a session, as PDF bytes: present (walk-ins marked), absent,
    excused, and enrolled people nobody marked, with the totals."""
    workshop = session.workshop
    enrolled, rows = listing

    count = {presence: 0 for presence in [*Presence, None]}
    for _, presence, _ in rows:
        count[presence] += 1
    walk_ins = sum(1 for _, presence, walk_in in rows if walk_in and presence == Presence.PRESENT)
    extra = []
    if session.status == SessionStatus.CANCELLED:
        reason = f" : {session.cancel_reason}" if session.cancel_reason else ""
        extra.append(("État", f"séance annulée{reason}"))
    totals = (
        f"Personnes inscrites : {len(enrolled)}\nPrésences : {count[Presence.PRESENT]}"
        f" (dont {walk_ins} sans inscription) · Absences : {count[Presence.ABSENT]}"
        f" · Absences excusées : {count[Presence.EXCUSED]}"
    )
    if count[None]:
        totals += f" · Non noté : {count[None]}"
    extra.append(("Totaux", totals))

    pdf = PDF(f"Relevé de présence — {workshop.name} — {french_date(session.date)}")
    pdf.begin_part(f"{workshop.name} — {french_date(session.date)}")
    _heading(
        pdf,
        title="Relevé de présence",
        session=session,
        programme=_programme_name(workshop),
        facilitators=_facilitators(workshop),
        extra=extra,
    )
    _table_head(pdf, RECORD_COLUMNS)
    labels = dict(Presence.choices)
    for person, presence, walk_in in rows:
        _table_row(
            pdf,
            session,
            RECORD_COLUMNS,
            (
                person.last_name.upper(),
                person.first_name,
                labels.get(presence, NOT_RECORDED),
                "sans inscription" if walk_in else "",
            ),
            RECORD_ROW_HEIGHT,
        )
    if not rows:
        pdf.set_font(FONT, "", 10)
        pdf.cell(0, 8, "Aucune personne inscrite ni notée pour cette séance.")
    return pdf.to_bytes()
