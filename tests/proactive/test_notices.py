"""Starting an incident from a playbook, drafting and sending proactive notices."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tanggap.conversations.choices import Initiator, Status, TimelineKind
from tanggap.conversations.models import Message, Ticket, TimelineEntry
from tanggap.incidents.models import Incident, IncidentTask, Notice, NoticeStatus, Playbook
from tanggap.proactive import services
from tanggap.proactive.services import incident_start_from_playbook, notice_send_one, notices_send
from tests.proactive.conftest import write_in

T0 = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB, a Tuesday


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def _start(playbook, **kw):
    kw.setdefault("title", "JNT terlambat di Jawa Barat")
    kw.setdefault("scope", {"courier": "JNT", "region": "Jawa Barat"})
    kw.setdefault("expected_resolution_at", T0 + dt.timedelta(days=2))
    return incident_start_from_playbook(playbook=playbook, actor=None, **kw)


def test_default_playbooks_cover_four_problem_types_in_three_languages():
    playbooks = {p.problem_type: p for p in Playbook.objects.all()}
    assert {"courier_delay", "defective_batch", "payment_failure", "outage"} <= set(playbooks)
    for p in playbooks.values():
        assert set(p.notice_templates) == {"id", "ms", "en"} and set(p.status_templates) == {"id", "ms", "en"}
        assert p.steps.count() >= 3 and all(s.owner_team_id is None for s in p.steps.all())
    assert playbooks["courier_delay"].remedy_kind == "voucher"
    assert playbooks["defective_batch"].remedy_kind == "replace"


def test_start_creates_tasks_with_due_times_and_drafts_only_for_affected(clock, courier_playbook, make_customer,
                                                                         make_order):
    waiting = make_customer(email="rina@example.id", name="Rina")
    make_order(waiting)
    make_order(waiting)  # two orders, one notice
    delivered = make_customer(email="budi@example.id")
    make_order(delivered, status="delivered")
    other_courier = make_customer(email="ani@example.id")
    make_order(other_courier, courier="SiCepat")
    other_region = make_customer(email="dewi@example.id")
    make_order(other_region, region="Bali")
    opted_out = make_customer(phone="6281234567890", opt_out=True)
    make_order(opted_out)

    result = _start(courier_playbook)
    incident = result.incident
    assert incident.playbook == courier_playbook and incident.problem_type == "courier_delay"
    assert incident.customer_status["en"] == ("Deliveries by the courier are running late and we are working on it "
                                              "with them. To make up for it, we are giving you a shopping voucher "
                                              "worth Rp25.000.")
    assert set(incident.customer_status) == {"id", "ms", "en"}
    steps = list(courier_playbook.steps.all())
    tasks = list(IncidentTask.objects.filter(incident=incident).order_by("due_at"))
    assert result.tasks == len(steps) == len(tasks)
    assert [t.due_at for t in tasks] == [T0 + dt.timedelta(minutes=s.deadline_minutes) for s in steps]
    assert [t.title for t in tasks] == [s.title for s in steps]

    notices = {n.customer_id: n for n in Notice.objects.filter(incident=incident)}
    assert set(notices) == {waiting.pk, opted_out.pk}
    assert notices[waiting.pk].status == NoticeStatus.DRAFT
    assert notices[opted_out.pk].status == NoticeStatus.SKIPPED and notices[opted_out.pk].reason == "opted_out"
    assert (result.drafts, result.skipped) == (1, 1)


def test_empty_scope_is_refused(clock, courier_playbook):
    from tanggap.common.errors import DomainError

    with pytest.raises(DomainError) as exc:
        _start(courier_playbook, scope={})
    assert exc.value.code == "scope_required"
    assert not Incident.objects.exists()


def test_defective_batch_finds_buyers_in_the_window_delivered_or_not(clock, make_customer, make_order, product):
    from tanggap.customers.services import product_upsert

    product_upsert(sku="SK-1", name="Sikat gigi", price=10000)
    playbook = Playbook.objects.get(problem_type="defective_batch")
    in_window = make_customer(email="a@example.id")
    make_order(in_window, status="delivered", placed_at=T0 - dt.timedelta(days=3))
    before = make_customer(email="b@example.id")
    make_order(before, status="delivered", placed_at=T0 - dt.timedelta(days=30))
    other_product = make_customer(email="c@example.id")
    make_order(other_product, sku="SK-1", placed_at=T0 - dt.timedelta(days=2))
    result = incident_start_from_playbook(playbook=playbook, title="Batch PG-190 bocor", actor=None,
                                          scope={"product_ids": [product.pk]},
                                          window_start=T0 - dt.timedelta(days=7), window_end=T0)
    assert set(Notice.objects.filter(incident=result.incident).values_list("customer_id", flat=True)) == {in_window.pk}


def test_a_customer_who_already_wrote_in_is_skipped(clock, courier_playbook, make_customer, make_order):
    c = make_customer(email="rina@example.id")
    make_order(c)
    write_in(c)  # at T0, the moment the incident opens
    result = _start(courier_playbook)
    notice = Notice.objects.get(incident=result.incident)
    assert notice.status == NoticeStatus.SKIPPED and notice.reason == "wrote_in"


def test_notice_is_a_company_initiated_contact_in_the_customers_language(clock, courier_playbook, make_customer,
                                                                         make_order, django_capture_on_commit_callbacks):
    c = make_customer(email="rina@example.id", name="Rina", language="en")
    order = make_order(c)
    incident = _start(courier_playbook).incident
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert notices_send()["sent"] == 1
    notice = Notice.objects.get(incident=incident)
    assert notice.status == NoticeStatus.SENT and notice.sent_at == T0
    ticket, message = notice.ticket, notice.message
    assert ticket.initiated_by == Initiator.COMPANY and ticket.customer == c and ticket.channel.kind == "email"
    assert ticket.status == Status.PENDING
    assert message.initiated_by == Initiator.COMPANY and message.recipient == "rina@example.id"
    assert message.meta["purpose"] == "proactive_notice"
    body = message.body_text
    assert body.startswith("Hello Rina, we are sorry")
    assert order.external_id in body
    assert "Thursday, 3 December, 10:00 WIB" in body  # expected date, in the site's zone for an Indonesian customer
    assert "voucher worth Rp25.000" in body
    kinds = list(TimelineEntry.objects.filter(ticket=ticket).values_list("kind", "initiated_by"))
    assert (TimelineKind.NOTICE_SENT, Initiator.COMPANY) in kinds
    assert (TimelineKind.OPENED, Initiator.COMPANY) in kinds
    assert ticket.incident_links.filter(incident=incident).exists()
    assert len(callbacks) >= 1  # message.queued and notice.sent go out after commit


@pytest.mark.parametrize("language,expected", [
    ("id", ["Halo Siti, kami mohon maaf", "Kamis, 3 Desember, pukul 11.00 MYT", "voucher belanja senilai Rp25.000"]),
    ("ms", ["Hai Siti, kami memohon maaf", "Khamis, 3 Disember, jam 11.00 MYT", "baucar belian bernilai Rp25.000"]),
])
def test_notice_wording_per_language(clock, courier_playbook, make_customer, make_order, language, expected):
    c = make_customer(phone="60123456789", name="Siti", language=language, country="MY")
    make_order(c)
    incident = _start(courier_playbook).incident
    notices_send()
    message = Notice.objects.get(incident=incident).message
    assert message.channel_kind == "whatsapp" and message.recipient.endswith("60123456789")
    for part in expected:
        assert part in message.body_text


def test_sent_once_even_when_run_twice_or_claimed_twice(clock, courier_playbook, make_customer, make_order):
    for i in range(3):
        make_order(make_customer(email=f"c{i}@example.id"))
    incident = _start(courier_playbook).incident
    ids = list(Notice.objects.filter(incident=incident).values_list("pk", flat=True))
    assert notice_send_one(notice_id=ids[0]) == "sent"
    assert notice_send_one(notice_id=ids[0]) == "taken"  # a second caller with the same claim
    assert notices_send()["sent"] == 2
    assert notices_send()["sent"] == 0
    assert Message.objects.filter(meta__purpose="proactive_notice").count() == 3
    assert Ticket.objects.filter(initiated_by=Initiator.COMPANY).count() == 3
    assert set(Notice.objects.filter(incident=incident).values_list("status", flat=True)) == {"sent"}


def test_a_crash_before_commit_leaves_the_draft_for_the_next_run(clock, courier_playbook, make_customer, make_order,
                                                                 monkeypatch):
    make_order(make_customer(email="rina@example.id"))
    incident = _start(courier_playbook).incident

    def boom(*a, **kw):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "incident_link_ticket", boom)  # after the ticket and message were written
    with pytest.raises(RuntimeError):
        notices_send()
    notice = Notice.objects.get(incident=incident)
    assert notice.status == NoticeStatus.DRAFT and notice.ticket is None
    assert not Ticket.objects.filter(initiated_by=Initiator.COMPANY).exists()
    monkeypatch.undo()
    assert notices_send()["sent"] == 1


def test_throttled_per_minute_across_runs(clock, courier_playbook, make_customer, make_order, settings):
    settings.TANGGAP_NOTICES_PER_MINUTE = 4
    for i in range(10):
        make_order(make_customer(email=f"c{i}@example.id"))
    incident = _start(courier_playbook).incident
    assert notices_send()["sent"] == 4
    assert notices_send()["sent"] == 0  # same minute: the budget is spent
    assert notices_send(limit=2)["sent"] == 0
    clock.shift(dt.timedelta(seconds=61))
    assert notices_send(limit=2)["sent"] == 2
    assert notices_send()["sent"] == 2
    clock.shift(dt.timedelta(seconds=61))
    assert notices_send()["sent"] == 2
    assert Notice.objects.filter(incident=incident, status="sent").count() == 10


def test_opting_out_after_the_draft_is_respected_at_send_time(clock, courier_playbook, make_customer, make_order):
    c = make_customer(email="rina@example.id")
    make_order(c)
    incident = _start(courier_playbook).incident
    type(c).objects.filter(pk=c.pk).update(proactive_opt_out=True)
    assert notices_send() == {"sent": 0, "skipped": 1, "taken": 0, "failed": 0}
    notice = Notice.objects.get(incident=incident)
    assert notice.status == NoticeStatus.SKIPPED and notice.reason == "opted_out"


def test_writing_in_before_the_send_skips_the_notice(clock, courier_playbook, make_customer, make_order):
    c = make_customer(email="rina@example.id")
    make_order(c)
    incident = _start(courier_playbook).incident
    clock.shift(dt.timedelta(seconds=30))
    write_in(c)
    assert notices_send()["skipped"] == 1
    assert Notice.objects.get(incident=incident).reason == "wrote_in"


def test_a_whatsapp_reply_lands_on_the_notice_ticket(clock, courier_playbook, make_customer, make_order):
    c = make_customer(phone="6281234567890", name="Budi")
    make_order(c)
    incident = _start(courier_playbook).incident
    notices_send()
    notice = Notice.objects.get(incident=incident)
    clock.shift(dt.timedelta(hours=1))
    result = write_in(c, text="Oke, terima kasih. Vouchernya bisa dipakai kapan?")
    assert result.created and result.ticket.pk == notice.ticket_id
    ticket = Ticket.objects.get(pk=notice.ticket_id)
    assert ticket.status == Status.OPEN and ticket.waiting_since == timezone.now()
    assert Ticket.objects.filter(customer=c).count() == 1


def test_an_email_reply_lands_on_the_notice_ticket_by_its_headers(clock, courier_playbook, make_customer, make_order):
    c = make_customer(email="rina@example.id")
    make_order(c)
    incident = _start(courier_playbook).incident
    notices_send()
    notice = Notice.objects.get(incident=incident)
    assert notice.message.message_id_header and notice.ticket.reference in notice.message.subject
    clock.shift(dt.timedelta(hours=2))
    result = write_in(c, text="Baik, terima kasih.", in_reply_to=notice.message.message_id_header,
                      subject=f"Re: {notice.message.subject}")
    assert result.ticket.pk == notice.ticket_id
    assert Ticket.objects.filter(customer=c).count() == 1


def test_an_unreachable_customer_is_skipped(clock, courier_playbook, make_customer, make_order):
    c = make_customer(email="rina@example.id")
    make_order(c)
    c.identities.all().delete()
    incident = _start(courier_playbook).incident
    assert notices_send()["skipped"] == 1
    assert Notice.objects.get(incident=incident).reason == "unreachable"
