"""Access matrix entries of the bilan de parcours and the exit outcomes (see
tests/access.py)."""

from parcours.pathways.enums import OutcomeFamily
from parcours.pathways.models import ExitOutcome

from ..access import rule


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
        rule(
            outsider=404,
            coordinator=200,
            facilitator=403,
            partner_worker=403,
            director=403,
            admin=403,
        ),
    ),
    # The outsider coordinates another centre: its own list.
    "pathways:exit_outcomes": (
        None,
        "get",
        rule(
            outsider=200,
            coordinator=200,
            facilitator=403,
            partner_worker=403,
            director=403,
            admin=200,
        ),
    ),
    "pathways:exit_outcome_edit": (
        _centre_outcome,
        "get",
        rule(
            outsider=404,
            coordinator=200,
            facilitator=403,
            partner_worker=403,
            director=403,
            admin=200,
        ),
    ),
}
