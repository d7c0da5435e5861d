"""What the permission matrix (test_permissions_matrix.py) is made of: the callers, the expected
outcomes, ``Case`` and the world's holder. Case files for later parts of the product live in
``tests/security/matrix_cases/<part>.py``: each defines ``CASES`` (a list of ``Case``) and may
define ``build(world, users)``, called after the shared world is built, to add its own rows and
ids to ``world.ids`` (``users`` maps "agent", "lead", "admin", "nonstaff", "customer" to accounts;
the customer's portal session holds ``world.ids["cust_a"]``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

ROLES = ("anon", "customer", "nonstaff", "agent", "lead", "admin")
MARKER_B = "RAHASIA-TIM-B"  # team Pembayaran's ticket: only the admin (and its portal link) may show it
NOTE_MARKER = "CATATAN-INTERNAL"  # internal notes: never on a portal page
NOTIF_LEAD = "NOTIF-UNTUK-LEAD"  # the lead's notification: never shown to anyone else

# Expected outcomes
OK = "ok"  # 2xx, or a redirect that is not to a login page
REACHED = "reached"  # past the access checks (a validation answer is fine)
NOCHANGE = "ok, changes nothing"  # allowed, but must not change anything (e.g. another's rows)
LOGIN = "login"  # redirect to the console's login page
ADMIN_LOGIN = "admin-login"  # redirect to the Django admin's login page
PORTAL_LOGIN = "portal-login"  # redirect to the portal's sign-in page
DENIED = {401, 403, 404, 405, LOGIN, ADMIN_LOGIN, PORTAL_LOGIN}


def console(agent=OK, lead=None, admin=OK) -> dict:
    """A console page (staff_required and friends): no session or a portal session goes to the
    login page; a logged-in user without a role is refused with 403."""
    return {"anon": LOGIN, "customer": LOGIN, "nonstaff": 403, "agent": agent,
            "lead": agent if lead is None else lead, "admin": admin}


def manager(lead=OK, admin=None) -> dict:
    """Team leads and admins only."""
    return console(agent=403, lead=lead, admin=lead if admin is None else admin)


def admin_only(admin=OK) -> dict:
    return console(agent=403, lead=403, admin=admin)


def api(agent=OK, lead=None, admin=OK) -> dict:
    """The API: only a staff user's token is accepted (401 otherwise, a customer's too)."""
    return {"anon": 401, "customer": 401, "nonstaff": 401, "agent": agent,
            "lead": agent if lead is None else lead, "admin": admin}


def everyone(outcome=OK, **over) -> dict:
    return {**dict.fromkeys(ROLES, outcome), **over}


@dataclass
class Case:
    method: str
    path: str  # formatted with the world's ids: "/tickets/{ticket_a}/"
    expect: dict
    data: object = None  # dict (may hold "{name}" strings), bytes, or None
    body: str = "form"  # form | json | raw (message/rfc822)
    shows_b: bool = False  # the allowed callers legitimately see team Pembayaran's ticket here
    check: Callable | None = None  # check(role, response, world) -> error text or None
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}" + (f" [{self.label}]" if self.label else "")


class World:
    def __init__(self):
        self.ids: dict[str, object] = {}
        self.refs: dict[str, str] = {}
        self.clients: dict[str, Client] = {}
        self.tokens: dict[str, str] = {}

    def fmt(self, value):
        if isinstance(value, str):
            return value.format_map(self.ids)
        if isinstance(value, dict):
            return {k: self.fmt(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fmt(v) for v in value]
        return value


