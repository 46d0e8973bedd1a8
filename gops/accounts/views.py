from math import ceil

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import formats, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services, two_factor
from .forms import CodeForm, LoginForm, PasswordChangeForm, PasswordConfirmForm, ProfileForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _next_url(request: HttpRequest, default: str | None = None) -> str:
    """The `next` address of the request when it is on this site, else `default` (home)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page django-axes shows after too many failed sign-ins (AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    minutes = ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )


def _count_failed_sign_in(request: HttpRequest) -> bool:
    """Count a wrong code or password of the signed-in user as a failed sign-in (django-axes);
    True, with the user signed out, when that locked the account."""
    credentials = {"username": request.user.get_username()}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return True
    return False


def _is_locked_out(request: HttpRequest) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": request.user.get_username()})


def _wrong_code_message(device: TOTPDevice) -> str:
    device.refresh_from_db()
    allowed, info = device.verify_is_allowed()
    if not allowed and info and info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        until = timezone.localtime(info["locked_until"])
        return _(
            "Too many wrong codes. Wait until %(time)s, then enter the code the app shows."
        ) % {"time": formats.time_format(until, "H:i:s")}
    return _(
        "The code is not correct. Enter the code the app shows now; if it is refused again, "
        "check that the time on your phone is set automatically."
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of signing in: the code of the user's authenticator."""
    next_url = _next_url(request)
    if two_factor.pending_step(request) != "verify":
        return redirect(next_url)
    if _is_locked_out(request):
        logout(request)
        return locked_out(request)
    device = two_factor.confirmed_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = verify_token(request.user, device.persistent_id, form.cleaned_data["code"])
        if verified is not None:
            otp_login(request, verified)
            # A new session key for the higher level of trust (OWASP ASVS 3.2.1).
            request.session.cycle_key()
            return redirect(next_url)
        form.add_error("code", _wrong_code_message(device))
        if _count_failed_sign_in(request):
            return locked_out(request)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Set up an authenticator app: a QR code (and the key), confirmed with a first code."""
    user = request.user
    if two_factor.confirmed_device(user) is not None:
        messages.info(request, _("Two-factor authentication is already on."))
        return redirect("accounts:profile")
    next_url = _next_url(request, default=reverse("accounts:profile"))
    device = services.two_factor_enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_enrolment_confirm(device=device, code=form.cleaned_data["code"]):
            device.refresh_from_db()
            otp_login(request, device)
            request.session.cycle_key()
            messages.success(
                request,
                _("Two-factor authentication is on: at each sign-in GOPS will ask for a code."),
            )
            return redirect(next_url)
        form.add_error("code", _wrong_code_message(device))
    context = {
        "form": form,
        "next": next_url,
        "required": two_factor.two_factor_required(user),
        # segno's SVG of the device's otpauth:// address: no user input in it.
        "qr_svg": mark_safe(
            two_factor.qr_code_svg(device, title=_("QR code for the authenticator app"))
        ),
        "key": two_factor.key_for_reading(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "accounts/otp_enrol.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def otp_remove(request):
    """Turn two-factor authentication off, after the password is given again."""
    user = request.user
    if two_factor.confirmed_device(user) is None:
        return redirect("accounts:profile")
    if _is_locked_out(request):
        logout(request)
        return locked_out(request)
    form = PasswordConfirmForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            services.two_factor_remove(user=user, actor=user)
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("accounts:profile")
        if form.has_error("password") and _count_failed_sign_in(request):
            return locked_out(request)
    context = {"form": form, "required": two_factor.two_factor_required(user)}
    return render(request, "accounts/otp_remove.html", context)


@login_required
@require_POST
def logout_everywhere(request):
    """End every session of the user, this one included (e.g. a forgotten office computer)."""
    services.user_sessions_end_all(user=request.user, actor=request.user)
    logout(request)
    messages.success(request, _("You were signed out on all devices. Please sign in again."))
    return redirect(settings.LOGIN_URL)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = self.request.user.must_change_password
        context["next"] = _next_url(self.request)
        return context

    def form_valid(self, form):
        self.forced = self.request.user.must_change_password
        response = super().form_valid(form)
        services.user_password_changed(user=form.user)
        messages.success(self.request, _("Your password has been changed."))
        return response

    def get_success_url(self):
        if getattr(self, "forced", False):
            return _next_url(self.request)
        return super().get_success_url()


@login_required
def home(request):
    """Start page: the areas this user works in."""
    user = request.user
    if user.has_perm("people.view_person"):
        return redirect("people:person_list")
    if user.has_perm("audit.view_auditentry"):
        return redirect("audit:entry_list")
    return render(request, "accounts/home.html")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(request.user.language)
        messages.success(request, _("Your settings have been saved."))
        return redirect("accounts:profile")
    context = {
        "form": form,
        "two_factor_on": two_factor.confirmed_device(request.user) is not None,
        "two_factor_required": two_factor.two_factor_required(request.user),
    }
    return render(request, "accounts/profile.html", context)
