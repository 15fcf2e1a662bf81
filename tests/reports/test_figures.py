"""The report's figures on a small known dataset, each figure asserted exactly.

Period: the year 2025; previous period: 2024. Programme "Objectif : Insertion(s)" of
the centre "Le Lierre".

People followed (file as it reads today):
- Ana: woman, born 31/12/1999 (26 on 31/12/2025, 25 on 31/12/2024), Quartier-Est (QPV),
  single parent, RSA, French A2, sent by the CCAS. Pathway 01/09/2024 → 31/03/2025
  (spans both years), exit "Emploi : CDI".
- Bruno: man, born 01/06/2000 (25 on 31/12/2025), Quartier-Est (QPV), alone, ARE,
  fluent, came by himself. Two pathways in 2025: 01/02 → 30/04 (exit "Déménagement"),
  then from 01/06 (his 25th birthday), open.
- Chloé: woman, born 15/06/1970 (55 on 31/12/2025, 54 on entry), Centre-ville, couple,
  RSA, French B1. Pathway from 10/05/2025 without referral; her latest referral (UDAF)
  says who sent her.
- Émile: man, born 01/01/1980 (45 on 31/12/2025, 44 on 31/12/2024), no neighbourhood,
  single parent, salary. Pathway 15/11/2025 → 31/12/2025, exit "Entrée en formation";
  its referral has no partner (personal approach) though an older one came from the CCAS.
- Dina: woman, nothing filled in but AAH. Pathway 01/03/2024 → 31/12/2024, exit "Entrée
  en formation"; a UDAF referral received in 2026 does not count for 2024.
Never counted: Yves (same centre, another programme), Xavier (another centre), Zoé
(pathway starting in 2026).
"""

import dataclasses
import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parcours.partners.enums import PartnerKind
from parcours.partners.models import Partner
from parcours.pathways.enums import AppointmentStatus, AssessmentBy
from parcours.pathways.models import (
    Assessment,
    AssessmentGrid,
    Criterion,
    ExitOutcome,
    PathwayExit,
    Score,
)
from parcours.pathways.outcomes import load_defaults
from parcours.people.enums import Benefit, Direction, FrenchLevel, Household, ReferralStatus, Sex
from parcours.people.models import Person, Referral
from parcours.reports import fse, layout
from parcours.reports.enums import Funder
from parcours.reports.models import Narrative
from parcours.reports.shape import Row
from parcours.workshops.enums import Presence, SessionStatus
from parcours.workshops.models import Attendance

from ..factories import ProgrammeFactory
from ..partners.factories import PartnerFactory
from ..pathways.factories import AppointmentFactory, PathwayFactory
from ..people.factories import NeighbourhoodFactory, PersonFactory
from ..workshops.factories import SessionFactory, WorkshopFactory

D = datetime.date
T = datetime.time
PARIS = ZoneInfo("Europe/Paris")
YEAR = {"start": D(2025, 1, 1), "end": D(2025, 12, 31)}


def at(day, hour=10, minute=0):
    return datetime.datetime.combine(day, T(hour, minute), tzinfo=PARIS)


def outcome(label):
    return ExitOutcome.objects.get(centre=None, label=label)


def pathway(person, programme, started_on, ended_on=None, exit=None, referral=None):
    found = PathwayFactory(
        centre=person.centre,
        person=person,
        programme=programme,
        started_on=started_on,
        ended_on=ended_on,
        referral=referral,
    )
    if exit:
        PathwayExit.objects.create(pathway=found, outcome=outcome(exit))
    return found


def referral(person, received_on, partner=None, direction=Direction.IN, status=None):
    return Referral.objects.create(
        centre=person.centre,
        person=person,
        direction=direction,
        partner=partner,
        received_on=received_on,
        reason="Motif",
        status=status or ReferralStatus.ADMITTED,
    )


def relay(person, sent_on, partner, status):
    return referral(person, sent_on, partner, Direction.OUT, status)


def assess(pathway, grid, day, motivation, mobility, by=AssessmentBy.COORDINATOR):
    assessment = Assessment.objects.create(pathway=pathway, grid=grid, assessed_on=day, by=by)
    for criterion in grid.criteria.all():
        value = motivation if criterion.label == "Motivation" else mobility
        Score.objects.create(assessment=assessment, criterion=criterion, value=value)
    return assessment


def grid(
    centre,
    version,
    is_current,
    criteria=(("Vie sociale", "Motivation"), ("Vie sociale", "Mobilité")),
):
    """A grid of `criteria`, (group, label) pairs, in that order."""
    found = AssessmentGrid.objects.create(centre=centre, version=version, is_current=is_current)
    for order, (group, label) in enumerate(criteria, start=1):
        Criterion.objects.create(
            grid=found,
            group=group,
            label=label,
            order=order,
            level_1="1",
            level_2="2",
            level_3="3",
            level_4="4",
        )
    return found


