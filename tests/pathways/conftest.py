import pytest

from parcours.pathways.models import ExitOutcome
from parcours.pathways.outcomes import load_defaults


@pytest.fixture(autouse=True)
def default_outcomes(db):
    """The migration's default outcomes, again: a test that commits (browser tests)
    flushes the tables the migrations filled."""
    load_defaults(ExitOutcome)
