from django.conf import settings

from . import context


class RequestContextMiddleware:
    """Remember the client's address for every audit entry written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        ip = context.client_ip(request, trust_forwarded=settings.AUDIT_TRUST_X_FORWARDED_FOR)
        token = context.set_current(context.RequestContext(ip=ip, channel=channel))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
