"""Signing in through the real pages (never force_login), for the sign-in security tests."""

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .factories import TEST_PASSWORD

LOGIN = "/konto/logowanie/"
VERIFY = "/konto/weryfikacja/"
ENROL = "/konto/weryfikacja/wlacz/"
REMOVE = "/konto/weryfikacja/wylacz/"
PASSWORD_CHANGE = "/konto/haslo/"
PROFILE = "/konto/profil/"


def sign_in(
    client: Client, username: str, password: str = TEST_PASSWORD, next_url: str = "", **headers
):
    """Post the login form as a browser would; the response is not followed."""
    client.get(LOGIN, **headers)
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, **headers)


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app with the device's key shows now (RFC 6238)."""
    device.refresh_from_db()
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{token:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that is not one the device accepts now (nor one step either side)."""
    device.refresh_from_db()
    accepted = {
        f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=d):06d}" for d in (-1, 0, 1)
    }
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def give_code(client: Client, code: str, next_url: str = ""):
    data = {"code": code}
    if next_url:
        data["next"] = next_url
    return client.post(VERIFY, data)


def session_key(client: Client) -> str:
    cookie = client.cookies.get("sessionid")
    return cookie.value if cookie else ""
