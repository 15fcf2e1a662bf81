"""Who a report is for, and how each funder counts: which people, and which sections
in which order. The queries (`queries.py`) read `people`, the layout (`layout.py`)
reads the rest."""

from django.db.models import Q

from parcours.people.enums import Benefit

from .enums import Funder


class FunderRule:
    """All funders: every person followed, the standard sections."""

    # Lookups on Person that a person must match to be counted.
    people = {}
    # The household tables come first in the people section.
    household_first = False
    # The FSE+ participant indicators are added as a section of their own.
    fse = False

    @classmethod
    def people_q(cls, prefix=""):
        return Q(**{prefix + lookup: value for lookup, value in cls.people.items()})


class DepartementRule(FunderRule):
    """Département (programme d'insertion RSA): only RSA recipients count, that is the
    people whose main income on their file is the RSA. Every person-based figure of
    every section is restricted to them."""

    people = {"benefit": Benefit.RSA}


class CafRule(FunderRule):
    """CAF: every person followed, with the household tables (family situation, single
    parents) first in the people section."""

    household_first = True


class CityRule(FunderRule):
    """City (contrat de ville): only the residents of a priority neighbourhood (QPV)
    count. Every person-based figure of every section is restricted to them."""

    people = {"neighbourhood__is_qpv": True}


class FseRule(FunderRule):
    """FSE+: every person followed, plus the section of participant indicators at entry
    and at exit; `fse.fse_participants` gives the one-row-per-participant list."""

    fse = True


FUNDER_RULES = {
    Funder.ALL: FunderRule,
    Funder.DEPARTEMENT: DepartementRule,
    Funder.CAF: CafRule,
    Funder.CITY: CityRule,
    Funder.FSE: FseRule,
}
