from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from tanggap.api.schemas import ErrorBody, ErrorOut, Id, MessageIn, ReceivedOut
from tanggap.channels import services as intake
from tanggap.channels.adapters.generic import parse_generic
from tanggap.channels.models import InboundRaw
from tanggap.common.errors import NotFound, ParseError
from tanggap.conversations.models import Message

router = Router()


class AcceptedOut(Schema):
    inbound_id: int
    status: str
    status_url: str


class InboundOut(Schema):
    inbound_id: int
    status: str  # received (queued), processed or rejected
    received_at: str
    processed_at: str | None = None
    error: ErrorBody | None = None
    messages: list[ReceivedOut]


def _wants_async(request: HttpRequest) -> bool:
    from tanggap.api.fastpath import wants_async

    return wants_async(request.headers.get("Prefer", ""))


def _status_url(raw_id: int) -> str:
    return f"/api/v1/messages/inbound/{raw_id}"


@router.post("", response={200: ReceivedOut, 201: ReceivedOut, 202: AcceptedOut, 400: ErrorOut, 404: ErrorOut,
                           413: ErrorOut, 422: ErrorOut})
def message_post(request: HttpRequest, payload: MessageIn, response: HttpResponse):
    """Receive one customer message on any channel. A repeat of the same
    (channel, external_id) is stored once and answered with `created: false` (200).

    With the header `Prefer: respond-async`, the message is stored and queued, and the answer
    comes at once: 202 with `inbound_id` and `status_url`, where `GET` tells when the worker has
    received it (`processed`, with the ticket and message ids) or why not (`rejected`)."""
    channel = intake.channel_for(kind=payload.channel.strip().lower())
    if _wants_async(request):
        parse_generic(request.body)  # a message that could never be received is refused now (400), not queued
        raw = intake.inbound_accept(channel=channel, body=request.body, content_type="application/json", source="api")
        response["Preference-Applied"] = "respond-async"
        response["Location"] = _status_url(raw.pk)
        return Status(202, {"inbound_id": raw.pk, "status": raw.status, "status_url": _status_url(raw.pk)})
    results = intake.inbound_receive(channel=channel, body=request.body, content_type="application/json", source="api")
    r = results[0]
    return Status(201 if r.created else 200, {"ticket_id": r.ticket.pk, "message_id": r.message.pk, "created": r.created})


@router.get("/inbound/{inbound_id}", response={200: InboundOut, 404: ErrorOut})
def inbound_get(request: HttpRequest, inbound_id: Id):
    """What became of a message accepted with `Prefer: respond-async`."""
    raw = InboundRaw.objects.filter(pk=inbound_id, source="api").first()
    if raw is None:
        raise NotFound("inbound_not_found", f"No message was accepted with id {inbound_id}.")
    messages = [{"ticket_id": m.ticket_id, "message_id": m.pk, "created": True}
                for m in raw.messages.order_by("id").only("id", "ticket_id")]
    if raw.status == InboundRaw.Status.PROCESSED and not messages:  # a repeat: the message stored before
        messages = [{"ticket_id": m.ticket_id, "message_id": m.pk, "created": False} for m in _repeated(raw)]
    error = {"code": raw.reason_code, "message": raw.reason} if raw.status == InboundRaw.Status.REJECTED else None
    return {"inbound_id": raw.pk, "status": raw.status, "received_at": raw.received_at.isoformat(),
            "processed_at": raw.processed_at.isoformat() if raw.processed_at else None, "error": error,
            "messages": messages}


def _repeated(raw: InboundRaw) -> list[Message]:
    """The message a repeat was answered with, found by its external id as intake stored it."""
    try:
        [msg] = parse_generic(bytes(raw.body))
    except (ParseError, ValueError):
        return []
    return list(Message.objects.filter(channel_kind=raw.channel.kind, external_id=msg.external_id).only("id", "ticket_id"))
