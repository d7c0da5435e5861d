"""Fan-out of chat events to the streams of this web process.

One poller thread per process reads new ``ChatEvent`` rows (one indexed ``id > watermark``
query every ``POLL_SECONDS``, and only while some stream is open) and hands each row to the
streams it concerns; a stream never queries the database while it waits. Every web process
runs its own poller over the same table, so several processes (and machines) need nothing
beyond the database they share. A chat write committed in this process pokes the poller
(``poke``, on commit), so its row goes out at once instead of at the next tick; rows written by
other processes arrive within one tick.

Ids can commit out of order on PostgreSQL (id 10's transaction commits after id 11's): the
poller keeps re-reading a gap for ``GAP_SECONDS`` before it gives up on it (a rolled-back
insert leaves a gap for ever), and remembers which ids it already handed out.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)
POLL_SECONDS = 0.05
GAP_SECONDS = 5.0
BATCH = 1000


def row_of(event) -> dict:
    return {"id": event.id, "conversation_id": event.conversation_id, "ticket_id": event.ticket_id,
            "kind": event.kind, "sender": event.sender, "data": event.data,
            "created_at": event.created_at.isoformat()}


@dataclass(eq=False)
class Subscription:
    match: Callable[[dict], bool]
    deliver: Callable[[dict], None]
    extra: dict = field(default_factory=dict)


class Hub:
    def __init__(self, *, autostart: bool = True) -> None:
        self.autostart = autostart  # tests drive poll_once themselves
        self._subs: set[Subscription] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._poke = threading.Event()  # a chat row committed here: poll now
        self._thread: threading.Thread | None = None
        self.watermark: int | None = None  # every id <= watermark has been handed out (or given up)
        self._seen: dict[int, float] = {}  # ids > watermark already handed out -> when first seen
        self.polls = 0
        self._stopped = False

    def stop(self) -> None:
        """End the poller thread (tests; a web process just exits)."""
        self._stopped = True
        self._wake.set()
        self._poke.set()
        if self._thread is not None:
            self._thread.join(2)

    # --- subscriptions ---
    def subscribe_queue(self, match: Callable[[dict], bool]) -> tuple[Subscription, queue.SimpleQueue]:
        """For a thread (a WSGI stream): rows arrive on a ``queue.SimpleQueue``."""
        q: queue.SimpleQueue = queue.SimpleQueue()
        return self._add(Subscription(match=match, deliver=q.put)), q

    def subscribe_async(self, match: Callable[[dict], bool]):
        """For a coroutine (an ASGI stream): rows arrive on an ``asyncio.Queue`` of the running loop."""
        import asyncio

        loop = asyncio.get_running_loop()
        q: asyncio.Queue = asyncio.Queue()

        def deliver(row):
            try:
                loop.call_soon_threadsafe(q.put_nowait, row)
            except RuntimeError:  # the loop is closed: the stream is gone
                pass

        return self._add(Subscription(match=match, deliver=deliver)), q

    def _add(self, sub: Subscription) -> Subscription:
        with self._lock:
            self._subs.add(sub)
            if self.autostart and (self._thread is None or not self._thread.is_alive()):
                self._thread = threading.Thread(target=self._run, name="livechat-hub", daemon=True)
                self._thread.start()
        self._wake.set()
        return sub

    def poke(self) -> None:
        """A chat row was committed by this process: poll without waiting for the next tick."""
        self._poke.set()

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs.discard(sub)

    def subscribers(self) -> int:
        return len(self._subs)

    # --- fan-out ---
    def dispatch(self, rows: list[dict]) -> None:
        with self._lock:
            subs = list(self._subs)
        for row in rows:
            for sub in subs:
                try:
                    if sub.match(row):
                        sub.deliver(row)
                except Exception:  # one broken stream must not starve the others
                    log.exception("live chat stream failed to take event %s", row.get("id"))

    def prime(self) -> None:
        """Start the watermark at the newest row. A stream calls this before it reads its backlog,
        so a row is either in its backlog or handed out by the poller, never neither."""
        from tanggap.livechat.models import ChatEvent

        with self._lock:
            if self.watermark is None:
                last = ChatEvent.objects.order_by("-id").values_list("id", flat=True).first()
                self.watermark = last or 0

    def poll_once(self) -> int:
        from tanggap.livechat.models import ChatEvent

        if self.watermark is None:
            self.prime()
            return 0
        events = list(ChatEvent.objects.filter(id__gt=self.watermark).order_by("id")[:BATCH])
        self.polls += 1
        t = time.monotonic()
        fresh = [e for e in events if e.id not in self._seen]
        for e in fresh:
            self._seen[e.id] = t
        if fresh:
            self.dispatch([row_of(e) for e in fresh])
        # advance the watermark over the contiguous ids, and over gaps older than GAP_SECONDS
        present = {e.id for e in events}
        for event_id in sorted(self._seen):
            if event_id == self.watermark + 1 or t - self._seen[event_id] > GAP_SECONDS:
                self.watermark = event_id
                del self._seen[event_id]
            elif event_id not in present and event_id <= self.watermark:
                del self._seen[event_id]
            else:
                break
        return len(fresh)

    def _run(self) -> None:
        from django.db import close_old_connections, connection

        idle_since = None
        while not self._stopped:
            if not self._subs:
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > 30:
                    connection.close()  # no stream for a while: give the connection back
                    with self._lock:
                        if self._subs:
                            continue
                        self.watermark = None  # start from the newest row when streams come back
                        self._seen.clear()
                        self._wake.clear()
                    self._wake.wait()
                    idle_since = None
                    continue
                time.sleep(POLL_SECONDS)
                continue
            idle_since = None
            self._poke.clear()  # a poke from now on is seen by the next poll
            try:
                self.poll_once()
            except Exception as exc:  # the database may be busy or restarting: try again
                log.warning("live chat poller: %s", exc)
                close_old_connections()
                time.sleep(0.5)
            self._poke.wait(POLL_SECONDS)
        connection.close()


hub = Hub()
