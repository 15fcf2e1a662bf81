import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.audit.registry import MASKED
from parcours.pathways import assessment_demo
from parcours.pathways.assessments import (
    BEHAVIOUR,
    SOCIAL,
    assessment_record,
    criterion_rows,
    default_grid,
    progress,
)
from parcours.pathways.enums import AssessmentBy
from parcours.pathways.models import Assessment, AssessmentGrid, Score

from .factories import PathwayFactory

START = datetime.date(2025, 9, 15)
URLS = ["pathways:grid", "pathways:grid_edit", "pathways:assessments", "pathways:assessment_create"]


@pytest.fixture
def pathway(centre):
    return PathwayFactory(centre=centre, started_on=START)


@pytest.fixture
def grid(centre):
    return default_grid(centre)


def record(pathway, grid, day, levels, *, kind=AssessmentBy.COORDINATOR, by=None):
    """`levels` is one level for every criterion, or {label: level} over a default of 1."""
    criteria = grid.criteria.all()
    if isinstance(levels, int):
        values = {c: levels for c in criteria}
    else:
        values = {c: levels.get(c.label, 1) for c in criteria}
    return assessment_record(
        pathway=pathway, grid=grid, assessed_on=day, assessed_by=kind, values=values, by=by
    )


def url(name, pathway=None):
    return reverse(name, args=[pathway.pk] if pathway else None)


def posted_grid(rows, deleted=(), extra=()):
    """The grid form's POST data: `rows` as the form showed them, some ticked for
    deletion, then new ones."""
    data = {"form-TOTAL_FORMS": len(rows) + len(extra), "form-INITIAL_FORMS": len(rows)}
    for index, row in enumerate([*rows, *extra]):
        for name, value in row.items():
            data[f"form-{index}-{name}"] = value
        if index in deleted:
            data[f"form-{index}-DELETE"] = "on"
    return data


def posted_assessment(grid, day="2026-01-10", kind="coordinator", level="2", skip=()):
    data = {"assessed_on": day, "assessed_by": kind}
    for criterion in grid.criteria.all():
        if criterion.label not in skip:
            data[f"criterion_{criterion.pk}"] = level
    return data


# The default grid


def test_it_gives_a_centre_the_seed_criteria_once(centre):
    grid = default_grid(centre)
    assert (grid.version, grid.is_current) == (1, True)
    labels = {group: [] for group in (BEHAVIOUR, SOCIAL)}
    for criterion in grid.criteria.all():
        labels[criterion.group].append(criterion.label)
        assert all(criterion.levels()) and len(set(criterion.levels())) == 4
    assert labels == {
        BEHAVIOUR: [
            "Freins à la mobilité",
            "Dépréciation de soi",
            "Instabilité émotionnelle",
            "Recherche de coopération et d'implication",
            "Prises d'initiatives",
            "Qualité des relations sociales",
            "Motivation",
            "Reconnaissance de ses capacités et limites",
        ],
        SOCIAL: [
            "Prendre soin de soi",
            "Autonomie dans les tâches du quotidien",
            "Recours aux institutions",
        ],
    }
    motivation = grid.criteria.get(label="Motivation")
    assert motivation.level_1 == "Aucune envie exprimée"
    assert motivation.level_4 == "Moteur de ses démarches"
    assert default_grid(centre) == grid
    assert AssessmentGrid.objects.of_centre(centre).count() == 1


