from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from parcours import policy

from . import services
from .forms import CodeForm, EnrolmentForm, LoginForm, PasswordConfirmForm, ProfileForm
from .middleware import second_factor_exempt, second_factor_step
from .reauth import recent_auth_required, safe_next


def _with_next(url_name, next_url):
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _next(request):
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


class LoginView(auth_views.LoginView):
    """The password; then, for accounts with a second factor, the code step."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if second_factor_step(self.request) is None:
            services.login_complete(self.request)
        return response

    def get_success_url(self):
        url = super().get_success_url()
        step = second_factor_step(self.request)
        return _with_next(step, url) if step else url


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Vos informations sont enregistrées.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "second_factor": services.totp_device_of(request.user),
            "recovery_count": services.recovery_codes_left(request.user),
            "second_factor_required": policy.must_use_second_factor(request.user),
        },
    )


def _locked_out(request, user):
    """True if the account is locked (axes): wrong passwords and codes count together."""
    return AxesProxyHandler.is_locked(request, {"username": user.email})


def _lockout_response(request):
    """End the session and answer with the lockout page (AxesMiddleware renders it)."""
    logout(request)
    request.axes_locked_out = True
    return HttpResponse(status=429)


@second_factor_exempt
def otp_verify(request):
    """The second step of the login: the code from the phone, or a recovery code."""
    next_url = _next(request)
    step = second_factor_step(request)
    if step != "accounts:otp_verify":
        return redirect(_with_next(step, next_url) if step else next_url)
    user = request.user
    if _locked_out(request, user):
        return _lockout_response(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_check(
                request=request, user=user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            if getattr(request, "axes_locked_out", False):
                return _lockout_response(request)
            form.add_error("code", error)
        else:
            services.session_verify(request, device)
            return redirect(next_url)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


def _qr_svg(url):
    """The QR code of `url` as inline SVG: drawn here, no image request, no script."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    svg = image.to_string(encoding="unicode")
    label = "QR code à scanner avec votre application d'authentification"
    # The markup is the library's own output (digits and path data), not user input.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="qr" ', 1))  # noqa: S308


def _grouped(secret):
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@second_factor_exempt
def otp_setup(request):
    """Enrolment: scan the QR code (or type the key), confirm with a first code, then
    receive the recovery codes, shown once."""
    next_url = _next(request)
    user = request.user
    if services.has_second_factor(user):
        if user.is_verified():
            messages.info(
                request,
                "La double authentification est déjà active. Pour changer de téléphone, "
                "réinitialisez-la depuis votre compte.",
            )
            return redirect("accounts:profile")
        return redirect(_with_next("accounts:otp_verify", next_url))
    device = services.enrolment_device(user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(services.normalise_code(form.cleaned_data["code"])):
            codes = services.second_factor_enrol(request=request, device=device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "fresh": True, "next": next_url},
            )
        form.add_error(
            "code",
            "Code incorrect. Saisissez le code affiché maintenant ; s'il ne marche toujours "
            "pas, vérifiez que votre téléphone est à l'heure.",
        )
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped(b32encode(device.bin_key).decode()),
            "required": policy.must_use_second_factor(user),
        },
    )


@recent_auth_required
def recovery_codes(request):
    """GET: how many recovery codes are left (they are stored hashed, so they cannot be
    shown again); POST: 10 new ones replace them, shown once."""
    if not services.has_second_factor(request.user):
        messages.info(request, "Vous n'avez pas de double authentification, donc pas de codes.")
        return redirect("accounts:profile")
    fresh = request.method == "POST"
    context = {"fresh": fresh, "next": reverse("accounts:profile")}
    if fresh:
        context["codes"] = services.recovery_codes_issue(user=request.user)
    else:
        context["left"] = services.recovery_codes_left(request.user)
    return render(request, "accounts/recovery_codes.html", context)


@require_POST
@recent_auth_required
def otp_reset(request):
    """The user removes their own app and codes (a new phone)."""
    services.second_factor_reset(user=request.user, by=request.user, request=request)
    if policy.must_use_second_factor(request.user):
        messages.info(request, "Votre ancien téléphone ne sert plus : enregistrez le nouveau.")
        return redirect("accounts:otp_setup")
    messages.success(request, "La double authentification est désactivée pour votre compte.")
    return redirect("accounts:profile")


def reauth(request):
    """Prove again who you are (code, or password without a second factor), then go
    back to where you were going."""
    next_url = _next(request)
    user = request.user
    if _locked_out(request, user):
        return _lockout_response(request)
    with_code = services.has_second_factor(user)
    form = (CodeForm if with_code else PasswordConfirmForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if with_code:
                services.second_factor_check(
                    request=request, user=user, code=form.cleaned_data["code"]
                )
            else:
                services.password_check(
                    request=request, user=user, password=form.cleaned_data["password"]
                )
        except ValidationError as error:
            if getattr(request, "axes_locked_out", False):
                return _lockout_response(request)
            form.add_error("code" if with_code else "password", error)
        else:
            services.login_complete(request)
            return redirect(next_url)
    return render(
        request, "accounts/reauth.html", {"form": form, "next": next_url, "with_code": with_code}
    )
