"""The permission matrix: every route of the HTTP API and every page of the console, the manager
screens and the customer portal, against six callers:

- ``anon``: nobody (no session, no token);
- ``customer``: a customer signed in on the portal (a portal session holding Ani's customer id; it
  is not a Django user). Customers are not users, so the only API token a customer could hold is
  one issued to an account without a staff role: that is the token this caller sends to the API;
- ``nonstaff``: a Django account without a helpdesk role, logged in (and with its own token);
- ``agent``: an agent of team Gudang; ``lead``: the team lead of Gudang; ``admin``.

The world has tickets of Gudang (Ani's), of Pembayaran (Bayu's, marked ``RAHASIA-TIM-B`` and
with an internal note) and of nobody's team (Citra's), pending remedies on Gudang's and
Pembayaran's tickets, an incident linked to both, notifications for the agent and the lead, a
rejected inbound payload, and the settings rows.

Every route is listed here: ``test_every_route_is_in_the_matrix`` walks the URL resolver and the
ninja API object, and a route added later without an entry fails it ("unlisted route").

For each (route, caller) the expected outcome is stated: ``OK`` (2xx, or a redirect that is not to
a login page), ``REACHED`` (past the access checks: the answer may be a validation error, but not
401/403/404/405, a login redirect or a 5xx), a status code, or a redirect to a login page. Every
request runs in a transaction that is rolled back, so each caller meets the same world; inside it,
a refused write (and a write that must change nothing) is checked to have left every table of the
project as it was (a refused request runs no INSERT, UPDATE or DELETE on them at all). Responses to anyone but the admin never contain team Pembayaran's ticket, and
no portal page ever contains an internal note.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tanggap.accounts.models import AgentProfile, Role
from tanggap.accounts.services import api_token_create, team_get_or_create
from tanggap.api.main import api as ninja_api
from tanggap.conversations import services as conversations
from tests.security.matrix_base import (  # noqa: F401 (names the case files use too)
    ADMIN_LOGIN, DENIED, LOGIN, MARKER_B, NOCHANGE, NOTE_MARKER, NOTIF_LEAD, OK, PORTAL_LOGIN, REACHED, ROLES,
    Case, World, admin_only, api, console, everyone, manager)
from tests.web.support import receive, receive_email_with_attachment

# --------------------------------------------------------------------------------------------
# Content checks for list endpoints


def _json(response):
    return json.loads(response.content)


def tickets_listed(role, response, w):
    ids = {t["id"] for t in _json(response)["items"]}
    expected = {w.ids["ticket_a"], w.ids["ticket_c"], w.ids["ticket_d"]}
    if role in ("agent", "admin"):
        expected.add(w.ids["ticket_e"])  # team Pembayaran's, assigned to the agent
    if role == "admin":
        expected |= {w.ids["ticket_b"], w.ids["ticket_b2"]}
    return None if ids == expected else f"tickets listed {sorted(ids)}, expected {sorted(expected)}"


def team_b_listed_only_to_admin(role, response, w):
    ids = {t["id"] for t in _json(response)["items"]}
    expected = {w.ids["ticket_b"], w.ids["ticket_b2"]} if role == "admin" else set()
    if "team_id" in response.wsgi_request.GET and role in ("agent", "admin"):
        expected.add(w.ids["ticket_e"])
    return None if ids == expected else f"listed {sorted(ids)}, expected {sorted(expected)}"


def pending_remedies(role, response, w):
    ids = {r["id"] for r in _json(response)}
    expected = {w.ids["remedy_a"], w.ids["remedy_b"]} if role == "admin" else {w.ids["remedy_a"]}
    return None if ids == expected else f"pending remedies {sorted(ids)}, expected {sorted(expected)}"


def own_notifications(role, response, w):
    ids = {n["id"] for n in _json(response)}
    expected = {"agent": {w.ids["notif_agent"]}, "lead": {w.ids["notif_lead"]}}.get(role, set())
    return None if ids == expected else f"notifications {sorted(ids)}, expected {sorted(expected)}"


def incident_links(role, response, w):
    ids = {link["ticket_id"] for link in _json(response)["tickets"]}
    expected = {w.ids["ticket_a"], w.ids["ticket_b"]} if role == "admin" else {w.ids["ticket_a"]}
    return None if ids == expected else f"incident shows tickets {sorted(ids)}"


def customer_tickets(role, response, w):
    ids = {t["id"] for t in _json(response)["tickets"]}
    return None if role == "admin" or not ids & {w.ids["ticket_b"], w.ids["ticket_b2"]} else f"customer shows {ids}"


def page_lists(*wanted: str, absent: tuple[str, ...] = ()):
    def check(role, response, w):
        text = response.content.decode()
        for name in wanted:
            if w.refs[name] not in text:
                return f"{w.refs[name]} ({name}) missing"
        for name in absent:
            if w.refs[name] in text:
                return f"{w.refs[name]} ({name}) shown"
        return None
    return check


def admin_sees(*markers: str, then=None):
    """The markers are in the admin's answer (so that their absence elsewhere means something)."""
    def check(role, response, w):
        if role == "admin":
            missing = [m for m in markers if m not in _content(response)]
            if missing:
                return f"the admin's answer lacks {missing}"
        return then(role, response, w) if then else None
    return check


