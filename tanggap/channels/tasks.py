from django.conf import settings
from django_tasks import task

from tanggap.channels import services


@task()
def sweep_inbound() -> int:
    return services.inbound_sweep()


@task()
def process_inbound(raw_id: int) -> int:
    """Parse and receive a payload accepted with ``Prefer: respond-async``."""
    return services.inbound_process_queued(raw_id=raw_id)


@task(queue_name="imap")
def poll_imap() -> dict:
    """Fetch new mail from the configured IMAP mailbox; each message is stored raw, then parsed."""
    cfg = settings.TANGGAP_IMAP
    if not cfg["host"]:
        return {"skipped": "TANGGAP_IMAP_HOST not set"}
    from tanggap.channels.adapters.email.imap import imap_poll

    channel = services.channel_for(kind="email")

    def store(raw: bytes) -> None:
        try:
            services.inbound_receive(channel=channel, body=raw, content_type="message/rfc822", source="imap")
        except services.ParseError:
            pass  # kept raw with its reason: done with it as far as the mailbox goes

    result = imap_poll(host=cfg["host"], port=cfg["port"], use_tls=cfg["use_tls"], user=cfg["user"],
                       password=cfg["password"], folder=cfg["folder"], processed_folder=cfg["processed_folder"],
                       store=store)
    return {"fetched": result.fetched, "stored": result.stored, "failed": result.failed}
