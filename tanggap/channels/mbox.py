"""Bulk intake of an mbox file, with a progress bar. Each message is stored raw and
parsed like any other inbound email; bad ones are reported with their position.

The stdlib ``mailbox`` module splits the file (it handles "From " lines and quoting)."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass, field

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from tanggap.channels import services
from tanggap.common.errors import DomainError


@dataclass
class Problem:
    position: int  # 1-based message number in the file
    code: str
    reason: str


@dataclass
class MboxSummary:
    total: int = 0
    created: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)


def ingest_mbox(*, path: str, show_progress: bool = True) -> MboxSummary:
    channel = services.channel_for(kind="email")
    summary = MboxSummary()
    box = mailbox.mbox(path, create=False)
    try:
        keys = list(box.iterkeys())
        with Progress(TextColumn("[bold]mbox"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      disable=not show_progress) as progress:
            bar = progress.add_task("ingest", total=len(keys))
            for position, key in enumerate(keys, start=1):
                summary.total += 1
                try:
                    raw = box.get_bytes(key)
                    for r in services.inbound_receive(channel=channel, body=raw, content_type="message/rfc822",
                                                      source="mbox"):
                        summary.created += r.created
                        summary.duplicates += not r.created
                except DomainError as exc:
                    summary.problems.append(Problem(position, exc.code, exc.message))
                progress.advance(bar)
    finally:
        box.close()
    return summary
