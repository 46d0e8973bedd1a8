"""Where the current request comes from (client IP, channel), for the audit trail.

Set once per request by the web middleware or the API authentication; read by the audit
services, so that write services need only their explicit ``actor``.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    channel: str = "system"  # web, api or system (commands)


_current: ContextVar[RequestContext | None] = ContextVar("gops_request_context", default=None)
_SYSTEM = RequestContext()


def current() -> RequestContext:
    return _current.get() or _SYSTEM


def set_current(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)


def client_ip(request, *, trust_forwarded: bool) -> str | None:
    if trust_forwarded:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")
