from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.db import transaction
from django.db.models import F, Sum
from django_otp.plugins.otp_totp.models import TOTPDevice

from gops.audit.models import AuditAction
from gops.audit.services import audit_record_change

from .models import ApiToken, User
from .two_factor import DEMO_TOTP_KEY_HEX, DEVICE_NAME


@transaction.atomic
def api_token_create(*, user: User) -> str:
    """Create a bearer token for `user` and return it; only its hash is stored."""
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key), prefix=key[:8])
    return key


def api_token_authenticate(*, key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    return token.user


# --- Two-factor authentication ----------------------------------------------------------------


def _audit_user(*, actor: User | None, user: User, changes: dict) -> None:
    if type(user) is not User:  # request.user (a lazy object): the audit reads the model class
        user = User.objects.get(pk=user.pk)
    audit_record_change(actor=actor, instance=user, action=AuditAction.UPDATE, changes=changes)


@transaction.atomic
def two_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device the user is setting up (a new secret, or the one being set up)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def two_factor_enrolment_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Confirm `device` with a code from the app; True when the code was right.

    A wrong code counts against the device's throttle (django-otp). On success the user's
    other devices go: one authenticator at a time.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
    if not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    _audit_user(actor=device.user, user=device.user, changes={"two_factor": [False, True]})
    return True


@transaction.atomic
def two_factor_remove(*, user: User, actor: User) -> int:
    """Remove every device of `user` (they, or an administrator, then set up a new one)."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        _audit_user(actor=actor, user=user, changes={"two_factor": [True, False]})
    return removed


@transaction.atomic
def two_factor_demo_device_set(*, user: User) -> TOTPDevice:
    """A confirmed device with the published demo key (seed_demo only; idempotent)."""
    TOTPDevice.objects.filter(user=user).exclude(key=DEMO_TOTP_KEY_HEX).delete()
    device, _ = TOTPDevice.objects.get_or_create(
        user=user,
        key=DEMO_TOTP_KEY_HEX,
        defaults={"name": DEVICE_NAME, "confirmed": True},
    )
    device.confirmed = True
    device.throttle_reset(commit=False)
    device.save()
    return device


# --- Sign-in: lockout, passwords, sessions -------------------------------------------------


@transaction.atomic
def user_sign_in_unlock(*, user: User, actor: User) -> int:
    """Lift the lockout after failed sign-ins (django-axes) for `user`'s name; audited.

    Returns the number of failures that were forgiven.
    """
    attempts = AccessAttempt.objects.filter(username=user.username)
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    axes_reset(username=user.username)
    _audit_user(actor=actor, user=user, changes={"failed_sign_ins": [failures, 0]})
    return failures


@transaction.atomic
def user_password_set_by_admin(*, user: User, actor: User) -> None:
    """After an administrator set `user`'s password (already saved): the user must change it
    at the next sign-in, unless the administrator set their own. Audited."""
    changes = {"password": ["***", "***"]}
    if user.pk != actor.pk and user.has_usable_password() and not user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=True)
        user.must_change_password = True
        changes["must_change_password"] = [False, True]
    _audit_user(actor=actor, user=user, changes=changes)


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """The user changed their own password (already saved): the temporary one is gone."""
    changes = {"password": ["***", "***"]}
    if user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
        changes["must_change_password"] = [True, False]
    _audit_user(actor=user, user=user, changes=changes)


@transaction.atomic
def user_sessions_end_all(*, user: User, actor: User) -> None:
    """End every session of `user`, on every computer ("log out everywhere"); audited.

    Raises the user's session generation: each session compares it with the value it stored
    at sign-in (gops.accounts.sessions), whatever the session backend.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = locked.session_generation
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.session_generation = before + 1
    _audit_user(actor=actor, user=user, changes={"session_generation": [before, before + 1]})
