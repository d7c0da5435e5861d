"""Django settings. Everything a deployment changes comes from environment variables
(see README "Configuration"); secrets never have a production default."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("TANGGAP_VAR_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (container secrets)."""
    value = os.environ.get(name, "")
    path = os.environ.get(f"{name}_FILE", "")
    if not value and path:
        try:
            value = Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE names a file that cannot be read ({exc.strerror}).") from None
    return value


# TANGGAP_ENV=production: settings for a real deployment. Secrets and host names must come from
# the environment (a clear error at startup otherwise), DEBUG cannot be on, and the HTTPS
# hardening below is on unless switched off one by one. Anything else (the default,
# "development") keeps the embedded demo and the tests working with no environment at all.
TANGGAP_ENV = os.environ.get("TANGGAP_ENV", "development").strip().lower()
# Triage of inbound messages in the worker (issue 7). The first triage trains the sentiment model
# (a few minutes on 2 cores); TANGGAP_TRIAGE=0 turns it off (the test suite does, except tests/triage).
TANGGAP_TRIAGE = os.environ.get("TANGGAP_TRIAGE", "1").strip() != "0"
if TANGGAP_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"TANGGAP_ENV must be 'development' or 'production', not {TANGGAP_ENV!r}.")
PRODUCTION = TANGGAP_ENV == "production"

DEBUG = env_bool("TANGGAP_DEBUG", False)
SECRET_KEY = env_secret("TANGGAP_SECRET_KEY")
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("TANGGAP_DEBUG=1 is not allowed with TANGGAP_ENV=production: debug pages "
                                   "show settings and source code to anyone who triggers an error.")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "TANGGAP_SECRET_KEY (or TANGGAP_SECRET_KEY_FILE) must be set with TANGGAP_ENV=production. Make one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'")
    if not os.environ.get("TANGGAP_ALLOWED_HOSTS", "").strip():
        raise ImproperlyConfigured("TANGGAP_ALLOWED_HOSTS must be set with TANGGAP_ENV=production: the host names "
                                   "the server answers, comma-separated (e.g. help.example.co.id).")
elif not SECRET_KEY:
    # Only for the embedded demo and tests; TANGGAP_ENV=production refuses to start without one.
    SECRET_KEY = "insecure-dev-key-set-TANGGAP_SECRET_KEY"
