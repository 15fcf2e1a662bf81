"""PDF downloads of the workshops: sign-in sheets and attendance records.

A sheet lists people's names: each download is audited as a read.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from parcours import policy
from parcours.accounts.reauth import recent_auth_required
from parcours.audit.services import audit_bulk_reads, audit_read, client_ip

from . import sheets
from .models import Session, Workshop


def _session(request, pk):
    sessions = (
        Session.objects.of_member_centres(request.user)
        .of_centre(request.centre)
        .select_related("place", "workshop__centre", "workshop__place", "workshop__programme")
    )
    session = get_object_or_404(sessions, pk=pk)
    if not policy.can_run_session(request.user, session):
        raise PermissionDenied
    return session


def _pdf(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    # Inline: the browser shows it, ready to print.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def session_sheet(request, pk):
    session = _session(request, pk)
    audit_read(instance=session, by=request.user, section="feuille d'émargement")
    return _pdf(
        sheets.sign_in_sheet(session),
        f"emargement-{slugify(session.workshop.name)}-{session.date:%Y-%m-%d}.pdf",
    )


def session_record(request, pk):
    return _attendance_record(request, _session(request, pk))


# Who came, who did not: a piece of each person's record, unlike a blank sign-in sheet.
# Asked after the access check, so that someone refused is refused at once.
@recent_auth_required
def _attendance_record(request, session):
    audit_read(instance=session, by=request.user, section="relevé de présence")
    listing = sheets.attendance_listing(session)
    # A read of each person listed too: it answers "who read my file" (GDPR art. 15).
    audit_bulk_reads(
        person_ids={person.pk for person, *_ in listing.rows},
        by=request.user,
        centre=request.centre,
        via="relevé de présence",
        remote_addr=client_ip(request),
    )
    return _pdf(
        sheets.attendance_record(session, listing),
        f"presences-{slugify(session.workshop.name)}-{session.date:%Y-%m-%d}.pdf",
    )


def monthly_sheet(request, pk, year, month):
    if not (1 <= month <= 12 and datetime.MINYEAR <= year < datetime.MAXYEAR):
        raise Http404("Ce mois n'existe pas.")
    workshops = (
        Workshop.objects.of_member_centres(request.user)
        .of_centre(request.centre)
        .select_related("centre", "place", "programme")
    )
    workshop = get_object_or_404(workshops, pk=pk)
    if not policy.can_run_workshop(request.user, workshop):
        raise PermissionDenied
    audit_read(
        instance=workshop, by=request.user, section=f"feuilles d'émargement {month:02}/{year}"
    )
    return _pdf(
        sheets.monthly_sign_in_sheet(workshop, year, month),
        f"emargement-{slugify(workshop.name)}-{year}-{month:02}.pdf",
    )
