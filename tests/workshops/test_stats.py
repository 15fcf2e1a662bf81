"""Workshop figures on a small known dataset, each figure asserted exactly.

Period: 1 January – 31 March 2026.

Relaxation (Monday 14:30–15:45, 1.25 h):
- 5 Jan, held: Ana present, Bruno absent, Chloé excused, a walk-in (Walid) present;
- 12 Jan, held: Ana and Bruno present;
- 19 Jan, cancelled (an absent mark left on it is ignored);
- 26 Jan, planned, attendance never recorded;
- 29 Dec 2025, held, Ana present: the day before the period.
Sophrologie (9:00–11:00, 2 h, 24 sessions a year):
- 1 Jan, held: Ana present (first day of the period);
- 31 Mar, held: Dina present, Bruno absent (last day of the period);
- 1 Apr, held: Dina present (after the period, same year);
- 1 Jun 2025, held (the year before).
Couture: no session. An inactive workshop without session in the period is not listed.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.workshops.enums import Presence, SessionStatus
from parcours.workshops.models import Attendance
from parcours.workshops.stats import workshop_figures

from ..people.factories import PersonFactory
from .factories import SessionFactory, WorkshopFactory

D = datetime.date
T = datetime.time
PERIOD = (D(2026, 1, 1), D(2026, 3, 31))
PRESENT, ABSENT, EXCUSED = Presence.PRESENT, Presence.ABSENT, Presence.EXCUSED


def session(workshop, day, status=SessionStatus.HELD, marks=(), walk_ins=()):
    starts_at, ends_at = (T(14, 30), T(15, 45)) if workshop.name == "Relaxation" else (T(9), T(11))
    found = SessionFactory(
        workshop=workshop, date=day, starts_at=starts_at, ends_at=ends_at, status=status
    )
    for person, presence in marks:
        Attendance.objects.create(session=found, person=person, presence=presence)
    for person in walk_ins:
        Attendance.objects.create(session=found, person=person, presence=PRESENT, walk_in=True)
    return found


@pytest.fixture
def dataset(centre, other_centre):
    ana, bruno, chloe, dina, walid = (
        PersonFactory(centre=centre, first_name=name)
        for name in ["Ana", "Bruno", "Chloé", "Dina", "Walid"]
    )
    relaxation = WorkshopFactory(centre=centre, name="Relaxation")
    sophrologie = WorkshopFactory(centre=centre, name="Sophrologie", yearly_target=24)
    couture = WorkshopFactory(centre=centre, name="Couture")
    WorkshopFactory(centre=centre, name="Ancien atelier", is_active=False)

    session(
        relaxation,
        D(2026, 1, 5),
        marks=[(ana, PRESENT), (bruno, ABSENT), (chloe, EXCUSED)],
        walk_ins=[walid],
    )
    session(relaxation, D(2026, 1, 12), marks=[(ana, PRESENT), (bruno, PRESENT)])
    session(relaxation, D(2026, 1, 19), SessionStatus.CANCELLED, marks=[(bruno, ABSENT)])
    session(relaxation, D(2026, 1, 26), SessionStatus.PLANNED)
    session(relaxation, D(2025, 12, 29), marks=[(ana, PRESENT)])
    session(sophrologie, D(2026, 1, 1), marks=[(ana, PRESENT)])
    session(sophrologie, D(2026, 3, 31), marks=[(dina, PRESENT), (bruno, ABSENT)])
    session(sophrologie, D(2026, 4, 1), marks=[(dina, PRESENT)])
    session(sophrologie, D(2025, 6, 1), marks=[(dina, PRESENT)])

    # Another centre's activity in the same period, never counted.
    elsewhere = WorkshopFactory(centre=other_centre, name="Relaxation")
    stranger = PersonFactory(centre=other_centre)
    session(elsewhere, D(2026, 2, 2), marks=[(stranger, PRESENT)])
    session(elsewhere, D(2026, 2, 9), SessionStatus.CANCELLED)
    return {"relaxation": relaxation, "sophrologie": sophrologie, "couture": couture}


def figures_of(row):
    return {
        "planned": row.planned,
        "held": row.held,
        "cancelled": row.cancelled,
        "attendances": row.attendances,
        "participants": row.participants,
        "hours": row.hours,
        "rate": row.rate,
        "yearly_target": row.yearly_target,
        "held_in_year": row.held_in_year,
    }


def test_it_lists_the_centres_active_workshops_by_name(centre, dataset):
    figures = workshop_figures(centre, *PERIOD)
    assert [row.workshop.name for row in figures.rows] == ["Couture", "Relaxation", "Sophrologie"]


def test_it_counts_a_weekly_workshop(centre, dataset):
    relaxation = workshop_figures(centre, *PERIOD).rows[1]
    assert figures_of(relaxation) == {
        # 4 sessions dated in the period; the cancelled one is not held, nor the one
        # whose attendance was never recorded.
        "planned": 4,
        "held": 2,
        "cancelled": 1,
        # Ana twice, Bruno once, and the walk-in.
        "attendances": 4,
        "participants": 3,
        # 4 presences at a 14:30–15:45 session.
        "hours": Decimal("5.00"),
        # Enrolled marks: Ana ×2, Bruno ×2, Chloé excused (the walk-in and the mark on
        # the cancelled session are left out): 3 present out of 5.
        "rate": Decimal("60.0"),
        "yearly_target": None,
        "held_in_year": None,
    }


def test_it_counts_a_series_against_its_yearly_target(centre, dataset):
    sophrologie = workshop_figures(centre, *PERIOD).rows[2]
    assert figures_of(sophrologie) == {
        # The first and the last day of the period are in it.
        "planned": 2,
        "held": 2,
        "cancelled": 0,
        "attendances": 2,
        "participants": 2,
        "hours": Decimal("4.00"),
        "rate": Decimal("66.7"),
        "yearly_target": 24,
        # 1 Jan, 31 Mar and 1 Apr 2026; not June 2025.
        "held_in_year": 3,
    }


def test_it_shows_a_workshop_without_sessions_with_no_rate(centre, dataset):
    couture = workshop_figures(centre, *PERIOD).rows[0]
    assert figures_of(couture) == {
        "planned": 0,
        "held": 0,
        "cancelled": 0,
        "attendances": 0,
        "participants": 0,
        "hours": Decimal("0.00"),
        "rate": None,
        "yearly_target": None,
        "held_in_year": None,
    }


def test_it_counts_a_person_once_in_the_total(centre, dataset):
    total = workshop_figures(centre, *PERIOD).total
    assert total.workshop is None
    assert figures_of(total) == {
        "planned": 6,
        "held": 4,
        "cancelled": 1,
        "attendances": 6,
        # Ana, Bruno, Walid and Dina: Ana went to both workshops and counts once.
        "participants": 4,
        "hours": Decimal("9.00"),
        "rate": Decimal("62.5"),
        "yearly_target": None,
        "held_in_year": None,
    }


def test_it_includes_both_edges_of_the_period(centre, dataset):
    assert workshop_figures(centre, D(2026, 1, 1), D(2026, 1, 1)).total.held == 1
    assert workshop_figures(centre, D(2026, 3, 31), D(2026, 3, 31)).total.held == 1
    assert workshop_figures(centre, D(2026, 1, 2), D(2026, 1, 4)).total.planned == 0


def test_it_never_counts_another_centres_activity(other_centre, dataset):
    figures = workshop_figures(other_centre, *PERIOD)
    assert [row.workshop.name for row in figures.rows] == ["Relaxation"]
    assert (figures.total.planned, figures.total.held, figures.total.cancelled) == (2, 1, 1)
    assert (figures.total.attendances, figures.total.participants) == (1, 1)


@pytest.mark.parametrize("count", [2, 20])
def test_it_does_a_constant_number_of_queries(centre, count, django_assert_num_queries):
    people = PersonFactory.create_batch(3, centre=centre)
    for n in range(count):
        workshop = WorkshopFactory(centre=centre, yearly_target=10 if n % 2 else None)
        for day in [D(2026, 1, 5), D(2026, 1, 12)]:
            session(workshop, day, marks=[(p, PRESENT) for p in people])
    with django_assert_num_queries(6):
        figures = workshop_figures(centre, *PERIOD)
    assert len(figures.rows) == count
    assert figures.total.attendances == count * 6


# The page


def test_it_shows_the_current_year_by_default(client_for, centre):
    response = client_for("director").get(reverse("workshops:figures"))
    year = timezone.localdate().year
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.start, figures.end) == (D(year, 1, 1), D(year, 12, 31))


def test_it_formats_the_figures_the_french_way(client_for, centre, dataset):
    response = client_for("coordinator").get(
        reverse("workshops:figures"), {"du": "2026-01-01", "au": "2026-03-31"}
    )
    html = response.content.decode()
    assert "<caption>Chiffres par atelier du 01/01/2026 au 31/03/2026</caption>" in html
    assert '<th scope="row">Relaxation</th>' in html
    assert "<td>5,00</td>" in html
    assert "<td>60,0&nbsp;%</td>" in html
    assert "<td>66,7&nbsp;%</td>" in html
    assert "<td>3 sur 24</td>" in html


def test_it_explains_a_bad_date_in_french(client_for, centre):
    response = client_for("coordinator").get(
        reverse("workshops:figures"), {"du": "2026-02-30", "au": ""}
    )
    html = response.content.decode()
    assert response.context["figures"] is None
    assert "Saisissez une date valide" in html
    assert "Indiquez le dernier jour de la période." in html


def test_it_refuses_a_period_that_ends_before_it_starts(client_for, centre):
    response = client_for("coordinator").get(
        reverse("workshops:figures"), {"du": "2026-03-31", "au": "2026-01-01"}
    )
    assert response.context["figures"] is None
    assert "Le premier jour de la période doit précéder le dernier." in response.content.decode()


def test_it_is_refused_to_a_facilitator(client_for, centre):
    assert client_for("facilitator").get(reverse("workshops:figures")).status_code == 403
