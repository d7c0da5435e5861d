"""The demo store's phone calls (issue 8): called by tanggap.demo.parts after the tickets exist.

A handful of calls on open tickets, in each customer's language, through the real services so
each one is a contact on its ticket's timeline: agents' call-backs logged from the console
(answered, and one not picked up) and two inbound calls as the shop's PBX posts them to the
webhook (an answered one with a recording link, and a missed one): in the last two hours, on
tickets of customers with a phone number that were quiet before (so each call comes after
everything already on its ticket, SLA breaches included). The phone channel gets a demo signing secret, so the curl example of docs/calls.md
works against the demo. Deterministic for a seed and ``now``.

Not in the demo: a call that opens a ticket of its own (the demo's tests pin the channels its
tickets arrive on) and an inbound call logged by hand (its tests expect every inbound message to
keep the raw payload it came in; a logged call has none)."""

from __future__ import annotations

import datetime as dt
import json

from tanggap.calls import services
from tanggap.calls.models import Call
from tanggap.channels.lookup import channel_for
from tanggap.conversations.models import Ticket
from tanggap.demo.aftercare import frozen

DEMO_SECRET = "demo-telepon-rahasia"

NOTES = {
    "id": ["Telepon balik: konfirmasi alamat pengiriman ulang, pelanggan setuju.",
           "Tidak diangkat, akan dicoba lagi sore ini.",
           "Menjelaskan proses pengembalian dana, pelanggan minta dikabari lewat WhatsApp."],
    "ms": ["Panggilan semula: sahkan alamat penghantaran semula, pelanggan setuju.",
           "Tidak berjawab, akan cuba lagi petang ini.",
           "Terangkan proses bayaran balik, pelanggan minta dimaklumkan melalui WhatsApp."],
    "en": ["Called back: confirmed the address for the re-delivery, customer agreed.",
           "No answer, will try again this afternoon.",
           "Explained the refund process; customer wants updates on WhatsApp."],
}
# Agents' call-backs: (outcome, talk seconds, note index, minutes before now)
LOGGED = [("answered", 95, 0, 100), ("missed", 0, 1, 70), ("answered", 240, 2, 40)]
# The PBX's inbound calls: (call id, outcome, [(event, seconds after the start)], recording)
PBX = [("pbx-demo-1001", "answered", [("started", 0), ("answered", 8), ("ended", 260)],
        "https://pbx.demo.tanggap.local/rekaman/1001.mp3"),
       ("pbx-demo-1002", "missed", [("started", 0), ("ended", 25)], "")]


def _candidates(ctx) -> list[Ticket]:
    """Open tickets of the demo's customers who have a phone number, quiet for the last two hours
    (so every call comes after everything already on the ticket: messages, SLA breaches)."""
    customer_ids = sorted({c.pk for c in ctx.customers.values()})
    quiet_since = ctx.now - dt.timedelta(hours=2)
    return list(Ticket.objects.filter(customer_id__in=customer_ids, status="open", initiated_by="customer",
                                      customer__identities__kind="phone")
                .exclude(timeline__at__gte=quiet_since).exclude(messages__created_at__gte=quiet_since)
                .select_related("customer").distinct().order_by("id"))


def play(ctx) -> dict:
    channel = channel_for(kind=services.KIND)
    if not channel.secret:
        channel.secret = DEMO_SECRET
        channel.save(update_fields=["secret"])
    agents = [ctx.agents[name] for name in sorted(ctx.agents)]
    candidates = _candidates(ctx)
    candidates = ctx.rng.sample(candidates, len(candidates))
    picked = candidates[:len(LOGGED)]
    # The PBX's calls join the caller's most recently active open ticket: pick tickets that are it.
    for ticket in candidates[len(LOGGED):]:
        if len(picked) == len(LOGGED) + len(PBX):
            break
        if services.open_ticket_of(ticket.customer).pk == ticket.pk and \
                ticket.customer_id not in {t.customer_id for t in picked}:
            picked.append(ticket)
    logged = 0
    for i, (ticket, (outcome, seconds, note, minutes)) in enumerate(zip(picked, LOGGED)):
        customer = ticket.customer
        start = ctx.now - dt.timedelta(minutes=minutes)
        with frozen(start + dt.timedelta(seconds=seconds)):
            services.call_log(actor=agents[i % len(agents)] if agents else None, customer=customer, direction="out",
                              number=services.customer_phone(customer), outcome=outcome, duration_seconds=seconds,
                              notes=NOTES.get(customer.language, NOTES["id"])[note], ticket=ticket, started_at=start)
        logged += 1
    posted = 0
    for ticket, (call_id, outcome, events, recording), minutes in zip(picked[len(LOGGED):], PBX, (90, 25)):
        posted += _from_the_pbx(ctx, channel, ticket, call_id, outcome, events, recording,
                                start=ctx.now - dt.timedelta(minutes=minutes))
    # The calls were placed in the last two hours: bring the clocks of their tickets to the demo's "now".
    from tanggap.sla.services import sla_refresh_quietly

    for ticket in picked:
        sla_refresh_quietly(ticket_id=ticket.pk)
    return {"calls": Call.objects.count(), "logged": logged, "from_pbx": posted}


def _from_the_pbx(ctx, channel, ticket, call_id, outcome, events, recording, *, start: dt.datetime) -> int:
    """One inbound call as the webhook receives it: its events, each kept as a raw payload."""
    number = services.customer_phone(ticket.customer)
    for kind, offset in events:
        at = start + dt.timedelta(seconds=offset)
        ended = kind == "ended"
        payload = {"event": f"call.{kind}", "call_id": call_id, "direction": "inbound", "from": number,
                   "to": "+622150001234", "timestamp": at.isoformat()}
        if ended:
            payload["outcome"] = outcome
            if recording:
                payload["recording_url"] = recording
        data = services.CallEventData(
            kind=kind, provider_call_id=call_id, direction="in", customer_number=number, occurred_at=at,
            line="+622150001234", outcome=payload.get("outcome", ""), recording_url=payload.get("recording_url", ""),
            payload=payload)
        with frozen(at):
            services.call_event_receive(channel=channel, data=data, body=json.dumps(payload).encode())
    return 1
