from django.http import HttpRequest
from ninja import Status, Router

from tanggap.api.schemas import ErrorOut, MessageIn, ReceivedOut
from tanggap.channels import services as intake

router = Router()


@router.post("", response={200: ReceivedOut, 201: ReceivedOut, 400: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut})
def message_post(request: HttpRequest, payload: MessageIn):
    """Receive one customer message on any channel. A repeat of the same
    (channel, external_id) is stored once and answered with `created: false` (200)."""
    channel = intake.channel_for(kind=payload.channel.strip().lower())
    results = intake.inbound_receive(channel=channel, body=request.body, content_type="application/json", source="api")
    r = results[0]
    return Status(201 if r.created else 200, {"ticket_id": r.ticket.pk, "message_id": r.message.pk, "created": r.created})
