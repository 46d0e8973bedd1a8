"""Two-factor authentication with TOTP (django-otp): who needs it, the device, its codes.

A user must give a code from an authenticator app after the password when they hold a role of
``settings.OTP_REQUIRED_ROLES``, may enter the Django admin (staff, superuser), or have set up
a device of their own accord. Writes (enrolment, removal) are in ``services``.
"""

import time
from base64 import b32decode, b32encode

import segno
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

# The key of the demo accounts' devices (seed_demo): printed for anyone to try the demo, so
# a device with this key protects nothing (`manage.py totp_code` works only for it).
DEMO_TOTP_KEY_BASE32 = "GOPSDEMOGOPSDEMOGOPSDEMOGOPSDEMO"
DEMO_TOTP_KEY_HEX = b32decode(DEMO_TOTP_KEY_BASE32).hex()

DEVICE_NAME = "GOPS"


def two_factor_required(user: User) -> bool:
    """Whether `user` may not work without a confirmed device (roles with wide access)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.groups.filter(name__in=settings.OTP_REQUIRED_ROLES).exists()


def confirmed_device(user: User) -> TOTPDevice | None:
    """The user's confirmed TOTP device (at most one is kept), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_verified(request: HttpRequest) -> bool:
    """Whether this session gave a valid code (django_otp.middleware.OTPMiddleware)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def pending_step(request: HttpRequest) -> str | None:
    """What the signed-in user must do before anything else: "verify", "enrol" or None."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return None
    # Asked on every request of a user without a verified session (most staff): one query.
    has_device, in_required_role = (
        User.objects.filter(pk=user.pk)
        .values_list(
            Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            Exists(Group.objects.filter(user=OuterRef("pk"), name__in=settings.OTP_REQUIRED_ROLES)),
        )
        .get()
    )
    if has_device:
        return "verify"
    if in_required_role or user.is_superuser or user.is_staff:
        return "enrol"
    return None


def key_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in (base32, no padding)."""
    return b32encode(device.bin_key).decode().rstrip("=")


def key_for_reading(device: TOTPDevice) -> str:
    """The base32 key in groups of four, easier to type."""
    key = key_base32(device)
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice, *, title: str) -> str:
    """An inline SVG QR code of the device's otpauth:// address (for the enrolment page)."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=title, svgclass="qr-code"
    )


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the device accepts next: the current one, or the following step's when the
    current one was used already (a code is accepted once). For tests and the demo only."""
    now = time.time() if at is None else at
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = now
    step = max(totp.t(), device.last_t + 1)
    totp.time = device.t0 + (step - device.drift) * device.step
    return f"{totp.token():0{device.digits}d}"
