import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours import policy
from parcours.core.forms import DATE, BoundedForm, BoundedModelForm
from parcours.core.pages import form_page

from .models import VigilanceFollowUp
from .stats import workshop_figures


class PeriodForm(BoundedForm):
    """The period of the figures, read from the query string (`?du=…&au=…`)."""

    du = forms.DateField(
        label="Du",
        widget=DATE,
        error_messages={
            "required": "Indiquez le premier jour de la période.",
            "invalid": "Saisissez une date valide, par exemple 01/01/2026.",
        },
    )
    au = forms.DateField(
        label="Au",
        widget=DATE,
        error_messages={
            "required": "Indiquez le dernier jour de la période.",
            "invalid": "Saisissez une date valide, par exemple 31/12/2026.",
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            raise ValidationError("Le premier jour de la période doit précéder le dernier.")
        return cleaned


class FollowUpForm(BoundedModelForm):
    class Meta:
        model = VigilanceFollowUp
        fields = ["note"]
        labels = {"note": "Suivi fait"}
        help_texts = {"note": "Un appel, un message, une visite, ce qui a été convenu."}
        error_messages = {
            "note": {"required": "Notez le suivi fait : un appel, un message, une visite…"}
        }


@policy.centre_rule(policy.can_view_reports)
def figures(request):
    today = timezone.localdate()
    this_year = {"du": datetime.date(today.year, 1, 1), "au": datetime.date(today.year, 12, 31)}
    form = PeriodForm(request.GET or None, initial=this_year)
    period = None
    if not form.is_bound:
        period = this_year
    elif form.is_valid():
        period = form.cleaned_data
    context = {
        "form": form,
        "figures": workshop_figures(request.centre, period["du"], period["au"]) if period else None,
    }
    return render(request, "workshops/figures.html", context)


@policy.centre_rule(policy.can_manage_people)
@require_POST
def vigilance_follow_up(request, person_pk):
    """Note that someone followed up on a person who kept missing their workshops; the
    person leaves the list of people to watch (see vigilance.py)."""
    person = get_object_or_404(policy.people_visible_to(request.user, request.centre), pk=person_pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        form.instance.person = person
        form.instance.noted_by = request.user
        form.save()
        messages.success(request, f"Le suivi de {person} est noté.")
        return redirect("dashboard:home")
    return form_page(
        request,
        form,
        heading="Noter un suivi",
        lead=f"{person} a manqué plusieurs séances de suite.",
        cancel_url=reverse("dashboard:home"),
    )