def session(workshop, day, status=SessionStatus.HELD, present=(), absent=(), walk_ins=()):
    ends_at = T(16) if workshop.name == "Couture" else T(10, 30)
    starts_at = T(14) if workshop.name == "Couture" else T(9)
    found = SessionFactory(
        workshop=workshop, date=day, starts_at=starts_at, ends_at=ends_at, status=status
    )
    for person in present:
        Attendance.objects.create(session=found, person=person, presence=Presence.PRESENT)
    for person in absent:
        Attendance.objects.create(session=found, person=person, presence=Presence.ABSENT)
    for person in walk_ins:
        Attendance.objects.create(
            session=found, person=person, presence=Presence.PRESENT, walk_in=True
        )
    return found


@pytest.fixture(autouse=True)
def default_outcomes(db):
    load_defaults(ExitOutcome)


@pytest.fixture
def dataset(centre, other_centre, programme):
    other_programme = ProgrammeFactory(centre=centre, name="Autre action")
    est = NeighbourhoodFactory(centre=centre, name="Quartier-Est", is_qpv=True)
    ville = NeighbourhoodFactory(centre=centre, name="Centre-ville", is_qpv=False)
    ccas = PartnerFactory(centre=centre, kind=PartnerKind.CCAS)
    udaf = PartnerFactory(centre=centre, kind=PartnerKind.UDAF)
    france_travail = PartnerFactory(centre=centre, employment=True)
    csapa = PartnerFactory(centre=centre, addictions=True)

    ana = PersonFactory(
        centre=centre,
        first_name="Ana",
        sex=Sex.FEMALE,
        birth_date=D(1999, 12, 31),
        neighbourhood=est,
        household=Household.SINGLE_PARENT,
        benefit=Benefit.RSA,
        french_level=FrenchLevel.A2,
    )
    bruno = PersonFactory(
        centre=centre,
        first_name="Bruno",
        sex=Sex.MALE,
        birth_date=D(2000, 6, 1),
        neighbourhood=est,
        household=Household.ALONE,
        benefit=Benefit.ARE,
        french_level=FrenchLevel.FLUENT,
    )
    chloe = PersonFactory(
        centre=centre,
        first_name="Chloé",
        sex=Sex.FEMALE,
        birth_date=D(1970, 6, 15),
        neighbourhood=ville,
        household=Household.COUPLE,
        benefit=Benefit.RSA,
        french_level=FrenchLevel.B1,
    )
    emile = PersonFactory(
        centre=centre,
        first_name="Émile",
        sex=Sex.MALE,
        birth_date=D(1980, 1, 1),
        household=Household.SINGLE_PARENT,
        benefit=Benefit.SALARY,
    )
    dina = PersonFactory(
        centre=centre, first_name="Dina", sex=Sex.FEMALE, birth_date=None, benefit=Benefit.AAH
    )

    p_ana = pathway(
        ana,
        programme,
        D(2024, 9, 1),
        D(2025, 3, 31),
        "Emploi : CDI",
        referral=referral(ana, D(2024, 8, 1), ccas),
    )
    p_bruno_1 = pathway(bruno, programme, D(2025, 2, 1), D(2025, 4, 30), "Déménagement")
    p_bruno_2 = pathway(bruno, programme, D(2025, 6, 1))
    referral(chloe, D(2025, 4, 1), udaf)
    p_chloe = pathway(chloe, programme, D(2025, 5, 10))
    referral(emile, D(2023, 1, 1), ccas)
    p_emile = pathway(
        emile,
        programme,
        D(2025, 11, 15),
        D(2025, 12, 31),
        "Entrée en formation",
        referral=referral(emile, D(2025, 11, 1)),
    )
    p_dina = pathway(dina, programme, D(2024, 3, 1), D(2024, 12, 31), "Entrée en formation")
    referral(dina, D(2026, 1, 10), udaf)

    # Never counted: another programme of the centre, another centre, a later entry.
    yves = PersonFactory(centre=centre, first_name="Yves", sex=Sex.MALE, benefit=Benefit.RSA)
    p_yves = pathway(yves, other_programme, D(2025, 1, 6), D(2025, 6, 30), "Emploi : CDI")
    xavier = PersonFactory(centre=other_centre, first_name="Xavier", benefit=Benefit.RSA)
    p_xavier = pathway(
        xavier, ProgrammeFactory(centre=other_centre), D(2025, 1, 6), D(2025, 6, 30), "Autre"
    )
    zoe = PersonFactory(centre=centre, first_name="Zoé", benefit=Benefit.RSA)
    pathway(zoe, programme, D(2026, 1, 5))

    # Workshops: Couture belongs to the programme, Sophrologie to no programme (both
    # count), Cuisine to another programme (left out).
    couture = WorkshopFactory(centre=centre, name="Couture", programme=programme)
    sophrologie = WorkshopFactory(centre=centre, name="Sophrologie", yearly_target=24)
    cuisine = WorkshopFactory(centre=centre, name="Cuisine", programme=other_programme)
    session(couture, D(2025, 3, 3), present=[ana], absent=[bruno], walk_ins=[chloe])
    session(couture, D(2025, 3, 10), SessionStatus.CANCELLED, present=[ana])
    session(couture, D(2025, 3, 17), SessionStatus.PLANNED)
    session(sophrologie, D(2025, 4, 7), present=[ana, chloe])
    session(sophrologie, D(2024, 4, 8), present=[dina])
    session(cuisine, D(2025, 3, 4), present=[bruno, yves])
    session(cuisine, D(2024, 3, 4), present=[dina])
    elsewhere = WorkshopFactory(centre=other_centre, name="Couture")
    session(elsewhere, D(2025, 3, 3), present=[xavier])

    # Appointments: Chloé's last one is on 31/12 at 23:30 in Paris (counted), the next
    # at 00:30 on 1/1 (not counted); missed ones never count.
    held = AppointmentStatus.HELD
    AppointmentFactory(pathway=p_ana, starts_at=at(D(2024, 10, 1)), status=held)
    AppointmentFactory(pathway=p_ana, starts_at=at(D(2025, 1, 10)), status=held)
    AppointmentFactory(pathway=p_ana, starts_at=at(D(2025, 2, 10)), status="missed")
    AppointmentFactory(pathway=p_ana, starts_at=at(D(2025, 3, 1)), status=held)
    AppointmentFactory(pathway=p_bruno_2, starts_at=at(D(2025, 6, 15)), status=held)
    AppointmentFactory(
        pathway=None, centre=centre, person=bruno, starts_at=at(D(2025, 6, 20)), status=held
    )
    AppointmentFactory(pathway=p_chloe, starts_at=at(D(2025, 12, 31), 23, 30), status=held)
    AppointmentFactory(pathway=p_chloe, starts_at=at(D(2026, 1, 1), 0, 30), status=held)
    AppointmentFactory(pathway=p_emile, starts_at=at(D(2025, 11, 20)), status=held)
    AppointmentFactory(pathway=p_yves, starts_at=at(D(2025, 3, 1)), status=held)
    AppointmentFactory(pathway=p_xavier, starts_at=at(D(2025, 3, 1)), status=held)

    # Relays.
    relay(ana, D(2025, 2, 1), france_travail, ReferralStatus.SEEN)
    relay(bruno, D(2025, 7, 1), csapa, ReferralStatus.SENT)
    relay(chloe, D(2025, 8, 1), france_travail, ReferralStatus.REFUSED)
    relay(ana, D(2024, 11, 1), csapa, ReferralStatus.ACCEPTED)
    relay(yves, D(2025, 3, 1), ccas, ReferralStatus.SENT)

    # Assessments on two versions of the grid: criteria match by label.
    v1, v2 = grid(centre, 1, False), grid(centre, 2, True)
    assess(p_ana, v1, D(2024, 10, 1), 1, 1)
    assess(p_ana, v1, D(2024, 12, 1), 1, 2)
    assess(p_ana, v1, D(2025, 1, 15), 1, 2)
    assess(p_ana, v2, D(2025, 3, 15), 3, 2)
    assess(p_bruno_1, v2, D(2025, 2, 10), 2, 2)
    assess(p_bruno_2, v2, D(2025, 9, 10), 2, 1)
    assess(p_bruno_2, v2, D(2025, 10, 1), 4, 4, by=AssessmentBy.SELF)
    assess(p_chloe, v2, D(2025, 6, 1), 1, 1)
    assess(p_emile, v2, D(2025, 11, 20), 2, 2)
    assess(p_emile, v2, D(2025, 12, 20), 3, 3)
    assess(p_yves, v2, D(2025, 2, 1), 1, 1)
    assess(p_yves, v2, D(2025, 5, 1), 4, 4)
    return {
        "ana": ana,
        "bruno": bruno,
        "chloe": chloe,
        "emile": emile,
        "dina": dina,
        "couture": couture,
        "sophrologie": sophrologie,
        "p_dina": p_dina,
    }


