"""Access matrix entries of the bilan de parcours and the exit outcomes (see
tests/access.py)."""

from parcours.consent import services as consent_services
from parcours.consent.enums import Purpose
from parcours.consent.models import consent_for
from parcours.pathways.enums import OutcomeFamily
from parcours.pathways.models import ExitOutcome

from ..access import COORDINATOR_OBJECT, MANAGEMENT_OBJECT, MANAGEMENT_PAGE


def _centre_outcome(o):
    outcome = ExitOutcome.objects.create(
        centre=o["pathway"].centre, label="Création d'entreprise", family=OutcomeFamily.EMPLOYMENT
    )
    return [outcome.pk]


def _pathway_with_consent(o):
    pathway = o["pathway"]
    if not consent_for(pathway.person, Purpose.RSA_BILAN):
        consent_services.consent_record(
            person=pathway.person, purpose=Purpose.RSA_BILAN, on=pathway.started_on, by=None
        )
    return [pathway.pk]


MATRIX = {
    # Pathway data: the coordinator only (the person agreed to the bilan).
    "pathways:pathway_report": (
        _pathway_with_consent,
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
