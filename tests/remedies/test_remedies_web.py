"""The remedies panel in the console: it lists what the policy allows, applies a remedy,
shows a refusal as a form error, and lets a lead approve from the pending page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tanggap.customers.models import Order
from tanggap.remedies import services
from tanggap.remedies.forms import parse_amount
from tanggap.remedies.models import Remedy

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(client, agent):
    client.force_login(agent)
    return client


def test_the_panel_tag_shows_allowed_remedies_with_limits_and_the_customers_orders(agent, make_ticket, make_order):
    ticket = make_ticket(category="defect")
    make_order(ticket.customer)
    request = RequestFactory().get(f"/tickets/{ticket.pk}/")
    request.user = agent
    html = Template("{% load remedy_tags %}{% remedy_panel ticket request.user %}").render(
        Context({"ticket": ticket, "request": request, "csrf_token": "tok"}))
    assert 'id="remedy-panel"' in html
    assert "Penggantian" in html or "Replacement" in html
    assert "dalam 7 hari sejak diterima" in html  # the replace window, in Indonesian
    assert "paling banyak Rp100.000" in html  # the voucher limit
    assert "INV/2026/0001" in html  # the order to choose
    assert f'action="/tickets/{ticket.pk}/remedies/apply/"' in html and 'value="tok"' in html


def test_an_agent_applies_a_voucher_from_the_panel(console, make_ticket):
    ticket = make_ticket(category="complaint")
    r = console.post(f"/tickets/{ticket.pk}/remedies/apply/",
                     {"kind": "voucher", "amount": "50.000", "note": "", "next": f"/tickets/{ticket.pk}/"})
    assert (r.status_code, r["Location"]) == (302, f"/tickets/{ticket.pk}/")
    remedy = Remedy.objects.get(ticket=ticket)
    assert (remedy.kind, remedy.amount, remedy.status) == ("voucher", Decimal("50000"), "applied")
    page = console.get(f"/tickets/{ticket.pk}/remedies/").content.decode()
    assert remedy.voucher_code in page and "Rp50.000" in page


def test_a_refused_remedy_is_a_form_error_not_a_crash(console, make_ticket):
    ticket = make_ticket(category="complaint")
    r = console.post(f"/tickets/{ticket.pk}/remedies/apply/", {"kind": "voucher", "amount": "250000"})
    assert r.status_code == 400
    body = r.content.decode()
    assert 'class="form-error"' in body and "at most Rp100.000" in body
    # with htmx the panel swaps itself in (200, just the panel)
    r = console.post(f"/tickets/{ticket.pk}/remedies/apply/", {"kind": "voucher", "amount": "abc"},
                     headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.content.decode().lstrip().startswith('<section class="card remedy-panel"')
    assert Remedy.objects.count() == 0


def test_a_kind_outside_the_category_is_not_offered_and_refused(console, make_ticket):
    ticket = make_ticket(category="question")
    page = console.get(f"/tickets/{ticket.pk}/remedies/").content.decode()
    assert 'value="answer"' in page and 'value="refund"' not in page
    r = console.post(f"/tickets/{ticket.pk}/remedies/apply/", {"kind": "refund", "amount": "1000"})
    assert r.status_code == 400 and Remedy.objects.count() == 0


def test_a_lead_approves_from_the_pending_page_and_an_agent_cannot_open_it(client, console, agent, lead,
                                                                          make_ticket, make_order):
    ticket = make_ticket(category="defect")
    order = make_order(ticket.customer, quantity=5)
    remedy = services.remedy_apply(ticket=ticket, actor=agent, kind="refund", order=order, amount="600000")
    assert remedy.status == "pending"
    assert console.get("/remedies/pending/").status_code == 403
    console.force_login(lead)
    page = console.get("/remedies/pending/").content.decode()
    assert ticket.reference in page and "Rp600.000" in page
    r = console.post(f"/tickets/{ticket.pk}/remedies/{remedy.pk}/decide/",
                     {"action": "approve", "next": "/remedies/pending/", "from": "pending"})
    assert (r.status_code, r["Location"]) == (302, "/remedies/pending/")
    assert Order.objects.get(pk=order.pk).refunded_amount == Decimal("600000")
    assert "Rp600.000" not in console.get("/remedies/pending/").content.decode()


def test_an_agent_posting_a_decision_gets_a_form_error(console, agent, make_ticket, make_order):
    ticket = make_ticket(category="billing")
    order = make_order(ticket.customer)
    remedy = services.remedy_apply(ticket=ticket, actor=agent, kind="refund", order=order, amount="1000")
    r = console.post(f"/tickets/{ticket.pk}/remedies/{remedy.pk}/decide/", {"action": "approve"})
    assert r.status_code == 400 and "Only team leads and admins" in r.content.decode()
    assert Remedy.objects.get(pk=remedy.pk).status == "pending"


@pytest.mark.parametrize("text, value", [("150000", "150000"), ("150.000", "150000"), ("Rp 150.000", "150000"),
                                         ("RM45,50", "45.50"), ("1,250,000", "1250000"), ("", None)])
def test_amounts_are_read_as_people_write_them(text, value):
    assert parse_amount(text) == (Decimal(value) if value else None)