def compute(centre, programme, funder="", **period):
    return layout.compute(centre=centre, programme=programme, funder=funder, **(period or YEAR))


def table(report, section, key):
    """[(label, value, previous)] of a table, units aside."""
    found = next(t for t in report.section(section).tables if t.key == key)
    return [(row.label, row.value, row.previous) for row in found.rows]


def chart(report, section, key):
    return next(t for t in report.section(section).tables if t.key == key).chart


def test_it_describes_the_period_and_the_previous_one(dataset, centre, programme):
    report = compute(centre, programme)

    assert (report.start, report.end) == (D(2025, 1, 1), D(2025, 12, 31))
    assert (report.previous_start, report.previous_end) == (D(2024, 1, 1), D(2024, 12, 31))
    assert (report.centre, report.programme, report.funder) == (
        "Centre « Le Lierre »",
        "Objectif : Insertion(s)",
        "",
    )
    # Plain numbers all the way down: the JSON export is a dump of the report.
    assert json.loads(json.dumps(report.as_dict()))["start"] == "2025-01-01"
    assert [s.key for s in report.sections] == [
        "people",
        "workshops",
        "support",
        "progress",
        "exits",
        "duration",
    ]


def test_it_counts_people_followed_entries_and_exits(dataset, centre, programme):
    report = compute(centre, programme)

    # Ana's pathway spans 2024 and 2025: she counts in both. Bruno's two pathways of
    # 2025 make one person and one entry, but each of his exits counts.
    assert table(report, "people", "headline") == [
        ("Personnes accompagnées", 4, 2),
        ("Nouvelles entrées", 3, 2),
        ("Sorties", 3, 1),
    ]


