"""The parts of a person's file that `privacy` owns (see people.file)."""

from parcours.people.file import Export, FilePart, entry

from .models import ErasureRequest, LegalHold


def _requests(person):
    return [
        entry(
            ("Demande d'effacement reçue le", r.requested_on),
            ("Faite", r.get_channel_display()),
            ("Suite", r.get_outcome_display()),
            ("Motif du refus", r.refusal_reason),
        )
        for r in person.erasure_requests.all()
    ] + [
        entry(
            ("Conservation décidée le", h.recorded_on),
            ("Motif", h.reason),
            ("Levée le", h.lifted_on),
        )
        for h in person.legal_holds.all()
    ]


PARTS = [
    FilePart(
        ErasureRequest,
        person="person",
        # A refusal gives the legal reasons by their dates only (services.hold_reasons).
        kept=frozenset(
            {"id", "person", "requested_on", "channel", "outcome", "refusal_reason"}
            | {"recorded_by", "recorded_at"}
        ),
        exports=(Export(180, "Vos demandes sur vos données", _requests),),
    ),
    FilePart(
        LegalHold,
        person="person",
        kept=frozenset({"id", "person", "recorded_on", "recorded_by", "lifted_on"}),
        emptied={"reason": ""},
        shown_with=ErasureRequest,
    ),
]