def portal_lists_own(role, response, w):
    if role != "customer":
        return None
    return page_lists("ticket_a", absent=("ticket_b", "ticket_b2", "ticket_c"))(role, response, w)


def not_lead_notification(role, response, w):
    text = response.content.decode()
    return f"{NOTIF_LEAD} shown" if role != "lead" and NOTIF_LEAD in text else None


# --------------------------------------------------------------------------------------------
# The matrix

FUTURE = "2031-01-15T10:00:00+07:00"
A, B, C = "ticket_a", "ticket_b", "ticket_c"

CASES: list[Case] = []


def add(*cases: Case) -> None:
    CASES.extend(cases)


def ticket_cases(method, suffix, data=None, *, body="json", prefix="/api/v1/tickets/", ok=OK, api_like=True,
                 with_shared=False, check=None):
    """The same route on Gudang's ticket (the agent's team), Pembayaran's (another team) and,
    for reads, the shared queue's."""
    mk = api if api_like else console
    out = [Case(method, f"{prefix}{{{A}}}{suffix}", mk(agent=ok, admin=ok), data, body, label="own team", check=check),
           Case(method, f"{prefix}{{{B}}}{suffix}", mk(agent=404, admin=ok), data, body, shows_b=True,
                label="other team", check=check)]
    if with_shared:
        out.append(Case(method, f"{prefix}{{{C}}}{suffix}", mk(agent=ok, admin=ok), data, body, label="shared queue",
                        check=check))
    return out


MESSAGE = {"channel": "api", "external_id": "matrix-1", "from": {"email": "dewi@example.com", "name": "Dewi"},
           "subject": "Pertanyaan", "body": "Halo"}
RAW_EMAIL = (b"From: Eko <eko@example.com>\r\nTo: cs@tanggap.local\r\nSubject: Halo\r\n"
             b"Message-ID: <matrix-raw@example.com>\r\n\r\nApakah toko buka?\r\n")

