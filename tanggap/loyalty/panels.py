"""Loyalty's panels in shared pages (tanggap/web/panels.py)."""

from __future__ import annotations


def register_panels() -> None:
    pass