def test_it_counts_people_by_sex_and_age_at_the_period_end(dataset, centre, programme):
    report = compute(centre, programme)

    assert table(report, "people", "sex") == [
        ("Femme", 2, 2),
        ("Homme", 2, 0),
        ("Autre / non précisé", 0, 0),
    ]
    # Ana turns 26 on 31/12/2025: 26–44; Bruno is 25: under 26. In 2024 Ana was 25.
    assert table(report, "people", "age") == [
        ("Moins de 26 ans", 1, 1),
        ("26 à 44 ans", 1, 0),
        ("45 à 54 ans", 1, 0),
        ("55 ans et plus", 1, 0),
        ("Âge non renseigné", 0, 1),
    ]
    assert chart(report, "people", "sex") == chart(report, "people", "age") == "bar"


def test_it_counts_people_by_neighbourhood_and_qpv(dataset, centre, programme):
    report = compute(centre, programme)

    assert table(report, "people", "neighbourhood") == [
        ("Centre-ville", 1, 0),
        ("Quartier-Est (QPV)", 2, 1),
        ("Quartier non renseigné", 1, 1),
    ]
    assert table(report, "people", "qpv") == [
        ("En QPV", 2, 1),
        ("Hors QPV", 1, 0),
        ("Quartier non renseigné", 1, 1),
    ]


def test_it_counts_households_with_single_parents_first(dataset, centre, programme):
    report = compute(centre, programme)

    assert table(report, "people", "household") == [
        ("Parent isolé", 2, 1),
        ("Personne seule", 1, 0),
        ("En couple", 1, 0),
        ("Hébergé(e) par un proche", 0, 0),
        ("Autre", 0, 0),
        ("Non renseigné", 0, 1),
    ]
    assert table(report, "people", "single_parents") == [
        ("Parents isolés", 2, 1),
        ("Part des personnes accompagnées", 50.0, 50.0),
    ]


def test_it_counts_people_by_benefit_and_french_level(dataset, centre, programme):
    report = compute(centre, programme)

    assert table(report, "people", "benefit") == [
        ("RSA", 2, 1),
        ("AAH", 0, 1),
        ("ASS", 0, 0),
        ("ARE (allocation chômage)", 1, 0),
        ("Fin de droits", 0, 0),
        ("Revenus d'activité", 1, 0),
        ("Autre ressource", 0, 0),
        ("Aucune ressource", 0, 0),
    ]
    assert table(report, "people", "french_level") == [
        ("Courant", 1, 0),
        ("Savoirs de base à remobiliser", 0, 0),
        ("Débutant (A1)", 0, 0),
        ("Élémentaire (A2)", 1, 1),
        ("Intermédiaire (B1)", 1, 0),
        ("Avancé (B2 et plus)", 0, 0),
        ("Non renseigné", 1, 1),
    ]


def test_it_counts_people_by_referrer(dataset, centre, programme):
    report = compute(centre, programme)

    # Ana: her pathway's referral (CCAS). Chloé: her latest referral (UDAF). Émile:
    # his pathway's referral, without partner, wins over an older CCAS one. Bruno: none.
    # Dina's UDAF referral came after 2024.
    assert table(report, "people", "referrer") == [
        ("CCAS (centre communal d'action sociale)", 1, 1),
        ("UDAF / SASI", 1, 0),
        ("Démarche personnelle", 2, 1),
    ]


