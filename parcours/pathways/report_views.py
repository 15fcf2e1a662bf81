"""The pathway's report for the RSA referent ("bilan de parcours", a PDF) and the
centre's list of exit outcomes."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from parcours import policy
from parcours.accounts.reauth import recent_auth_required
from parcours.audit.services import audit_read
from parcours.consent.enums import Purpose
from parcours.consent.models import consent_or_override
from parcours.consent.views import consent_missing
from parcours.core.forms import BoundedForm
from parcours.core.pages import form_page

from .bilan import bilan_gather, bilan_pdf
from .outcomes import ExitOutcomeForm, outcomes_for
from .views import pathway_or_404


class PeriodForm(BoundedForm):
    """`?du=AAAA-MM-JJ&au=AAAA-MM-JJ`; either may be left out."""

    du = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    au = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean(self):
        cleaned = super().clean()
        first_day, last_day = cleaned.get("du"), cleaned.get("au")
        if first_day and last_day and first_day > last_day:
            raise forms.ValidationError("La date de début doit précéder la date de fin.")
        return cleaned


@policy.centre_rule(policy.can_follow_pathways)
@recent_auth_required
def pathway_report(request, pk):
    pathway = pathway_or_404(request, pk)
    period = PeriodForm(request.GET)
    if not period.is_valid():
        return HttpResponseBadRequest(
            "Période invalide : indiquez les dates sous la forme AAAA-MM-JJ, "
            "par exemple ?du=2026-01-01&au=2026-03-31, la date de début avant celle de fin.",
            content_type="text/plain; charset=utf-8",
        )
    first_day = period.cleaned_data["du"] or pathway.started_on
    last_day = period.cleaned_data["au"] or timezone.localdate()
    if first_day > last_day:
        return HttpResponseBadRequest(
            f"Période invalide : le parcours commence le {first_day:%d/%m/%Y}, "
            "indiquez une date de fin qui suit.",
            content_type="text/plain; charset=utf-8",
        )
    audit_read(instance=pathway.person, by=request.user, section="bilan de parcours")
    consent = consent_or_override(pathway.person, Purpose.RSA_BILAN)
    if consent is None:
        return consent_missing(
            request,
            person=pathway.person,
            purpose=Purpose.RSA_BILAN,
            what="Le bilan de parcours destiné au référent RSA ne peut pas être transmis",
        )
    bilan = bilan_gather(pathway, first_day=first_day, last_day=last_day, consent=consent)
    content = bilan_pdf(bilan)
    response = HttpResponse(content, content_type="application/pdf")
    # No name in the file name: downloads folders and browser histories keep it.
    response["Content-Disposition"] = (
        f'inline; filename="bilan-parcours-{pathway.pk}-{last_day:%Y-%m-%d}.pdf"'
    )
    return response


@policy.centre_rule(policy.can_manage_exit_outcomes)
def exit_outcomes(request):
    form = ExitOutcomeForm(request.POST or None, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "L'issue est ajoutée à la liste du centre.")
        return redirect("pathways:exit_outcomes")
    return render(
        request,
        "pathways/exit_outcomes.html",
        {"form": form, "outcomes": outcomes_for(request.centre)},
    )


@policy.centre_rule(policy.can_manage_exit_outcomes)
def exit_outcome_edit(request, pk):
    # The defaults and the centre's own: another centre's outcome is not found.
    outcome = get_object_or_404(outcomes_for(request.centre), pk=pk)
    if outcome.centre_id is None:
        raise PermissionDenied  # the default list is the same for every centre
    form = ExitOutcomeForm(request.POST or None, instance=outcome, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "L'issue est enregistrée.")
        return redirect("pathways:exit_outcomes")
    return form_page(
        request,
        form,
        heading=f"Issue de parcours : {outcome.label}",
        cancel_url=reverse("pathways:exit_outcomes"),
        lead="Les parcours déjà clos avec cette issue afficheront le nouveau libellé.",
    )
