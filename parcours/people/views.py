from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parcours import policy
from parcours.audit.services import audit_read
from parcours.consent import views as consent_views
from parcours.consent.enums import Purpose
from parcours.consent.models import consent_for, consent_or_override, shared_with_referrer
from parcours.core.pages import form_page
from parcours.core.search import name_key

from . import home as people_home
from . import services
from .enums import OPEN_REFERRAL_STATUSES, Direction, ReferralStatus
from .filters import PersonFilter
from .forms import (
    AdmitForm,
    CloseReferralForm,
    ConfidentialNoteForm,
    LookalikeForm,
    NeighbourhoodForm,
    PersonForm,
    PersonIdentityForm,
    PlanIntakeForm,
    ReferralForm,
    RsaContractForm,
)
from .models import ConfidentialNote, Neighbourhood, Person, Referral

PAGE_SIZE = 25


def _people(request):
    return policy.people_visible_to(request.user, request.centre)


def _person(request, pk):
    return get_object_or_404(_people(request), pk=pk)


def _referral(request, pk):
    # Incoming referrals only: relays to partners have their own pages.
    referrals = (
        Referral.objects.of_member_centres(request.user)
        .of_centre(request.centre)
        .filter(direction=Direction.IN)
    )
    return get_object_or_404(referrals.select_related("person", "partner", "contact"), pk=pk)


@policy.centre_rule(policy.can_view_people)
def person_list(request):
    if policy.sees_people_as_their_referrer(request.user, request.centre):
        return _partner_person_list(request)
    latest_referrer = Referral.objects.filter(person=OuterRef("pk"), direction=Direction.IN)
    people = (
        _people(request)
        .select_related("neighbourhood")
        .annotate(
            referrer_name=Subquery(
                latest_referrer.order_by("-received_on", "-pk").values("partner__name")[:1]
            )
        )
    )
    filterset = PersonFilter(
        request.GET,
        queryset=people,
        centre=request.centre,
        allowed=policy.people_list_filters_for(request.user, request.centre),
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        "as_facilitator": policy.sees_people_as_their_facilitator(request.user, request.centre),
        "can_manage": policy.can_manage_people(request.user, request.centre),
        "can_export": policy.can_export_people(request.user, request.centre),
    }
    return _render_list(request, context)


def _partner_person_list(request):
    """A partner worker's list: the people they referred, their own referral's state,
    and only what each person agreed to share; no filter that would tell more."""
    people = people_home.with_partner_view(_people(request), request.user)
    filterset = PersonFilter(
        request.GET,
        queryset=people,
        centre=request.centre,
        allowed=policy.people_list_filters_for(request.user, request.centre),
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = people_home.label_partner_view(page.object_list)
    context = {"filterset": filterset, "page": page, "as_referrer": True}
    return _render_list(request, context)


def _render_list(request, context):
    # A history restore needs the whole page; other htmx requests only the results.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "people/_list_results.html", context)
    return render(request, "people/list.html", context)


@policy.centre_rule(policy.can_view_people)
def person_detail(request, pk):
    person = _person(request, pk)
    audit_read(instance=person, by=request.user)
    if policy.can_manage_people(request.user, request.centre):
        consents = (
            consent_views.section_context(request, person)
            if policy.can_record_consent(request.user, request.centre)
            else {}
        )
        referrals = person.prefetch_history().referrals.all()
        return render(
            request,
            "people/detail.html",
            {
                **consents,
                "can_record_consent": bool(consents),
                "person": person,
                "referrals": [r for r in referrals if r.direction == Direction.IN],
                "relays": [r for r in referrals if r.direction == Direction.OUT],
                "pathways": person.pathways.all(),
                "rsa_contracts": person.rsa_contracts.all(),
                "timeline": person.timeline(),
                "enrolments": person.enrolments.all(),
                "can_view_confidential": policy.can_view_confidential(request.user, request.centre),
                "can_view_trail": policy.can_view_audit_trail(request.user, request.centre),
                "can_answer_privacy": policy.can_answer_privacy_requests(
                    request.user, request.centre
                ),
            },
        )
    if policy.sees_people_as_their_referrer(request.user, request.centre):
        shared = _people(request).filter(shared_with_referrer(request.user), pk=person.pk)
        return render(
            request,
            "people/detail_partner.html",
            {
                "person": person,
                "shared": shared.exists(),
                "referrals": person.referrals.filter(referrer_user=request.user),
                "pathways": person.pathways.select_related("programme"),
            },
        )
    # A facilitator sees the person's enrolments in the workshops they run, only.
    enrolments = person.enrolments.in_workshops_run_by(request.user)
    return render(
        request,
        "people/detail_facilitator.html",
        {
            "person": person,
            "enrolments": enrolments.select_related("workshop"),
            # What a facilitator needs of the register: may the person be photographed.
            "photos": consent_for(person, Purpose.PHOTOS),
        },
    )


@policy.centre_rule(policy.can_manage_people)
def person_edit(request, pk):
    person = _person(request, pk)
    if request.method == "GET":  # the form shows the whole file: a read like any other
        audit_read(instance=person, by=request.user, section="formulaire")
    form = PersonForm(request.POST or None, instance=person, centre=request.centre, lock=person)
    if request.method == "POST" and form.is_valid() and form.save_locked():
        messages.success(request, "Le dossier est enregistré.")
        return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person},
        status=form.response_status,
    )