def test_it_shows_the_current_grid(client_for, grid):
    page = client_for("coordinator").get(url("pathways:grid"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Version 1" in content
    assert "Moteur de ses démarches" in content


# Versions


def test_it_saves_a_changed_grid_as_a_new_version_and_old_scores_keep_their_meaning(
    client_for, centre, pathway, grid
):
    old = record(pathway, grid, datetime.date(2025, 9, 20), {"Motivation": 2})
    rows = criterion_rows(grid)
    rows[6] = {**rows[6], "level_2": "Envie hésitante"}  # Motivation
    rows[0] = {**rows[0], "label": "Mobilité"}
    new = {
        "group": SOCIAL,
        "label": "Gestion du budget",
        "level_1": "Aucune visibilité sur ses comptes",
        "level_2": "Suit ses dépenses avec aide",
        "level_3": "Tient son budget, aide ponctuelle",
        "level_4": "Gère son budget seule",
    }

    response = client_for("coordinator").post(
        url("pathways:grid_edit"), posted_grid(rows, deleted={10}, extra=[new])
    )

    assert response.status_code == 302
    grid.refresh_from_db()
    current = AssessmentGrid.objects.get(centre=centre, is_current=True)
    assert (grid.is_current, current.version) == (False, 2)
    assert [c.label for c in current.criteria.all()][-2:] == [
        "Autonomie dans les tâches du quotidien",
        "Gestion du budget",
    ]
    assert current.criteria.get(label="Motivation").level_2 == "Envie hésitante"
    # Version 1 is untouched, and so is what the old score meant.
    assert grid.criteria.count() == 11
    score = Score.objects.get(assessment=old, criterion__label="Motivation")
    assert score.criterion.grid == grid
    assert score.criterion.level_2 == "Envie fragile, à soutenir"
    assert old.scores.filter(criterion__label="Freins à la mobilité").exists()


def test_it_keeps_the_version_when_nothing_changed(client_for, centre, grid):
    response = client_for("coordinator").post(
        url("pathways:grid_edit"), posted_grid(criterion_rows(grid))
    )
    assert response.status_code == 302
    assert AssessmentGrid.objects.of_centre(centre).count() == 1


def test_it_refuses_two_criteria_of_a_group_with_the_same_wording(client_for, centre, grid):
    rows = criterion_rows(grid)
    rows[1] = {**rows[1], "label": "motivation"}
    response = client_for("coordinator").post(url("pathways:grid_edit"), posted_grid(rows))
    assert response.status_code == 200
    assert "a deux critères « Motivation »" in response.content.decode()
    assert AssessmentGrid.objects.of_centre(centre).count() == 1


def test_it_refuses_a_grid_without_criteria(client_for, centre, grid):
    rows = criterion_rows(grid)
    response = client_for("coordinator").post(
        url("pathways:grid_edit"), posted_grid(rows, deleted=set(range(len(rows))))
    )
    assert "La grille doit garder au moins un critère." in response.content.decode()
    assert AssessmentGrid.objects.of_centre(centre).count() == 1


def test_it_adds_a_blank_criterion_without_saving(client_for, centre, grid):
    data = posted_grid(criterion_rows(grid), extra=[{"label": ""}])
    response = client_for("coordinator").post(url("pathways:grid_edit"), {**data, "add": "1"})
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 13
    assert AssessmentGrid.objects.of_centre(centre).count() == 1


# Recording


def test_it_records_an_assessment_on_the_current_grid(client_for, users, pathway, grid):
    response = client_for("coordinator").post(
        url("pathways:assessment_create", pathway), posted_assessment(grid, level="3")
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.grid, assessment.by, assessment.recorded_by) == (
        grid,
        AssessmentBy.COORDINATOR,
        users["coordinator"],
    )
    assert sorted(assessment.scores.values_list("value", flat=True)) == [3] * 11


def test_it_requires_a_level_for_every_criterion(client_for, pathway, grid):
    response = client_for("coordinator").post(
        url("pathways:assessment_create", pathway), posted_assessment(grid, skip={"Motivation"})
    )
    assert response.status_code == 200
    assert "Choisissez un niveau pour « Motivation »." in response.content.decode()
    assert not Assessment.objects.exists()


def test_it_refuses_a_level_out_of_the_scale(client_for, pathway, grid):
    response = client_for("coordinator").post(
        url("pathways:assessment_create", pathway), posted_assessment(grid, level="5")
    )
    assert "Choisissez un niveau de 1 à 4." in response.content.decode()
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "day,message",
    [
        ("2025-09-01", "Le parcours a commencé le 15/09/2025"),
        ("2099-01-01", "ne peut pas être à venir"),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_it_refuses_a_date_outside_the_pathway(client_for, pathway, grid, day, message):
    response = client_for("coordinator").post(
        url("pathways:assessment_create", pathway), posted_assessment(grid, day=day)
    )
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_it_refuses_a_second_assessment_of_the_same_kind_on_the_same_day(client_for, pathway, grid):
    record(pathway, grid, datetime.date(2026, 1, 10), 2)
    client = client_for("coordinator")
    response = client.post(url("pathways:assessment_create", pathway), posted_assessment(grid))
    assert "est déjà enregistrée à cette date" in response.content.decode()
    response = client.post(
        url("pathways:assessment_create", pathway), posted_assessment(grid, kind="self")
    )
    assert response.status_code == 302


# Progress


def test_it_compares_the_first_and_the_latest_assessment(pathway, grid):
    record(pathway, grid, datetime.date(2025, 9, 20), {"Motivation": 1, "Prendre soin de soi": 3})
    record(pathway, grid, datetime.date(2025, 12, 18), {"Motivation": 2, "Prendre soin de soi": 2})
    record(pathway, grid, datetime.date(2026, 3, 19), {"Motivation": 4, "Prendre soin de soi": 2})

    rows = {row.label: row for row in progress(pathway).rows}

    motivation = rows["Motivation"].coordinator
    assert (motivation.first, motivation.latest, motivation.change_text) == (1, 4, "+3")
    assert (motivation.first_on, motivation.latest_on) == (
        datetime.date(2025, 9, 20),
        datetime.date(2026, 3, 19),
    )
    assert (motivation.first_text, motivation.latest_text) == (
        "Aucune envie exprimée",
        "Moteur de ses démarches",
    )
    assert rows["Prendre soin de soi"].coordinator.change_text == "−1"
    assert rows["Motivation"].self_assessed is None
    assert list(rows)[0] == "Freins à la mobilité"


def test_it_shows_the_self_assessment_beside_the_coordinators(client_for, pathway, grid):
    record(pathway, grid, datetime.date(2025, 9, 20), {"Motivation": 1})
    record(pathway, grid, datetime.date(2025, 9, 20), {"Motivation": 3}, kind=AssessmentBy.SELF)
    record(pathway, grid, datetime.date(2026, 1, 5), {"Motivation": 2})
    record(pathway, grid, datetime.date(2026, 1, 5), {"Motivation": 4}, kind=AssessmentBy.SELF)

    [row] = [r for r in progress(pathway).rows if r.label == "Motivation"]
    assert (row.coordinator.first, row.coordinator.latest) == (1, 2)
    assert (row.self_assessed.first, row.self_assessed.latest) == (3, 4)

    page = client_for("coordinator").get(url("pathways:assessments", pathway))
    content = page.content.decode()
    assert "Auto-évaluation : 2 évaluations" in content
    assert "Coordination : 2 évaluations" in content


def test_it_follows_a_criterion_across_grid_versions_by_its_wording(
    client_for, centre, pathway, grid
):
    record(pathway, grid, datetime.date(2025, 9, 20), {"Motivation": 1, "Freins à la mobilité": 1})
    rows = criterion_rows(grid)
    rows[0] = {**rows[0], "label": "Mobilité"}
    rows[6] = {**rows[6], "level_4": "Motrice de son projet"}
    client = client_for("coordinator")
    client.post(url("pathways:grid_edit"), posted_grid(rows))
    new_grid = AssessmentGrid.objects.get(centre=centre, is_current=True)
    record(pathway, new_grid, datetime.date(2026, 1, 5), {"Motivation": 4, "Mobilité": 3})

    found = progress(pathway)

    rows = {row.label: row for row in found.rows}
    assert found.grid_versions == [1, 2]
    assert (rows["Motivation"].coordinator.first, rows["Motivation"].coordinator.latest) == (1, 4)
    assert rows["Motivation"].coordinator.latest_text == "Motrice de son projet"
    # A renamed criterion is another criterion: each keeps its one assessment.
    assert rows["Mobilité"].coordinator.first_on == datetime.date(2026, 1, 5)
    assert rows["Freins à la mobilité"].coordinator.latest_on == datetime.date(2025, 9, 20)
    assert list(rows)[-1] == "Freins à la mobilité"
    page = client.get(url("pathways:assessments", pathway))
    assert "La grille a changé entre ces évaluations (versions 1, 2)" in page.content.decode()


def test_it_draws_one_chart_point_per_assessment(client_for, pathway, grid):
    for day in (
        datetime.date(2025, 9, 20),
        datetime.date(2025, 12, 18),
        datetime.date(2026, 3, 19),
    ):
        record(pathway, grid, day, 2)
    for day in (datetime.date(2025, 9, 20), datetime.date(2026, 3, 19)):
        record(pathway, grid, day, 3, kind=AssessmentBy.SELF)

    content = client_for("coordinator").get(url("pathways:assessments", pathway)).content.decode()

    assert content.count("<svg") == 1 + 2  # the chart and its legend's two samples
    assert 'role="img"' in content and "<title" in content
    assert content.count('<circle class="point"') == 3
    assert content.count('<rect class="point"') == 2
    assert content.count("<polyline") == 2
    assert "Coordination : 2,0 le 20/09/2025, 2,0 le 18/12/2025, 2,0 le 19/03/2026." in content
    assert "style=" not in content.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_it_says_when_there_is_nothing_to_show(client_for, pathway, grid):
    content = client_for("coordinator").get(url("pathways:assessments", pathway)).content.decode()
    assert "Aucune évaluation pour ce parcours." in content
    assert "<svg" not in content


# Access and audit


@pytest.mark.parametrize("actor", ["facilitator", "director", "partner_worker", "admin"])
@pytest.mark.parametrize("name", URLS)
def test_it_refuses_everyone_but_the_coordinator(client_for, pathway, actor, name):
    target = pathway if name.startswith("pathways:assessment") else None
    assert client_for(actor).get(url(name, target)).status_code == 403


@pytest.mark.parametrize("name", ["pathways:assessments", "pathways:assessment_create"])
def test_it_does_not_find_a_pathway_of_another_centre(client_for, other_centre, name):
    elsewhere = PathwayFactory(centre=other_centre)
    assert client_for("coordinator").get(url(name, elsewhere)).status_code == 404


def test_it_refuses_to_record_on_a_pathway_of_another_centre(client_for, other_centre, grid):
    elsewhere = PathwayFactory(centre=other_centre)
    response = client_for("coordinator").post(
        url("pathways:assessment_create", elsewhere), posted_assessment(grid)
    )
    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_it_audits_every_reading_of_the_progress(client_for, users, pathway, grid):
    record(pathway, grid, datetime.date(2025, 9, 20), 2)
    client = client_for("coordinator")
    client.get(url("pathways:assessments", pathway))
    client.get(url("pathways:assessments", pathway))

    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS,
        content_type__model="person",
        object_pk=str(pathway.person_id),
    )
    assert [e.additional_data for e in events] == [{"section": "évaluations"}] * 2
    assert {e.actor for e in events} == {users["coordinator"]}


def test_the_trail_does_not_keep_the_levels(pathway, grid):
    record(pathway, grid, datetime.date(2025, 9, 20), 3)
    score_events = AuditEvent.objects.filter(content_type__model="score")
    assert score_events.count() == 11
    assert {event.changes_dict["value"][1] for event in score_events} == {MASKED}


def test_the_progress_page_costs_the_same_whatever_the_number_of_assessments(
    client_for, centre, grid
):
    def queries(count):
        pathway = PathwayFactory(centre=centre, started_on=START)
        for n in range(count):
            kind = AssessmentBy.SELF if n % 2 else AssessmentBy.COORDINATOR
            record(pathway, grid, START + datetime.timedelta(days=30 * n), 1 + n % 4, kind=kind)
        client = client_for("coordinator")
        client.get(url("pathways:assessments", pathway))  # warm the caches (session, roles…)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("pathways:assessments", pathway)).status_code == 200
        return len(captured)

    assert queries(2) == queries(8)


# Demo


def test_the_demo_assesses_open_pathways_once(centre, users):
    today = datetime.date(2026, 6, 1)
    for n in range(5):
        PathwayFactory(centre=centre, started_on=today - datetime.timedelta(days=100 * n))
    PathwayFactory(centre=centre, started_on=START, ended_on=datetime.date(2026, 1, 1))

    assessment_demo.load(centre, random.Random(1), today=today)  # noqa: S311  (fiction)

    assessments = Assessment.objects.all()
    assert {a.pathway.ended_on for a in assessments} == {None}
    assert assessments.values("pathway").distinct().count() == 5
    assert max(a.assessed_on for a in assessments) <= today
    assert all(a.scores.count() == 11 for a in assessments)
    count = assessments.count()
    assessment_demo.load(centre, random.Random(2), today=today)  # noqa: S311  (fiction)
    assert Assessment.objects.count() == count
