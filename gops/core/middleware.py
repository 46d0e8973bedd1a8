"""Response headers for pages with personal data."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoStoreForAuthenticatedMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user.

    Pages behind the login show personal data (special categories under GDPR art. 9): neither
    the browser (back button after logout, a shared office computer) nor a proxy may keep them.
    A view that set its own Cache-Control keeps it. Static files never reach this middleware:
    WhiteNoise answers them earlier in MIDDLEWARE, with its own long-lived caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