def test_it_counts_people_by_referring_partner(dataset, centre, programme):
    report = compute(centre, programme)

    ccas = Partner.objects.get(centre=centre, kind=PartnerKind.CCAS).name
    udaf = Partner.objects.get(centre=centre, kind=PartnerKind.UDAF).name
    # The same people as by kind, named: most referred first.
    assert sorted(table(report, "people", "referrer_partner")) == sorted(
        [(ccas, 1, 1), (udaf, 1, 0), ("Démarche personnelle", 2, 1)]
    )


def test_it_counts_entries_by_month(dataset, centre, programme):
    report = compute(centre, programme)

    # Bruno entered in February and again in June: once each month.
    assert table(report, "people", "entries_by_month") == [
        ("janvier 2025", 0, 0),
        ("février 2025", 1, 0),
        ("mars 2025", 0, 1),
        ("avril 2025", 0, 0),
        ("mai 2025", 1, 0),
        ("juin 2025", 1, 0),
        ("juillet 2025", 0, 0),
        ("août 2025", 0, 0),
        ("septembre 2025", 0, 1),
        ("octobre 2025", 0, 0),
        ("novembre 2025", 1, 0),
        ("décembre 2025", 0, 0),
    ]
    assert chart(report, "people", "entries_by_month") == "line"


def test_it_reports_the_workshops_of_the_programme(dataset, centre, programme):
    report = compute(centre, programme)

    # Cancelled sessions are planned, not held; the walk-in is an attendance; Bruno's
    # presence at Cuisine (another programme) is not counted.
    assert table(report, "workshops", "total") == [
        ("Séances prévues", 4, 1),
        ("Séances tenues", 2, 1),
        ("Séances annulées", 1, 0),
        ("Présences (venues sans inscription comprises)", 4, 1),
        ("Participants distincts", 2, 1),
        ("Heures de présence", 7.0, 1.5),
        ("Taux de présence des inscrits", 75.0, 100.0),
    ]
    couture, sophrologie = dataset["couture"], dataset["sophrologie"]
    assert table(report, "workshops", f"workshop_{couture.pk}") == [
        ("Séances prévues", 3, 0),
        ("Séances tenues", 1, 0),
        ("Séances annulées", 1, 0),
        ("Présences (venues sans inscription comprises)", 2, 0),
        ("Participants distincts", 2, 0),
        ("Heures de présence", 4.0, 0.0),
        ("Taux de présence des inscrits", 50.0, None),
    ]
    assert table(report, "workshops", f"workshop_{sophrologie.pk}") == [
        ("Séances prévues", 1, 1),
        ("Séances tenues", 1, 1),
        ("Séances annulées", 0, 0),
        ("Présences (venues sans inscription comprises)", 2, 1),
        ("Participants distincts", 2, 1),
        ("Heures de présence", 3.0, 1.5),
        ("Taux de présence des inscrits", 100.0, 100.0),
    ]
    assert table(report, "workshops", "attendances_by_workshop") == [
        ("Couture", 2, 0),
        ("Sophrologie", 2, 1),
    ]
    assert table(report, "workshops", "targets") == [("Sophrologie (objectif : 24 séances)", 1, 1)]
    keys = [t.key for t in report.section("workshops").tables]
    assert keys == [
        "total",
        "attendances_by_workshop",
        "targets",
        f"workshop_{couture.pk}",
        f"workshop_{sophrologie.pk}",
    ]


def test_it_counts_appointments_and_relays(dataset, centre, programme):
    report = compute(centre, programme)

    assert table(report, "support", "appointments") == [
        ("Entretiens tenus", 6, 1),
        ("Personnes reçues en entretien", 4, 1),
        ("Moyenne par personne accompagnée", 1.5, 0.5),
    ]
    assert table(report, "support", "relays") == [("Relais envoyés", 3, 1)]
    assert table(report, "support", "relays_by_kind") == [
        ("CSAPA (addictologie)", 1, 1),
        ("France Travail (ex-Pôle emploi)", 2, 0),
    ]
    assert table(report, "support", "relays_by_status") == [
        ("Envoyé", 1, 0),
        ("Accepté par le partenaire", 0, 1),
        ("Personne reçue par le partenaire", 1, 0),
        ("Refusé", 1, 0),
        ("Sans réponse", 0, 0),
    ]


def test_it_measures_progress_between_first_and_latest_assessment(dataset, centre, programme):
    report = compute(centre, programme)

    # 2025: Ana 1.5 → 2.5, Bruno 2 → 1.5 (across his two pathways), Émile 2 → 3; Chloé
    # was assessed once; Bruno's self-assessment is not the coordinator's.
    # 2024: Ana 1 → 1.5.
    assert table(report, "progress", "overall") == [
        ("Personnes évaluées au moins deux fois", 3, 1),
        ("Part dont le niveau moyen a progressé", 66.7, 100.0),
        ("Évolution moyenne du niveau moyen (de 1 à 4)", 0.5, 0.5),
    ]
    # Ana's first 2025 score is on version 1 of the grid, her latest on version 2.
    assert table(report, "progress", "by_criterion") == [
        ("Motivation", 66.7, 0.0),
        ("Mobilité", 33.3, 100.0),
    ]


