"""Assessment pages: the centre's grid and its versions, recording a scoring, and a
pathway's progress (first vs latest, and a chart over time)."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone

from parcours import policy
from parcours.audit.services import audit_read
from parcours.core.forms import DATE, BoundedForm, BoundedModelForm, FieldsetsMixin
from parcours.core.pages import form_page
from parcours.core.search import name_key

from . import assessments
from .assessments import CRITERION_FIELDS, LEVELS
from .enums import AssessmentBy
from .models import AssessmentGrid, Criterion
from .views import pathway_or_404


class CriterionForm(BoundedModelForm):
    class Meta:
        model = Criterion
        fields = CRITERION_FIELDS
        labels = {
            "level_1": "Niveau 1, le plus en difficulté",
            "level_4": "Niveau 4, le plus à l'aise",
        }
        widgets = {"group": forms.TextInput(attrs={"list": "volets"})}


class BaseCriterionFormSet(forms.BaseFormSet):
    def kept_forms(self):
        """The current grid's criteria and the new ones filled in, less those ticked
        for deletion."""
        return [
            form
            for form in self.forms
            if (form.initial or form.has_changed()) and not self._should_delete_form(form)
        ]

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.kept_forms():
            key = (name_key(form.cleaned_data["group"]), name_key(form.cleaned_data["label"]))
            if key in seen:
                # Progress compares criteria by their wording within a group.
                raise forms.ValidationError(
                    f"Le volet « {form.cleaned_data['group']} » a deux critères "
                    f"« {form.cleaned_data['label']} »."
                )
            seen.add(key)
        if not seen:
            raise forms.ValidationError("La grille doit garder au moins un critère.")

    def criteria(self):
        return [
            {name: form.cleaned_data[name] for name in CRITERION_FIELDS}
            for form in self.kept_forms()
        ]


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True, max_num=100
)


def _with_one_more_form(data):
    """The posted formset with one more blank criterion: adding needs no JavaScript."""
    data = data.copy()
    total = data.get("form-TOTAL_FORMS", "")
    if total.isdigit():  # otherwise the management form was tampered with: the formset says so
        data["form-TOTAL_FORMS"] = str(int(total) + 1)
    return data


class AssessmentForm(FieldsetsMixin, BoundedForm):
    assessed_on = forms.DateField(label="Date de l'évaluation", widget=DATE)
    assessed_by = forms.ChoiceField(
        label="Évaluation",
        choices=AssessmentBy.choices,
        initial=AssessmentBy.COORDINATOR,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, pathway, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.pathway = pathway
        self.criteria = list(grid.criteria.all())
        groups = {}
        for criterion in self.criteria:
            name = f"criterion_{criterion.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=criterion.label,
                coerce=int,
                widget=forms.RadioSelect,
                choices=[
                    (n, f"{n} — {text}") for n, text in zip(LEVELS, criterion.levels(), strict=True)
                ],
                error_messages={
                    "required": f"Choisissez un niveau pour « {criterion.label} ».",
                    "invalid_choice": "Choisissez un niveau de 1 à 4.",
                },
            )
            groups.setdefault(criterion.group, []).append(name)
        self.FIELDSETS = [("L'évaluation", ["assessed_on", "assessed_by"]), *groups.items()]

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date de l'évaluation ne peut pas être à venir.")
        if day < self.pathway.started_on:
            raise forms.ValidationError(
                f"Le parcours a commencé le {self.pathway.started_on:%d/%m/%Y} : "
                "l'évaluation ne peut pas être antérieure."
            )
        if self.pathway.ended_on and day > self.pathway.ended_on:
            raise forms.ValidationError(
                f"Le parcours s'est terminé le {self.pathway.ended_on:%d/%m/%Y} : "
                "l'évaluation ne peut pas être postérieure."
            )
        return day

    def clean(self):
        day, kind = self.cleaned_data.get("assessed_on"), self.cleaned_data.get("assessed_by")
        if day and kind and self.pathway.assessments.filter(assessed_on=day, by=kind).exists():
            self.add_error(
                "assessed_on",
                f"Une évaluation « {AssessmentBy(kind).label.lower()} » "
                "est déjà enregistrée à cette date.",
            )
        return self.cleaned_data

    def values(self):
        return {c: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


@policy.centre_rule(policy.can_follow_pathways)
def grid(request):
    current = assessments.default_grid(request.centre)
    versions = (
        AssessmentGrid.objects.of_centre(request.centre)
        .exclude(pk=current.pk)
        .annotate(assessment_count=Count("assessments"))
    )
    criteria = current.criteria.all()
    groups = {}
    for criterion in criteria:
        groups.setdefault(criterion.group, []).append(criterion)
    return render(
        request,
        "pathways/assessment_grid.html",
        {"grid": current, "groups": list(groups.items()), "versions": versions},
    )


@policy.centre_rule(policy.can_follow_pathways)
def grid_edit(request):
    current = assessments.default_grid(request.centre)
    initial = assessments.criterion_rows(current)
    if request.method == "POST" and "add" in request.POST:
        formset = CriterionFormSet(_with_one_more_form(request.POST), initial=initial)
    elif request.method == "POST":
        formset = CriterionFormSet(request.POST, initial=initial)
        if formset.is_valid():
            saved = assessments.grid_version_create(
                centre=request.centre, criteria=formset.criteria()
            )
            if saved is None:
                messages.info(
                    request, f"Aucun changement : la grille reste en version {current.version}."
                )
            else:
                messages.success(
                    request,
                    f"La grille est enregistrée en version {saved.version}. Les évaluations "
                    "déjà faites gardent la version sur laquelle elles ont été notées.",
                )
            return redirect("pathways:grid")
    else:
        formset = CriterionFormSet(initial=initial)
    groups = sorted({row["group"] for row in initial})
    return render(
        request,
        "pathways/assessment_grid_form.html",
        {"formset": formset, "grid": current, "groups": groups},
    )


@policy.centre_rule(policy.can_follow_pathways)
def assessment_create(request, pk):
    pathway = pathway_or_404(request, pk)
    if request.method == "GET":  # the form page names the person: a reading of the file
        audit_read(instance=pathway.person, by=request.user, section="évaluations")
    current = assessments.default_grid(request.centre)
    form = AssessmentForm(request.POST or None, pathway=pathway, grid=current)
    if request.method == "POST" and form.is_valid():
        assessments.assessment_record(
            pathway=pathway,
            grid=current,
            assessed_on=form.cleaned_data["assessed_on"],
            assessed_by=form.cleaned_data["assessed_by"],
            values=form.values(),
            by=request.user,
        )
        messages.success(request, "L'évaluation est enregistrée.")
        return redirect("pathways:assessments", pk=pathway.pk)
    return form_page(
        request,
        form,
        heading="Nouvelle évaluation",
        lead=(
            f"{pathway.person} — grille version {current.version}. Pour chaque critère, le "
            "niveau qui décrit la situation aujourd'hui : de 1, le plus en difficulté, "
            "à 4, le plus à l'aise."
        ),
        cancel_url=reverse("pathways:assessments", args=[pathway.pk]),
    )


@policy.centre_rule(policy.can_follow_pathways)
def assessment_list(request, pk):
    pathway = pathway_or_404(request, pk)
    audit_read(instance=pathway.person, by=request.user, section="évaluations")
    found = assessments.pathway_assessments(pathway)
    sides = [
        Side(label, [a for a in found if a.by == kind])
        for kind, label in [
            (AssessmentBy.COORDINATOR, "Coordination"),
            (AssessmentBy.SELF, "Auto-évaluation"),
        ]
    ]
    return render(
        request,
        "pathways/assessment_progress.html",
        {
            "pathway": pathway,
            "person": pathway.person,
            "assessments": [(a, _average(a)) for a in reversed(found)],
            "progress": assessments.progress(pathway, found),
            "sides": sides,
            "chart": _chart(sides),
        },
    )


def _average(assessment):
    values = [score.value for score in assessment.scores.all()]
    return sum(values) / len(values) if values else None


@dataclass
class Side:
    label: str
    assessments: list

    @property
    def first_on(self):
        return self.assessments[0].assessed_on if self.assessments else None

    @property
    def latest_on(self):
        return self.assessments[-1].assessed_on if self.assessments else None


# The chart: the average level of each assessment over time, one line per side. Eleven
# criteria as eleven lines would be unreadable; the table gives the detail.
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 40, 16, 40
COLOURS = {"Coordination": "#1f5f8b", "Auto-évaluation": "#a15c00"}
MIN_LABEL_GAP = 72


def _chart(sides):
    dates = sorted({a.assessed_on for side in sides for a in side.assessments})
    if not dates:
        return None
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = (dates[-1] - dates[0]).days

    def x(day):
        if not span:
            return LEFT + plot_width / 2
        return round(LEFT + plot_width * (day - dates[0]).days / span, 1)

    def y(value):
        return round(TOP + plot_height * (LEVELS[-1] - value) / (LEVELS[-1] - LEVELS[0]), 1)

    lines = []
    for side in sides:
        points = [
            _point(x(a.assessed_on), y(average), a.assessed_on, average)
            for a in side.assessments
            if (average := _average(a)) is not None
        ]
        if points:
            lines.append(
                {
                    "label": side.label,
                    "colour": COLOURS[side.label],
                    "dashed": side.label != "Coordination",
                    "points": points,
                    "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
                }
            )
    x_ticks, last_x = [], None
    for day in dates:
        if last_x is None or x(day) - last_x >= MIN_LABEL_GAP:
            x_ticks.append({"x": x(day), "on": day})
            last_x = x(day)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "tick_label_x": LEFT - 8,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 22,
        "y_ticks": [{"value": v, "y": y(v), "label_y": y(v) + 4} for v in LEVELS],
        "x_ticks": x_ticks,
        "lines": lines,
        "description": _describe(lines),
    }


def _point(x, y, on, average):
    # Corners place the square markers of the self-assessment on the same spot.
    return {
        "x": x,
        "y": y,
        "corner_x": round(x - 5, 1),
        "corner_y": round(y - 5, 1),
        "on": on,
        "average": average,
    }


def _describe(lines):
    """The chart in words, for screen readers and whoever prefers text."""
    parts = []
    for line in lines:
        values = ", ".join(
            f"{formats.number_format(p['average'], 1)} le {p['on']:%d/%m/%Y}"
            for p in line["points"]
        )
        parts.append(f"{line['label']} : {values}.")
    return "Niveau moyen de 1 à 4, par évaluation. " + " ".join(parts)
