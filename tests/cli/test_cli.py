"""The command line as a user runs it: real processes, a real server, a real database file."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.fixtures.net import free_port, wait_port
from tests.fixtures.processes import stop_group

TANGGAP = [sys.executable, "-m", "tanggap.cli"]


def _env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TANGGAP_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="tanggap.settings")
    return env


@pytest.mark.servers
@pytest.mark.timeout(240)
def test_demo_serves_the_console_and_the_api_with_the_printed_credentials(tmp_path):
    port, db = free_port(), tmp_path / "demo.sqlite3"
    proc = subprocess.Popen([*TANGGAP, "demo", "--port", str(port), "--db", str(db)], env=_env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        lines = []
        while not any(line.startswith("API token:") for line in lines):
            line = proc.stdout.readline()
            assert line, "demo exited early:\n" + "".join(lines)
            lines.append(line)
        login = next(re.match(r"Agent login: (\S+) / (\S+)", line) for line in lines if line.startswith("Agent login:"))
        token = next(line.split(": ", 1)[1].strip() for line in lines if line.startswith("API token:"))
        assert login.group(1) == "agent" and len(login.group(2)) >= 8
        wait_port(port, tries=400)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10)
        assert page.status == 200
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/tickets?limit=5",
                                     headers={"Authorization": f"Bearer {token}"})
        body = json.load(urllib.request.urlopen(req, timeout=10))
        assert len(body["items"]) == 5
        assert db.exists()
    finally:
        stop_group(proc, timeout=20)


def _mbox(path: Path, messages: list[bytes]) -> None:
    with open(path, "wb") as fh:
        for raw in messages:
            fh.write(b"From sender@example.com Mon Nov 23 10:00:00 2026\n" + raw.replace(b"\r\n", b"\n") + b"\n")


def test_ingest_mbox_stores_good_messages_and_reports_a_bad_one_by_position(tmp_path, migrated_var):
    good = [
        (f"From: Pelanggan {i} <p{i}@example.id>\nTo: cs@toko.test\nSubject: Pesanan {i}\n"
         f"Message-ID: <mbox-{i}@example.id>\nDate: Mon, 23 Nov 2026 10:00:00 +0700\n\nIsi pesan {i}.\n").encode()
        for i in range(3)
    ]
    bad = b"To: cs@toko.test\nSubject: tanpa pengirim\nMessage-ID: <bad@x>\n\nSiapa saya?\n"
    mbox = tmp_path / "in.mbox"
    _mbox(mbox, [good[0], bad, good[1], good[2]])
    env = _env(tmp_path)
    run = subprocess.run([*TANGGAP, "ingest", "mbox", str(mbox)], env=env, capture_output=True, text=True)
    assert run.returncode == 1
    assert "4 messages: 3 stored, 0 already stored, 1 rejected." in run.stdout
    assert re.search(r"message #2: \w+: .+", run.stderr)
    again = subprocess.run([*TANGGAP, "ingest", "mbox", str(mbox)], env=env, capture_output=True, text=True)
    assert "4 messages: 0 stored, 3 already stored, 1 rejected." in again.stdout


def test_a_missing_file_is_a_clear_error(tmp_path):
    run = subprocess.run([*TANGGAP, "ingest", "mbox", str(tmp_path / "nope.mbox")], env=_env(tmp_path),
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "does not exist" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.servers
@pytest.mark.timeout(120)
def test_worker_nice_lowers_its_cpu_priority_and_refuses_out_of_range(tmp_path, migrated_var):
    """`tanggap worker --nice 7` runs at niceness 7 (read from /proc, as `top` shows it); values
    outside 0-19 are refused with a clear error and no worker starts."""
    env = _env(tmp_path)
    base = os.getpriority(os.PRIO_PROCESS, 0)
    proc = subprocess.Popen([*TANGGAP, "worker", "--nice", "7", "--interval", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        nice = None
        while time.monotonic() < deadline and proc.poll() is None:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            nice = int(fields[16])  # field 19 of stat: nice
            if nice != base:
                break
            time.sleep(0.2)
        assert proc.poll() is None, "the worker stopped"
        assert nice == min(19, base + 7)
    finally:
        stop_group(proc)
    bad = subprocess.run([*TANGGAP, "worker", "--nice", "25"], env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "25 is not in the range 0<=x<=19" in bad.stderr