def test_it_counts_exits_by_outcome_and_positive_exits(dataset, centre, programme):
    report = compute(centre, programme)

    assert table(report, "exits", "headline") == [
        ("Sorties", 3, 1),
        ("Sorties positives", 2, 1),
        ("Part des sorties positives", 66.7, 100.0),
    ]
    assert table(report, "exits", "by_outcome") == [
        ("Emploi : CDI", 1, 0),
        ("Entrée en formation", 1, 1),
        ("Déménagement", 1, 0),
    ]
    assert table(report, "exits", "by_family") == [
        ("Emploi", 1, 0),
        ("Formation", 1, 1),
        ("Réorientation", 0, 0),
        ("Autre sortie", 1, 0),
    ]


def test_it_counts_an_exit_without_outcome_apart(dataset, centre, programme):
    PathwayExit.objects.filter(pathway=dataset["p_dina"]).delete()

    report = compute(centre, programme)

    assert table(report, "exits", "by_outcome")[-1] == ("Issue non renseignée", 0, 1)
    assert table(report, "exits", "by_family")[-1] == ("Issue non renseignée", 0, 1)
    assert table(report, "exits", "headline")[1:] == [
        ("Sorties positives", 2, 0),
        ("Part des sorties positives", 66.7, 0.0),
    ]


def test_it_averages_the_length_of_pathways_ended_in_the_period(dataset, centre, programme):
    report = compute(centre, programme)

    # 2025: 211, 88 and 46 days; 2024: 305 days.
    assert table(report, "duration", "duration") == [
        ("Parcours terminés", 3, 1),
        ("Durée moyenne (jours)", 115.0, 305.0),
        ("Durée moyenne (mois)", 3.8, 10.0),
    ]


def test_it_counts_only_rsa_recipients_for_the_departement(dataset, centre, programme):
    report = compute(centre, programme, Funder.DEPARTEMENT)

    # Ana and Chloé; in 2024, Ana.
    assert table(report, "people", "headline") == [
        ("Personnes accompagnées", 2, 1),
        ("Nouvelles entrées", 1, 1),
        ("Sorties", 1, 0),
    ]
    assert table(report, "people", "benefit")[0] == ("RSA", 2, 1)
    assert table(report, "support", "appointments") == [
        ("Entretiens tenus", 3, 1),
        ("Personnes reçues en entretien", 2, 1),
        ("Moyenne par personne accompagnée", 1.5, 1.0),
    ]
    assert table(report, "support", "relays") == [("Relais envoyés", 2, 1)]
    assert table(report, "progress", "overall")[0] == (
        "Personnes évaluées au moins deux fois",
        1,
        1,
    )
    assert table(report, "exits", "headline")[0] == ("Sorties", 1, 0)
    # Workshop figures do not depend on the funder, and say so.
    total = report.section("workshops").tables[0]
    assert total.rows[0] == Row("Séances prévues", 4, 1)
    assert "financeurs" in total.note


def test_it_counts_only_qpv_residents_for_the_city(dataset, centre, programme):
    report = compute(centre, programme, Funder.CITY)

    # Ana and Bruno; in 2024, Ana.
    assert table(report, "people", "headline") == [
        ("Personnes accompagnées", 2, 1),
        ("Nouvelles entrées", 1, 1),
        ("Sorties", 2, 0),
    ]
    assert table(report, "people", "qpv") == [("En QPV", 2, 1), ("Hors QPV", 0, 0)]
    assert table(report, "duration", "duration")[1] == ("Durée moyenne (jours)", 149.5, None)


def test_it_puts_the_household_tables_first_for_the_caf(dataset, centre, programme):
    report = compute(centre, programme, Funder.CAF)

    keys = [t.key for t in report.section("people").tables]
    assert keys[:3] == ["household", "single_parents", "headline"]
    assert table(report, "people", "headline")[0] == ("Personnes accompagnées", 4, 2)


