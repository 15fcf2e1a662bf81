"""Fictional assessments for the demo centre: the seed's grid, an intake scoring for
about forty open pathways, then one to three follow-ups about every three months,
slowly improving with ups and downs, and a self-assessment for some people.

Drawn from the `rng` the demo loader passes; a pathway that already has assessments
is left alone and a centre that has its forty gets no more: loading twice changes
nothing.
"""

import datetime

from django.utils import timezone

from parcours.accounts.models import User
from parcours.centres.enums import Role

from .assessments import LEVELS, assessment_record, default_grid
from .enums import AssessmentBy
from .models import Pathway

PATHWAYS = 40
# At intake most people struggle on most criteria.
INTAKE_WEIGHTS = (4, 5, 2, 1)


def _clamp(value):
    return min(max(value, LEVELS[0]), LEVELS[-1])


def _follow_up(values, rng):
    """Three months later: a criterion often gains a level, sometimes loses one."""
    changed = {}
    for criterion, value in values.items():
        draw = rng.random()
        step = 1 if draw < 0.35 else -1 if draw > 0.92 else 0
        changed[criterion] = _clamp(value + step)
    return changed


def _as_seen_by_the_person(values, rng):
    """People rate themselves close to the coordinator, rarely exactly alike."""
    return {c: _clamp(v + rng.choice((-1, 0, 0, 1))) for c, v in values.items()}


def load(centre, rng, today=None):
    today = today or timezone.localdate()
    grid = default_grid(centre)
    criteria = list(grid.criteria.all())
    coordinator = User.objects.filter(
        memberships__centre=centre, memberships__role=Role.COORDINATOR
    ).first()
    open_pathways = Pathway.objects.of_centre(centre).filter(ended_on=None, started_on__lte=today)
    # Counting what is there, rather than trusting the draws to repeat, keeps a second
    # load from assessing forty more people.
    already = open_pathways.filter(assessments__isnull=False).distinct().count()
    candidates = list(open_pathways.filter(assessments__isnull=True).order_by("pk"))
    chosen = rng.sample(candidates, max(0, min(PATHWAYS - already, len(candidates))))
    for pathway in sorted(chosen, key=lambda p: p.pk):
        day = min(pathway.started_on + datetime.timedelta(days=rng.randint(0, 14)), today)
        values = {c: rng.choices(LEVELS, weights=INTAKE_WEIGHTS)[0] for c in criteria}
        scorings = [(day, values)]
        for _ in range(rng.randint(1, 3)):
            day += datetime.timedelta(days=rng.randint(80, 100))
            if day > today:
                break
            values = _follow_up(values, rng)
            scorings.append((day, values))
        self_assessed = rng.random() < 0.35
        for index, (day, values) in enumerate(scorings):
            record = {"pathway": pathway, "grid": grid, "assessed_on": day, "by": coordinator}
            assessment_record(assessed_by=AssessmentBy.COORDINATOR, values=values, **record)
            # The person scores themself at intake and at the latest review.
            if self_assessed and index in (0, len(scorings) - 1):
                assessment_record(
                    assessed_by=AssessmentBy.SELF,
                    values=_as_seen_by_the_person(values, rng),
                    **record,
                )
