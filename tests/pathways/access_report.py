"""Access matrix entries of the bilan de parcours and the exit outcomes (see
tests/access.py)."""

from parcours.pathways.enums import OutcomeFamily
from parcours.pathways.models import ExitOutcome

from ..access import COORDINATOR_OBJECT, MANAGEMENT_OBJECT, MANAGEMENT_PAGE


def _centre_outcome(o):
    outcome = ExitOutcome.objects.create(
        centre=o["pathway"].centre, label="Création d'entreprise", family=OutcomeFamily.EMPLOYMENT
    )
    return [outcome.pk]


MATRIX = {
    # Pathway data: the coordinator only.
    "pathways:pathway_report": (
        lambda o: [o["pathway"].pk],
        "get",
        COORDINATOR_OBJECT,
    ),
    # The outsider coordinates another centre: its own list.
    "pathways:exit_outcomes": (
        None,
        "get",
        MANAGEMENT_PAGE,
    ),
    "pathways:exit_outcome_edit": (
        _centre_outcome,
        "get",
        MANAGEMENT_OBJECT,
    ),
}
