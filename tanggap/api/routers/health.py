"""Customer health over the API (filled in by its part of the product)."""

from ninja import Router

router = Router(tags=["customer health"])
