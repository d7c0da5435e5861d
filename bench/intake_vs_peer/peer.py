"""django-helpdesk (the peer) in its own virtualenv, with a minimal site.

Its ticket-creation endpoint is DRF's ``POST /api/tickets/`` (``helpdesk.views.api.TicketViewSet``,
staff only): the serializer hands the data to ``TicketForm``, which saves the ticket, a
follow-up and e-mails the submitter from a template stored in the database, all inside the
request. Auth is DRF's token auth (``Authorization: Token KEY``), the peer's cheapest
equivalent of tanggap's bearer token (basic auth would hash the password on every request).
E-mail goes to Django's dummy backend: the templates are rendered, nothing is sent, so the
peer pays no SMTP round trip (tanggap queues its acknowledgement for a worker instead).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

VERSION = "2.6.1"
PACKAGES = [f"django-helpdesk=={VERSION}", "gunicorn", "psycopg[binary]"]

SETTINGS = '''\
"""Minimal site for django-helpdesk, written by bench/intake_vs_peer/peer.py."""
import os
from urllib.parse import urlparse

SECRET_KEY = os.environ["PEER_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_ID = 1
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "django.contrib.staticfiles", "django.contrib.sites", "django.contrib.humanize",
    "rest_framework", "rest_framework.authtoken", "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "peersite.urls"
WSGI_APPLICATION = "peersite.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request", "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages"]},
}]
url = urlparse(os.environ["PEER_DATABASE_URL"])
if url.scheme == "sqlite":
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3", "NAME": url.path[1:], "CONN_MAX_AGE": 60,  # sqlite:////abs/path
        # the same SQLite options tanggap runs with (WAL, immediate write transactions, 30 s busy timeout)
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30,
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;"},
    }}
else:
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.postgresql", "NAME": url.path.lstrip("/"), "USER": url.username,
        "PASSWORD": url.password or "", "HOST": url.hostname, "PORT": url.port, "CONN_MAX_AGE": 60,
    }}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
LANGUAGE_CODE = "en-us"
STATIC_URL = "static/"
MEDIA_ROOT = os.environ.get("PEER_MEDIA_ROOT", "media")
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.com"
LOGIN_URL = "/login/"
HELPDESK_TEAMS_MODE_ENABLED = False
HELPDESK_API_ENABLED = True
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
}
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "WARNING"}}
'''

URLS = '''\
from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
'''

WSGI = '''\
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings")
application = get_wsgi_application()
'''

SETUP = '''\
"""Staff user, DRF token and one queue; prints them as JSON."""
import json

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from helpdesk.models import Queue

user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_staff": True, "is_superuser": True,
                                                                          "email": "bench@example.com"})
user.set_password("bench-password-123")
user.save()
token, _ = Token.objects.get_or_create(user=user)
queue, _ = Queue.objects.get_or_create(slug="support", defaults={"title": "Customer support",
                                                                  "email_address": "support@example.com"})
print(json.dumps({"token": token.key, "queue": queue.pk}))
'''


class Peer:
    name = "django-helpdesk"

    def __init__(self, root: Path) -> None:
        self.venv = root / "var" / "bench" / "helpdesk-venv"
        self.site = root / "var" / "bench" / "helpdesk-site"
        self.python = self.venv / "bin" / "python"
        self.cwd = self.site

    def install(self) -> str:
        """Create the virtualenv once (reused while it has the right version); returns the version line."""
        if not self._installed():
            print(f"installing django-helpdesk {VERSION} into {self.venv} ...", flush=True)
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(self.venv)], check=True)
            subprocess.run([str(self.python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
        out = subprocess.run([str(self.python), "-m", "pip", "list", "--format=json"], check=True,
                             capture_output=True, text=True).stdout
        versions = {p["name"].lower(): p["version"] for p in json.loads(out)}
        return (f"django-helpdesk {versions.get('django-helpdesk')}, Django {versions.get('django')}, "
                f"DRF {versions.get('djangorestframework')}, gunicorn {versions.get('gunicorn')}")

    def _installed(self) -> bool:
        if not self.python.exists():
            return False
        r = subprocess.run([str(self.python), "-c", "import importlib.metadata as m, gunicorn, psycopg;"
                            "print(m.version('django-helpdesk'))"], capture_output=True, text=True)
        return r.returncode == 0 and r.stdout.strip() == VERSION

    def write_site(self) -> None:
        pkg = self.site / "peersite"
        pkg.mkdir(parents=True, exist_ok=True)
        for name, text in {"__init__.py": "", "settings.py": SETTINGS, "urls.py": URLS, "wsgi.py": WSGI,
                           "setup_bench.py": SETUP}.items():
            (pkg / name).write_text(textwrap.dedent(text))

    def env(self, database_url: str, run_dir: Path) -> dict:
        return {**_clean_env(), "DJANGO_SETTINGS_MODULE": "peersite.settings", "PEER_DATABASE_URL": database_url,
                "PEER_SECRET_KEY": "bench-" + os.urandom(16).hex(), "PEER_MEDIA_ROOT": str(run_dir / "media"),
                "PYTHONPATH": str(self.site)}

    def prepare(self, database_url: str, run_dir: Path) -> dict:
        """Migrate a fresh database and create the staff user, token and queue."""
        env = self.env(database_url, run_dir)
        subprocess.run([str(self.python), "-m", "django", "migrate", "--noinput", "-v", "0"], env=env, cwd=self.site,
                       check=True)
        out = subprocess.run([str(self.python), "-m", "django", "shell", "-c",
                              (self.site / "peersite" / "setup_bench.py").read_text()],
                             env=env, cwd=self.site, check=True, capture_output=True, text=True).stdout
        info = json.loads(out.strip().splitlines()[-1])
        return {"env": env, "auth": f"Token {info['token']}", "queue": info["queue"]}

    def server_cmd(self, port: int, workers: int, threads: int) -> list[str]:
        return [str(self.venv / "bin" / "gunicorn"), "peersite.wsgi:application", *gunicorn_args(port, workers, threads)]

    def url(self, port: int) -> str:
        return f"http://127.0.0.1:{port}/api/tickets/"

    def count_stored(self, database_url: str) -> int:
        return count_rows(database_url, "helpdesk_ticket")


def gunicorn_args(port: int, workers: int, threads: int) -> list[str]:
    """The same server options for both products."""
    return ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
            "--worker-class", "gthread", "--timeout", "60", "--graceful-timeout", "5", "--keep-alive", "5",
            "--log-level", "warning"]


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "TANGGAP_",
                                                                      "VIRTUAL_ENV", "PYTHON"))}
    return env


def count_rows(database_url: str, table: str) -> int:
    if database_url.startswith("sqlite:"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as c:
            return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    import psycopg

    with psycopg.connect(database_url) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
