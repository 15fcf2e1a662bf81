"""Access matrix entries of the invitations (see tests/access.py).

The builders make a pending invitation of `objects["centre"]`, sent by its admin, to an
address with no account (a new one at each call).
"""

from parcours.centres.enums import Role
from parcours.centres.models import Invitation, Membership

from ..access import rule


def _invitation(objects):
    centre = objects["centre"]
    return Invitation.objects.create(
        centre=centre,
        # One address per builder call: the proofs' world calls every builder.
        email=f"invitee{Invitation.objects.count()}@exemple.test",
        role=Role.FACILITATOR,
        invited_by=Membership.objects.get(centre=centre, role=Role.ADMIN).user,
    )


def invitation_pk(objects):
    return [_invitation(objects).pk]


def invitation_token(objects):
    invitation = _invitation(objects)
    token = invitation.new_token()
    invitation.save()
    return [token]


# The team's admin only, as the team's other changes.
ADMIN_POST = rule(
    outsider=403, coordinator=403, facilitator=403, partner_worker=403, director=403, admin=302
)

MATRIX = {
    "centres:invitation_resend": (invitation_pk, "post", ADMIN_POST),
    "centres:invitation_revoke": (invitation_pk, "post", ADMIN_POST),
    # Public by token, like a calendar feed: the link is the key, and the invitee may
    # have no account yet. Anyone logged in is someone else than this address: refused.
    "centres:invitation_accept": (
        invitation_token,
        "get",
        rule(
            anon=200,
            outsider=403,
            coordinator=403,
            facilitator=403,
            partner_worker=403,
            director=403,
            admin=403,
        ),
    ),
}