# ---- HTTP API ----
add(
    Case("POST", "/api/v1/messages", api(), MESSAGE, "json"),
    Case("GET", "/api/v1/messages/inbound/{raw}", api(), label="status of an accepted message"),
    Case("POST", "/api/v1/channels/email/inbound", api(), RAW_EMAIL, "raw"),
    # Webhooks take no token: the provider's signature or verify token decides, for everyone alike.
    Case("GET", "/api/v1/channels/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=salah&hub.challenge=1",
         everyone(403), label="wrong verify token"),
    Case("POST", "/api/v1/channels/whatsapp/webhook", everyone(401), {"entry": []}, "json", label="unsigned"),
    Case("GET", "/api/v1/tickets?limit=100", api(), check=tickets_listed),
    Case("GET", "/api/v1/tickets?team_id={team_b}&limit=100", api(), check=team_b_listed_only_to_admin, shows_b=True,
         label="filter by another team"),
    *ticket_cases("GET", "", with_shared=True),
    Case("GET", "/api/v1/tickets?customer_id={cust_b}", api(), check=team_b_listed_only_to_admin, shows_b=True,
         label="another team's customer"),
    Case("GET", "/api/v1/tickets/{ticket_e}", api(agent=OK, lead=404), label="another team's, assigned to the agent"),
    Case("PATCH", "/api/v1/tickets/{ticket_e}", api(agent=OK, lead=404), {"priority": "low"}, "json",
         label="another team's, assigned to the agent"),
    Case("GET", "/api/v1/tickets/{ticket_b}/messages", api(agent=404), shows_b=True, check=admin_sees(MARKER_B, NOTE_MARKER),
         label="other team, the admin reads it"),
    *ticket_cases("PATCH", "", {"priority": "high"}),
    *ticket_cases("POST", "/promise", {"due_at": FUTURE, "reason": "Kurir terlambat"}, ok=REACHED),
    *ticket_cases("GET", "/messages"),
    *ticket_cases("GET", "/timeline"),
    *ticket_cases("POST", "/replies", {"body": "Kami cek dulu."}),
    *ticket_cases("POST", "/notes", {"body": "Catatan baru"}),
    *ticket_cases("GET", "/remedies"),
    *ticket_cases("POST", "/remedies", {"kind": "answer", "note": "x"}, ok=REACHED),
    Case("POST", "/api/v1/tickets/{ticket_a}/remedies/{remedy_a}/approve", api(agent=403, lead=REACHED, admin=REACHED),
         {"note": "ok"}, "json", label="own team"),
    Case("POST", "/api/v1/tickets/{ticket_b}/remedies/{remedy_b}/approve", api(agent=404, admin=REACHED), {}, "json",
         shows_b=True, label="other team"),
    Case("POST", "/api/v1/tickets/{ticket_a}/remedies/{remedy_b}/approve", api(agent=404, admin=404), {}, "json",
         label="remedy of another ticket"),
    Case("POST", "/api/v1/tickets/{ticket_a}/remedies/{remedy_a}/reject", api(agent=403, lead=OK, admin=OK),
         {"note": "tidak"}, "json", label="own team"),
    Case("POST", "/api/v1/tickets/{ticket_b}/remedies/{remedy_b}/reject", api(agent=404, admin=OK), {}, "json",
         shows_b=True, label="other team"),
    Case("GET", "/api/v1/remedies/catalog", api()),
    Case("GET", "/api/v1/remedies/pending", api(agent=403, lead=OK), check=pending_remedies),
    Case("GET", "/api/v1/reports/promises?group_by=agent", api()),
    Case("GET", "/api/v1/notifications", api(), check=own_notifications),
    Case("POST", "/api/v1/notifications/read", api(agent=NOCHANGE, lead=OK, admin=NOCHANGE), {"ids": ["{notif_lead}"]},
         "json", label="the lead's notification"),
    Case("POST", "/api/v1/events", api(), {"kind": "site_visit", "external_id": "ev-1", "customer_id": "{cust_a}"},
         "json"),
    Case("GET", "/api/v1/customers/{cust_b}/journey", api(), check=admin_sees(MARKER_B)),
    Case("POST", "/api/v1/signals", api(), {"source": "kurir", "external_id": "s-1", "name": "courier_delay",
                                            "severity": "info"}, "json"),
    Case("GET", "/api/v1/alerts", api()),
    Case("GET", "/api/v1/incidents", api()),
    Case("POST", "/api/v1/incidents", api(), {"title": "Gangguan pembayaran"}, "json"),
    Case("GET", "/api/v1/incidents/{incident}", api(), check=incident_links),
    Case("PATCH", "/api/v1/incidents/{incident}", api(agent=403, lead=OK), {"status": "monitoring"}, "json"),
    Case("POST", "/api/v1/incidents/{incident}/tickets", api(), {"ticket_id": "{ticket_c}"}, "json",
         label="a visible ticket"),
    Case("POST", "/api/v1/incidents/{incident}/tickets", api(agent=404), {"ticket_id": "{ticket_b2}"}, "json",
         label="another team's ticket"),
    Case("GET", "/api/v1/customers/{cust_a}", api(), check=customer_tickets),
    Case("GET", "/api/v1/customers/{cust_b}", api(), check=admin_sees(MARKER_B, then=customer_tickets)),
    Case("POST", "/api/v1/customers/{cust_a}/merge", api(), {"source_id": "{cust_d}"}, "json"),
    Case("POST", "/api/v1/products", api(), {"sku": "SKU-M1", "name": "Sikat gigi", "category": "x", "price": "10"},
         "json"),
    Case("GET", "/api/v1/products", api()),
    Case("POST", "/api/v1/orders", api(), {"external_id": "ORD-M1", "customer_id": "{cust_a}", "status": "placed",
                                           "lines": [{"sku": "SKU-1", "quantity": 1}]}, "json"),
    Case("GET", "/api/v1/orders", api()),
    Case("GET", "/api/v1/orders?customer_id={cust_b}", api(), label="another customer's orders"),
    # The schema and its docs are public; the API root is nothing.
    Case("GET", "/api/v1/openapi.json", everyone(200)),
    Case("GET", "/api/v1/docs", everyone(200)),
    Case("GET", "/api/v1/", everyone(404)),
)

