from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parcours import policy
from parcours.centres.models import Programme

from . import layout
from .forms import NarrativeForm, PeriodForm
from .models import Narrative


def _programmes(request):
    return Programme.objects.of_member_centres(request.user).of_centre(request.centre)


@policy.centre_rule(policy.can_view_reports)
def index(request):
    programmes = list(_programmes(request))
    if len(programmes) == 1:
        return redirect("reports:report", programme_pk=programmes[0].pk)
    return render(request, "reports/index.html", {"programmes": programmes})


@policy.centre_rule(policy.can_view_reports)
def report(request, programme_pk):
    programme = get_object_or_404(_programmes(request), pk=programme_pk)
    period = PeriodForm(request.GET or None)
    context = {"programme": programme, "period": period}
    if period.is_valid():
        data = period.cleaned_data
        result = layout.compute(
            centre=request.centre,
            programme=programme,
            start=data["du"],
            end=data["au"],
            funder=data["financeur"] or "",
        )
        layout.report_narratives(result, request.centre, programme)
        context.update(
            report=result,
            query=request.GET.urlencode(),
            can_write=policy.can_write_report(request.user, request.centre),
            can_export=policy.can_export_people(request.user, request.centre),
        )
    return render(request, "reports/report.html", context, status=200 if period.is_valid() else 400)


@require_POST
@policy.centre_rule(policy.can_write_report)
def narrative(request, programme_pk):
    programme = get_object_or_404(_programmes(request), pk=programme_pk)
    period = PeriodForm(request.GET or None)
    form = NarrativeForm(request.POST)
    if not (period.is_valid() and form.is_valid()):
        messages.error(
            request, "Le commentaire n'a pas pu être enregistré : période ou texte invalide."
        )
    else:
        Narrative.objects.update_or_create(
            centre=request.centre,
            programme=programme,
            start=period.cleaned_data["du"],
            end=period.cleaned_data["au"],
            section=form.cleaned_data["section"],
            defaults={"text": form.cleaned_data["text"], "updated_by": request.user},
        )
        messages.success(request, "Le commentaire est enregistré avec le bilan de cette période.")
    url = reverse("reports:report", args=[programme.pk])
    return redirect(f"{url}?{request.GET.urlencode()}#{form.data.get('section', '')}")
