"""GOPS settings, read from environment variables (see README, "Production")."""

import os
import secrets
import sys
import time
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core ---------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)


def _generated_once(path: Path, make) -> str:
    """The key in `path`, created by whichever process comes first (O_EXCL), readable only by
    the owner: two workers starting at once must not each write a different key."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as file:
            file.write(make())
    for _attempt in range(50):  # the creator may not have written it yet
        if value := path.read_text().strip():
            return value
        time.sleep(0.1)
    raise RuntimeError(f"{path} is empty")


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into var/ (never committed)."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    return _generated_once(VAR_DIR / "secret_key", lambda: secrets.token_urlsafe(64))


SECRET_KEY = _secret_key()


def _field_encryption_keys() -> list[str]:
    """Keys of the encrypted columns (gops.core.encryption lists them), newest first.

    FIELD_ENCRYPTION_KEYS from the environment (comma-separated; prepend a new key to rotate,
    keep the old ones until every row is re-saved: docs/admin/klucze-szyfrowania.md), else
    one generated once into var/. django-fernet-encrypted-fields derives each column key from
    SECRET_KEY (and SECRET_KEY_FALLBACKS) with these as salts.
    """
    if keys := env.list("FIELD_ENCRYPTION_KEYS", default=[]):
        return keys
    return [_generated_once(VAR_DIR / "field_encryption_key", lambda: secrets.token_urlsafe(48))]


SALT_KEY = _field_encryption_keys()
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PORT = env.int("PORT", default=8000)

INSTALLED_APPS = [
    # The admin site asks for the second factor too (gops.accounts.admin_site).
    "gops.accounts.admin_site.GopsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "gops.core",
    "gops.audit",
    "gops.accounts",
    "gops.people",
    "gops.cases",
    "gops.benefits",
    "gops.payments",
    "gops.shelter",
    "gops.referrals",
    "gops.activities",
    "gops.families",
    "gops.bluecards",
    "gops.integration",
    "gops.jobs",
    "gops.dataprotection",
    "gops.dashboards",
    "gops.reports",
    "gops.atrisk",
    "gops.api",
    "gops.demo",
]
if env.str("DATABASE_URL", default="").startswith(("postgres", "pgsql")):
    INSTALLED_APPS.append("django.contrib.postgres")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # security headers: see "Security headers" below
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "gops.core.middleware.NoStoreForAuthenticatedMiddleware",  # see "Security headers" below
    "gops.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gops.audit.middleware.RequestContextMiddleware",
    # After messages and the audit context: they end sessions with a message and an entry.
    "gops.accounts.middleware.SessionLimitsMiddleware",
    "gops.accounts.middleware.AccountGateMiddleware",  # second factor, temporary password
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gops.accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database: SQLite under var/ by default, PostgreSQL in production ---------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'gops.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # Tests use a file, not shared-cache memory: the live server of the browser tests serves
    # several requests at once, and each thread then gets its own connection and waits its
    # turn instead of colliding on one shared connection.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user with their centre and groups (one query less).
    "gops.accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock an account after repeated failures (per user and address).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The lockout page says for how long and whom to ask (gops.accounts.views.locked_out).
AXES_LOCKOUT_CALLABLE = "gops.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True

# Two-factor authentication (TOTP, django-otp): required for these roles (and for every
# account that may enter the Django admin), open to everyone else from their profile page.
OTP_REQUIRED_ROLES = env.list(
    "OTP_REQUIRED_ROLES", default=["head", "administrator", "data_protection_officer"]
)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="GOPS")
# Each wrong code doubles the wait before the next one (1, 2, 4, ... seconds) on the device;
# wrong codes also count as failed sign-ins for the lockout above. 0 would switch it off.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret key
OTP_LOGIN_URL = "accounts:otp_verify"

# Sessions end after inactivity: each request renews the inactivity window.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# The idle window moves on at most once a minute (accounts.sessions.session_touch), not
# with a session write on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = env.int("SESSION_TOUCH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Whatever the activity, a session ends this long after the sign-in (gops.accounts.middleware).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)

# --- Security (production values switch on when DEBUG is off and HTTPS is declared) ---------
SECURE_HTTPS = env.bool("SECURE_HTTPS", default=False)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Client IP for the audit trail: trust X-Forwarded-For only behind a known proxy.
AUDIT_TRUST_X_FORWARDED_FOR = env.bool("BEHIND_TLS_PROXY", default=False)

# --- Security headers (docs/admin/bezpieczenstwo.md) ----------------------------------------
# HttpOnly CSRF cookie: no script reads it; htmx sends the token from <body hx-headers>.
CSRF_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): only our own scripts and style sheets; no inline
# script, handler, <style> block or style attribute (a test scans the templates for them).
# The API docs page (django-ninja's Swagger UI from a CDN, with an inline script) is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Authenticated responses get Cache-Control: no-store (gops.core.middleware).
# --- End of security headers ---------------------------------------------------------------

# --- Languages: Polish by default, English per user -----------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polski")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env.bool("COLLECTSTATIC_DONE", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# --- Logging: no personal data in logs; errors only by default ------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "gops.core.logging.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # Django's own request and server loggers: to the same masked console, not to e-mail.
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- GOPS -------------------------------------------------------------------------------
GOPS_PAGE_SIZE = 25
# Families one assistant works with at a time (ustawa o wspieraniu rodziny art. 15 ust. 4;
# LAW.md §6 says 15 and asks to keep it a setting).
FAMILY_ASSISTANT_CASELOAD_LIMIT = env.int("FAMILY_ASSISTANT_CASELOAD_LIMIT", default=15)
# Years after the last activity before a person's file is listed for archiving (JRWA of
# social assistance centres, category B10 for benefit case files: see docs/ochrona-danych.md).
RETENTION_YEARS = env.int("RETENTION_YEARS", default=10)
# How long before a foreigner's residence document expires the staff are alerted.
DOCUMENT_EXPIRY_ALERT_DAYS = env.int("DOCUMENT_EXPIRY_ALERT_DAYS", default=60)
# A payroll's cash list with more rows than this is made as a background job, not in the
# request: the PDF is laid out in memory, about 5 s and 120 MiB (traced) per 1,000 rows.
PAYROLL_CASH_LIST_INLINE_ROWS = env.int("PAYROLL_CASH_LIST_INLINE_ROWS", default=500)

# --- Background work (huey): SQLite queue file by default, Redis in production ------------
# huey: maintained, small, and the one queue with both an SQLite and a Redis storage, so the
# embedded default needs no extra service. Run the consumer with `manage.py run_huey`.
_huey_consumer = {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"}
if _huey_redis := env.str("HUEY_REDIS_URL", default=""):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "gops",
        "url": _huey_redis,
        "immediate": False,
        "consumer": _huey_consumer,
    }
else:
    # A test run gets its own queue file per xdist worker, so it never takes a running demo's
    # tasks (or another worker's).
    _huey_file = (
        f"huey-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.sqlite3"
        if "pytest" in sys.modules
        else "huey.sqlite3"
    )
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "gops",
        "filename": str(VAR_DIR / _huey_file),
        "immediate": False,
        "consumer": _huey_consumer,
    }
# Results of background jobs (exports); on two servers this must be a shared volume.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"  # never served directly: downloads go through jobs:download
