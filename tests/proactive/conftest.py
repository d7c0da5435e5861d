"""Proactive test helpers: the default playbooks (re-seeded, since a transactional test elsewhere
may have flushed them), customers with orders on a courier, and a way to write in."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools

import pytest

from tanggap.channels.lookup import channel_for
from tanggap.channels.normalized import InboundIdentity, NormalizedMessage
from tanggap.conversations.services import message_receive
from tanggap.customers.services import LineInput, customer_find_or_create, order_create, product_upsert

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _playbooks(db):
    from django.apps import apps

    importlib.import_module("tanggap.incidents.migrations.0002_default_playbooks").add_defaults(apps, None)


@pytest.fixture
def courier_playbook(_playbooks):
    from tanggap.incidents.models import Playbook

    return Playbook.objects.get(problem_type="courier_delay")


@pytest.fixture
def product(db):
    return product_upsert(sku="PG-190", name="Pasta Gigi Herbal 190g", price=18500)[0]


@pytest.fixture
def make_customer(db):
    def make(*, email: str | None = None, phone: str | None = None, name: str = "", language: str = "id",
             country: str = "ID", opt_out: bool = False):
        identity = (InboundIdentity(kind="email", value=email, name=name) if email
                    else InboundIdentity(kind="phone", value=phone, name=name))
        customer = customer_find_or_create(identity=identity, language=language, country=country)[0]
        customer.name = name
        customer.language = language
        customer.country = country
        customer.proactive_opt_out = opt_out
        customer.save()
        return customer

    return make


@pytest.fixture
def make_order(product):
    def make(customer, *, courier: str = "JNT", region: str = "Jawa Barat", status: str = "shipped",
             placed_at: dt.datetime | None = None, sku: str | None = None, currency: str = "IDR"):
        order = order_create(external_id=f"INV/2026/{next(_seq):05d}", customer=customer,
                             lines=[LineInput(sku=sku or product.sku)], status=status, placed_at=placed_at,
                             courier=courier, region=region, currency=currency)[0]
        if status == "delivered":
            from django.utils import timezone

            type(order).objects.filter(pk=order.pk).update(delivered_at=timezone.now())
            order.refresh_from_db()
        return order

    return make


def write_in(customer, *, text: str = "Paket saya belum sampai, kenapa?", channel_kind: str | None = None,
             in_reply_to: str = "", subject: str = ""):
    """The customer writes in on their channel (WhatsApp by phone, or email)."""
    ident = customer.identities.order_by("id").first()
    kind = channel_kind or ("email" if ident.kind == "email" else "whatsapp")
    msg = NormalizedMessage(channel=kind, external_id=f"in-{next(_seq)}", sender=InboundIdentity(kind=ident.kind,
                            value=ident.value, name=customer.name), body_text=text, subject=subject or text[:40],
                            in_reply_to=in_reply_to, references=[in_reply_to] if in_reply_to else [])
    return message_receive(msg=msg, channel=channel_for(kind=kind))
