"""Helpers shared by the SLA clock and promise tests: a business calendar and policies made
explicitly, tickets through the real intake (``message_receive``), times in WIB/MYT."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

from tanggap.channels.lookup import channel_for
from tanggap.channels.normalized import InboundIdentity, NormalizedMessage
from tanggap.conversations.models import Ticket
from tanggap.conversations.services import message_receive
from tanggap.sla.models import BusinessCalendar, OpenPeriod, SlaPolicy

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MYT = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")
_ids = itertools.count(1)


def wib(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def myt(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MYT)


def make_calendar(name="Jakarta", tz="Asia/Jakarta", country="ID", subdivision="", saturday=True,
                  collective=True) -> BusinessCalendar:
    """Monday-Friday 08-12 and 13-17 (lunch between), Saturday 08-12."""
    cal = BusinessCalendar.objects.create(name=name, time_zone=tz, country=country, subdivision=subdivision,
                                          observe_collective_leave=collective)
    for day in range(5):
        OpenPeriod.objects.create(calendar=cal, weekday=day, opens_at=dt.time(8), closes_at=dt.time(12))
        OpenPeriod.objects.create(calendar=cal, weekday=day, opens_at=dt.time(13), closes_at=dt.time(17))
    if saturday:
        OpenPeriod.objects.create(calendar=cal, weekday=5, opens_at=dt.time(8), closes_at=dt.time(12))
    return cal


def make_policy(name="Test", **kw) -> SlaPolicy:
    defaults = {"position": 100, "first_response_minutes": 60, "next_response_minutes": 60,
                "resolution_minutes": 8 * 60, "warn_before_minutes": 30, "update_interval_minutes": None}
    return SlaPolicy.objects.create(name=name, **{**defaults, **kw})


def receive(*, email="budi@example.co.id", name="Budi", body="Paket saya belum sampai.", language="",
            reply_to=None, automated=False, channel="email", phone="", subject="Paket belum sampai"):
    """One inbound customer message through the real intake; ``reply_to`` (a Message) threads
    it into that message's ticket. Returns the ReceiveResult."""
    if phone:
        sender = InboundIdentity(kind="phone", value=phone, name=name)
    else:
        sender = InboundIdentity(kind="email", value=email, name=name)
    msg = NormalizedMessage(
        channel=channel, external_id=f"<t{next(_ids)}.{dt.datetime.now().timestamp()}@example.co.id>",
        sender=sender, body_text=body, subject=subject,
        in_reply_to=reply_to.external_id if reply_to is not None else "",
        automated=automated, automated_reason="auto-reply" if automated else "",
        meta={"language": language} if language else {},
    )
    return message_receive(msg=msg, channel=channel_for(kind=channel))


def fresh(ticket) -> Ticket:
    return Ticket.objects.select_related("customer", "channel", "team", "assignee").get(pk=ticket.pk)