# ---- agent console ----
add(
    Case("GET", "/", everyone(302)),
    Case("GET", "/login/", everyone(OK)),
    Case("POST", "/login/", everyone(REACHED, anon=200, customer=200), {"username": "x", "password": "y"},
         label="wrong password"),
    Case("POST", "/logout/", everyone(LOGIN)),
    Case("POST", "/i18n/setlang/", everyone(OK), {"language": "en", "next": "/inbox/"}),
    Case("GET", "/inbox/", console(), check=page_lists("ticket_a", "ticket_c")),
    Case("GET", "/inbox/?status=all&q=RAHASIA", console(), check=admin_sees(MARKER_B)),
    *ticket_cases("GET", "/", prefix="/tickets/", api_like=False, with_shared=True),
    Case("GET", "/tickets/{ticket_e}/", console(agent=OK, lead=404), label="another team's, assigned to the agent"),
    Case("GET", "/tickets/{ticket_b}/", console(agent=404), shows_b=True, check=admin_sees(MARKER_B, NOTE_MARKER),
         label="other team, the admin reads it"),
    *ticket_cases("POST", "/reply/", {"body_text": "Sudah kami cek."}, body="form", prefix="/tickets/", api_like=False),
    *ticket_cases("POST", "/note/", {"body_text": "Catatan"}, body="form", prefix="/tickets/", api_like=False),
    *ticket_cases("POST", "/properties/", {"status": "open", "priority": "high", "category": "other", "tags": "",
                                           "assignee": "", "team": "{team_a}"}, body="form", prefix="/tickets/",
                  api_like=False),
    *ticket_cases("POST", "/promise/", {"due_at": "2031-01-15 10:00", "reason": "Kurir"}, body="form",
                  prefix="/tickets/", api_like=False, ok=REACHED),
    Case("GET", "/tickets/{ticket_a}/attachments/{att_a}/", console(), label="own team"),
    Case("GET", "/tickets/{ticket_b2}/attachments/{att_b}/", console(agent=404), label="other team"),
    Case("GET", "/tickets/{ticket_a}/attachments/{att_b}/", console(agent=404, admin=404),
         label="attachment of another ticket"),
    Case("GET", "/notifications/", console(), check=not_lead_notification),
    Case("GET", "/reports/promises/", console()),
    Case("GET", "/customers/{cust_a}/", console()),
    Case("GET", "/customers/{cust_b}/", console(), check=admin_sees(MARKER_B),
         label="customer with another team's tickets"),
    Case("POST", "/customers/{cust_a}/merge/", console(), {"source_id": "{cust_d}"}),
    Case("POST", "/customers/{cust_a}/proactive/", console(), {"opt_out": "1"}),
    Case("GET", "/admin-inbound/", admin_only()),
    Case("GET", "/admin-inbound/{raw}/", admin_only()),
    # remedies panel
    *ticket_cases("GET", "/remedies/", prefix="/tickets/", api_like=False),
    *ticket_cases("POST", "/remedies/apply/", {"kind": "answer", "note": "x"}, body="form", prefix="/tickets/",
                  api_like=False, ok=REACHED),
    Case("POST", "/tickets/{ticket_a}/remedies/{remedy_a}/decide/", console(agent=400, lead=OK, admin=OK),
         {"action": "approve"}, label="own team"),
    Case("POST", "/tickets/{ticket_b}/remedies/{remedy_b}/decide/", console(agent=404, admin=OK),
         {"action": "reject"}, shows_b=True, label="other team"),
    Case("POST", "/tickets/{ticket_a}/remedies/{remedy_b}/decide/", console(agent=404, admin=404),
         {"action": "approve"}, label="remedy of another ticket"),
    Case("GET", "/remedies/pending/", manager(), check=lambda role, r, w: page_lists(absent=("ticket_b",))(role, r, w)
         if role == "lead" else None),
    # incidents
    Case("GET", "/incidents/", console()),
    Case("POST", "/incidents/new/", console(agent=REACHED, admin=REACHED), {"title": "Gangguan", "problem_type": "other"}),
    Case("GET", "/incidents/{incident}/", console()),
    Case("POST", "/incidents/{incident}/edit/", manager(lead=REACHED), {"status": "monitoring"}),
    Case("POST", "/incidents/{incident}/link/", console(), {"ticket": "{ticket_c}"}, label="a visible ticket"),
    Case("POST", "/incidents/{incident}/link/", console(agent=422, admin=OK), {"ticket": "{ticket_b2}"},
         label="another team's ticket"),
    # proactive care (managers)
    Case("GET", "/proactive/playbooks/", manager()),
    Case("POST", "/proactive/playbooks/", manager(lead=REACHED), {"title": "x"}),
    Case("GET", "/proactive/incidents/{incident}/", manager()),
    Case("POST", "/proactive/incidents/{incident}/tasks/{task}/done/", manager()),
    Case("POST", "/proactive/incidents/{incident}/redraft/", manager()),
    Case("GET", "/proactive/measures/", manager()),
)

# ---- settings (team leads and admins) ----
add(
    Case("GET", "/settings/", manager()),
    Case("GET", "/settings/sla/", manager()),
    Case("GET", "/settings/sla/new/", manager()),
    Case("POST", "/settings/sla/new/", manager(lead=REACHED), {"name": ""}),
    Case("GET", "/settings/sla/{policy}/", manager()),
    Case("POST", "/settings/sla/{policy}/", manager(lead=REACHED), {"name": ""}),
    Case("POST", "/settings/sla/{policy}/delete/", manager(lead=REACHED)),
    Case("GET", "/settings/calendars/", manager()),
    Case("GET", "/settings/calendars/new/", manager()),
    Case("POST", "/settings/calendars/new/", manager(lead=REACHED), {"name": ""}),
    Case("GET", "/settings/calendars/holidays/?country=ID", manager()),
    Case("GET", "/settings/calendars/{calendar}/", manager()),
    Case("POST", "/settings/calendars/{calendar}/", manager(lead=REACHED), {"name": ""}),
    Case("POST", "/settings/calendars/{calendar}/delete/", manager(lead=REACHED)),
    Case("GET", "/settings/remedies/", manager()),
    Case("GET", "/settings/remedies/new/", manager()),
    Case("POST", "/settings/remedies/new/", manager(lead=REACHED), {"category": ""}),
    Case("GET", "/settings/remedies/{rule}/", manager()),
    Case("POST", "/settings/remedies/{rule}/", manager(lead=REACHED), {"category": ""}),
    Case("POST", "/settings/remedies/{rule}/delete/", manager(lead=REACHED)),
    Case("GET", "/settings/templates/", manager()),
    Case("GET", "/settings/templates/{tkey}/id/", manager()),
    Case("POST", "/settings/templates/{tkey}/id/", manager(), {"body": "Halo, pesanan Anda kami cek."}),
    Case("POST", "/settings/templates/{tkey}/id/reset/", manager(), label="no override: nothing to reset"),
)

