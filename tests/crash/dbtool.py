"""Database steps of the crash-safety test, run as their own processes against the test's
database (``DATABASE_URL``), never inside the pytest process:

    python -m tests.crash.dbtool setup SEND_URL SECRET   # channel, acknowledgements on, API token
    python -m tests.crash.dbtool recover                  # the worker, 11 minutes later
    python -m tests.crash.dbtool inspect                  # what is stored, as JSON on stdout

``recover`` runs ``tanggap worker --batch`` with the clock 11 minutes ahead: the outbound sweep
requeues a message a SIGKILLed worker left in ``sending`` only after 10 minutes, and the inbound
sweep processes a raw payload left ``received`` after 1 minute. Instead of waiting that long, the
test moves the clock of that one process (time-machine), which runs the same periodic jobs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanggap.settings")
    import django

    django.setup()


def setup(send_url: str, secret: str) -> None:
    from django.core.management import call_command

    _django()
    call_command("migrate", interactive=False, verbosity=0)
    from tanggap.accounts.services import agent_create, api_token_create
    from tanggap.channels.models import Channel
    from tanggap.sla.models import SlaPolicy

    Channel.objects.create(kind="whatsapp", slug="whatsapp", name="WhatsApp", secret=secret,
                           verify_token="crash-verify", send_url=send_url, send_token="crash-send-token",
                           config={"send_timeout": 10})
    # What a manager does in Settings: every new ticket gets an automatic acknowledgement, so
    # every ticket the intake opens queues one outbound message for the worker.
    SlaPolicy.objects.update(acknowledge=True)
    admin = agent_create(username="crash-admin", password="crash-admin-pw-1", role="admin")
    print(json.dumps({"token": api_token_create(user=admin, name="crash")[1]}))


def recover() -> None:
    import time_machine

    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)
    with time_machine.travel(ahead, tick=True):
        from tanggap.cli import main

        main(["worker", "--batch", "--interval", "0"], standalone_mode=False)


def inspect() -> None:
    _django()
    from django.db.models import Count

    from tanggap.channels.models import InboundRaw
    from tanggap.conversations.delivery import idempotency_key
    from tanggap.conversations.models import Message, Ticket

    inbound = Message.objects.filter(direction="in")
    pairs = list(inbound.values_list("external_id", "ticket_id"))
    ids = [ext for ext, _ in pairs]
    outbound = [
        {"key": idempotency_key(m), "status": m.delivery_status, "provider_id": m.provider_id,
         "attempts": m.attempts, "ticket": m.ticket_id, "purpose": (m.meta or {}).get("purpose", "")}
        for m in Message.objects.filter(direction="out").only(
            "pk", "created_at", "delivery_status", "provider_id", "attempts", "ticket_id", "meta").order_by("pk")
    ]
    tickets = Ticket.objects.count()
    print(json.dumps({
        "inbound": len(ids),
        "inbound_external_ids": ids,
        "ticket_of": {ext: ticket for ext, ticket in pairs},
        "inbound_without_ticket": inbound.exclude(ticket_id__in=Ticket.objects.values("pk")).count(),
        "tickets": tickets,
        "tickets_with_inbound": Ticket.objects.filter(messages__direction="in").distinct().count(),
        "outbound": outbound,
        # payloads stored again by a retry (or left by a kill and swept) that created nothing new
        "raw_repeats": InboundRaw.objects.filter(status="processed", messages_created=0).count(),
        "raw_by_status": dict(InboundRaw.objects.values_list("status").annotate(n=Count("id")).order_by("status")),
    }))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"setup": setup, "recover": recover, "inspect": inspect}[command](*args)
