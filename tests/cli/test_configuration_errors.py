"""A wrong or missing setting stops the command line with a one-line reason, not a traceback."""

import os
import subprocess
import sys


def run(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TANGGAP_", "DATABASE_URL", "DJANGO_"))}
    return subprocess.run([sys.executable, "-m", "tanggap.cli", *args], env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def test_production_without_a_secret_key_says_so(tmp_path):
    r = run("migrate", TANGGAP_ENV="production", TANGGAP_ALLOWED_HOSTS="cs.example.id",
            TANGGAP_VAR_DIR=str(tmp_path))
    assert r.returncode == 2
    assert "TANGGAP_SECRET_KEY" in r.stderr and "configuration:" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_an_unknown_environment_name_says_so(tmp_path):
    r = run("migrate", TANGGAP_ENV="staging", TANGGAP_VAR_DIR=str(tmp_path))
    assert r.returncode == 2
    assert "TANGGAP_ENV must be 'development' or 'production'" in r.stderr
    assert "Traceback" not in r.stderr
