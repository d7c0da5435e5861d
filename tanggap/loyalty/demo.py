"""The demo store's loyalty (issue 6): called by tanggap.demo.parts after the tickets and journeys."""

from __future__ import annotations


def play(ctx) -> dict:
    """Create this part's demo rows; return counts for the demo's summary."""
    return {}