# ---- customer portal ----
add(
    Case("GET", "/portal/", everyone(302)),
    Case("GET", "/portal/contact/", everyone(200)),
    Case("POST", "/portal/contact/", everyone(OK), {"name": "Fajar", "email": "fajar@example.com",
                                                    "subject": "Tanya", "message": "Halo, toko buka?"}),
    Case("GET", "/portal/t/{key_a}/", everyone(200)),
    # The link is the key: whoever holds Bayu's link sees Bayu's case (never its internal notes).
    Case("GET", "/portal/t/{key_b}/", everyone(200), shows_b=True, label="another customer's link"),
    Case("POST", "/portal/t/{key_a}/", everyone(OK), {"message": "Masih belum sampai"}),
    Case("GET", "/portal/t/salah-kunci/", everyone(404), label="wrong key"),
    Case("GET", "/portal/login/", everyone(200, customer=302)),
    Case("POST", "/portal/login/", everyone(200, customer=302), {"email": "ani@example.com"}),
    Case("GET", "/portal/login/bukan-token/", everyone(410)),
    Case("POST", "/portal/login/bukan-token/", everyone(410)),
    Case("POST", "/portal/logout/", everyone(PORTAL_LOGIN)),
    Case("GET", "/portal/tickets/", everyone(PORTAL_LOGIN, customer=200), check=portal_lists_own),
)

# ---- Django admin: superusers only ----
add(
    Case("GET", "/admin/", everyone(ADMIN_LOGIN, admin=200)),
    Case("POST", "/admin/auth/user/{agent_user}/delete/", everyone(ADMIN_LOGIN, admin=REACHED), {"post": "yes"}),
)


# ---- Case files of later parts (tests/security/matrix_cases/*.py) ----
def _case_modules():
    import importlib
    import pkgutil

    from tests.security import matrix_cases

    return [importlib.import_module(f"{matrix_cases.__name__}.{m.name}")
            for m in sorted(pkgutil.iter_modules(matrix_cases.__path__), key=lambda m: m.name)]


CASE_MODULES = _case_modules()
for _module in CASE_MODULES:
    add(*_module.CASES)


# --------------------------------------------------------------------------------------------
# The world


