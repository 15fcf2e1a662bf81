from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours import policy
from parcours.accounts.middleware import second_factor_step
from parcours.accounts.models import User
from parcours.accounts.reauth import is_recently_authenticated, reauth_url, recent_auth_required
from parcours.audit.services import secret_in_path
from parcours.core.pages import form_page

from . import services
from .forms import (
    CentreForm,
    MemberInviteForm,
    MemberRoleForm,
    NewAccountForm,
    PlaceForm,
    ProgrammeForm,
)
from .middleware import SESSION_KEY
from .models import Centre, Invitation, Membership, Place, Programme


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
    services.membership_use(membership=centre.memberships.get(user=request.user))
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
    can_manage = policy.can_manage_team(request.user, request.centre)
    invitations = (
        Invitation.objects.of_member_centres(request.user)
        .of_centre(request.centre)
        .pending()
        .order_by("email")
        if can_manage
        else Invitation.objects.none()
    )
    return render(
        request,
        "centres/team.html",
        {"members": members, "invitations": invitations, "can_manage": can_manage},
    )


@policy.centre_rule(policy.can_manage_team)
@recent_auth_required
def member_add(request):
    """Adding someone is inviting them: the same message whether the address has an
    account or not, so the page tells nothing about other centres' teams."""
    form = MemberInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                centre=request.centre, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                f"Une invitation est envoyée à {form.cleaned_data['email']}. La personne "
                "rejoindra l'équipe quand elle l'aura acceptée.",
            )
            return redirect("centres:team")
    return form_page(
        request,
        form,
        heading="Inviter un membre",
        cancel_url=reverse("centres:team"),
        lead=(
            "La personne reçoit un e-mail avec un lien, valable 14 jours, pour accepter "
            "l'invitation. Elle ne fait partie de l'équipe qu'après l'avoir acceptée."
        ),
    )


def _invitation(request, pk):
    return get_object_or_404(
        Invitation.objects.of_member_centres(request.user).of_centre(request.centre), pk=pk
    )


def _invitation_action(act, success):
    """A POST of the team page on a pending invitation: call the service, say how it
    went, back to the team."""

    @require_POST
    @policy.centre_rule(policy.can_manage_team)
    @recent_auth_required
    def view(request, pk):
        invitation = _invitation(request, pk)
        try:
            act(invitation=invitation, by=request.user, request=request)
        except ValidationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success(invitation))
        return redirect("centres:team")

    return view


invitation_resend = _invitation_action(
    services.invitation_resend,
    lambda invitation: (
        f"L'invitation est renvoyée à {invitation.email} avec un nouveau lien ; "
        "l'ancien ne fonctionne plus."
    ),
)
invitation_revoke = _invitation_action(
    services.invitation_revoke,
    lambda invitation: f"L'invitation de {invitation.email} est annulée.",
)


def _invitation_closed(request, message, status):
    return render(request, "centres/invitation_closed.html", {"message": message}, status=status)


@login_not_required
@secret_in_path
def invitation_accept(request, token):
    """The page an invitation's link opens. Public: the token is its key, and the
    invitee may have no account yet.

    - Unknown token: 404; used, revoked or expired: 410, each with a French page.
    - Logged in as someone else: refused (403), nothing is said about the invitation.
    - Logged in as the invited account: after the second factor and a recent proof of
      identity, they confirm (POST) and join the centre.
    - Not logged in, the address has an account: they log in first (their own
      password and code), then come back here.
    - Not logged in, no account: they choose their name and password here.
    """
    invitation = Invitation.objects.by_token(token).select_related("centre").first()
    if invitation is None:
        return _invitation_closed(
            request,
            "Ce lien d'invitation n'est pas valable. Vérifiez qu'il est complet, ou demandez "
            "à l'administration du centre de vous l'envoyer de nouveau.",
            404,
        )
    if not invitation.is_open:
        return _invitation_closed(request, invitation.closed_message, 410)
    here = request.get_full_path()
    user = request.user
    if user.is_authenticated:
        if user.email != invitation.email:
            return _invitation_closed(
                request,
                "Cette invitation est adressée à une autre personne. Déconnectez-vous, puis "
                "ouvrez le lien avec le compte de l'adresse invitée.",
                403,
            )
        # Public views skip the second-factor middleware: ask for it here.
        step = second_factor_step(request)
        if step is not None:
            return redirect(f"{reverse(step)}?{urlencode({'next': here})}")
        if not is_recently_authenticated(request):
            return redirect(reauth_url(here))
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=user, request=request)
            except ValidationError as error:
                return _invitation_closed(request, error.message, 410)
            messages.success(
                request,
                f"Vous faites maintenant partie de l'équipe de {invitation.centre.name}. "
                "Pour y travailler, choisissez ce centre dans le menu des centres.",
            )
            return redirect("dashboard:home")
        return render(request, "centres/invitation_accept.html", {"invitation": invitation})
    if User.objects.filter(email=invitation.email).exists():
        return render(
            request,
            "centres/invitation_accept.html",
            {
                "invitation": invitation,
                "login_url": f"{reverse('accounts:login')}?{urlencode({'next': here})}",
            },
        )
    form = NewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept_new_account(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Votre compte est ouvert et vous faites partie de l'équipe de "
                f"{invitation.centre.name}. Connectez-vous avec votre adresse e-mail et votre "
                "mot de passe.",
            )
            return redirect("accounts:login")
    return render(
        request, "centres/invitation_accept.html", {"invitation": invitation, "form": form}
    )


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
    phone at their next login (a security event records who did it). Refused for an
    account that also works in another centre."""
    membership = _member(request, pk)
    try:
        services.member_second_factor_reset(membership=membership, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"La double authentification de {membership.user} est réinitialisée et ses "
            "sessions sont fermées : à sa prochaine connexion, la personne enregistrera son "
            "nouveau téléphone.",
        )
    return redirect("centres:team")
