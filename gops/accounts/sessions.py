"""Limits on a signed-in session beyond Django's idle expiry (SESSION_COOKIE_AGE).

At sign-in the session records when it started and the user's ``session_generation``. A
session ends when it is older than ``settings.SESSION_ABSOLUTE_SECONDS`` whatever the activity,
or when the user's generation has moved on ("log out everywhere"). Only the session itself and
the user row are read, so this works with any session backend.
"""

import time

from django.conf import settings
from django.http import HttpRequest

from .models import User

STARTED_KEY = "gops_signed_in_at"
GENERATION_KEY = "gops_session_generation"
TOUCHED_KEY = "gops_touched_at"

ABSOLUTE_LIMIT = "absolute_limit"
LOGGED_OUT_EVERYWHERE = "logged_out_everywhere"


def session_mark_sign_in(*, request: HttpRequest, user: User) -> None:
    """Record the start of a signed-in session (called on every login, force_login included)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[STARTED_KEY] = int(time.time())
    session[GENERATION_KEY] = user.session_generation


def session_end_reason(*, request: HttpRequest, user: User) -> str | None:
    """Why this signed-in session must end now, or None while it may go on."""
    session = request.session
    if session.get(GENERATION_KEY, 0) != user.session_generation:
        return LOGGED_OUT_EVERYWHERE
    started = session.get(STARTED_KEY)
    now = int(time.time())
    if started is None:
        # A session from before these limits: its clock starts now.
        session[STARTED_KEY] = now
        return None
    if now - started >= settings.SESSION_ABSOLUTE_SECONDS:
        return ABSOLUTE_LIMIT
    return None


def session_touch(*, request: HttpRequest) -> None:
    """Keep the idle window open: have the session saved (and so its expiry moved to
    SESSION_COOKIE_AGE from now) when it was last saved this way more than
    SESSION_TOUCH_SECONDS ago. Saving it on every request (SESSION_SAVE_EVERY_REQUEST) cost
    each page an UPDATE and a commit; the idle limit is now exact to within that many seconds.
    """
    session = request.session
    now = int(time.time())
    if now - session.get(TOUCHED_KEY, 0) >= settings.SESSION_TOUCH_SECONDS:
        session[TOUCHED_KEY] = now
