"""Access matrix entries of the privacy domain (see tests/access.py)."""

import datetime

from parcours.privacy.models import LegalHold

from ..access import rule
from ..people.factories import PersonFactory

# The archive is the admin's alone; the outsider (another centre's coordinator) is
# refused by role before any lookup.
ADMIN_ONLY = rule(
    outsider=403, coordinator=403, facilitator=403, partner_worker=403, director=403, admin=200
)
# A person's rights: the coordinator answers for the current files, the admin for the
# archived ones only (tests/privacy/test_archive_rights.py), so a current file is not
# found for the admin.
RIGHTS_OBJECT = rule(
    outsider=404, coordinator=200, facilitator=403, partner_worker=403, director=403, admin=404
)
RIGHTS_POST = rule(
    outsider=404, coordinator=302, facilitator=403, partner_worker=403, director=403, admin=404
)


def _person(o):
    return [o["privacy_person"].pk]


MATRIX = {
    "privacy:person": (_person, "get", RIGHTS_OBJECT),
    "privacy:export_pdf": (_person, "get", RIGHTS_OBJECT),
    "privacy:export_json": (_person, "get", RIGHTS_OBJECT),
    "privacy:erasure": (
        lambda o: {
            "args": _person(o),
            "requested_on": "2026-11-02",
            "channel": "letter",
        },
        "post",
        RIGHTS_POST,
    ),
    "privacy:hold_create": (
        lambda o: {"args": _person(o), "reason": "Contrôle du financeur en cours."},
        "post",
        RIGHTS_POST,
    ),
    "privacy:hold_lift": (lambda o: [o["hold"].pk], "post", RIGHTS_POST),
    "privacy:archive": (None, "get", ADMIN_ONLY),
    "privacy:archived_person": (lambda o: [o["archived_person"].pk], "get", ADMIN_ONLY),
}


def objects(centre, users):
    person = PersonFactory(centre=centre, last_name="Droits", first_name="Alice")
    return {
        "privacy_person": person,
        "hold": LegalHold.objects.create(
            person=person, reason="Procédure en cours.", recorded_on=datetime.date(2026, 10, 1)
        ),
        "archived_person": PersonFactory(
            centre=centre, last_name="Archivée", archived_on=datetime.date(2026, 6, 1)
        ),
    }
