"""The load process: C concurrent clients (asyncio, one keep-alive HTTP/1.1 connection each) post
N new tickets to one product's ticket-creation endpoint, stopping early after --max-seconds.
Every request is a new ticket with a unique customer and external id. Prints one JSON object.

    python -m bench.intake_vs_peer.load --product tanggap --url URL --auth "Bearer T" --tickets 100

The client is a few lines of HTTP/1.1 over asyncio streams rather than httpx: the load shares
the machine's 2 cores with the servers, and httpx spent about 1 ms of CPU per request (measured:
``--client httpx`` keeps it for comparison). Both products get the same client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from urllib.parse import urlsplit

FIRST = ["Siti", "Budi", "Dewi", "Agus", "Rina", "Ahmad", "Nurul", "Hendra", "Aisyah", "Wayan", "Farah", "Putri"]
LAST = ["Rahmawati", "Santoso", "Lestari", "Wijaya", "Hidayat", "Abdullah", "Pratama", "Ismail", "Kusuma", "Tan"]
SUBJECTS = [
    "Pesanan {order} belum sampai", "Paket {order} rusak saat diterima", "Refund untuk pesanan {order}",
    "Salah kirim ukuran, pesanan {order}", "Order {order} still not delivered", "Barang tak sampai lagi ({order})",
    "Cara tukar barang pesanan {order}?", "Voucher tidak bisa dipakai di {order}",
]
BODIES = [
    "Halo, saya sudah menunggu {days} hari untuk pesanan {order} tapi status di aplikasi masih 'dikirim'. "
    "Kurirnya {courier}. Bisa tolong dicek? Terima kasih.",
    "Selamat siang. Paket {order} sampai hari ini tapi kotaknya penyok dan {item} di dalamnya retak. "
    "Saya minta ganti baru atau refund ya. Foto bisa saya kirim kalau perlu.",
    "Hi, I ordered {item} ({order}) {days} days ago and the tracking from {courier} has not moved since Monday. "
    "Please let me know when it will arrive.",
    "Kak, saya pesan {item} ukuran M tapi yang datang ukuran XL. Pesanan {order}. Bagaimana cara tukarnya? "
    "Saya di {city}.",
    "Assalamualaikum, barang untuk pesanan {order} belum sampai lagi. Alamat saya di {city}. "
    "Sudah {days} hari, mohon dibantu.",
]
ITEMS = ["sepatu lari", "blender", "kemeja batik", "headset", "rice cooker", "tas ransel", "jam tangan", "panci"]
COURIERS = ["JNE", "J&T", "SiCepat", "AnterAja", "Pos Indonesia"]
CITIES = ["Bandung", "Surabaya", "Medan", "Makassar", "Yogyakarta", "Denpasar", "Kuala Lumpur", "Johor Bahru"]


def ticket_text(rng: random.Random, i: int) -> dict:
    order = f"INV/2026/{rng.randint(10000, 99999)}"
    fields = {"order": order, "days": rng.randint(2, 14), "courier": rng.choice(COURIERS), "item": rng.choice(ITEMS),
              "city": rng.choice(CITIES)}
    return {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "subject": rng.choice(SUBJECTS).format(**fields),
            "body": rng.choice(BODIES).format(**fields)}


def payload(product: str, run: str, i: int, rng: random.Random, queue: int | None) -> dict:
    t = ticket_text(rng, i)
    email = f"pelanggan.{run}.{i}@example.id"
    if product == "tanggap":
        return {"channel": "web", "external_id": f"bench-{run}-{i}", "from": {"email": email, "name": t["name"]},
                "subject": t["subject"], "body": t["body"]}
    return {"queue": queue, "title": t["subject"], "description": t["body"], "submitter_email": email,
            "priority": 3}


async def run(args) -> dict:
    rng = random.Random(args.seed)
    bodies = [json.dumps(payload(args.product, args.run_id, i, rng, args.queue)).encode()
              for i in range(args.warmup + args.tickets)]
    headers = {"Authorization": args.auth, "Content-Type": "application/json", "Accept": "application/json"}
    if args.prefer_async:
        headers["Prefer"] = "respond-async"
    ok_codes = (202,) if args.prefer_async else (200, 201)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    acked_ids: set[int] = set()
    next_i = 0
    deadline = 0.0
    cpu0 = time.process_time()

    async with _client(args, headers) as post:
        async def one(body: bytes) -> tuple[float, str | None, int | None]:
            t0 = time.perf_counter()
            try:
                status, text = await post(body)
                ms = (time.perf_counter() - t0) * 1000
                if status not in ok_codes:
                    return ms, f"HTTP {status}: {text[:160]}", None
                data = json.loads(text)
                if args.prefer_async:  # accepted: stored and queued, the worker opens the ticket
                    return ms, None, data["inbound_id"]
                tid = data.get("ticket_id", data.get("id"))
                if args.product == "tanggap" and not data.get("created"):
                    return ms, "tanggap answered created=false for a new external id", tid
                return ms, None, tid
            except Exception as exc:  # connection refused or reset, timeout
                return (time.perf_counter() - t0) * 1000, f"{type(exc).__name__}: {str(exc)[:160]}", None

        # warm-up: every worker process imports its views and opens its connection; not timed
        for i in range(args.warmup):
            _, err, tid = await one(bodies[i])
            if err is None and tid is not None:
                acked_ids.add(tid)
            elif err:
                errors[f"warm-up: {err}"] = errors.get(f"warm-up: {err}", 0) + 1
        warm_acked = len(acked_ids)
        next_i = args.warmup

        async def client_loop() -> None:
            nonlocal next_i
            while next_i < len(bodies) and time.perf_counter() < deadline:
                body = bodies[next_i]
                next_i += 1
                ms, err, tid = await one(body)
                if err is None:
                    latencies.append(ms)
                    if tid is not None:
                        acked_ids.add(tid)
                else:
                    errors[err] = errors.get(err, 0) + 1

        t0 = time.perf_counter()
        deadline = t0 + args.max_seconds
        await asyncio.gather(*(client_loop() for _ in range(args.clients)))
        elapsed = time.perf_counter() - t0

    sent = next_i - args.warmup
    return {"product": args.product, "sent": sent, "ok": len(latencies), "elapsed": elapsed,
            "errors": sum(errors.values()), "error_reasons": sorted(errors.items(), key=lambda kv: -kv[1])[:5],
            "latencies_ms": [round(x, 2) for x in latencies], "acked_ticket_ids": len(acked_ids),
            "warmup_acked": warm_acked, "stopped_by_time": sent < args.tickets,
            "load_cpu_ms_per_request": round((time.process_time() - cpu0) * 1000 / max(1, next_i), 3)}


class _Connection:
    """One keep-alive HTTP/1.1 connection: send a POST, read the status, headers and a
    Content-Length body. Reconnects after an error or a ``Connection: close``."""

    def __init__(self, host: str, port: int, path: str, headers: dict, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        head = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.head = head.encode()
        self.reader = self.writer = None

    async def post(self, body: bytes) -> tuple[int, str]:
        try:
            return await asyncio.wait_for(self._post(body), self.timeout)
        except BaseException:
            self.close()
            raise

    async def _post(self, body: bytes) -> tuple[int, str]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("server closed the connection")
        status = int(status_line.split(None, 2)[1])
        length, close, chunked = 0, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            parts = []
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):  # trailers
                pass
            data = b"".join(parts)
        else:
            data = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, data.decode("utf-8", "replace")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class _client:
    """``async with _client(args, headers) as post``: ``await post(body)`` gives (status, text),
    on a pool of --clients connections (one per concurrent client)."""

    def __init__(self, args, headers: dict) -> None:
        self.args, self.headers = args, headers

    async def __aenter__(self):
        if self.args.client == "httpx":
            import httpx

            limits = httpx.Limits(max_connections=self.args.clients, max_keepalive_connections=self.args.clients)
            self.httpx = httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(self.args.timeout), headers=self.headers)

            async def post(body: bytes) -> tuple[int, str]:
                r = await self.httpx.post(self.args.url, content=body)
                return r.status_code, r.text
            return post
        self.httpx = None
        url = urlsplit(self.args.url)
        self.idle: list[_Connection] = []

        async def post(body: bytes) -> tuple[int, str]:
            conn = self.idle.pop() if self.idle else _Connection(url.hostname, url.port or 80, url.path, self.headers,
                                                                 self.args.timeout)
            try:
                return await conn.post(body)
            finally:
                self.idle.append(conn)
        return post

    async def __aexit__(self, *exc) -> None:
        if self.httpx is not None:
            await self.httpx.aclose()
        for conn in getattr(self, "idle", []):
            conn.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--product", choices=["tanggap", "django-helpdesk"], required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--auth", required=True)
    ap.add_argument("--queue", type=int, default=None)
    ap.add_argument("--tickets", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--max-seconds", type=float, default=120.0)
    ap.add_argument("--warmup", type=int, default=16)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--run-id", default="x")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--client", choices=["raw", "httpx"], default="raw",
                    help="the HTTP client: a minimal asyncio one (default, cheapest) or httpx")
    ap.add_argument("--prefer-async", action="store_true", help="tanggap: 'Prefer: respond-async' (202 at once)")
    args = ap.parse_args(argv)
    try:
        result = asyncio.run(run(args))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole group; the parent reports it
        return 130
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
