"""Run every file of ../shared/corpora/email through the real inbound endpoint and print how
many were stored and how many rejected, with the reasons.

    .venv/bin/python bench/email_corpus.py            # uses a throw-away SQLite database
"""

from __future__ import annotations

import collections
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "email"


def main() -> int:
    if not CORPUS.exists():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    tmp = tempfile.mkdtemp(prefix="tanggap-corpus-")
    os.environ.update(DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3", TANGGAP_VAR_DIR=tmp,
                      DJANGO_SETTINGS_MODULE="tanggap.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from tanggap.accounts.services import agent_create, api_token_create
    from tanggap.channels.models import InboundRaw

    call_command("migrate", verbosity=0)
    _, token = api_token_create(user=agent_create(username="bench", password="bench-pass-1", role="admin"))
    client = Client(headers={"Authorization": f"Bearer {token}"})
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix not in (".md", ".yml"))
    statuses: collections.Counter = collections.Counter()
    reasons: collections.Counter = collections.Counter()
    started = time.perf_counter()
    for path in files:
        r = client.post("/api/v1/channels/email/inbound", data=path.read_bytes(), content_type="message/rfc822")
        statuses[r.status_code] += 1
        if r.status_code >= 400:
            raw = InboundRaw.objects.order_by("-id").first()
            reasons[(raw.reason_code, raw.reason)] += 1
            print(f"  rejected {path.relative_to(CORPUS)}: {raw.reason_code}: {raw.reason}")
    elapsed = time.perf_counter() - started
    stored = statuses[201] + statuses[200]
    print(f"{len(files)} corpus files in {elapsed:.1f} s: {stored} stored ({statuses[200]} of them repeats of an "
          f"earlier Message-ID), {sum(v for k, v in statuses.items() if k >= 400)} rejected; statuses {dict(statuses)}")
    for (code, reason), n in reasons.most_common():
        print(f"  {n} × {code}: {reason}")
    return 0 if all(code < 500 for code in statuses) else 1


if __name__ == "__main__":
    sys.exit(main())
