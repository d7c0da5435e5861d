"""The curl example of docs/calls.md, run as written (bash, openssl, curl) against a real server
on 127.0.0.1: a PBX following the documentation gets its call stored."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tanggap.calls.models import Call
from tanggap.channels.models import Channel

DOC = Path(__file__).resolve().parents[2] / "docs" / "calls.md"
pytestmark = [pytest.mark.servers,
              pytest.mark.skipif(not (shutil.which("curl") and shutil.which("openssl")), reason="needs curl and openssl")]


def _example() -> str:
    blocks = re.findall(r"```bash\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    script = next(b for b in blocks if "X-Hub-Signature-256" in b)
    return script


def test_the_documented_curl_example_stores_the_call(live_server):
    script = _example()
    secret = re.search(r"^SECRET='([^']*)'", script, re.M).group(1)
    Channel.objects.create(kind="phone", slug="phone", name="Telepon", secret=secret)
    script = script.replace("http://127.0.0.1:8000", live_server.url)
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30, check=True)
    answer = json.loads(done.stdout)
    assert (answer["event"], answer["state"], answer["outcome"], answer["created"]) == ("ended", "ended", "answered", True)
    call = Call.objects.get()
    assert (call.number, call.duration_seconds) == ("+6281234567890", 252)
    assert call.ticket is not None and call.ticket.initiated_by == "customer"
    # a wrong secret is refused, as documented
    wrong = script.replace(f"SECRET='{secret}'", "SECRET='salah'")
    refused = subprocess.run(["bash", "-c", wrong], capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(refused.stdout)["error"]["code"] == "bad_signature"
