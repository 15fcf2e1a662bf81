"""Access matrix entries of this domain (see tests/access.py)."""

from ..access import MANAGEMENT_OBJECT, MANAGEMENT_PAGE, MEMBERS, rule
from .factories import PartnerContactFactory, PartnerFactory

# Coordination only; the outsider coordinates another centre, so the page opens for
# them but every object of this centre is a 404.

MATRIX = {
    "partners:list": (None, "get", MEMBERS),
    "partners:detail": (
        lambda o: [o["partner"].pk],
        "get",
        rule(
            outsider=404,
            coordinator=200,
            facilitator=200,
            partner_worker=200,
            director=200,
            admin=200,
        ),
    ),
    "partners:create": (None, "get", MANAGEMENT_PAGE),
    "partners:edit": (lambda o: [o["partner"].pk], "get", MANAGEMENT_OBJECT),
    "partners:contact_create": (lambda o: [o["partner"].pk], "get", MANAGEMENT_OBJECT),
    "partners:contact_edit": (lambda o: [o["partner_contact"].pk], "get", MANAGEMENT_OBJECT),
}


def objects(centre, users):
    partner = PartnerFactory(centre=centre, name="CCAS de Thionville")
    return {"partner": partner, "partner_contact": PartnerContactFactory(partner=partner)}