@policy.centre_rule(policy.can_view_confidential)
def confidential(request, pk):
    person = _person(request, pk)
    audit_read(instance=person, by=request.user, section="volet confidentiel")
    note = ConfidentialNote.objects.filter(person=person).first()
    consent = consent_or_override(person, Purpose.SENSITIVE)
    return render(
        request,
        "people/confidential.html",
        {"person": person, "note": note, "consent": consent},
    )


@policy.centre_rule(policy.can_view_confidential)
def confidential_edit(request, pk):
    person = _person(request, pk)
    note = ConfidentialNote.objects.filter(person=person).first()
    # Health, addiction and violence are noted with the person's explicit consent
    # (GDPR art. 9.2.a), or a coordinator's audited override for the day; without it,
    # what was written may still be emptied.
    consented = consent_or_override(person, Purpose.SENSITIVE) is not None
    if not consented and note is None:
        return consent_views.consent_missing(
            request,
            person=person,
            purpose=Purpose.SENSITIVE,
            what="Le volet confidentiel (santé, addictions, violences) ne peut pas être rempli",
        )
    audit_read(instance=person, by=request.user, section="volet confidentiel")
    form = ConfidentialNoteForm(
        request.POST or None,
        instance=note or ConfidentialNote(person=person),
        lock=person,
        only_erase=not consented,
    )
    if request.method == "POST" and form.is_valid() and form.save_locked():
        messages.success(request, "Le volet confidentiel est enregistré.")
        return redirect("people:confidential", pk=person.pk)
    return render(
        request,
        "people/confidential_form.html",
        {"form": form, "person": person},
        status=form.response_status,
    )


@policy.centre_rule(policy.can_manage_people)
def rsa_contract_create(request, pk):
    person = _person(request, pk)
    if request.method == "GET":  # the form page names the person: a reading of the file
        audit_read(instance=person, by=request.user, section="CER")
    form = RsaContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.person = person
        form.save()
        messages.success(request, "Le contrat d'engagement est enregistré.")
        return redirect("people:detail", pk=person.pk)
    return form_page(
        request,
        form,
        heading="Nouveau contrat d'engagement RSA (CER)",
        lead=str(person),
        cancel_url=reverse("people:detail", args=[person.pk]),
    )


@policy.centre_rule(policy.can_manage_people)
def referral_new(request):
    """A referral arrives for someone: the person's identity and the referral at once.
    People who look the same (name and birth date) are shown before anything is saved."""
    person_form = PersonIdentityForm(
        request.POST or None, centre=request.centre, prefix="person", lock=None
    )
    referral_form = ReferralForm(request.POST or None, centre=request.centre, prefix="referral")
    duplicates = []
    if request.method == "POST" and person_form.is_valid() and referral_form.is_valid():
        duplicates = list(person_form.instance.possible_duplicates())
        if not duplicates or request.POST.get("not_a_duplicate"):
            referral = services.referral_receive(
                centre=request.centre,
                person=person_form.instance,
                by=request.user,
                **referral_form.cleaned_data,
            )
            messages.success(request, "L'orientation est enregistrée.")
            return redirect("people:referral_detail", pk=referral.pk)
    return render(
        request,
        "people/referral_new.html",
        {"person_form": person_form, "referral_form": referral_form, "duplicates": duplicates},
    )


@policy.centre_rule(policy.can_manage_people)
def duplicates(request):
    """htmx: people of the centre who look like the identity being typed (a birth date
    not typed in full yet is left aside)."""
    identity = LookalikeForm(request.GET, prefix="person")
    found = Person.objects.none()
    if identity.is_valid() and name_key(identity.cleaned_data["last_name"]):
        found = Person.objects.lookalikes(request.centre, **identity.cleaned_data)
    return render(request, "people/_duplicates.html", {"duplicates": found[:10]})


