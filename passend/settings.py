"""Settings for passend, driven by the environment (one file, healthchecks style).

PASSEND_ENV selects the profile:
- ``development`` (default): DEBUG on, SQLite under var/, two-factor optional (demo);
- ``production``: DEBUG off, secret from PASSEND_SECRET_KEY or PASSEND_SECRET_KEY_FILE,
  secure ``__Host-`` cookies, HSTS, two-factor required for the roles that see student files.

DATABASE_URL chooses the database; default is the SQLite file var/passend.sqlite3.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("PASSEND_VAR_DIR", PROJECT_DIR / "var"))

ENV = os.environ.get("PASSEND_ENV", "development")
if ENV not in {"development", "production"}:
    raise ValueError(f"PASSEND_ENV must be 'development' or 'production', not {ENV!r}")
PRODUCTION = ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_secret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd credentials)."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return None


SECRET_KEY = env_secret("PASSEND_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ValueError("PASSEND_SECRET_KEY or PASSEND_SECRET_KEY_FILE must be set in production")
    # Development only: a fixed, obviously unsafe key so sessions survive restarts.
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

# Keys for the narrative fields encrypted at rest (passend.privacy.crypto): comma-separated
# Fernet keys, the first encrypts, all decrypt (rotate: new key first, `passend reencrypt`).
FIELD_ENCRYPTION_KEYS = [
    k.strip() for k in (env_secret("PASSEND_FIELD_KEYS") or "").split(",") if k.strip()
]
if not FIELD_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ValueError("PASSEND_FIELD_KEYS or PASSEND_FIELD_KEYS_FILE must be set in production")
    # Development only, like SECRET_KEY: a fixed key so the demo data stays readable.
    FIELD_ENCRYPTION_KEYS = ["ZGV2ZWxvcG1lbnQtb25seS1wYXNzZW5kLWZpZWxkLWs="]

DEBUG = env_bool("PASSEND_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("PASSEND_ALLOWED_HOSTS", "" if PRODUCTION else "*").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("PASSEND_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "passend.audit",
    "passend.accounts",
    "passend.organisations",
    "passend.quality",
    "passend.staffing",
    "passend.development",
    "passend.activities",
    "passend.agreements",
    "passend.privacy",
    "passend.students",
    "passend.caseload",
    "passend.plans",
    "passend.applications",
    "passend.transitions",
    "passend.due",
    "passend.front",
    "passend.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "passend.front.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "passend.accounts.middleware.SessionLimitsMiddleware",
    "passend.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before any view reads the body (CSRF reads it in process_view), after the middleware that
    # add security headers on the way out, so the 413 page carries them too.
    "passend.front.middleware.RequestSizeLimitMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "passend.front.middleware.NoStoreMiddleware",
    # Last, so that it sees a failed login after every other middleware ran.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "passend.urls"
WSGI_APPLICATION = "passend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "passend.front.context_processors.navigation",
            ],
        },
    }
]

FORM_RENDERER = "passend.front.forms.FormRenderer"

# --- Database ---------------------------------------------------------------------------------
DEFAULT_SQLITE = VAR_DIR / "passend.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN,
    # so concurrent writers queue (busy timeout) instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": None}  # in-memory test database
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend first: it refuses locked-out credentials before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "front:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "passend.accounts.passwords.MaximumLengthValidator"},
]

# Two-factor authentication (django-otp, TOTP). Required in production for the roles that can
# see student files; PASSEND_REQUIRE_2FA=0 turns the requirement off (the demo does this).
REQUIRE_2FA = env_bool("PASSEND_REQUIRE_2FA", PRODUCTION)
TWO_FACTOR_ROLES = ("coordinator", "bpo", "partner")
OTP_TOTP_ISSUER = "passend"

# Lockout (django-axes): 5 failures for one e-mail address from one client lock it for 15 min.
# The client address is REMOTE_ADDR only, unless PASSEND_PROXY_COUNT says how many trusted
# proxies stand in front: a client-supplied X-Forwarded-For can then not reset the counter.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PASSEND_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_VERBOSE = False

# --- Sessions and cookies ---------------------------------------------------------------------
SESSION_IDLE_SECONDS = 30 * 60  # idle timeout: the cookie age, renewed on every request
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60  # absolute timeout, enforced by SessionLimitsMiddleware
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("PASSEND_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("PASSEND_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp 4): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploaded files (evidence). Never served directly: downloads go through access-checked views.
MEDIA_ROOT = Path(os.environ.get("PASSEND_MEDIA_ROOT", VAR_DIR / "media"))
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# The largest request body accepted at all: one maximal file plus the rest of its form.
MAX_REQUEST_BYTES = int(
    os.environ.get("PASSEND_MAX_REQUEST_BYTES", EVIDENCE_MAX_BYTES + 1024 * 1024)
)

# --- E-mail and logging -----------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "PASSEND_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("PASSEND_FROM_EMAIL", "passend@localhost")
# Where passend is reached, for the links in e-mails sent outside a request (passend digest).
PASSEND_BASE_URL = os.environ.get("PASSEND_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PASSEND_LOG_LEVEL", "WARNING")},
}

# Field sizes for uploads and forms: everything bigger is refused before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
