"""Re-check a lucky draw: ``python -m tanggap.loyalty.verify <file or url>``.

The file or URL is the draw's published JSON (the portal's ``/portal/loyalty/draws/<id>.json``).
Prints the recomputed winners and exits 0 when they match the published ones, 1 otherwise.
Needs nothing but Python's standard library (``tanggap/loyalty/drawing.py``).
"""

from __future__ import annotations

import json
import sys
import urllib.request

from tanggap.loyalty.drawing import check, pick_winners


def load(source: str) -> dict:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 (a URL the user gives)
            return json.loads(response.read().decode())
    with open(source, encoding="utf-8") as fh:
        return json.load(fh)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tanggap.loyalty.verify <file or url>", file=sys.stderr)
        return 2
    published = load(argv[0])
    winners = pick_winners(published.get("seed", ""), published.get("entries", []),
                           int(published.get("winners_count", 0)))
    print(f"{len(published.get('entries', []))} entries, seed {published.get('seed', '')}")
    for w in winners:
        print(f"  pick {w['pick']}: entry {w['entry']} ({w['member']})")
    ok, problems = check(published)
    for p in problems:
        print(f"MISMATCH: {p}")
    print("OK: the published winners follow from the seed and the entries" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
