from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import sessions, two_factor


class UserLanguageMiddleware:
    """Serve each signed-in user in the language of their profile (Polish by default)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            response.headers.setdefault("Content-Language", user.language)
        return response


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows with a full page load (not into a panel)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _with_next(request: HttpRequest, url: str) -> str:
    if request.method != "GET" or request.headers.get("HX-Request"):
        return url
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"


class SessionLimitsMiddleware:
    """End a signed-in session past its absolute limit or after "log out everywhere", and
    keep a live one's idle window open (sessions.session_touch).

    Idle expiry is Django's own (SESSION_COOKIE_AGE from the session's last save).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = sessions.session_end_reason(request=request, user=user)
            if reason is not None:
                logout(request)
                if reason == sessions.ABSOLUTE_LIMIT:
                    hours = round(settings.SESSION_ABSOLUTE_SECONDS / 3600, 1)
                    messages.info(
                        request,
                        _(
                            "You were signed in for more than %(hours)s hours, the longest a "
                            "session may last. Please sign in again."
                        )
                        % {"hours": f"{hours:g}"},
                    )
                else:
                    messages.info(
                        request,
                        _("You were signed out on all devices. Please sign in again."),
                    )
                return _redirect(request, _with_next(request, resolve_url(settings.LOGIN_URL)))
            sessions.session_touch(request=request)
        return self.get_response(request)


# Pages a signed-in user reaches before giving the second factor or changing a temporary
# password: whatever takes them there, and a way out.
_ALWAYS_OPEN = {"accounts:logout", "set_language"}
_OPEN_FOR_STEP = {
    "verify": {"accounts:otp_verify"},
    "enrol": {"accounts:otp_enrol"},
    "password": {"accounts:password_change"},
}
_STEP_URL = {
    "verify": "accounts:otp_verify",
    "enrol": "accounts:otp_enrol",
    "password": "accounts:password_change",
}


class AccountGateMiddleware:
    """Hold a signed-in user at one page until they have done what their account requires.

    In this order: give the code of their authenticator ("verify"), set one up when their
    role requires it ("enrol"), change a password an administrator set ("password"). Covers
    every URL, the Django admin included; the API's bearer tokens carry no session and are
    not affected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        step = two_factor.pending_step(request)
        if step is None and user.must_change_password:
            step = "password"
        # The navigation is left out while a step is pending (context_processors).
        request.account_step = step
        if step is None or request.path_info.startswith(settings.STATIC_URL):
            return self.get_response(request)
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            view_name = ""
        if view_name in _ALWAYS_OPEN or view_name in _OPEN_FOR_STEP[step]:
            return self.get_response(request)
        return _redirect(request, _with_next(request, reverse(_STEP_URL[step])))
