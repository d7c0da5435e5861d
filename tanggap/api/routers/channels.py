"""Channel-specific intake: raw email upload and provider-style webhooks."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Status, Router

from tanggap.api.schemas import ErrorOut, WebhookOut
from tanggap.channels import services as intake
from tanggap.channels.adapters.base import InboundRequest, get_adapter
from tanggap.common.errors import DomainError, PayloadTooLarge

router = Router()
WEBHOOK_KINDS = ("whatsapp", "sms", "instagram", "messenger", "x")


def _body(request: HttpRequest) -> bytes:
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.TANGGAP_MAX_BODY_BYTES:
        raise PayloadTooLarge("payload_too_large",
                              f"The payload is {length} bytes; the limit is {settings.TANGGAP_MAX_BODY_BYTES}.")
    return request.body


def _out(results) -> dict:
    return {
        "received": len(results), "created": sum(1 for r in results if r.created),
        "messages": [{"ticket_id": r.ticket.pk, "message_id": r.message.pk, "created": r.created} for r in results],
    }


@router.post("/email/inbound", response={200: WebhookOut, 201: WebhookOut, 400: ErrorOut, 413: ErrorOut, 422: ErrorOut},
             openapi_extra={"requestBody": {"content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}},
                                            "required": True}})
def email_inbound(request: HttpRequest):
    """One raw RFC 5322 message (`Content-Type: message/rfc822`). Stored raw first; a message
    that cannot be parsed is kept with its reason and answered 422."""
    channel = intake.channel_for(kind="email")
    results = intake.inbound_receive(channel=channel, body=_body(request),
                                     content_type=request.content_type or "message/rfc822", source="api-email")
    out = _out(results)
    return Status(201 if out["created"] else 200, out)


def _kind(kind: str) -> str:
    if kind not in WEBHOOK_KINDS:
        raise DomainError("unknown_channel", f"Unknown webhook channel '{kind}'. Known: {', '.join(WEBHOOK_KINDS)}.", status=404)
    return kind


@router.get("/{kind}/webhook", auth=None, response={200: str, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def webhook_verify(request: HttpRequest, kind: str):
    """The provider's GET verification handshake: Meta's (hub.mode, hub.verify_token,
    hub.challenge; the challenge is answered as text/plain) or X's CRC (crc_token; answered
    with the JSON object `{"response_token": "sha256=<base64 HMAC>"}`)."""
    channel = intake.channel_for(kind=_kind(kind))
    adapter = get_adapter(kind)
    challenge = adapter.handshake(channel, {k: v for k, v in request.GET.items()})
    return HttpResponse(challenge, content_type=getattr(adapter, "handshake_content_type", "text/plain"))


@router.post("/{kind}/webhook", auth=None,
             response={200: WebhookOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut})
def webhook_receive(request: HttpRequest, kind: str):
    """Provider-style JSON; the signature (X-Hub-Signature-256 for the Meta channels,
    x-twitter-webhooks-signature for X) is checked against the channel's secret before
    anything is stored."""
    channel = intake.channel_for(kind=_kind(kind))
    body = _body(request)
    headers = {k.lower(): v for k, v in request.headers.items()}
    get_adapter(kind).verify(channel, InboundRequest(body=body, headers=headers, query=dict(request.GET.items())))
    results = intake.inbound_receive(channel=channel, body=body, content_type=request.content_type or "", source="webhook")
    return Status(200, _out(results))
