"""Triggers: ticket solved, delivered + N days, periodic; each sends once, never twice to a
customer in a period, never to a customer who opted out."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection

from tanggap.conversations.models import Message, Ticket
from tanggap.conversations.services import ticket_update
from tanggap.customers.models import Customer
from tanggap.customers.services import LineInput, order_create, product_upsert
from tanggap.journeys.services import event_record
from tanggap.surveys.models import SendStatus, SurveySend
from tanggap.surveys.services import send_one, sends_due
from tests.surveys.conftest import activate, only, token_in

JKT = zoneinfo.ZoneInfo("Asia/Jakarta")


def test_solved_ticket_gets_one_csat_survey_on_its_own_thread(builtins, make_ticket, solve, tick):
    ticket = solve(make_ticket())
    assert only("csat").get().status == SendStatus.SCHEDULED
    assert tick()["sent"] == 1
    send = only("csat").get()
    assert send.status == SendStatus.SENT and send.ticket_id == ticket.pk and send.expires_at > send.sent_at
    message = Message.objects.get(pk=send.message_id)
    assert message.ticket_id == ticket.pk and message.direction == "out" and message.recipient == "rina@example.id"
    assert token_in(message) == send.token and len(send.token) >= 40
    assert "survei" in message.body_text.lower()  # Indonesian invitation
    assert Ticket.objects.get(pk=ticket.pk).status == "solved"  # the invitation does not reopen it
    # Solving it again (reopened and solved) or running the job again sends nothing more.
    ticket_update(ticket=ticket, actor=None, status="open")
    solve(ticket)
    assert tick()["sent"] == 0
    assert SurveySend.objects.count() == 1


def test_invitation_in_the_customers_language(builtins, make_ticket, solve, tick):
    solve(make_ticket(email="aminah@contoh.my", language="ms"))
    tick()
    send = only("csat").get()
    assert send.language == "ms"
    assert "tinjauan" in Message.objects.get(pk=send.message_id).body_text.lower()


def test_opted_out_customer_is_not_surveyed(builtins, make_ticket, solve, tick):
    ticket = make_ticket()
    Customer.objects.filter(pk=ticket.customer_id).update(proactive_opt_out=True)
    solve(ticket)
    tick()
    send = only("csat").get()
    assert (send.status, send.reason, send.message_id) == (SendStatus.SKIPPED, "opted_out", None)


def test_at_most_one_survey_per_customer_per_period(builtins, make_ticket, solve, tick, settings):
    settings.TANGGAP_SURVEY_PERIOD_DAYS = 30
    start = dt.datetime(2026, 11, 2, 10, 0, tzinfo=JKT)
    with time_machine.travel(start, tick=False):
        solve(make_ticket())
        solve(make_ticket())  # the same customer's second ticket, solved the same day
        assert tick()["sent"] == 1
        assert sorted(only("csat").values_list("status", "reason")) == [("sent", ""), ("skipped", "quota")]
    with time_machine.travel(start + dt.timedelta(days=20), tick=False):
        solve(make_ticket())
        tick()
        assert only("csat", status="sent").count() == 1
    with time_machine.travel(start + dt.timedelta(days=31), tick=False):
        solve(make_ticket())
        tick()
        assert only("csat", status="sent").count() == 2


@pytest.fixture
def delivered_order(db):
    from tests.surveys.conftest import receive

    ticket = receive(email="dewi@example.id", name="Dewi")
    customer = Customer.objects.get(pk=ticket.customer_id)
    product_upsert(sku="PG-190", name="Pasta Gigi Herbal 190g", price=18500)
    order, _ = order_create(external_id="INV/2026/0777", customer=customer, status="shipped",
                            lines=[LineInput(sku="PG-190", quantity=1)])
    return customer, order


def test_delivered_plus_n_days_sends_once(builtins, delivered_order, tick):
    customer, order = delivered_order
    activate("csat", active=False)
    activate("ces", delay_days=3)
    delivered = dt.datetime(2026, 11, 2, 14, 0, tzinfo=JKT)
    with time_machine.travel(delivered, tick=False):
        event_record(kind="order_delivered", external_id="dlv-777", source="shop", customer=customer,
                     order_external_id=order.external_id, occurred_at=delivered)
    with time_machine.travel(delivered + dt.timedelta(days=2, hours=23), tick=False):
        assert tick() == {"scheduled": 0, "sent": 0, "skipped": 0, "taken": 0}
    with time_machine.travel(delivered + dt.timedelta(days=3, minutes=1), tick=False):
        assert tick()["sent"] == 1
        send = only("ces").get()
        assert send.order_id == order.pk and send.status == "sent"
        outreach = Message.objects.get(pk=send.message_id).ticket
        assert outreach.initiated_by == "company" and outreach.customer_id == customer.pk
        assert tick()["scheduled"] == 0
    with time_machine.travel(delivered + dt.timedelta(days=5), tick=False):
        assert tick()["scheduled"] == 0
    assert SurveySend.objects.count() == 1


def test_periodic_survey_once_per_cycle(builtins, make_ticket, tick, settings):
    settings.TANGGAP_SURVEY_PERIOD_DAYS = 30
    activate("csat", active=False)
    activate("nps", period_days=90)
    start = dt.datetime(2026, 10, 5, 9, 0, tzinfo=JKT)
    with time_machine.travel(start, tick=False):
        make_ticket()  # an active customer
        make_ticket(email="joko@example.id", name="Joko")
        assert tick()["sent"] == 2
        assert tick()["sent"] == 0
    with time_machine.travel(start + dt.timedelta(days=40), tick=False):
        assert tick()["scheduled"] == 0  # same 90-day cycle
    with time_machine.travel(start + dt.timedelta(days=95), tick=False):
        make_ticket()  # Rina wrote again; Joko did not
        assert tick()["sent"] == 1
    assert only("nps", status="sent").count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_workers_never_survey_one_customer_twice(builtins, make_ticket, agent):
    """PostgreSQL: two threads (each its own database session) send the due surveys at once;
    every customer has two due surveys; exactly one of each pair goes out."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent sessions on one database (PostgreSQL)")
    from tanggap.surveys.services import on_ticket_solved

    customers = 6
    for i in range(customers):
        for _ in range(2):
            ticket = make_ticket(email=f"c{i}@example.id", name=f"C{i}")
            Ticket.objects.filter(pk=ticket.pk).update(status="solved")
            on_ticket_solved(ticket_id=ticket.pk)
    assert SurveySend.objects.filter(status="scheduled").count() == 2 * customers
    ids = list(SurveySend.objects.order_by("customer_id", "id").values_list("pk", flat=True))
    barrier = threading.Barrier(2)
    errors = []

    def worker(mine):
        from django.db import connections

        try:
            for send_id in mine:
                barrier.wait(timeout=30)
                send_one(send_id=send_id)
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    # Thread A takes the first survey of each customer, thread B the second, at the same moment.
    threads = [threading.Thread(target=worker, args=(ids[0::2],)), threading.Thread(target=worker, args=(ids[1::2],))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    for customer_id in set(SurveySend.objects.values_list("customer_id", flat=True)):
        statuses = sorted(SurveySend.objects.filter(customer_id=customer_id).values_list("status", flat=True))
        assert statuses == ["sent", "skipped"], statuses
    assert Message.objects.filter(meta__purpose="survey").count() == customers
    assert sends_due()["sent"] == 0


def test_the_invitation_reaches_the_customer_by_smtp_and_its_link_works(builtins, make_ticket, solve, tick, smtp_sink,
                                                                          settings, client):
    sink, port = smtp_sink
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.TANGGAP_SITE_URL = "https://cs.toko.test"
    solve(make_ticket())
    tick()
    send = only("csat").get()
    from tanggap.conversations import delivery

    assert delivery.message_deliver(message_id=send.message_id) == "sent"
    _, rcpts, mail = sink.messages[-1]
    assert rcpts == ["rina@example.id"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    link = f"https://cs.toko.test/portal/s/{send.token}/"
    assert link in text
    assert client.post(link.removeprefix("https://cs.toko.test"), {"score": "5"}).status_code == 302
    assert SurveySend.objects.get(pk=send.pk).status == "answered"


def test_customer_page_shows_recent_scores(builtins, make_ticket, solve, tick, agent, client):
    ticket = solve(make_ticket())
    tick()
    send = only("csat").get()
    client.post(f"/portal/s/{send.token}/", {"score": "3"})
    client.force_login(agent)
    page = client.get(f"/customers/{ticket.customer_id}/").content.decode()
    assert "Skor survei" in page and "CSAT 3/5" in page


def test_a_send_left_sending_by_a_killed_worker_goes_out_once_after_ten_minutes(builtins, make_ticket, solve, tick):
    solve(make_ticket())
    send = only("csat").get()
    start = send.due_at + dt.timedelta(hours=1)
    with time_machine.travel(start, tick=False):
        # a worker claimed it and died before sending
        SurveySend.objects.filter(pk=send.pk).update(status="sending", claimed_at=start)
        assert tick()["sent"] == 0  # another worker leaves a fresh claim alone
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        assert tick()["sent"] == 1
        assert tick()["sent"] == 0
    assert Message.objects.filter(meta__purpose="survey").count() == 1
