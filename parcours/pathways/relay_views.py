"""Relays to partners and case reviews (cellules d'appui): the coordinator's pages."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours import policy
from parcours.audit.services import audit_read
from parcours.consent.models import SHARING, ConsentOverride, ConsentRecord
from parcours.core.forms import DATE, BoundedForm, BoundedModelForm, ModelMultipleChoiceField
from parcours.partners.models import Partner, PartnerContact
from parcours.people.enums import ReferralStatus
from parcours.people.models import Person, Referral, ReferralEvent

from . import case_reviews, relays
from .models import CaseReview, CaseReviewItem

PAGE_SIZE = 50
FOLLOW_UP_AFTER = datetime.timedelta(days=15)
REVIEW_ROWS = 5


CONTACT_NOT_GIVEN = "Non précisé"


def _contacts_of(centre):
    return PartnerContact.objects.filter(partner__centre=centre).select_related("partner")


class RelayForm(BoundedModelForm):
    override_reason = forms.CharField(
        label="Motif de la dérogation",
        required=False,
        max_length=ConsentOverride._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Seulement si le relais s'impose sans l'accord de la personne (obligation "
            "légale, danger) : la dérogation est journalisée."
        ),
    )

    class Meta:
        model = Referral
        fields = ["partner", "contact", "reason", "shared_information", "follow_up_on"]
        labels = {
            "partner": "Structure partenaire",
            "reason": "Motif du relais",
            "follow_up_on": "Relancer le partenaire le",
        }
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "shared_information": forms.Textarea(attrs={"rows": 3}),
            "follow_up_on": DATE,
        }

    def __init__(self, *args, centre, can_override, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override_reason"]
        partner = self.fields["partner"]
        partner.required = True
        # The model's help ("laisser vide si la personne vient d'elle-même") is for
        # referrals coming in; a relay always goes to a structure.
        partner.help_text = "La structure qui reçoit la personne."
        partner.queryset = Partner.objects.of_centre(centre)
        # Choosing a structure reloads its contacts only (htmx; without it, every
        # contact of the centre is offered, and the relay refuses a contact of another
        # structure).
        partner.widget.attrs.update(
            {
                "hx-get": reverse("pathways:relay_contacts"),
                "hx-target": "#id_contact",
                "hx-trigger": "change",
            }
        )
        self.fields["contact"].queryset = _contacts_of(centre)
        self.fields["contact"].empty_label = CONTACT_NOT_GIVEN
        self.fields["contact"].label_from_instance = lambda c: f"{c} — {c.partner}"
        self.fields["follow_up_on"].required = True
        self.fields["follow_up_on"].initial = lambda: timezone.localdate() + FOLLOW_UP_AFTER

    def clean_follow_up_on(self):
        follow_up_on = self.cleaned_data["follow_up_on"]
        if follow_up_on < timezone.localdate():
            raise forms.ValidationError("La date de relance ne peut pas être passée.")
        return follow_up_on


class MoveRelayForm(BoundedForm):
    status = forms.ChoiceField(label="Nouvel état")
    note = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=ReferralEvent._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Par exemple le motif d'un refus ou la date du rendez-vous obtenu.",
    )

    def __init__(self, *args, relay, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the states this relay may reach; a stale page gets a clear refusal.
        allowed = relay.TRANSITIONS.get(relay.status, set())
        field = self.fields["status"]
        field.choices = [(s.value, s.label) for s in ReferralStatus if s in allowed]
        field.error_messages["invalid_choice"] = (
            f"Un relais « {relay.get_status_display()} » ne peut pas passer à cet état."
        )


class CaseReviewForm(BoundedModelForm):
    class Meta:
        model = CaseReview
        fields = ["held_on", "participants", "other_participants"]
        labels = {"held_on": "Date de la réunion"}
        widgets = {"held_on": DATE, "participants": forms.CheckboxSelectMultiple}
        help_texts = {
            "participants": "Les professionnels des structures partenaires du centre.",
            "other_participants": "Par exemple la coordinatrice, une élue, un bénévole.",
        }
        field_classes = {"participants": ModelMultipleChoiceField}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _contacts_of(centre)
        self.fields["participants"].label_from_instance = lambda c: f"{c} — {c.partner}"
        self.fields["held_on"].initial = timezone.localdate


class CaseReviewItemForm(BoundedForm):
    """One person reviewed. Rows left empty are ignored, so neither field is required
    on its own; a half-filled row is refused."""

    person = forms.ModelChoiceField(
        label="Personne", queryset=Person.objects.none(), required=False
    )
    decision = forms.CharField(
        label="Décision",
        required=False,
        max_length=CaseReviewItem._meta.get_field("decision").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].empty_label = "Choisir une personne"

    def clean(self):
        cleaned = super().clean()
        person, decision = cleaned.get("person"), cleaned.get("decision")
        if person and not decision:
            self.add_error("decision", "Indiquez la décision prise pour cette personne.")
        if decision and not person and "person" not in self.errors:
            self.add_error("person", "Choisissez la personne concernée par cette décision.")
        return cleaned

    @property
    def is_filled(self):
        return bool(self.cleaned_data.get("person"))


class BaseCaseReviewItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        people = [form.cleaned_data["person"] for form in self.forms if form.is_filled]
        if not people:
            raise forms.ValidationError(case_reviews.NOBODY_REVIEWED)
        if len(set(people)) != len(people):
            raise forms.ValidationError(
                "Une même personne figure deux fois : regroupez les décisions sur une ligne."
            )

    def items(self):
        return [
            (form.cleaned_data["person"], form.cleaned_data["decision"])
            for form in self.forms
            if form.is_filled
        ]


CaseReviewItemFormSet = forms.formset_factory(
    CaseReviewItemForm, formset=BaseCaseReviewItemFormSet, extra=REVIEW_ROWS
)


def _person(request, pk):
    return get_object_or_404(policy.people_visible_to(request.user, request.centre), pk=pk)


def _relay(request, pk):
    found = relays.relays_of_centre(request.centre).of_member_centres(request.user)
    return get_object_or_404(found.select_related("person", "partner", "contact"), pk=pk)


@policy.centre_rule(policy.can_follow_pathways)
def relay_contacts(request):
    """The contact choices of the structure picked on the relay form (htmx)."""
    contacts = _contacts_of(request.centre)
    partner = request.GET.get("partner", "")
    contacts = contacts.filter(partner_id=partner) if partner.isdecimal() else contacts.none()
    return render(
        request,
        "pathways/_contact_options.html",
        {"contacts": contacts, "empty_label": CONTACT_NOT_GIVEN},
    )


@policy.centre_rule(policy.can_follow_pathways)
def relay_create(request, pk):
    person = _person(request, pk)
    # The page shows what the person agreed to share: part of their file.
    audit_read(instance=person, by=request.user, section="relais")
    form = RelayForm(
        request.POST or None,
        centre=request.centre,
        can_override=policy.can_override_consent(request.user, request.centre),
    )
    if request.method == "POST" and form.is_valid():
        try:
            relay = relays.relay_send(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Le relais vers {relay.partner} est enregistré.")
            return redirect("pathways:relay", pk=relay.pk)
    sharing = ConsentRecord.objects.filter(person=person, purpose__in=SHARING).in_force()
    return render(
        request,
        "pathways/relay_form.html",
        {"form": form, "person": person, "sharing": sharing.select_related("partner")},
    )


def _relay_page(request, relay, move_form=None):
    context = {
        "relay": relay,
        "events": relay.events.select_related("by"),
        "move_form": move_form or MoveRelayForm(relay=relay),
        "is_overdue": relays.is_overdue(relay),
    }
    return render(request, "pathways/relay_detail.html", context, status=400 if move_form else 200)


@policy.centre_rule(policy.can_follow_pathways)
def relay_detail(request, pk):
    relay = _relay(request, pk)
    audit_read(instance=relay.person, by=request.user, section="relais")
    return _relay_page(request, relay)


@require_POST
@policy.centre_rule(policy.can_follow_pathways)
def relay_move(request, pk):
    relay = _relay(request, pk)
    form = MoveRelayForm(request.POST, relay=relay)
    if form.is_valid():
        try:
            relays.relay_move(relay=relay, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Le relais est désormais « {relay.get_status_display()} ».")
            return redirect("pathways:relay", pk=relay.pk)
    audit_read(instance=relay.person, by=request.user, section="relais")
    return _relay_page(request, relay, move_form=form)


@policy.centre_rule(policy.can_follow_pathways)
def relay_list(request):
    found = relays.relays_for_list(request.centre).of_member_centres(request.user)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pathways/relay_list.html", {"page": page})


@policy.centre_rule(policy.can_follow_pathways)
def case_review_list(request):
    reviews = (
        CaseReview.objects.of_member_centres(request.user)
        .of_centre(request.centre)
        .annotate(people_count=Count("items"))
        .order_by("-held_on", "-pk")
    )
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pathways/case_review_list.html", {"page": page})


@policy.centre_rule(policy.can_follow_pathways)
def case_review_create(request):
    form = CaseReviewForm(request.POST or None, centre=request.centre)
    people = policy.people_visible_to(request.user, request.centre)
    items = CaseReviewItemFormSet(
        request.POST or None, prefix="situations", form_kwargs={"people": people}
    )
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            review = case_reviews.case_review_create(
                centre=request.centre, items=items.items(), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "La cellule d'appui est enregistrée.")
            return redirect("pathways:case_review", pk=review.pk)
    return render(request, "pathways/case_review_form.html", {"form": form, "items": items})


@policy.centre_rule(policy.can_follow_pathways)
def case_review_detail(request, pk):
    reviews = CaseReview.objects.of_member_centres(request.user).of_centre(request.centre)
    review = get_object_or_404(reviews, pk=pk)
    items = list(
        review.items.filter(person__archived_on__isnull=True)
        .select_related("person")
        .order_by("person")
    )
    for item in items:
        audit_read(instance=item.person, by=request.user, section="cellule d'appui")
    return render(
        request,
        "pathways/case_review_detail.html",
        {
            "review": review,
            "items": items,
            "participants": review.participants.select_related("partner"),
        },
    )
