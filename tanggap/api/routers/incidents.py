"""Incidents and playbooks over the API."""

from ninja import Router

router = Router()