def test_it_adds_the_fse_indicators(dataset, centre, programme):
    Person.objects.filter(pk=dataset["chloe"].pk).update(
        education_level="bac", disability_recognised=True
    )
    Person.objects.filter(pk=dataset["emile"].pk).update(education_level="higher")
    report = compute(centre, programme, Funder.FSE)

    assert report.sections[-1].key == "fse"
    # 2025 entries: Bruno twice (24, then 25 on his birthday), Chloé (54), Émile (45).
    # 2024 entries: Ana (24), Dina (age unknown).
    assert table(report, "fse", "entry") == [
        ("Participants entrés", 4, 2),
        ("Femme", 1, 2),
        ("Homme", 3, 0),
        ("Autre / non précisé", 0, 0),
        ("En emploi (revenus d'activité)", 1, 0),
        ("Demandeur d'emploi (ARE, ASS, fin de droits)", 2, 0),
        ("Sans emploi, hors allocation chômage (RSA, AAH, autre, aucune ressource)", 1, 2),
        ("Moins de 25 ans", 1, 1),
        ("25 à 54 ans", 3, 0),
        ("55 ans et plus", 0, 0),
        ("Âge non renseigné", 0, 1),
        ("Parents isolés", 1, 1),
        ("Résidant en QPV", 2, 1),
        ("Allocataires de l'AAH", 0, 1),
        # Chloé, who told of a recognised disability; Émile and Chloé's diplomas.
        ("Handicap reconnu", 1, 0),
        ("CITE 0 à 2 (sans diplôme)", 0, 0),
        ("CITE 3 et 4 (CAP, BEP, bac)", 1, 0),
        ("CITE 5 à 8 (supérieur)", 1, 0),
        ("Niveau de diplôme non renseigné", 2, 2),
    ]
    assert table(report, "fse", "exit") == [
        ("Participants sortis", 3, 1),
        ("Emploi", 1, 0),
        ("Formation", 1, 1),
        ("Réorientation", 0, 0),
        ("Autre sortie", 1, 0),
        ("Sorties positives", 2, 1),
    ]


def test_it_lists_the_fse_participants(dataset, centre, programme):
    ana, bruno, chloe, emile = (dataset[n] for n in ("ana", "bruno", "chloe", "emile"))

    rows = fse.fse_participants(centre=centre, programme=programme, **YEAR)

    common = {"exited_on": None, "exit_outcome": "", "exit_family": ""}
    assert [dataclasses.asdict(row) for row in rows] == [
        {
            "id": fse.pseudonym(centre, ana.pk),
            "person_id": ana.pk,
            "sex": "female",
            "age_at_entry": 24,
            "age_band": "under_25",
            "single_parent": True,
            "benefit": "rsa",
            "employment": "other",
            "qpv": True,
            "education": "",
            "disability": False,
            "entered_on": D(2024, 9, 1),
            "exited_on": D(2025, 3, 31),
            "exit_outcome": "Emploi : CDI",
            "exit_family": "employment",
        },
        {
            "id": fse.pseudonym(centre, bruno.pk),
            "person_id": bruno.pk,
            "sex": "male",
            "age_at_entry": 24,
            "age_band": "under_25",
            "single_parent": False,
            "benefit": "are",
            "employment": "unemployed",
            "qpv": True,
            "education": "",
            "disability": False,
            "entered_on": D(2025, 2, 1),
            "exited_on": D(2025, 4, 30),
            "exit_outcome": "Déménagement",
            "exit_family": "other",
        },
        {
            "id": fse.pseudonym(centre, chloe.pk),
            "person_id": chloe.pk,
            "sex": "female",
            "age_at_entry": 54,
            "age_band": "25_54",
            "single_parent": False,
            "benefit": "rsa",
            "employment": "other",
            "qpv": False,
            "education": "",
            "disability": False,
            "entered_on": D(2025, 5, 10),
            **common,
        },
        {
            "id": fse.pseudonym(centre, bruno.pk),
            "person_id": bruno.pk,
            "sex": "male",
            "age_at_entry": 25,
            "age_band": "25_54",
            "single_parent": False,
            "benefit": "are",
            "employment": "unemployed",
            "qpv": True,
            "education": "",
            "disability": False,
            "entered_on": D(2025, 6, 1),
            **common,
        },
        {
            "id": fse.pseudonym(centre, emile.pk),
            "person_id": emile.pk,
            "sex": "male",
            "age_at_entry": 45,
            "age_band": "25_54",
            "single_parent": True,
            "benefit": "salary",
            "employment": "employed",
            "qpv": None,
            "education": "",
            "disability": False,
            "entered_on": D(2025, 11, 15),
            "exited_on": D(2025, 12, 31),
            "exit_outcome": "Entrée en formation",
            "exit_family": "training",
        },
    ]


def test_it_leaves_an_exit_after_the_period_out_of_the_fse_list(dataset, centre, programme):
    rows = fse.fse_participants(
        centre=centre, programme=programme, start=D(2024, 1, 1), end=D(2024, 12, 31)
    )

    assert [(row.entered_on, row.exited_on, row.exit_family) for row in rows] == [
        (D(2024, 3, 1), D(2024, 12, 31), "training"),
        (D(2024, 9, 1), None, ""),
    ]


