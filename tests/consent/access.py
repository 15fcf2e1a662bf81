"""Access matrix entries of the consent register (see tests/access.py): the
coordinator only, except the centre's blank notice, which the admin prints too."""

import datetime

from django.utils import timezone

from parcours.consent import services
from parcours.consent.enums import Purpose

from ..access import COORDINATOR_OBJECT, COORDINATOR_POST, MANAGEMENT_PAGE


def _person(o):
    return [o["person"].pk]


def _a_month_ago():
    return timezone.localdate() - datetime.timedelta(days=30)


def make_record(o):
    return services.consent_record(
        person=o["person"], purpose=Purpose.PHOTOS, on=_a_month_ago(), by=None
    )


def make_notice(o):
    return services.notice_give(person=o["person"], given_on=_a_month_ago(), by=None)


MATRIX = {
    "consent:person": (_person, "get", COORDINATOR_OBJECT),
    "consent:record": (
        lambda o: {"args": _person(o), "purpose": "processing", "on": _a_month_ago()},
        "post",
        COORDINATOR_POST,
    ),
    "consent:notice_give": (
        lambda o: {"args": _person(o), "given_on": _a_month_ago()},
        "post",
        COORDINATOR_POST,
    ),
    "consent:withdraw": (
        lambda o: {"args": [make_record(o).pk], "on": timezone.localdate()},
        "post",
        COORDINATOR_POST,
    ),
    "consent:override": (_person, "get", COORDINATOR_OBJECT),
    # The outsider prints their own centre's notice.
    "consent:notice": (None, "get", MANAGEMENT_PAGE),
    "consent:notice_given": (lambda o: [make_notice(o).pk], "get", COORDINATOR_OBJECT),
}
