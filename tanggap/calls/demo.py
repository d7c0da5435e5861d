"""The demo store's phone calls (issue 8): called by tanggap.demo.parts after the tickets exist.

A handful of calls in each customer's language, through the real services so each one is a
contact on its ticket's timeline: agents' logged calls on open tickets (inbound answered,
outbound callbacks, one not picked up), an outbound call about a new problem that opens its own
ticket, and two calls as a PBX posts them to the webhook (an answered inbound call with a
recording link, and a missed call from a number the shop has never seen, which opens a ticket for
a new customer). The phone channel gets a demo signing secret, so the curl example of
docs/calls.md works against the demo. Deterministic for a seed and ``now``."""

from __future__ import annotations

import datetime as dt

from tanggap.calls import services
from tanggap.calls.models import Call
from tanggap.channels.lookup import channel_for
from tanggap.conversations.models import Ticket
from tanggap.demo.aftercare import frozen

DEMO_SECRET = "demo-telepon-rahasia"

NOTES = {
    "id": ["Pelanggan menanyakan status paket, sudah dijelaskan posisi di kurir.",
           "Telepon balik: konfirmasi alamat pengiriman ulang.",
           "Tidak diangkat, akan dicoba lagi sore ini.",
           "Saldo voucher tidak bertambah setelah pengembalian barang"],
    "ms": ["Pelanggan bertanya status bungkusan, sudah diterangkan lokasi di kurier.",
           "Panggilan semula: sahkan alamat penghantaran semula.",
           "Tidak berjawab, akan cuba lagi petang ini.",
           "Baki baucar tidak bertambah selepas pemulangan barang"],
    "en": ["Customer asked about the parcel; explained where it is with the courier.",
           "Call back: confirmed the address for the re-delivery.",
           "No answer, will try again this afternoon.",
           "Voucher balance did not go up after the return"],
}
# (direction, outcome, duration in seconds, note index, hours before now)
LOGGED = [("in", "answered", 214, 0, 30), ("out", "answered", 95, 1, 20), ("out", "missed", 0, 2, 6),
          ("in", "answered", 388, 0, 3)]


def _number(customer, i: int) -> str:
    known = services.customer_phone(customer)
    if known:
        return known
    return f"+60 12-{400 + i:03d} {1000 + customer.pk % 9000:04d}" if customer.country == "MY" else \
        f"+62 812-{5000 + i:04d}-{1000 + customer.pk % 9000:04d}"


def play(ctx) -> dict:
    channel = channel_for(kind=services.KIND)
    if not channel.secret:
        channel.secret = DEMO_SECRET
        channel.save(update_fields=["secret"])
    agents = [ctx.agents[name] for name in sorted(ctx.agents)]
    customers = {c.pk: c for c in ctx.customers.values()}
    open_tickets = list(Ticket.objects.filter(customer_id__in=customers, status__in=services.OPEN_STATUSES)
                        .select_related("customer").order_by("id"))
    picked = ctx.rng.sample(open_tickets, min(len(LOGGED), len(open_tickets)))
    made = 0
    for i, (ticket, (direction, outcome, seconds, note, hours)) in enumerate(zip(picked, LOGGED)):
        customer = ticket.customer
        with frozen(ctx.now - dt.timedelta(hours=hours)):
            services.call_log(actor=agents[i % len(agents)], customer=customer, direction=direction,
                              number=_number(customer, i), outcome=outcome, duration_seconds=seconds,
                              notes=NOTES.get(customer.language, NOTES["id"])[note], ticket=ticket)
        made += 1
    # A call about a new problem, from the customer page: it opens its own (company-initiated) ticket.
    quiet = sorted(set(customers) - {t.customer_id for t in open_tickets})
    if quiet and agents:
        customer = customers[ctx.rng.choice(quiet)]
        with frozen(ctx.now - dt.timedelta(hours=26)):
            services.call_log(actor=agents[0], customer=customer, direction="out", number=_number(customer, 9),
                              outcome="answered", duration_seconds=160, new_ticket=True,
                              notes=NOTES.get(customer.language, NOTES["id"])[3])
        made += 1
    made += _from_the_pbx(ctx, channel, picked)
    return {"calls": Call.objects.count(), "logged_or_posted": made}


def _from_the_pbx(ctx, channel, picked) -> int:
    """Two calls as the webhook receives them (started, answered, ended events)."""
    if not picked:
        return 0
    caller = services.customer_phone(picked[0].customer) or _number(picked[0].customer, 0)
    start = ctx.now - dt.timedelta(hours=2, minutes=10)
    calls = [
        ("pbx-demo-1001", caller, [("started", 0), ("answered", 8), ("ended", 260)], "answered",
         "https://pbx.demo.tanggap.local/rekaman/1001.mp3"),
        ("pbx-demo-1002", "0857-1234-0099", [("started", 3600), ("ended", 3625)], "missed", ""),
    ]
    for call_id, number, events, outcome, recording in calls:
        for kind, offset in events:
            at = start + dt.timedelta(seconds=offset)
            ended = kind == "ended"
            data = services.CallEventData(
                kind=kind, provider_call_id=call_id, direction="in", customer_number=number, occurred_at=at,
                line="+622150001234", outcome=outcome if ended else "", recording_url=recording if ended else "",
                duration_seconds=(events[-1][1] - events[1][1]) if ended and outcome == "answered" else None,
                payload={"event": f"call.{kind}", "call_id": call_id, "outcome": outcome if ended else ""})
            with frozen(at):
                services.call_event_receive(channel=channel, data=data)
    return len(calls)