def test_it_compares_any_period_with_the_one_just_before(dataset, centre, programme):
    report = compute(centre, programme, start=D(2025, 3, 1), end=D(2025, 4, 30))

    assert (report.previous_start, report.previous_end) == (D(2024, 12, 30), D(2025, 2, 28))
    # March–April: Ana (until 31/03), Bruno; before: Ana, Bruno (from 01/02), Dina (31/12).
    # Entries by month: March against December, April against January.
    assert table(report, "people", "headline") == [
        ("Personnes accompagnées", 2, 3),
        ("Nouvelles entrées", 0, 1),
        ("Sorties", 2, 1),
    ]
    assert table(report, "people", "entries_by_month") == [
        ("mars 2025", 0, 0),
        ("avril 2025", 0, 0),
    ]


def test_it_fills_the_narratives_of_the_period_in_one_query(
    dataset, centre, other_centre, programme
):
    report = compute(centre, programme)
    for start, text in [(D(2025, 1, 1), "Une année riche."), (D(2024, 1, 1), "L'an passé.")]:
        Narrative.objects.create(
            centre=centre,
            programme=programme,
            start=start,
            end=start.replace(month=12, day=31),
            section="people",
            text=text,
        )

    with CaptureQueriesContext(connection) as queries:
        layout.report_narratives(report, centre, programme)

    assert len(queries) == 1
    assert report.section("people").narrative == "Une année riche."
    assert report.section("exits").narrative == ""


def populate(centre, programme, copies, offset=0):
    """`copies` people with everything a report counts: a pathway ended with an exit,
    appointments, a relay, two assessments, workshop attendance."""
    partner = PartnerFactory(centre=centre, kind=PartnerKind.CCAS)
    neighbourhood = NeighbourhoodFactory(centre=centre, is_qpv=True)
    scored = AssessmentGrid.objects.filter(centre=centre).first() or grid(centre, 1, True)
    workshop = WorkshopFactory(centre=centre, programme=programme)
    for n in range(offset, offset + copies):
        person = PersonFactory(
            centre=centre,
            sex=Sex.FEMALE,
            neighbourhood=neighbourhood,
            household=Household.SINGLE_PARENT,
            benefit=Benefit.RSA,
        )
        found = pathway(
            person,
            programme,
            D(2025, 1 + n % 12, 1),
            D(2025, 12, 1),
            "Emploi : CDI",
            referral=referral(person, D(2024, 12, 1), partner),
        )
        AppointmentFactory(pathway=found, starts_at=at(D(2025, 2, 1)), status="held")
        relay(person, D(2025, 3, 1), partner, ReferralStatus.SEEN)
        assess(found, scored, D(2025, 2, 1), 1, 2)
        assess(found, scored, D(2025, 11, 1), 2, 2)
        session(workshop, D(2025, 3, 1 + n % 28), present=[person])


@pytest.mark.parametrize("funder", [Funder.ALL, Funder.DEPARTEMENT, Funder.FSE])
def test_it_does_a_constant_number_of_queries(centre, programme, funder):
    populate(centre, programme, 2)
    with CaptureQueriesContext(connection) as small:
        compute(centre, programme, funder)
    populate(centre, programme, 8, offset=2)
    with CaptureQueriesContext(connection) as large:
        report = compute(centre, programme, funder)

    assert table(report, "people", "headline")[0] == ("Personnes accompagnées", 10, 0)
    assert len(small) == len(large)
    assert len(large) <= 40


def test_progress_counts_every_score_when_a_grid_repeats_a_label(centre, programme):
    """The grid editor allows one label in two groups: each score counts, as in the
    average of every score of an assessment."""
    found = grid(
        centre,
        1,
        True,
        criteria=[("Vie sociale", "Confiance"), ("Emploi", "Confiance"), ("Emploi", "Mobilité")],
    )
    person = Person.objects.create(centre=centre, last_name="Répétée", first_name="Anne")
    followed = pathway(person, programme, D(2025, 1, 6))
    for day, values in ((D(2025, 2, 3), (1, 3, 2)), (D(2025, 6, 2), (2, 2, 2))):
        assessment = Assessment.objects.create(pathway=followed, grid=found, assessed_on=day)
        for criterion, value in zip(found.criteria.order_by("order"), values, strict=True):
            Score.objects.create(assessment=assessment, criterion=criterion, value=value)

    report = compute(centre, programme)

    # Averages 2 → 2: no progress overall. "Confiance" is compared twice against its
    # first score (1): 2 > 1 twice, so everyone compared on it progressed.
    assert table(report, "progress", "overall")[:2] == [
        ("Personnes évaluées au moins deux fois", 1, 0),
        ("Part dont le niveau moyen a progressé", 0.0, None),
    ]
    assert table(report, "progress", "by_criterion") == [
        ("Confiance", 100.0, None),
        ("Mobilité", 0.0, None),
    ]
