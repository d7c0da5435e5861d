"""Calls over the API (filled in by its part of the product)."""

from ninja import Router

router = Router(tags=["calls"])
