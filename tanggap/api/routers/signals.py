"""Signals from monitors and the alerts raised on them."""

from ninja import Router

router = Router()
