from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours import policy
from parcours.accounts.reauth import recent_auth_required
from parcours.audit.services import audit_read
from parcours.people.models import Person

from . import services, subject_access
from .enums import ErasureOutcome
from .forms import ErasureRequestForm, LegalHoldForm
from .models import LegalHold


def _files(request):
    """The files whose rights the user answers: the current files for the coordinator;
    the archived ones not yet anonymised for the admin, who alone reads the archive
    (a person keeps their rights while their file is kept as proof)."""
    if policy.can_view_archive(request.user, request.centre):
        return _archived(request).filter(anonymised_on__isnull=True)
    return policy.people_visible_to(request.user, request.centre)


def _person(request, pk):
    return get_object_or_404(_files(request), pk=pk)


def _rights_page(person):
    return (
        redirect("privacy:archived_person", pk=person.pk)
        if person.archived_on
        else redirect("privacy:person", pk=person.pk)
    )


def _page(request, person, *, erasure_form=None, hold_form=None, status=200):
    today = timezone.localdate()
    context = {
        "person": person,
        "reasons": services.legal_reasons(person, today),
        "requests": person.erasure_requests.select_related("recorded_by"),
        "holds": person.legal_holds.select_related("recorded_by"),
        "erasure_form": erasure_form or ErasureRequestForm(today=today),
        "hold_form": hold_form or LegalHoldForm(),
    }
    if person.archived_on:
        # The archived file is shown whole on this page, a form error's too: each
        # showing is a reading of the archive, audited.
        audit_read(instance=person, by=request.user, section="archives")
        context["sections"] = subject_access.gather(person, confidential=False)
        return render(request, "privacy/archived_person.html", context, status=status)
    return render(request, "privacy/person.html", context, status=status)


@policy.centre_rule(policy.can_answer_privacy_requests)
def person_privacy(request, pk):
    """The person's rights on their data: export, rectification, erasure."""
    person = _person(request, pk)
    if person.archived_on:
        # The archived file is read on its own page, audited, after a recent code.
        return redirect("privacy:archived_person", pk=pk)
    # The page names the person and lists their requests and holds: a reading.
    audit_read(instance=person, by=request.user, section="droits sur les données")
    return _page(request, person)


def _export(request, pk, kind):
    person = _person(request, pk)
    # Audited first, in the request's transaction: no export leaves without its row.
    audit_read(instance=person, by=request.user, section=f"droit d'accès ({kind})")
    return person, subject_access.gather(person), timezone.now()


@policy.centre_rule(policy.can_answer_privacy_requests)
@recent_auth_required
def export_pdf(request, pk):
    person, sections, now = _export(request, pk, "PDF")
    response = HttpResponse(
        subject_access.as_pdf(person, sections, now), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="donnees-{person.pk}.pdf"'
    return response


@policy.centre_rule(policy.can_answer_privacy_requests)
@recent_auth_required
def export_json(request, pk):
    person, sections, now = _export(request, pk, "JSON")
    response = HttpResponse(
        subject_access.as_json(person, sections, now), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="donnees-{person.pk}.json"'
    return response


@require_POST
@policy.centre_rule(policy.can_answer_privacy_requests)
@recent_auth_required
def erasure(request, pk):
    person = _person(request, pk)
    today = timezone.localdate()
    form = ErasureRequestForm(request.POST, today=today)
    if not form.is_valid():
        return _page(request, person, erasure_form=form, status=400)
    answer = services.erasure_request_record(
        person=person, by=request.user, today=today, **form.cleaned_data
    )
    if answer.outcome == ErasureOutcome.DONE:
        messages.success(
            request,
            f"Le dossier n° {person.pk} est anonymisé : plus aucune donnée personnelle n'y reste.",
        )
        return redirect("privacy:archive" if person.archived_on else "people:list")
    messages.error(request, f"La demande est enregistrée mais refusée : {answer.refusal_reason}.")
    return _rights_page(person)


@require_POST
@policy.centre_rule(policy.can_answer_privacy_requests)
@recent_auth_required
def hold_create(request, pk):
    person = _person(request, pk)
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        return _page(request, person, hold_form=form, status=400)
    services.legal_hold_record(
        person=person, by=request.user, today=timezone.localdate(), **form.cleaned_data
    )
    messages.success(request, "La conservation pour motif légal est enregistrée.")
    return _rights_page(person)


@require_POST
@policy.centre_rule(policy.can_answer_privacy_requests)
@recent_auth_required
def hold_lift(request, pk):
    holds = LegalHold.objects.filter(person__in=_files(request)).select_related("person")
    hold = get_object_or_404(holds, pk=pk)
    services.legal_hold_lift(hold=hold, today=timezone.localdate())
    messages.success(request, "La conservation est levée.")
    return _rights_page(hold.person)


def _archived(request):
    return Person.objects.of_centre(request.centre).filter(archived_on__isnull=False)


@policy.centre_rule(policy.can_view_archive)
def archive_list(request):
    """The archived files, by number and dates only: opening one is a reading."""
    people = _archived(request).order_by("-archived_on", "pk")
    return render(request, "privacy/archive_list.html", {"people": people})


@policy.centre_rule(policy.can_view_archive)
@recent_auth_required
def archived_person(request, pk):
    return _page(request, get_object_or_404(_archived(request), pk=pk))
