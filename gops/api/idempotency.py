"""``Idempotency-Key`` for the API's POSTs that create money or a placement.

A client that may retry (a timeout, a lost answer) sends ``Idempotency-Key: <any text of at
most 100 characters>``. Per user and key the first answer is stored, and:

* the same key with the same method, path and body (SHA-256 of the raw body) replays the stored
  status and JSON, with the header ``Idempotent-Replayed: true``, and runs nothing;
* the same key with another path or body is refused with 422;
* without the header the endpoint behaves exactly as before.

Answers with a 2xx or 4xx status are stored; a 5xx is not, so such a request may be retried
with the same key. Schema errors (422 before the view runs) and 401 are not stored either.

The lookup, the view and the storing run in one transaction. Two requests racing with the same
key are settled by the unique (user, key) constraint: the loser's work is rolled back and it
replays the winner's answer.

A key is remembered for 24 hours (``KEY_LIFETIME``): after that the same key counts as new and
its old answer is replaced. Old rows are harmless; ``purge_expired()`` deletes them.

Use it under the router's decorator::

    @router.post("/payrolls", response={201: PayrollOut})
    @idempotent
    def payroll_generate(request, payload: PayrollIn): ...
"""

import functools
import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 100
KEY_LIFETIME = timedelta(hours=24)

# The header as the OpenAPI document describes it (see _document).
HEADER_DESCRIPTION = (
    "Optional: a key of your choice (1 to 100 characters) that makes a retry safe. Per user the "
    "first answer under a key is kept for 24 hours. The same key with the same request (method, "
    "path and body) replays that answer, with the header `Idempotent-Replayed: true`, and "
    "creates nothing again; the same key with a different request is refused with 422. A 5xx "
    "answer is not kept, so the request may be retried with the same key. Without the header "
    "every request runs."
)

_PENDING = "_idempotency_pending"
_ACTIVE = "_idempotency_active"


@dataclass(frozen=True)
class _Pending:
    user: object
    key: str
    method: str
    path: str
    body_hash: str


class _RaceLost(Exception):
    """Another request stored an answer for the key first: roll back and replay it."""


def purge_expired(now=None) -> int:
    """Delete the answers older than ``KEY_LIFETIME``; returns how many went."""
    cutoff = (now or timezone.now()) - KEY_LIFETIME
    deleted, _details = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": []}, status=status)


def _answer(stored: IdempotentRequest, pending: _Pending) -> HttpResponse:
    """The stored answer if the request is the same one, else 422."""
    same = (stored.method, stored.path, stored.body_hash) == (
        pending.method,
        pending.path,
        pending.body_hash,
    )
    if not same:
        return _problem(422, _("This Idempotency-Key was used for a different request."))
    response = HttpResponse(
        stored.response_body,
        status=stored.status_code,
        content_type="application/json; charset=utf-8",
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _find(user, key: str) -> IdempotentRequest | None:
    return IdempotentRequest.objects.select_for_update().filter(user=user, key=key).first()


def _store(pending: _Pending, response) -> None:
    if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return  # only JSON answers are stored
    IdempotentRequest.objects.create(
        user=pending.user,
        key=pending.key,
        method=pending.method,
        path=pending.path,
        body_hash=pending.body_hash,
        status_code=response.status_code,
        response_body=response.content.decode("utf-8"),
    )


def _around_run(run):
    """Wraps ninja's ``Operation.run`` (authentication, parsing, view, serialisation): one
    transaction, and the answer stored once the view has run."""

    @functools.wraps(run)
    def wrapped(request, *args, **kwargs):
        if HEADER not in request.headers:
            return run(request, *args, **kwargs)
        setattr(request, _ACTIVE, True)
        try:
            with transaction.atomic():
                response = run(request, *args, **kwargs)
                pending = getattr(request, _PENDING, None)
                if pending is not None and response.status_code < 500:
                    try:
                        with transaction.atomic():
                            _store(pending, response)
                    except IntegrityError as exc:
                        raise _RaceLost from exc
                return response
        except _RaceLost:
            pending = getattr(request, _PENDING)
            stored = _find(pending.user, pending.key)
            if stored is None:  # the winner's row is gone again (expired and purged)
                return _problem(409, _("The request could not be completed; send it again."))
            return _answer(stored, pending)

    return wrapped


def _document(operation) -> None:
    """Add the header, and the replay marker of the stored answers, to the operation's OpenAPI."""
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [
        *extra.get("parameters", []),
        {
            "in": "header",
            "name": HEADER,
            "required": False,
            "description": HEADER_DESCRIPTION,
            "schema": {
                "type": "string",
                "minLength": 1,
                "maxLength": KEY_MAX_LENGTH,
                "pattern": r"\S",
            },
        },
    ]
    responses = dict(extra.get("responses", {}))
    for status in operation.response_models:
        if isinstance(status, int) and 200 <= status < 300:
            responses[status] = {
                **responses.get(status, {}),
                "headers": {
                    REPLAYED_HEADER: {
                        "description": f"`true` when the answer is the one stored under the "
                        f"{HEADER} (a retry); absent otherwise",
                        "schema": {"type": "string", "enum": ["true"]},
                    }
                },
            }
    extra["responses"] = responses
    operation.openapi_extra = extra


def idempotent(view_func):
    """Honour ``Idempotency-Key`` on a ninja view (place it under ``@router.post``); the header
    is documented in the operation's OpenAPI."""

    @functools.wraps(view_func)
    def view(request, *args, **kwargs):
        raw_key = request.headers.get(HEADER)
        if raw_key is None or not getattr(request, _ACTIVE, False):
            return view_func(request, *args, **kwargs)
        key = raw_key.strip()
        if not key or len(key) > KEY_MAX_LENGTH:
            return _problem(
                422,
                _("The Idempotency-Key header must have 1 to %(max)d characters.")
                % {"max": KEY_MAX_LENGTH},
            )
        pending = _Pending(
            user=request.auth,
            key=key,
            method=request.method,
            path=request.path,
            body_hash=hashlib.sha256(request.body).hexdigest(),
        )
        stored = _find(pending.user, key)
        if stored is not None and stored.created_at < timezone.now() - KEY_LIFETIME:
            stored.delete()  # an expired key may be reused
            stored = None
        if stored is not None:
            return _answer(stored, pending)
        setattr(request, _PENDING, pending)
        return view_func(request, *args, **kwargs)

    contribute_operation_callback(view, _document)
    return decorate_view(_around_run)(view)
