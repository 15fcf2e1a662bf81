from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours import policy
from parcours.accounts.reauth import recent_auth_required
from parcours.accounts.services import second_factor_reset
from parcours.core.pages import form_page

from . import services
from .forms import CentreForm, MemberInviteForm, MemberRoleForm, PlaceForm, ProgrammeForm
from .middleware import SESSION_KEY
from .models import Centre, Membership, Place, Programme


def _save_form(request, form, *, heading, success_message):
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, success_message)
        return redirect("centres:detail")
    return form_page(request, form, heading=heading, cancel_url=reverse("centres:detail"))


@policy.centre_rule(policy.can_view_centre)
def centre_detail(request):
    centre = request.centre
    return render(
        request,
        "centres/centre_detail.html",
        {
            "programmes": Programme.objects.of_centre(centre),
            "places": Place.objects.of_centre(centre),
            "can_manage": policy.can_manage_centre(request.user, centre),
            "can_print_notice": policy.can_print_notice(request.user, centre),
        },
    )


@policy.centre_rule(policy.can_manage_centre)
def centre_edit(request):
    form = CentreForm(request.POST or None, instance=request.centre)
    return _save_form(
        request,
        form,
        heading="Modifier le centre",
        success_message="Les informations du centre sont enregistrées.",
    )


@require_POST
def centre_switch(request):
    pk = request.POST.get("centre", "")
    centre = get_object_or_404(
        Centre.objects.with_member(request.user), pk=int(pk) if pk.isdecimal() else None
    )
    request.session[SESSION_KEY] = centre.pk
    messages.info(request, f"Vous travaillez maintenant pour {centre.name}.")
    return redirect("dashboard:home")


@policy.centre_rule(policy.can_view_centre)
def programme_detail(request, pk):
    programme = get_object_or_404(
        Programme.objects.of_member_centres(request.user).of_centre(request.centre), pk=pk
    )
    return render(
        request,
        "centres/programme_detail.html",
        {
            "programme": programme,
            "can_manage": policy.can_manage_centre(request.user, request.centre),
        },
    )


@policy.centre_rule(policy.can_manage_centre)
def programme_edit(request, pk=None):
    programme = None
    if pk is not None:
        programme = get_object_or_404(
            Programme.objects.of_member_centres(request.user).of_centre(request.centre), pk=pk
        )
    form = ProgrammeForm(request.POST or None, instance=programme, centre=request.centre)
    return _save_form(
        request,
        form,
        heading="Modifier l'action" if programme else "Nouvelle action",
        success_message="L'action est enregistrée.",
    )


@policy.centre_rule(policy.can_manage_centre)
def place_edit(request, pk=None):
    place = None
    if pk is not None:
        place = get_object_or_404(
            Place.objects.of_member_centres(request.user).of_centre(request.centre), pk=pk
        )
    form = PlaceForm(request.POST or None, instance=place, centre=request.centre)
    return _save_form(
        request,
        form,
        heading="Modifier le lieu" if place else "Nouveau lieu",
        success_message="Le lieu est enregistré.",
    )


@policy.centre_rule(policy.can_view_team)
def team(request):
    members = (
        Membership.objects.of_member_centres(request.user)
        .of_centre(request.centre)
        .select_related("user")
        .annotate(
            has_second_factor=Exists(
                TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
            )
        )
        .order_by("user__last_name", "user__first_name")
    )
    return render(
        request,
        "centres/team.html",
        {"members": members, "can_manage": policy.can_manage_team(request.user, request.centre)},
    )


@policy.centre_rule(policy.can_manage_team)
@recent_auth_required
def member_add(request):
    form = MemberInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(centre=request.centre, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                "La personne est ajoutée à l'équipe. Si son compte est nouveau, elle reçoit "
                "un e-mail pour choisir son mot de passe.",
            )
            return redirect("centres:team")
    return form_page(request, form, heading="Ajouter un membre", cancel_url=reverse("centres:team"))


def _member(request, pk):
    return get_object_or_404(
        Membership.objects.of_member_centres(request.user)
        .of_centre(request.centre)
        .select_related("user"),
        pk=pk,
    )


@policy.centre_rule(policy.can_manage_team)
@recent_auth_required
def member_edit(request, pk):
    membership = _member(request, pk)
    form = MemberRoleForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        services.membership_set_role(membership=membership, role=form.cleaned_data["role"])
        messages.success(request, f"Le rôle de {membership.user} est enregistré.")
        return redirect("centres:team")
    return form_page(
        request, form, heading=f"Rôle de {membership.user}", cancel_url=reverse("centres:team")
    )


@require_POST
@policy.centre_rule(policy.can_manage_team)
@recent_auth_required
def member_disable(request, pk):
    membership = _member(request, pk)
    try:
        services.user_disable(user=membership.user, by=request.user)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Le compte de {membership.user} est désactivé ; ses sessions sont fermées."
        )
    return redirect("centres:team")


@require_POST
@policy.centre_rule(policy.can_manage_team)
@recent_auth_required
def member_otp_reset(request, pk):
    """A member lost their phone: remove their app and recovery codes; they enrol a new
    phone at their next login (a security event records who did it)."""
    membership = _member(request, pk)
    second_factor_reset(user=membership.user, by=request.user, request=request)
    messages.success(
        request,
        f"La double authentification de {membership.user} est réinitialisée : "
        "à sa prochaine connexion, la personne enregistrera son nouveau téléphone.",
    )
    return redirect("centres:team")
