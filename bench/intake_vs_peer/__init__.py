"""Ticket intake against django-helpdesk: `python -m bench.intake_vs_peer` (see __main__.py)."""
