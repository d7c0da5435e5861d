"""Automation rules on journey events (issue 4): product guides when an order ships, a check-in
N days after delivery whose answer lands in its ticket; each run stored and run once."""

from __future__ import annotations

import datetime as dt
import uuid
from email.message import EmailMessage

import pytest
import time_machine

from tanggap.automations.models import AutomationRule, AutomationRun, ProductGuide
from tanggap.automations.services import runs_execute_due
from tanggap.channels.normalized import InboundIdentity
from tanggap.channels.services import channel_for, inbound_receive
from tanggap.conversations.models import Message, Ticket
from tanggap.customers.services import LineInput, customer_find_or_create, order_create, product_upsert
from tanggap.journeys.services import event_record

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def order(clock):
    customer, _ = customer_find_or_create(identity=InboundIdentity(kind="email", value="siti@example.co.id",
                                                                   name="Siti"), language="id")
    blender = product_upsert(sku="BLD-300", name="Blender Turbo 300", price=450000)[0]
    ProductGuide.objects.create(product=blender, language="id", title="Cara merakit Blender Turbo 300",
                                url="https://toko.example/panduan/bld-300")
    ProductGuide.objects.create(product=blender, language="en", title="Assembling the Blender Turbo 300",
                                url="https://toko.example/guide/bld-300")
    return order_create(external_id="INV/2026/0412", customer=customer, status="paid",
                        lines=[LineInput(sku="BLD-300")])[0]


def record(kind: str, order, external_id: str | None = None, at=None):
    return event_record(kind=kind, external_id=external_id or str(uuid.uuid4()), source="shop", order_external_id=order.external_id,
                        occurred_at=at)


def test_an_order_shipped_sends_its_product_guides_in_the_customers_language(order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record("order_shipped", order)
    assert runs_execute_due() == 1
    run = AutomationRun.objects.get(rule__action="send_product_guides")
    assert (run.status, run.result) == ("done", "1 guide(s) sent")
    ticket = Ticket.objects.get(pk=run.ticket_id)
    assert (ticket.initiated_by, ticket.status) == ("company", "pending")
    sent = Message.objects.get(ticket=ticket, direction="out")
    assert "Cara merakit Blender Turbo 300: https://toko.example/panduan/bld-300" in sent.body_text
    assert sent.subject == f"[{ticket.reference}] Panduan produk INV/2026/0412"  # we start it: no "Re:"
    assert sent.recipient == "siti@example.co.id" and sent.automated


def test_an_order_without_guides_is_skipped_with_the_reason(order, django_capture_on_commit_callbacks):
    ProductGuide.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        record("order_shipped", order)
    runs_execute_due()
    run = AutomationRun.objects.get(rule__action="send_product_guides")
    assert (run.status, run.result, run.ticket) == ("skipped", "no guide for the order's products", None)
    assert not Ticket.objects.exists()


def test_the_check_in_goes_three_days_after_delivery_once_and_the_answer_lands_in_its_ticket(
        order, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record("order_delivered", order, external_id="dlv-1")
        record("order_delivered", order, external_id="dlv-1")  # the shop sent it twice
    assert AutomationRun.objects.filter(rule__action="send_checkin").count() == 1
    clock.move_to(T0 + dt.timedelta(days=2, hours=23))
    assert runs_execute_due() == 0
    clock.move_to(T0 + dt.timedelta(days=3, minutes=1))
    assert runs_execute_due() == 1
    assert runs_execute_due() == 0
    run = AutomationRun.objects.get(rule__action="send_checkin")
    checkin = Message.objects.get(ticket_id=run.ticket_id, direction="out")
    assert "Apakah semuanya berfungsi dengan baik?" in checkin.body_text

    answer = EmailMessage()
    answer["From"], answer["To"] = "Siti <siti@example.co.id>", "cs@tanggap.local"
    answer["Subject"] = f"Re: {checkin.subject}"
    answer["Message-ID"], answer["In-Reply-To"] = f"<{uuid.uuid4()}@example.co.id>", checkin.message_id_header
    answer.set_content("Blendernya bunyi keras saat dipakai.")
    landed = inbound_receive(channel=channel_for(kind="email"), body=answer.as_bytes(),
                             content_type="message/rfc822", source="upload")[0].ticket
    assert landed.pk == run.ticket_id
    assert Ticket.objects.get(pk=landed.pk).status == "open"


def test_a_customer_who_opted_out_gets_no_check_in(order, clock, django_capture_on_commit_callbacks):
    order.customer.proactive_opt_out = True
    order.customer.save()
    with django_capture_on_commit_callbacks(execute=True):
        record("order_delivered", order)
    clock.move_to(T0 + dt.timedelta(days=4))
    runs_execute_due()
    run = AutomationRun.objects.get(rule__action="send_checkin")
    assert (run.status, run.result) == ("skipped", "the customer opted out of proactive contact")
    assert not Ticket.objects.exists()


def test_conditions_limit_a_rule(order, django_capture_on_commit_callbacks):
    AutomationRule.objects.filter(action="send_product_guides").update(conditions={"regions": ["Medan"]})
    with django_capture_on_commit_callbacks(execute=True):
        record("order_shipped", order)
    assert not AutomationRun.objects.filter(rule__action="send_product_guides").exists()


def test_a_customer_without_address_fails_the_run_visibly(clock, django_capture_on_commit_callbacks):
    customer, _ = customer_find_or_create(identity=InboundIdentity(kind="handle", namespace="instagram", value="siti.ig"))
    product_upsert(sku="GLS-02", name="Gelas", price=60000)
    order = order_create(external_id="INV-2", customer=customer, lines=[LineInput(sku="GLS-02")])[0]
    with django_capture_on_commit_callbacks(execute=True):
        record("order_delivered", order)
    clock.move_to(T0 + dt.timedelta(days=3, minutes=1))
    runs_execute_due()
    run = AutomationRun.objects.get(rule__action="send_checkin")
    assert run.status == "failed" and "no email address or phone number" in run.result
