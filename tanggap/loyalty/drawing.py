"""The lucky draw's algorithm, in plain Python (no Django) so anyone can re-run it.

Input: the seed (hex text) and the entry list, each entry ``{"entry": n, "member": "M-000123"}``
in published order. Pick ``k`` (0, 1, ...): ``h = SHA-256("<seed>:<entries digest>:<k>")`` read as a
big-endian integer; the winner is the entry at ``h mod len(remaining)`` among the entries still in
the draw; then every entry of that member leaves the draw (one prize per member). Stop after
``winners_count`` picks or when no entry remains.

The entries digest is SHA-256 of the canonical JSON of the entry list (keys sorted, no spaces),
so a changed, added, removed or reordered entry changes every pick.
"""

from __future__ import annotations

import hashlib
import json


def entries_digest(entries: list[dict]) -> str:
    raw = json.dumps(entries, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(raw).hexdigest()


def seed_digest(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def pick_winners(seed: str, entries: list[dict], winners_count: int) -> list[dict]:
    digest = entries_digest(entries)
    remaining = list(entries)
    winners: list[dict] = []
    k = 0
    while remaining and len(winners) < winners_count:
        h = int.from_bytes(hashlib.sha256(f"{seed}:{digest}:{k}".encode()).digest(), "big")
        chosen = remaining[h % len(remaining)]
        winners.append({"pick": k + 1, "entry": chosen["entry"], "member": chosen["member"]})
        remaining = [e for e in remaining if e["member"] != chosen["member"]]
        k += 1
    return winners


def check(published: dict) -> tuple[bool, list[str]]:
    """Recompute a published result. Returns (ok, problems)."""
    problems = []
    seed, entries = published.get("seed", ""), published.get("entries", [])
    if published.get("seed_sha256") and seed_digest(seed) != published["seed_sha256"]:
        problems.append("the seed does not match the seed hash published before the draw")
    if published.get("entries_sha256") and entries_digest(entries) != published["entries_sha256"]:
        problems.append("the entry list does not match its published digest")
    expected = pick_winners(seed, entries, int(published.get("winners_count", 0)))
    if expected != published.get("winners"):
        problems.append("the winners recomputed from the seed and entries differ from the published winners")
    return not problems, problems