ALLOWED_HOSTS = env_list("TANGGAP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("TANGGAP_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "tanggap.common",
    "tanggap.events",
    "tanggap.accounts",
    "tanggap.customers",
    "tanggap.channels",
    "tanggap.conversations",
    "tanggap.sla",
    "tanggap.texts",
    "tanggap.notifications",
    "tanggap.promises",
    "tanggap.remedies",
    "tanggap.journeys",
    "tanggap.alerts",
    "tanggap.incidents",
    "tanggap.proactive",
    "tanggap.automations",
    "tanggap.knowledge",
    "tanggap.surveys",
    "tanggap.loyalty",
    "tanggap.reviews",
    "tanggap.triage",
    "tanggap.livechat",
    "tanggap.calls",
    "tanggap.recommend",
    "tanggap.health",
    "tanggap.replies",
    "tanggap.nextbest",
    "tanggap.portal",
    "tanggap.manager",
    "tanggap.api",
    "tanggap.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tanggap.web.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tanggap.urls"
WSGI_APPLICATION = "tanggap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL -----------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tanggap.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("TANGGAP_DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DATABASES["default"]["NAME"] == ":memory:" else 60
    # Django's backend, with write transactions queued on a file lock (tanggap/common/sqlite).
    DATABASES["default"]["ENGINE"] = "tanggap.common.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the lock up front instead of failing
        # with "database is locked" when a reader upgrades; WAL lets readers go on.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work: django-tasks with its database backend --------------------------
# A job a worker started and never finished (the worker was killed) is run again after this long.
TANGGAP_TASK_STALL_MINUTES = env_int("TANGGAP_TASK_STALL_MINUTES", 30)
TASKS = {"default": {"BACKEND": "tanggap.common.taskqueue.DatabaseBackend", "QUEUES": ["default", "outbound", "imap"]}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:inbox"
LOGOUT_REDIRECT_URL = "web:login"

# --- Languages: Indonesian first, then Malay and English ------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("ms", _("Bahasa Melayu")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TANGGAP_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("TANGGAP_STATIC_ROOT") or None  # WhiteNoise serves app files via finders
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("TANGGAP_MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Security: always on, and HTTPS hardening for production ------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS: list[str] = []
# TANGGAP_SECURE=1 (the default in production): the site is served over HTTPS. Secure cookies,
# HSTS and a redirect from http:// to https://; each part can be switched off on its own, and
# the matching `check --deploy` warning is then silenced because it was a decision.
if env_bool("TANGGAP_SECURE", PRODUCTION):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # Off when the proxy in front already redirects http:// (or the app is only reachable through it).
    SECURE_SSL_REDIRECT = env_bool("TANGGAP_SSL_REDIRECT", True)
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS.append("security.W008")
    SECURE_HSTS_SECONDS = env_int("TANGGAP_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TANGGAP_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("TANGGAP_HSTS_PRELOAD", True)
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS.append("security.W005")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")
# Behind a proxy that terminates TLS: trust its X-Forwarded-Proto header to tell https requests
# apart (else every request looks like http:// and the redirect loops). Only when the app is
# reachable through that proxy alone: a client talking to the app directly could forge it.
if env_bool("TANGGAP_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("TANGGAP_USE_X_FORWARDED_HOST", False)

# --- Email (outbound SMTP, inbound IMAP) ----------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("TANGGAP_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = env_int("TANGGAP_SMTP_PORT", 25)
EMAIL_HOST_USER = os.environ.get("TANGGAP_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_secret("TANGGAP_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("TANGGAP_SMTP_STARTTLS", False)
EMAIL_USE_SSL = env_bool("TANGGAP_SMTP_SSL", False)
EMAIL_TIMEOUT = env_int("TANGGAP_SMTP_TIMEOUT", 15)
DEFAULT_FROM_EMAIL = os.environ.get("TANGGAP_FROM_EMAIL", "cs@tanggap.local")

TANGGAP_IMAP = {
    "host": os.environ.get("TANGGAP_IMAP_HOST", ""),
    "port": env_int("TANGGAP_IMAP_PORT", 993),
    "use_tls": env_bool("TANGGAP_IMAP_TLS", True),
    "user": os.environ.get("TANGGAP_IMAP_USER", ""),
    "password": env_secret("TANGGAP_IMAP_PASSWORD"),
    "folder": os.environ.get("TANGGAP_IMAP_FOLDER", "INBOX"),
    "processed_folder": os.environ.get("TANGGAP_IMAP_PROCESSED_FOLDER", ""),
    "interval_seconds": env_int("TANGGAP_IMAP_INTERVAL", 60),
}

# --- Intake limits ---------------------------------------------------------------------
TANGGAP_MAX_BODY_BYTES = env_int("TANGGAP_MAX_BODY_BYTES", 25 * 1024 * 1024)
# POST /api/v1/messages with Prefer: respond-async served ahead of Django's middleware (tanggap/api/fastpath.py).
TANGGAP_INTAKE_FASTPATH = env_bool("TANGGAP_INTAKE_FASTPATH", True)
TANGGAP_MAX_ATTACHMENT_BYTES = env_int("TANGGAP_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = TANGGAP_MAX_BODY_BYTES
TANGGAP_OUTBOUND_MAX_ATTEMPTS = env_int("TANGGAP_OUTBOUND_MAX_ATTEMPTS", 6)
TANGGAP_OUTBOUND_BACKOFF_SECONDS = env_int("TANGGAP_OUTBOUND_BACKOFF_SECONDS", 30)
# tanggap worker gives way to intake during a burst (tanggap/channels/pressure.py, docs/operations.md):
# accepted messages per second that count as a burst, and the longest it waits in a row (0 turns it off).
TANGGAP_WORKER_YIELD_RATE = float(os.environ.get("TANGGAP_WORKER_YIELD_RATE", "20"))
TANGGAP_WORKER_YIELD_MAX_SECONDS = float(os.environ.get("TANGGAP_WORKER_YIELD_MAX_SECONDS", "60"))
TANGGAP_SITE_URL = os.environ.get("TANGGAP_SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TANGGAP_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
