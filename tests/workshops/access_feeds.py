"""Access matrix entries of the calendar feeds (see tests/access.py).

The builders make the feed they need from `objects["workshop"]`, which one facilitator
(users["facilitator"]) runs.
"""

from parcours.workshops.models import CalendarFeed

from ..access import PUBLIC, rule


def workshop_feed_token(objects):
    workshop = objects["workshop"]
    feed = CalendarFeed.objects.create(
        centre=workshop.centre, workshop=workshop, created_by=workshop.facilitators.first()
    )
    return [feed.token]


def facilitators_own_feed(objects):
    facilitator = objects["workshop"].facilitators.first()
    feed = CalendarFeed.objects.create(
        centre=objects["workshop"].centre, owner=facilitator, created_by=facilitator
    )
    return [feed.pk]


MATRIX = {
    # The .ics address is its own secret: no login, every actor reads it.
    "workshops:feed": (workshop_feed_token, "get", PUBLIC),
    "workshops:feeds": (
        None,
        "get",
        rule(
            outsider=200,
            coordinator=200,
            facilitator=200,
            partner_worker=403,
            director=200,
            admin=200,
        ),
    ),
    # Without data: the user's own feed.
    "workshops:feed_create": (
        None,
        "post",
        rule(
            outsider=302,
            coordinator=302,
            facilitator=302,
            partner_worker=403,
            director=302,
            admin=302,
        ),
    ),
    # The facilitator's own feed: they and the coordinator/admin revoke it; the director
    # is refused (403: found in the centre, not theirs); another centre does not find it.
    "workshops:feed_revoke": (
        facilitators_own_feed,
        "post",
        rule(
            outsider=404,
            coordinator=302,
            facilitator=302,
            partner_worker=403,
            director=403,
            admin=302,
        ),
    ),
}
