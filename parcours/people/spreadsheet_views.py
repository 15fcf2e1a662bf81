from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render

from parcours import policy
from parcours.accounts.reauth import recent_auth_required
from parcours.audit.services import client_ip
from parcours.centres.models import Programme
from parcours.core.forms import BoundedForm

from .exports import CONTENT_TYPES, import_template, people_export
from .filters import PersonFilter
from .imports import COLUMNS, people_import
from .models import Neighbourhood

MAX_UPLOAD_MB = 10


class ImportForm(BoundedForm):
    file = forms.FileField(
        label="Fichier à importer",
        help_text=f"Tableur .xlsx ou fichier .csv, {MAX_UPLOAD_MB} Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    programme = forms.ModelChoiceField(
        label="Action où entrent les personnes",
        queryset=Programme.objects.none(),
        required=False,
        empty_label="— aucune —",
        help_text="Pour les lignes dont la colonne « Date d'entrée » est remplie.",
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.of_centre(centre)
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"Le fichier dépasse {MAX_UPLOAD_MB} Mo : découpez-le en plusieurs fichiers."
            )
        return file


@policy.centre_rule(policy.can_manage_people)
def import_people(request):
    # Bound on any POST: a form holding only a file has an empty request.POST.
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = ImportForm(*data, centre=request.centre)
    errors = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        result = people_import(
            file=upload,
            filename=upload.name,
            centre=request.centre,
            programme=form.cleaned_data["programme"],
        )
        if not result.errors:
            messages.success(request, result.summary)
            return redirect("people:list")
        errors = result.errors
    return render(
        request,
        "people/import.html",
        {
            "form": form,
            "errors": errors,
            "columns": COLUMNS,
            "neighbourhoods": Neighbourhood.objects.of_centre(request.centre),
        },
    )


@policy.centre_rule(policy.can_manage_people)
def import_template_download(request):
    response = HttpResponse(import_template(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = 'attachment; filename="modele-import-personnes.xlsx"'
    return response


@policy.centre_rule(policy.can_export_people)
@recent_auth_required
def export_people(request):
    file_format = request.GET.get("format", "xlsx")
    if file_format not in CONTENT_TYPES:
        return HttpResponseBadRequest(
            "Format d'export inconnu : choisissez xlsx ou csv.",
            content_type="text/plain; charset=utf-8",
        )
    people = PersonFilter(
        request.GET,
        queryset=policy.people_visible_to(request.user, request.centre),
        centre=request.centre,
        allowed=policy.people_list_filters_for(request.user, request.centre),
    ).qs
    export = people_export(
        people=people,
        file_format=file_format,
        centre=request.centre,
        by=request.user,
        remote_addr=client_ip(request),
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
