"""Assessments ("distance parcourue"): the centre's grid, its versions, recording a
scoring, and the progress of a pathway from the first scoring to the latest.

A grid is never edited: a change saves a new version and the old one stays, so an old
score keeps pointing at the wording it was given for. Progress across versions
compares criteria by their wording within the same group.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from parcours.centres.models import Centre
from parcours.core.search import name_key

from .enums import AssessmentBy
from .models import Assessment, AssessmentGrid, Criterion, Score

BEHAVIOUR = "Représentations de soi et du monde du travail"
SOCIAL = "Vie sociale et quotidienne"

# The seed's criteria ("en améliorant les représentations comportementales
# soi/environnement socioprofessionnel", and the social side), each with its four
# levels: 1 is where the person struggles most, 4 where they are most at ease.
DEFAULT_CRITERIA = [
    (
        BEHAVIOUR,
        "Freins à la mobilité",
        (
            "Ne sort pas ou presque pas de son quartier",
            "Se déplace sur des trajets connus ou avec un proche",
            "Prend les transports sans aide pour ses démarches, avec appréhension",
            "Se déplace librement, y compris pour un emploi ou une formation",
        ),
    ),
    (
        BEHAVIOUR,
        "Dépréciation de soi",
        (
            "Se dévalorise en permanence, ne se reconnaît aucune qualité",
            "Se dévalorise souvent, doute de chacune de ses réussites",
            "Reconnaît des qualités quand on les lui renvoie",
            "A confiance en sa valeur et sait la mettre en avant",
        ),
    ),
    (
        BEHAVIOUR,
        "Instabilité émotionnelle",
        (
            "Débordements fréquents, grande difficulté à se contenir",
            "Humeur changeante qui perturbe souvent les activités",
            "Émotions le plus souvent maîtrisées, quelques passages difficiles",
            "Gère ses émotions, y compris dans les situations de tension",
        ),
    ),
    (
        BEHAVIOUR,
        "Recherche de coopération et d'implication",
        (
            "Reste en retrait, décline les propositions",
            "Participe quand on le lui propose directement",
            "S'implique régulièrement dans les activités collectives",
            "Propose son aide et s'engage dans des projets collectifs",
        ),
    ),
    (
        BEHAVIOUR,
        "Prises d'initiatives",
        (
            "Attend que les choses soient faites à sa place",
            "Agit avec un accompagnement pas à pas",
            "Prend de petites initiatives de son propre chef",
            "Anticipe et mène ses démarches de façon autonome",
        ),
    ),
    (
        BEHAVIOUR,
        "Qualité des relations sociales",
        (
            "Isolement, peu ou pas de contacts",
            "Quelques liens, fragiles ou souvent conflictuels",
            "Relations apaisées avec le groupe et les professionnels",
            "Réseau de relations stable sur lequel s'appuyer",
        ),
    ),
    (
        BEHAVIOUR,
        "Motivation",
        (
            "Aucune envie exprimée",
            "Envie fragile, à soutenir",
            "Motivation présente la plupart du temps",
            "Moteur de ses démarches",
        ),
    ),
    (
        BEHAVIOUR,
        "Reconnaissance de ses capacités et limites",
        (
            "Ne perçoit ni ses capacités ni ses limites",
            "Perçoit surtout ses limites, sous-estime ses capacités",
            "Identifie ses capacités et ses limites avec de l'aide",
            "Connaît ses atouts et ses limites, en tient compte dans son projet",
        ),
    ),
    (
        SOCIAL,
        "Prendre soin de soi",
        (
            "Néglige sa santé, son hygiène ou son apparence",
            "Prend soin de soi par moments, avec encouragement",
            "Prend soin de soi, suit la plupart de ses rendez-vous de santé",
            "Prend soin de soi régulièrement et de sa propre initiative",
        ),
    ),
    (
        SOCIAL,
        "Autonomie dans les tâches du quotidien",
        (
            "A besoin d'aide pour l'essentiel : courrier, budget, courses",
            "Gère une partie du quotidien avec un soutien régulier",
            "Gère le quotidien, demande de l'aide pour l'inhabituel",
            "Gère son quotidien en toute autonomie",
        ),
    ),
    (
        SOCIAL,
        "Recours aux institutions",
        (
            "Ne connaît pas ou évite les services (CAF, CPAM, mairie…)",
            "S'y rend seulement si on l'accompagne",
            "Fait ses démarches, avec un appui ponctuel",
            "Sait à qui s'adresser et fait valoir ses droits",
        ),
    ),
]

LEVELS = (1, 2, 3, 4)
CRITERION_FIELDS = ("group", "label", "level_1", "level_2", "level_3", "level_4")


def _lock(centre):
    """Serialise the grid changes of one centre, so two saves never pick the same
    version number (PostgreSQL; SQLite writes one at a time anyway)."""
    Centre.objects.select_for_update().filter(pk=centre.pk).first()


@transaction.atomic
def default_grid(centre):
    """The centre's current grid; a centre without any gets the seed's, as version 1."""
    _lock(centre)
    grid = current_grid(centre)
    if grid is not None:
        return grid
    grid = AssessmentGrid.objects.create(centre=centre, version=1, is_current=True)
    for order, (group, label, levels) in enumerate(DEFAULT_CRITERIA, start=1):
        Criterion.objects.create(
            grid=grid,
            group=group,
            label=label,
            order=order,
            **{f"level_{n}": text for n, text in zip(LEVELS, levels, strict=True)},
        )
    return grid


def current_grid(centre):
    return AssessmentGrid.objects.of_centre(centre).filter(is_current=True).first()


def criterion_rows(grid):
    """The grid's criteria as plain dicts (CRITERION_FIELDS), in order."""
    return list(grid.criteria.order_by("order", "pk").values(*CRITERION_FIELDS))


