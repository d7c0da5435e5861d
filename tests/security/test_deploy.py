"""Production settings: `manage.py check --deploy` is clean, secrets come only from the
environment, and they never show in what the server prints or answers.

Each test runs real processes with a clean environment (nothing inherited from the test run
but PATH), the way a deployment starts them."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import httpx
import pytest

from tests.fixtures.net import free_port, wait_port
from tests.fixtures.processes import stop_group

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def production_env(tmp_path, **extra) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "TANGGAP_VAR_DIR": str(tmp_path / "var"),
        "TANGGAP_ENV": "production",
        "TANGGAP_SECRET_KEY": secrets.token_urlsafe(50),
        "TANGGAP_ALLOWED_HOSTS": "help.example.co.id",
    }
    env.update(extra)
    return env


def manage(env, *args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_behind_a_tls_terminating_proxy(tmp_path):
    # The proxy redirects http:// itself; the app trusts its X-Forwarded-Proto.
    env = production_env(tmp_path, TANGGAP_BEHIND_PROXY="1", TANGGAP_SSL_REDIRECT="0",
                         TANGGAP_CSRF_TRUSTED_ORIGINS="https://help.example.co.id")
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_development_defaults_fail_check_deploy(tmp_path):
    """The demo's defaults are not production settings, and check --deploy says so."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "TANGGAP_VAR_DIR": str(tmp_path / "var")}
    assert manage(env, "check").returncode == 0
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for code in ("security.W004", "security.W008", "security.W009", "security.W012", "security.W016"):
        assert code in result.stderr + result.stdout


@pytest.mark.parametrize("missing, message", [
    ("TANGGAP_SECRET_KEY", "TANGGAP_SECRET_KEY (or TANGGAP_SECRET_KEY_FILE) must be set"),
    ("TANGGAP_ALLOWED_HOSTS", "TANGGAP_ALLOWED_HOSTS must be set"),
])
def test_production_refuses_to_start_without_a_required_setting(tmp_path, missing, message):
    env = production_env(tmp_path)
    del env[missing]
    result = manage(env, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_debug(tmp_path):
    result = manage(production_env(tmp_path, TANGGAP_DEBUG="1"), "check")
    assert result.returncode != 0
    assert "TANGGAP_DEBUG=1 is not allowed with TANGGAP_ENV=production" in result.stderr


def test_secret_key_from_a_file(tmp_path):
    key = secrets.token_urlsafe(50)
    (tmp_path / "secret").write_text(key + "\n")
    env = production_env(tmp_path, TANGGAP_SECRET_KEY_FILE=str(tmp_path / "secret"))
    del env["TANGGAP_SECRET_KEY"]
    code = "from django.conf import settings; print(settings.SECRET_KEY == open(%r).read().strip())" % str(
        tmp_path / "secret")
    result = manage(env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


@pytest.mark.servers
def test_secrets_never_appear_in_the_server_output_or_its_answers(tmp_path):
    """`tanggap serve` in production, behind a TLS proxy, with every secret the settings read
    from the environment set, and a database that refuses connections: requests fail with
    500 and are logged with their tracebacks, and no secret is in the output or the answers."""
    db_port = free_port()  # nothing listens there
    secret_values = {
        "TANGGAP_SECRET_KEY": secrets.token_urlsafe(50),
        "db_password": "db-" + secrets.token_hex(16),
        "TANGGAP_SMTP_PASSWORD": "smtp-" + secrets.token_hex(16),
        "TANGGAP_IMAP_PASSWORD": "imap-" + secrets.token_hex(16),
        "a bearer token sent by a client": "tg_" + secrets.token_urlsafe(32),
        "a session cookie sent by a client": secrets.token_hex(16),
    }
    env = production_env(
        tmp_path,
        TANGGAP_SECRET_KEY=secret_values["TANGGAP_SECRET_KEY"],
        TANGGAP_ALLOWED_HOSTS="help.example.co.id,127.0.0.1",
        TANGGAP_BEHIND_PROXY="1",
        TANGGAP_LOG_LEVEL="DEBUG",
        DATABASE_URL=f"postgresql://tanggap:{secret_values['db_password']}@127.0.0.1:{db_port}/tanggap",
        TANGGAP_SMTP_USER="cs@example.co.id", TANGGAP_SMTP_PASSWORD=secret_values["TANGGAP_SMTP_PASSWORD"],
        TANGGAP_IMAP_HOST="127.0.0.1", TANGGAP_IMAP_USER="cs@example.co.id",
        TANGGAP_IMAP_PASSWORD=secret_values["TANGGAP_IMAP_PASSWORD"],
    )
    port = free_port()
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([PYTHON, "-m", "tanggap.cli", "serve", "--port", str(port), "--workers", "1",
                                   "--threads", "2"], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    answers = []
    try:
        wait_port(port)
        https = {"Host": "help.example.co.id", "X-Forwarded-Proto": "https"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            plain = client.get("/api/v1/tickets", headers={"Host": "help.example.co.id"})
            assert plain.status_code == 301 and plain.headers["location"].startswith("https://")
            failing = [
                client.get("/api/v1/tickets", headers={
                    **https, "Authorization": "Bearer " + secret_values["a bearer token sent by a client"]}),
                client.post("/api/v1/messages", headers={**https, "Authorization": "Bearer tg_x"},
                            json={"channel": "api"}),
                client.get("/inbox/", headers={
                    **https, "Cookie": "sessionid=" + secret_values["a session cookie sent by a client"]}),
            ]
            assert [r.status_code for r in failing] == [500, 500, 500]
            evil = client.get("/api/v1/tickets", headers={"Host": "evil.example", "X-Forwarded-Proto": "https"})
            assert evil.status_code == 400
            answers = [plain, *failing, evil]
            assert failing[0].headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    finally:
        stop_group(server)
    time.sleep(0.1)
    output = log_path.read_text(errors="replace")
    # The requests really failed, and were logged with the database error.
    assert "Internal Server Error" in output and "Traceback" in output
    assert "connection" in output.lower()
    for name, value in secret_values.items():
        for form in {value, urllib.parse.quote(value, safe="")}:
            assert form not in output, f"{name} appears in the server output"
            for answer in answers:
                assert form not in answer.text, f"{name} appears in an answer to {answer.request.url}"
                assert form not in str(answer.headers), f"{name} appears in the headers of {answer.request.url}"