def _user(username: str, role: str | None, teams=()):
    User = get_user_model()
    user = User.objects.create(username=username, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
    if role:
        profile = AgentProfile.objects.create(user=user, role=role)
        profile.teams.set(teams)
    return user


def _numeric(value) -> object:
    return int(value) if isinstance(value, str) and value.isdigit() else value


@pytest.fixture(scope="class")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the whole matrix, in a transaction rolled back at its end (each request runs
    in a savepoint of its own, rolled back too)."""
    from django.test import override_settings

    from django.db import connection

    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"not a test database: {name}"
        _seed()
        w = _build()
        w.media = media
        yield w
        transaction.set_rollback(True)


def _seed() -> None:
    import importlib

    from tests.conftest import SEEDS

    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)


def _build() -> World:
    from tanggap.channels.models import InboundRaw
    from tanggap.channels.services import channel_for, inbound_receive
    from tanggap.common.errors import ParseError
    from tanggap.customers.models import Customer
    from tanggap.customers.services import LineInput, order_create, product_upsert
    from tanggap.incidents import services as incidents
    from tanggap.incidents.models import IncidentTask
    from tanggap.notifications.models import Notification
    from tanggap.remedies.models import Remedy, RemedyRule
    from tanggap.sla.models import BusinessCalendar, SlaPolicy
    from tanggap.texts.services import DEFAULTS

    w = World()
    channel_for(kind="whatsapp")  # the webhook's default channel exists, as after any first use
    gudang, bayar = team_get_or_create(name="Gudang"), team_get_or_create(name="Pembayaran")
    users = {"nonstaff": _user("tamu", None), "customer": _user("pelanggan", None),
             "agent": _user("sari", Role.AGENT, [gudang]), "lead": _user("lina", Role.LEAD, [gudang]),
             "admin": _user("admin", Role.ADMIN)}
    gudang.lead = users["lead"]
    gudang.save()
    agent_b = _user("budi", Role.AGENT, [bayar])

    ticket_a = receive_email_with_attachment(sender="ani@example.com")
    ticket_b = receive(email="bayu@example.com", name="Bayu", subject=f"Tagihan ganda {MARKER_B}",
                       body=f"Isi pesan {MARKER_B}")
    ticket_b2 = receive_email_with_attachment(sender="bayu@example.com")
    ticket_c = receive(email="citra@example.com", name="Citra", subject="Tanpa tim", body="Pertanyaan umum")
    admin = users["admin"]
    conversations.ticket_update(ticket=ticket_a, actor=admin, team=gudang)
    for t in (ticket_b, ticket_b2):
        conversations.ticket_update(ticket=t, actor=admin, team=bayar, assignee=agent_b)
    conversations.note_add(ticket=ticket_a, author=admin, body_text=f"{NOTE_MARKER} tim A")
    conversations.note_add(ticket=ticket_b, author=admin, body_text=f"{NOTE_MARKER} {MARKER_B}")
    ticket_e = receive(email="eka@example.com", name="Eka", subject="Untuk Sari")
    conversations.ticket_update(ticket=ticket_e, actor=admin, team=bayar, assignee=users["agent"])
    ticket_d = receive(email="dodi@example.com", name="Dodi", subject="Duplikat")
    cust_d = ticket_d.customer

    product_upsert(sku="SKU-1", name="Pasta gigi", category="x", price=10)
    order_create(external_id="ORD-B", customer=ticket_b.customer, lines=[LineInput(sku="SKU-1", quantity=1)],
                 status="delivered", placed_at=dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))

    remedy_a = Remedy.objects.create(ticket=ticket_a, kind="answer", status="pending", requested_by=users["agent"])
    remedy_b = Remedy.objects.create(ticket=ticket_b, kind="answer", status="pending", requested_by=agent_b)
    incident = incidents.incident_open(title="Hub Medan macet", actor=admin)
    for t in (ticket_a, ticket_b):
        incidents.incident_link_ticket(incident=incident, ticket=t, actor=admin)
    task = IncidentTask.objects.create(incident=incident, title="Hubungi kurir", due_at=dt.datetime(2031, 1, 1,
                                                                                                  tzinfo=dt.timezone.utc))
    notif_agent = Notification.objects.create(user=users["agent"], ticket=ticket_a, kind="sla.warning", text="Untuk Sari")
    notif_lead = Notification.objects.create(user=users["lead"], ticket=ticket_a, kind="sla.warning", text=NOTIF_LEAD)
    with pytest.raises(ParseError):
        inbound_receive(channel=channel_for(kind="api"), body=b"{bukan json", content_type="application/json",
                        source="api")
    raw = InboundRaw.objects.filter(status="rejected").latest("id")

    from tanggap.conversations.models import Attachment

    att_a = Attachment.objects.get(message__ticket=ticket_a)
    att_b = Attachment.objects.get(message__ticket=ticket_b2)
    w.ids = {
        "ticket_a": ticket_a.pk, "ticket_b": ticket_b.pk, "ticket_b2": ticket_b2.pk, "ticket_c": ticket_c.pk,
        "ticket_d": ticket_d.pk, "ticket_e": ticket_e.pk, "key_a": ticket_a.access_key, "key_b": ticket_b.access_key,
        "cust_a": ticket_a.customer_id, "cust_b": ticket_b.customer_id, "cust_d": cust_d.pk,
        "team_a": gudang.pk, "team_b": bayar.pk, "att_a": att_a.pk, "att_b": att_b.pk,
        "remedy_a": remedy_a.pk, "remedy_b": remedy_b.pk, "incident": incident.pk, "task": task.pk,
        "notif_agent": notif_agent.pk, "notif_lead": notif_lead.pk, "raw": raw.pk,
        "policy": SlaPolicy.objects.order_by("pk").first().pk,
        "calendar": BusinessCalendar.objects.order_by("pk").first().pk,
        "rule": RemedyRule.objects.order_by("pk").first().pk, "tkey": next(iter(DEFAULTS)),
        "agent_user": users["agent"].pk,
    }
    w.refs = {name: t.reference for name, t in
              (("ticket_a", ticket_a), ("ticket_b", ticket_b), ("ticket_b2", ticket_b2), ("ticket_c", ticket_c))}
    assert Customer.objects.filter(pk=w.ids["cust_a"]).exists()

    for module in CASE_MODULES:
        if hasattr(module, "build"):
            module.build(w, users)

    for role in ROLES:
        client = Client()
        if role in users and role != "customer":
            client.force_login(users[role])
        if role == "customer":
            session = client.session
            session["portal_customer_id"] = w.ids["cust_a"]
            session.save()
        w.clients[role] = client
        w.tokens[role] = api_token_create(user=users[role])[1] if role in users else ""
    return w


# --------------------------------------------------------------------------------------------
# Running one case

PROJECT_MODELS = None


def _fingerprint() -> str:
    """A digest of every row of the project's tables (and users, and queued tasks), so that a
    refused write can be shown to have changed nothing."""
    global PROJECT_MODELS
    if PROJECT_MODELS is None:
        PROJECT_MODELS = [m for m in apps.get_models()
                          if (m.__module__.startswith("tanggap.") or m._meta.app_label in ("auth", "django_tasks_db"))
                          and m._meta.label not in ("accounts.ApiToken",) and not m._meta.proxy]
    digest = hashlib.sha256()
    for model in PROJECT_MODELS:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        for row in model.objects.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
        digest.update(model._meta.label.encode())
    return digest.hexdigest()


def _outcome(response):
    if response.status_code in (301, 302, 303):
        target = response["Location"].split("?")[0]
        return {"/admin/login/": ADMIN_LOGIN, "/portal/login/": PORTAL_LOGIN, "/login/": LOGIN}.get(
            target, response.status_code)
    return response.status_code


def _matches(expected, outcome) -> bool:
    if expected in (OK, NOCHANGE):
        return isinstance(outcome, int) and 200 <= outcome < 400
    if expected == REACHED:
        return isinstance(outcome, int) and outcome < 500 and outcome not in DENIED
    return outcome == expected


def _content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _request(w: World, role: str, case: Case):
    client = w.clients[role]
    path = w.fmt(case.path)
    headers = {"Authorization": f"Bearer {w.tokens[role]}"} if path.startswith("/api/") and w.tokens[role] else {}
    data = w.fmt(case.data)
    if isinstance(data, dict) and case.body == "json":
        data = {k: _numeric(v) if k.endswith("_id") else v for k, v in data.items()}
        if "ids" in data:
            data["ids"] = [int(i) for i in data["ids"]]
    kwargs: dict = {"headers": headers}
    if case.body == "json" and data is not None:
        kwargs.update(data=json.dumps(data), content_type="application/json")
    elif case.body == "raw":
        kwargs.update(data=data, content_type="message/rfc822")
    elif data is not None:
        kwargs.update(data=data)
    if case.method == "GET":
        return client.get(path, **kwargs)
    if case.method == "POST" and case.body == "form":
        return client.post(path, **kwargs)
    return client.generic(case.method, path, **kwargs)


# Written by any request: the session, and a token's last use (at most once a minute).
WRITE_OK_TABLES = {"django_session", "accounts_apitoken"}
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)


class Writes:
    """The tables written by the SQL run while it is installed (connection.execute_wrapper)."""

    def __init__(self):
        self.tables: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and match.group(1) not in WRITE_OK_TABLES:
            self.tables.append(match.group(1))
        return execute(sql, params, many, context)


def _run(w: World, role: str, case: Case, before: str, seen: dict) -> list[str]:
    from django.db import connection

    errors = []
    client = w.clients[role]
    cookies = copy.deepcopy(client.cookies)
    expected = case.expect[role]
    writes = Writes()
    with transaction.atomic():
        with connection.execute_wrapper(writes):
            response = _request(w, role, case)
        outcome = _outcome(response)
        seen[role] = outcome
        text = _content(response)
        if not _matches(expected, outcome):
            errors.append(f"{role}: expected {expected}, got {outcome}: {text[:200]!r}")
        if expected in DENIED or outcome in DENIED:
            # A refused request writes nothing at all (not even a row it would roll back).
            if writes.tables:
                errors.append(f"{role}: a refused request wrote to {sorted(set(writes.tables))} (outcome {outcome})")
        if expected == NOCHANGE and _fingerprint() != before:
            errors.append(f"{role}: a write that may change nothing changed the database (outcome {outcome})")
        if role != "admin" and not case.shows_b and MARKER_B in text:
            errors.append(f"{role}: the response shows team Pembayaran's ticket ({MARKER_B})")
        if w.fmt(case.path).startswith("/portal/") and NOTE_MARKER in text:
            errors.append(f"{role}: an internal note on a portal page")
        if case.check and _matches(OK, outcome) and (error := case.check(role, response, w)):
            errors.append(f"{role}: {error}")
        transaction.set_rollback(True)
    client.cookies = cookies
    return errors


@pytest.mark.django_db
class TestPermissionMatrix:
    """One test per case; the world is built once for the class."""

    @pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
    def test_case(self, world, case, settings):
        settings.MEDIA_ROOT = world.media
        before = _fingerprint() if NOCHANGE in case.expect.values() else ""
        errors, seen = [], {}
        for role in ROLES:
            errors += _run(world, role, case, before, seen)
        if table := os.environ.get("TANGGAP_MATRIX_TABLE"):  # the matrix as measured, one line per case
            with open(table, "a") as out:
                out.write(f"| `{case.id}` | " + " | ".join(str(seen[r]) for r in ROLES) + " |\n")
        assert not errors, f"{case.id}:\n  " + "\n  ".join(errors)


# --------------------------------------------------------------------------------------------
# Every route is in the matrix


def _route_of(method: str, path: str) -> str:
    """The route a request lands on: "METHOD /api/v1/..." for an API operation, the URL name
    for a page, "admin/" for anything in the Django admin."""
    path = path.split("?")[0]
    if path.startswith("/admin/"):
        return "admin/"
    match = resolve(path)
    if path.startswith("/api/v1/") and match.url_name not in NINJA_EXTRAS:
        return f"{method} /" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", match.route)
    return match.view_name


NINJA_EXTRAS = {"openapi-json", "openapi-view", "api-root"}


def _api_routes() -> set[str]:
    routes = set()
    for prefix, router in ninja_api._routers:
        for path, view in router.path_operations.items():
            full = re.sub(r"/+", "/", f"/api/v1/{prefix}/{path}").rstrip("/")
            for operation in view.operations:
                routes.update(f"{m} {full}" for m in operation.methods)
    return routes


def _page_routes() -> set[str]:
    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) == "admin/":
                    yield "admin/"
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                if name is None:
                    raise AssertionError(f"a route without a name: {prefix}{p.pattern}")
                yield name

    ninja_names = {f"api:{op}" for op in _ninja_operation_names()}
    return {name for name in walk(get_resolver().url_patterns) if name not in ninja_names}


def _ninja_operation_names() -> set[str]:
    names = set()
    for p in ninja_api.urls[0]:
        if p.name and p.name not in NINJA_EXTRAS:
            names.add(p.name)
    return names


def test_every_route_is_in_the_matrix():
    dummy = World()
    dummy.ids = DummyIds()
    covered = {_route_of(c.method, dummy.fmt(c.path)) for c in CASES}
    routes = _api_routes() | _page_routes()
    unlisted = sorted(routes - covered)
    assert not unlisted, "unlisted route(s), add them to the permission matrix: " + ", ".join(unlisted)
    stale = sorted(covered - routes)
    assert not stale, f"matrix entries for routes that do not exist: {stale}"


class DummyIds(dict):
    def __missing__(self, key):
        return "1"


def test_every_case_states_every_role():
    for case in CASES:
        assert set(case.expect) == set(ROLES), case.id


# --------------------------------------------------------------------------------------------
# Leaks found by the matrix's world, pinned


@pytest.mark.django_db
def test_the_contact_form_never_opens_someone_elses_case(client):
    """Anyone may write in the name of any address on the contact form. A subject naming that
    customer's open case threads the message into it, but the writer is not sent to the case's
    page (its access key): they see a thank-you page only."""
    victim = receive(email="bayu@example.com", name="Bayu", subject=f"Tagihan ganda {MARKER_B}", body=MARKER_B)
    response = client.post("/portal/contact/", {"name": "Penyusup", "email": "bayu@example.com",
                                                "subject": f"Re: {victim.reference}", "message": "Tunjukkan kasusnya"})
    assert victim.messages.filter(body_text__contains="Tunjukkan kasusnya").exists()  # the customer's message is kept
    assert response.status_code == 200
    text = response.content.decode()
    assert victim.access_key not in text and MARKER_B not in text
    assert victim.access_key not in response.get("Location", "")
    # A message that opens a new case still goes to that case's page.
    response = client.post("/portal/contact/", {"name": "Fajar", "email": "fajar@example.com", "subject": "Tanya",
                                                "message": "Halo"})
    assert response.status_code == 302 and response["Location"].startswith("/portal/t/")


@pytest.mark.django_db
def test_a_ticket_is_assigned_to_staff_only(api, django_user_model):
    """PATCH /tickets/{id} took any active account as assignee, also one without a role (a
    "customer token" account), who can never open the ticket. Like the console, only staff."""
    ticket = receive()
    outsider = django_user_model.objects.create_user(username="pelanggan2")
    r = api.patch(f"/tickets/{ticket.pk}", {"assignee_id": outsider.pk})
    assert (r.status_code, r.body["error"]["code"]) == (404, "unknown_user")
    ticket.refresh_from_db()
    assert ticket.assignee_id is None


@pytest.mark.django_db
def test_the_lead_of_a_team_sees_its_tickets_without_being_a_member(make_staff, api_for, admin_user):
    """A team's lead (Team.lead) is warned about its tickets and asked to approve its remedies;
    before, if not also a member, they could open neither the ticket nor the remedy (404)."""
    from tanggap.remedies.models import Remedy

    bayar = team_get_or_create(name="Pembayaran")
    lead = make_staff("kepala", "lead", [])
    bayar.lead = lead
    bayar.save()
    ticket = receive(subject=MARKER_B)
    conversations.ticket_update(ticket=ticket, actor=admin_user, team=bayar)
    remedy = Remedy.objects.create(ticket=ticket, kind="answer", status="pending")
    client = api_for(lead)
    assert client.get(f"/tickets/{ticket.pk}").status_code == 200
    assert [r["id"] for r in client.get("/remedies/pending").body] == [remedy.pk]
    assert [t["id"] for t in client.get("/tickets?view=team").body["items"]] == [ticket.pk]


@pytest.mark.django_db
def test_the_api_never_takes_a_console_session(client, agent):
    """Only a bearer token opens the API: a logged-in console session is no credential there
    (so no cross-site request can use a staff member's browser against the API)."""
    ticket = receive()
    client.force_login(agent)
    assert client.get("/api/v1/tickets").status_code == 401
    response = client.post(f"/api/v1/tickets/{ticket.pk}/notes", {"body": "x"}, content_type="application/json")
    assert response.status_code == 401
    assert not ticket.messages.filter(body_text="x").exists()