@policy.centre_rule(policy.can_manage_people)
def referral_create(request, pk):
    """A new referral for someone already known: they come back, history kept."""
    person = _person(request, pk)
    if request.method == "GET":  # the form page names the person: a reading of the file
        audit_read(instance=person, by=request.user, section="orientation")
    form = ReferralForm(request.POST or None, centre=request.centre, prefix="referral")
    if request.method == "POST" and form.is_valid():
        referral = services.referral_receive(
            centre=request.centre, person=person, by=request.user, **form.cleaned_data
        )
        messages.success(request, "L'orientation est enregistrée.")
        return redirect("people:referral_detail", pk=referral.pk)
    return form_page(
        request,
        form,
        heading=f"Nouvelle orientation de {person}",
        cancel_url=reverse("people:detail", args=[person.pk]),
    )


@policy.centre_rule(policy.can_manage_people)
def referral_list(request):
    referrals = (
        Referral.objects.of_member_centres(request.user)
        .of_centre(request.centre)
        .filter(direction=Direction.IN, status__in=OPEN_REFERRAL_STATUSES)
        .select_related("person", "partner")
        .order_by("received_on", "pk")
    )
    return render(request, "people/referral_list.html", {"referrals": referrals})


def _referral_page(request, referral, **forms):
    context = {
        "referral": referral,
        "events": referral.events.select_related("by"),
        "plan_form": PlanIntakeForm(),
        "admit_form": AdmitForm(centre=request.centre),
        "close_form": CloseReferralForm(),
        "can_plan": referral.can_become(ReferralStatus.INTAKE_PLANNED),
        "can_admit": referral.can_become(ReferralStatus.ADMITTED),
        "can_close": referral.can_become(ReferralStatus.NOT_ADMITTED)
        or referral.can_become(ReferralStatus.NO_SHOW),
        # A refused action's reasons are shown at the top, even when its card is gone.
        "refusals": [e for form in forms.values() for e in form.non_field_errors()],
        **forms,
    }
    return render(request, "people/referral_detail.html", context, status=400 if forms else 200)


@policy.centre_rule(policy.can_manage_people)
def referral_detail(request, pk):
    referral = _referral(request, pk)
    audit_read(instance=referral.person, by=request.user, section="orientation")
    return _referral_page(request, referral)


def _referral_action(form_name, make_form, act, success):
    """A POST that moves a referral: validate the form, call the service, or show why not."""

    @require_POST
    @policy.centre_rule(policy.can_manage_people)
    def view(request, pk):
        referral = _referral(request, pk)
        form = make_form(request)
        if form.is_valid():
            try:
                act(referral=referral, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, success)
                return redirect("people:referral_detail", pk=referral.pk)
        return _referral_page(request, referral, **{form_name: form})

    return view


referral_plan = _referral_action(
    "plan_form",
    lambda request: PlanIntakeForm(request.POST),
    services.referral_plan_intake,
    "L'entretien d'accueil est prévu.",
)
referral_admit = _referral_action(
    "admit_form",
    lambda request: AdmitForm(request.POST, centre=request.centre),
    services.referral_admit,
    "La personne est admise : son parcours est ouvert.",
)
referral_close = _referral_action(
    "close_form",
    lambda request: CloseReferralForm(request.POST),
    services.referral_close,
    "L'orientation est close.",
)


@policy.centre_rule(policy.can_manage_people)
def neighbourhood_list(request):
    form = NeighbourhoodForm(request.POST or None, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le quartier est enregistré.")
        return redirect("people:neighbourhoods")
    neighbourhoods = Neighbourhood.objects.of_member_centres(request.user).of_centre(request.centre)
    return render(
        request, "people/neighbourhoods.html", {"form": form, "neighbourhoods": neighbourhoods}
    )


@policy.centre_rule(policy.can_manage_people)
def neighbourhood_edit(request, pk):
    neighbourhood = get_object_or_404(
        Neighbourhood.objects.of_member_centres(request.user).of_centre(request.centre), pk=pk
    )
    form = NeighbourhoodForm(request.POST or None, instance=neighbourhood, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le quartier est enregistré.")
        return redirect("people:neighbourhoods")
    return form_page(
        request,
        form,
        heading=f"Quartier : {neighbourhood.name}",
        cancel_url=reverse("people:neighbourhoods"),
    )
