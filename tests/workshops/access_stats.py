"""Access matrix entries of the workshop figures and vigilance (see tests/access.py)."""

from ..access import COORDINATOR_POST, rule

MATRIX = {
    # Figures, never files: the director sees them, the facilitator does not.
    "workshops:figures": (
        None,
        "get",
        rule(
            outsider=200,
            coordinator=200,
            facilitator=403,
            partner_worker=403,
            director=200,
            admin=200,
        ),
    ),
    # The outsider finds no such person in their centre; other roles are refused first.
    "workshops:vigilance_follow_up": (
        lambda o: {"args": [o["person"].pk], "note": "Appel passé."},
        "post",
        COORDINATOR_POST,
    ),
}
