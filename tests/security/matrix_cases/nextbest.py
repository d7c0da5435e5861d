"""Permission cases of the next best action (issue 7): staff only; ticket actions scoped to the
tickets the caller may see (the shared check: team Pembayaran's ticket shown to the admin only)."""

from __future__ import annotations

from tests.security.matrix_base import Case, api, console

CASES = [
    Case("GET", "/api/v1/customers/{cust_a}/next-actions", api()),
    Case("GET", "/api/v1/customers/{cust_b}/next-actions", api(), shows_b=True, label="customer of team B's ticket"),
    Case("GET", "/api/v1/next-actions", api(), shows_b=True),
    Case("GET", "/work/", console(), shows_b=True),
]