@transaction.atomic
def grid_version_create(*, centre, criteria):
    """Save `criteria` (dicts of CRITERION_FIELDS, in order) as the centre's new current
    grid. The previous version and its criteria are left exactly as they were: the
    assessments scored on them keep their meaning. Returns None when nothing changed."""
    _lock(centre)
    previous = current_grid(centre)
    rows = [{name: row[name].strip() for name in CRITERION_FIELDS} for row in criteria]
    if previous is not None and criterion_rows(previous) == rows:
        return None
    last = AssessmentGrid.objects.of_centre(centre).order_by("-version").first()
    if previous is not None:
        # One current grid per centre: the old one steps down before the new one exists.
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    grid = AssessmentGrid.objects.create(
        centre=centre, version=last.version + 1 if last else 1, is_current=True
    )
    for order, row in enumerate(rows, start=1):
        Criterion.objects.create(grid=grid, order=order, **row)
    return grid


@transaction.atomic
def assessment_record(*, pathway, grid, assessed_on, assessed_by, values, by):
    """Record one scoring of `grid` for `pathway`: `values` maps each of the grid's
    criteria to a level from 1 to 4, all of them or nothing is saved."""
    criteria = list(grid.criteria.all())
    if {c.pk for c in criteria} != {c.pk for c in values}:
        raise ValueError("Chaque critère de la grille doit recevoir un niveau.")
    if any(value not in LEVELS for value in values.values()):
        raise ValueError("Un niveau va de 1 à 4.")
    assessment = Assessment.objects.create(
        pathway=pathway, grid=grid, assessed_on=assessed_on, by=assessed_by, recorded_by=by
    )
    # One by one rather than in bulk: each score gets its row in the audit trail.
    for criterion in criteria:
        Score.objects.create(assessment=assessment, criterion=criterion, value=values[criterion])
    return assessment


def pathway_assessments(pathway):
    """The pathway's assessments, oldest first, with their grid and scores: three
    queries whatever their number."""
    return list(
        pathway.assessments.select_related("grid", "recorded_by").prefetch_related(
            "scores__criterion"
        )
    )


@dataclass(frozen=True)
class Span:
    """One side's levels for a criterion, from its first assessment to its latest, with
    the wording of each level as it read in the grid it was scored on."""

    first: int
    latest: int
    first_on: datetime.date
    latest_on: datetime.date
    first_text: str
    latest_text: str

    @property
    def change(self):
        return self.latest - self.first

    @property
    def change_text(self):
        """'+2', '−1' (with a true minus sign) or '='."""
        if self.change > 0:
            return f"+{self.change}"
        return f"−{-self.change}" if self.change < 0 else "="


@dataclass
class CriterionProgress:
    group: str
    label: str
    coordinator: Span | None = None
    self_assessed: Span | None = None

    @property
    def sides(self):
        return [self.coordinator, self.self_assessed]


@dataclass
class Progress:
    rows: list = field(default_factory=list)
    # The versions of the grid the assessments were scored on, when there were several.
    grid_versions: list = field(default_factory=list)

    @property
    def grid_changed(self):
        return len(self.grid_versions) > 1

    def groups(self):
        """[(group, rows)] in the order the rows come."""
        grouped = {}
        for row in self.rows:
            grouped.setdefault(row.group, []).append(row)
        return list(grouped.items())


def _key(criterion):
    return name_key(criterion.group), name_key(criterion.label)


def progress(pathway, assessments=None):
    """Per criterion, the first and latest level on each side: the coordinator's and the
    person's own. Across grid versions a criterion is the same when its group and its
    wording are, spelling aside; rows follow the latest grid, then the criteria it no
    longer has. `assessments` saves the queries when the caller already has them
    (from `pathway_assessments`)."""
    if assessments is None:
        assessments = pathway_assessments(pathway)
    rows = {}
    # Newest first: a row takes the wording of the latest grid that has it.
    for assessment in sorted(assessments, key=lambda a: (a.assessed_on, a.pk), reverse=True):
        side = "self_assessed" if assessment.by == AssessmentBy.SELF else "coordinator"
        on = assessment.assessed_on
        for score in sorted(assessment.scores.all(), key=lambda s: (s.criterion.order, s.pk)):
            criterion = score.criterion
            row = rows.setdefault(
                _key(criterion), CriterionProgress(criterion.group, criterion.label)
            )
            text = criterion.levels()[score.value - 1]
            span = getattr(row, side)
            if span is None:
                span = Span(score.value, score.value, on, on, text, text)
            else:
                span = Span(score.value, span.latest, on, span.latest_on, text, span.latest_text)
            setattr(row, side, span)
    versions = sorted({a.grid.version for a in assessments})
    return Progress(rows=list(rows.values()), grid_versions=versions if len(versions) > 1 else [])
