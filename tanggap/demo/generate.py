"""Placeholder generator: replaced by the full demo store generator."""

from tanggap.channels import services as intake
from tanggap.channels.adapters.generic import parse_generic
import json


def generate(*, seed: int = 7, progress: bool = False) -> None:
    channel = intake.channel_for(kind="whatsapp")
    body = json.dumps({"channel": "whatsapp", "external_id": "demo-1", "from": {"phone": "081234567890", "name": "Budi"},
                       "body": "Halo, paket saya belum sampai."}).encode()
    intake.inbound_receive(channel=channel, body=body, content_type="application/json", source="api")
