"""Tickets for web tests, made through the real intake (the generic JSON message)."""

from __future__ import annotations

import json
import uuid

from tanggap.channels.services import channel_for, inbound_receive


def receive(*, email: str = "budi@example.co.id", name: str = "Budi", subject: str = "Paket belum sampai",
            body: str = "Paket saya belum sampai.", channel: str = "email", phone: str = "", **extra):
    """One inbound message; returns the ticket it landed on. Each email without headers opens a ticket."""
    sender = {"phone": phone, "name": name} if phone else {"email": email, "name": name}
    payload = {"channel": channel, "external_id": str(uuid.uuid4()), "from": sender,
               "subject": subject, "body": body, **extra}
    results = inbound_receive(channel=channel_for(kind=channel), body=json.dumps(payload).encode(),
                              content_type="application/json", source="api")
    return results[0].ticket


def receive_email_with_attachment(*, sender: str = "budi@example.co.id", filename: str = "struk.pdf",
                                  content: bytes = b"%PDF-1.4 struk"):
    """A raw MIME email with one attachment, through the email channel's own parser."""
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = f"Budi <{sender}>", "cs@tanggap.local", "Struk pembayaran"
    mail["Message-ID"] = f"<{uuid.uuid4()}@example.co.id>"
    mail.set_content("Terlampir struk pembayaran saya.")
    mail.add_attachment(content, maintype="application", subtype="pdf", filename=filename)
    results = inbound_receive(channel=channel_for(kind="email"), body=mail.as_bytes(),
                              content_type="message/rfc822", source="upload")
    return results[0].ticket
