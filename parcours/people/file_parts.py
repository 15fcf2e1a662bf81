"""The parts of a person's file that `people` owns (see people.file)."""

from django.db.models import Prefetch

from .enums import Direction
from .file import Contact, Export, FilePart, Timeline, TimelineEntry, entry, steps
from .models import ConfidentialNote, Referral, ReferralEvent, RsaContract


def _confidential(person):
    note = ConfidentialNote.objects.filter(person=person).first()
    if note is None:
        return []
    return [
        entry(
            ("Santé", note.health),
            ("Addictions", note.addictions),
            ("Violences subies", note.violence),
        )
    ]


def _referrals(person, direction):
    return (
        person.referrals.filter(direction=direction)
        .select_related("partner")
        .prefetch_related("events__by")
    )


def _referrals_in(person):
    return [
        entry(
            ("Reçue le", r.received_on),
            ("Par", r.partner or "vous-même"),
            ("Motif", r.reason),
            ("Vos attentes", r.expectations),
            ("Suite", r.get_status_display()),
            ("Décision le", r.decided_on),
            ("Motif de la décision", r.decision_reason),
        )
        + steps(r.events.all(), text="note")
        for r in _referrals(person, Direction.IN)
    ]


def _relays(person):
    return [
        entry(
            ("Envoyé le", r.received_on),
            ("Vers", r.partner),
            ("Motif", r.reason),
            ("Informations transmises", r.shared_information),
            ("Suite", r.get_status_display()),
            ("Réponse le", r.decided_on),
            ("Réponse du partenaire", r.decision_reason),
        )
        + steps(r.events.all(), text="note")
        for r in _referrals(person, Direction.OUT)
    ]


def _referrals_prefetch():
    return [
        Prefetch(
            "referrals",
            Referral.objects.select_related("partner", "contact").prefetch_related("events"),
        )
    ]


def _referrals_timeline(person):
    for referral in person.referrals.all():
        if referral.direction == Direction.OUT:
            yield TimelineEntry(
                referral.received_on,
                f"Relais vers {referral.partner}",
                referral.get_status_display(),
            )
            continue
        source = f"par {referral.partner}" if referral.partner else "démarche personnelle"
        yield TimelineEntry(referral.received_on, "Orientation reçue", source)
        for event in referral.events.all():
            if event.from_status:
                yield TimelineEntry(
                    event.at.date(),
                    f"Orientation : {event.get_to_status_display().lower()}",
                    event.note,
                )


def _contracts_timeline(person):
    for contract in person.rsa_contracts.all():
        yield TimelineEntry(contract.starts_on, "Contrat d'engagement RSA", str(contract))


PARTS = [
    FilePart(
        ConfidentialNote,
        person="person",
        # Deleted without being read (see privacy.services): erasure must work even
        # when the key is lost.
        erased=True,
        exports=(
            Export(
                80,
                "Volet confidentiel (santé, addictions, violences)",
                _confidential,
                confidential=True,
            ),
        ),
    ),
    FilePart(
        Referral,
        person="person",
        kept=frozenset(
            {
                "id",
                "centre",
                "person",
                "direction",
                "partner",
                "referrer_user",
                "received_on",
                "status",
                "intake_on",
                "decided_on",
                "follow_up_on",
                "created_at",
            }
        ),
        emptied={
            "reason": "",
            "expectations": "",
            "decision_reason": "",
            "shared_information": "",
            "contact": None,
        },
        exports=(
            Export(90, "Vos orientations vers le centre", _referrals_in),
            Export(100, "Vos relais vers des partenaires", _relays),
        ),
        timeline=Timeline(10, _referrals_prefetch, _referrals_timeline),
        contacts=(Contact(day="received_on", centre="centre"),),
    ),
    FilePart(
        ReferralEvent,
        person="referral__person",
        kept=frozenset({"id", "referral", "from_status", "to_status", "at", "by"}),
        emptied={"note": ""},
        shown_with=Referral,
        contacts=(Contact(day="at__date", centre="referral__centre"),),
    ),
    FilePart(
        RsaContract,
        person="person",
        kept=frozenset({"id", "person", "starts_on", "ends_on"}),
        emptied={"goals": ""},
        exports=(
            Export(
                120,
                "Vos contrats d'engagement RSA",
                lambda person: [
                    entry(("Du", c.starts_on), ("Au", c.ends_on), ("Objectifs", c.goals))
                    for c in person.rsa_contracts.all()
                ],
            ),
        ),
        timeline=Timeline(60, lambda: ["rsa_contracts"], _contracts_timeline),
    ),
]
