"""A separate worker process for the race test in test_updates.py, against a file SQLite
database given by DATABASE_URL (so several processes share it, as real workers do).

    python -m tests.promises.race_worker setup          -> migrates, prints "<ticket id> <expected iso>"
    python -m tests.promises.race_worker send ID ISO DIR -> waits for DIR/go, sends, prints sent/skipped
    python -m tests.promises.race_worker sweep DIR       -> waits for DIR/go, sweeps, prints updates sent

Each racer writes DIR/ready-<pid> once loaded, so the parent starts them all at the same moment.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanggap.settings")

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402

from tests.promises.support import make_calendar, make_policy, receive, wib  # noqa: E402

SEND_AT = wib(2026, 11, 23, 11, 10)


def setup() -> None:
    from django.core.management import call_command

    from tanggap.accounts.services import agent_create
    from tanggap.conversations.services import reply_send
    from tanggap.sla.models import SlaPolicy, TicketSla

    call_command("migrate", verbosity=0)
    SlaPolicy.objects.all().delete()
    make_policy(calendar=make_calendar(), resolution_minutes=60 * 60, update_interval_minutes=120)
    agent = agent_create(username="sari", password="rahasia-123")
    with time_machine.travel(wib(2026, 11, 23, 9, 0), tick=False):
        ticket = receive().ticket
    with time_machine.travel(wib(2026, 11, 23, 9, 10), tick=False):
        reply_send(ticket=ticket, author=agent, body_text="Kami cek dulu.")
    print(ticket.pk, TicketSla.objects.get(ticket=ticket).next_update_at.isoformat())


def wait(folder: str) -> None:
    from django.db import connection

    connection.ensure_connection()
    (Path(folder) / f"ready-{os.getpid()}").touch()
    go, deadline = Path(folder) / "go", time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.001)


def main(argv: list[str]) -> None:
    if argv[0] == "setup":
        setup()
    elif argv[0] == "send":
        from tanggap.promises.services import progress_update_send

        ticket_id, expected = int(argv[1]), dt.datetime.fromisoformat(argv[2])
        wait(argv[3])
        with time_machine.travel(SEND_AT, tick=False):
            message = progress_update_send(ticket_id=ticket_id, expected=expected, at=SEND_AT)
        print("sent" if message else "skipped")
    elif argv[0] == "sweep":
        from tanggap.promises.services import promise_sweep

        wait(argv[1])
        with time_machine.travel(SEND_AT, tick=False):
            print(promise_sweep(at=SEND_AT)["updates"])


if __name__ == "__main__":
    main(sys.argv[1:])
