"""The parts of a person's file that `consent` owns (see people.file)."""

from parcours.people.file import Export, FilePart, entry

from .models import ConsentOverride, ConsentRecord, NoticeGiven

# What an anonymised override says instead of its reason, which may not be empty.
ERASED_REASON = "(effacé à l'anonymisation du dossier)"


def _notices(person):
    return [
        entry(("Notice d'information remise le", n.given_on)) for n in person.notices_given.all()
    ]


def _records(person):
    return [
        entry(
            ("À compter du", r.on),
            ("Objet", r.scope_label),
            ("Réponse", r.get_answer_display()),
            ("Ce qui a été convenu", r.scope),
        )
        for r in person.consent_records.select_related("partner").order_by("on", "pk")
    ]


def _overrides(person):
    return [
        entry(("Le", o.at), ("Objet", o.scope_label), ("Motif", o.reason))
        for o in person.consent_overrides.select_related("partner").order_by("at")
    ]


# The register keeps its dated answers at anonymisation (the proof that the centre
# asked) and loses what was written about the person.
PARTS = [
    FilePart(
        NoticeGiven,
        person="person",
        kept=frozenset({"id", "centre", "person", "given_on", "content", "by", "created_at"}),
        exports=(Export(40, "L'information que vous avez reçue", _notices),),
    ),
    FilePart(
        ConsentRecord,
        person="person",
        kept=frozenset(
            {"id", "centre", "person", "purpose", "partner", "partner_kind", "answer", "on", "by"}
            | {"created_at"}
        ),
        emptied={"scope": ""},
        exports=(Export(50, "Vos accords et leurs retraits", _records),),
    ),
    FilePart(
        ConsentOverride,
        person="person",
        kept=frozenset({"id", "centre", "person", "purpose", "partner", "by", "at"}),
        emptied={"reason": ERASED_REASON},
        exports=(
            Export(60, "Informations transmises sans votre accord (dérogations)", _overrides),
        ),
    ),
]
