"""Background work of the centres: the invitation e-mail.

E-mails leave through the task framework (django-tasks, database backend): a slow or
absent mail server must not hold a request, and a failed send is kept, with its error,
in the tasks table for the worker to report (`manage.py db_worker`).
"""

from urllib.parse import urljoin

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from .enums import InvitationStatus
from .models import INVITATION_DAYS, Invitation


@task()
def invitation_send(*, invitation_id, site_url):
    """Mint the invitation's link and send it to the invited address.

    The token is made here, not by the request that queued the task: the arguments of a
    task are stored in the tasks table, and a working link must not lie there. If the
    e-mail cannot be sent the new token is rolled back with it. An invitation revoked or
    accepted in the meantime is not sent."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation_id, status=InvitationStatus.PENDING)
            .select_related("centre")
            .first()
        )
        if invitation is None:
            return
        token = invitation.new_token()
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
        # The centre's name, the role and the link: nothing about anyone but the
        # invitee, whose address this is.
        context = {
            "centre": invitation.centre.name,
            "role": invitation.get_role_display(),
            "link": urljoin(site_url, reverse("centres:invitation_accept", args=[token])),
            "days": INVITATION_DAYS,
        }
        send_mail(
            render_to_string("centres/invitation_subject.txt", context).strip(),
            render_to_string("centres/invitation_email.txt", context),
            None,
            [invitation.email],
        )
