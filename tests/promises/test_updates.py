"""Scheduled progress updates: every N business minutes while the customer waits for us,
pushed back by a person's message, stopped while waiting on the customer or once solved,
and never sent twice, not even by two sweeps racing or after a restart.

The calendar is Monday-Friday 08-12 and 13-17, Saturday 08-12 (WIB); updates every 2 business
hours; 23 November 2026 is a Monday, 27 November a Friday."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
import time_machine
from tanggap.conversations.models import Message
from tanggap.conversations.services import note_add, reply_send, ticket_update
from tanggap.promises.models import Promise
from tanggap.promises.services import progress_update_send, promise_sweep
from tanggap.sla.models import SlaPolicy, SlaTarget, TicketSla
from tests.promises.support import fresh, make_policy, receive, wib

pytestmark = pytest.mark.django_db
MON = (2026, 11, 23)
TUE = (2026, 11, 24)
FRI = (2026, 11, 27)
SAT = (2026, 11, 28)


@pytest.fixture
def policy(calendar):
    """Updates every 2 business hours; a resolution target far enough away not to lapse."""
    return make_policy(calendar=calendar, first_response_minutes=4 * 60, next_response_minutes=4 * 60,
                       resolution_minutes=60 * 60, update_interval_minutes=120, warn_before_minutes=30)


def at(when: dt.datetime):
    return time_machine.travel(when, tick=False)


def next_update(ticket):
    return TicketSla.objects.get(ticket=ticket).next_update_at


def updates(ticket):
    return list(Message.objects.filter(ticket=ticket, meta__purpose="progress_update").order_by("id"))


def sweep(when):
    with at(when):
        return promise_sweep()["updates"]


def answered(when=wib(*MON, 9, 0), reply_at=wib(*MON, 9, 10), agent=None, **kw):
    """A ticket opened and answered (so it has a promise and a scheduled update)."""
    with at(when):
        result = receive(**kw)
    with at(reply_at):
        reply_send(ticket=result.ticket, author=agent, body_text="Kami cek dulu.")
    return result


def test_updates_every_two_business_hours_skipping_lunch_nights_and_sundays(policy, agent):
    ticket = answered(wib(*FRI, 13, 0), wib(*FRI, 13, 10), agent).ticket
    assert next_update(ticket) == wib(*FRI, 15, 10)
    assert sweep(wib(*FRI, 15, 9)) == 0
    assert sweep(wib(*FRI, 15, 10)) == 1
    assert next_update(ticket) == wib(*SAT, 8, 10)  # 15:10-17:00, then Saturday from 08:00
    assert sweep(wib(*FRI, 20, 0)) == 0
    assert sweep(wib(*SAT, 8, 10)) == 1
    assert next_update(ticket) == wib(*SAT, 10, 10)
    assert sweep(wib(*SAT, 10, 10)) == 1
    assert next_update(ticket) == wib(2026, 11, 30, 8, 10)  # Saturday closes at 12; Sunday is closed
    assert sweep(wib(2026, 11, 29, 12, 0)) == 0
    sent = updates(ticket)
    assert len(sent) == 3 and TicketSla.objects.get(ticket=ticket).updates_sent == 3
    promise = Promise.objects.get()
    for message in sent:
        assert (message.automated, message.author, message.meta["promise_id"]) == (True, None, promise.pk)
    assert sent[0].body_text == (f"Kabar terbaru untuk {ticket.reference}: kami masih menangani masalah Anda dan "
                                 "tetap berpegang pada janji kami, selesai paling lambat Senin, 7 Desember, "
                                 "pukul 17.00 WIB.")
    assert ticket.timeline.filter(kind="update.sent").count() == 3


def test_updates_are_in_the_customers_language(policy, agent):
    ticket = answered(agent=agent, email="john@example.com", language="en").ticket
    sweep(wib(*MON, 11, 10))
    assert updates(ticket)[0].body_text.startswith(f"An update on {ticket.reference}: we are still working")


def test_a_message_from_a_person_pushes_the_next_update_back_but_a_note_does_not(policy, agent):
    ticket = answered(agent=agent).ticket
    assert next_update(ticket) == wib(*MON, 11, 10)
    with at(wib(*MON, 9, 30)):
        note_add(ticket=ticket, author=agent, body_text="Cek ke gudang.")
    assert next_update(ticket) == wib(*MON, 11, 10)
    with at(wib(*MON, 10, 30)):
        reply_send(ticket=ticket, author=agent, body_text="Paket sudah di gudang transit.")
    assert next_update(ticket) == wib(*MON, 13, 30)  # two business hours, lunch skipped
    assert sweep(wib(*MON, 11, 10)) == 0
    assert sweep(wib(*MON, 13, 30)) == 1


def test_an_update_is_not_a_response(policy, agent):
    first = answered(agent=agent)
    ticket = first.ticket
    with at(wib(*MON, 10, 0)):
        question = receive(reply_to=first.message, body="Jadi kapan?")
    sweep(wib(*MON, 11, 10))
    assert len(updates(ticket)) == 1
    clock = SlaTarget.objects.get(ticket=ticket, key=f"next_response:{question.message.pk}")
    assert (clock.status, clock.met_at) == ("running", None)
    assert fresh(ticket).waiting_since == wib(*MON, 10, 0)


def test_waiting_on_the_customer_stops_updates_until_they_answer(policy, agent):
    first = answered(agent=agent)
    ticket = first.ticket
    with at(wib(*MON, 10, 0)):
        reply_send(ticket=ticket, author=agent, body_text="Boleh kirim foto resinya?", status="pending")
    assert next_update(ticket) is None
    assert sweep(wib(*MON, 11, 10)) == 0 and sweep(wib(*TUE, 9, 0)) == 0
    with at(wib(*TUE, 9, 0)):
        receive(reply_to=first.message, body="Ini fotonya.")
    assert fresh(ticket).status == "open"
    assert next_update(ticket) == wib(*TUE, 11, 0)
    assert sweep(wib(*TUE, 11, 0)) == 1


def test_waiting_on_a_third_party_keeps_the_customer_informed(policy, agent):
    ticket = answered(agent=agent).ticket
    with at(wib(*MON, 10, 0)):
        ticket_update(ticket=ticket, actor=agent, status="on_hold")
    assert next_update(ticket) == wib(*MON, 11, 10)
    assert sweep(wib(*MON, 11, 10)) == 1
    assert next_update(ticket) == wib(*MON, 14, 10)
    assert SlaTarget.objects.get(ticket=ticket, kind="resolution").status == "paused"


def test_solving_stops_updates(policy, agent):
    ticket = answered(agent=agent).ticket
    with at(wib(*MON, 10, 0)):
        ticket_update(ticket=ticket, actor=agent, status="solved")
    assert next_update(ticket) is None
    assert sweep(wib(*MON, 11, 10)) == 0 and sweep(wib(*TUE, 12, 0)) == 0
    assert updates(ticket) == []


def test_a_broken_promise_stops_updates(policy, agent):
    SlaPolicy.objects.filter(pk=policy.pk).update(resolution_minutes=3 * 60)  # promise Monday 12:00
    ticket = answered(agent=agent).ticket
    assert Promise.objects.get().due_at == wib(*MON, 12, 0)
    with at(wib(*MON, 12, 0)):
        counts = promise_sweep()
    # broken first: no update claiming "we keep to our promise" goes out after it lapsed
    assert counts["broken"] == 1 and counts["updates"] == 0
    assert next_update(ticket) is None
    assert sweep(wib(*MON, 16, 0)) == 0


def test_no_updates_without_an_interval(calendar, agent):
    make_policy(calendar=calendar, update_interval_minutes=None)
    ticket = answered(agent=agent).ticket
    assert Promise.objects.exists() and next_update(ticket) is None


def test_the_acknowledgement_schedules_updates_from_its_promise(policy):
    SlaPolicy.objects.filter(pk=policy.pk).update(acknowledge=True)
    with at(wib(*MON, 9, 0)):
        ticket = receive().ticket
    assert Promise.objects.get().message.automated
    assert next_update(ticket) == wib(*MON, 11, 0)


# --- never twice ------------------------------------------------------------------------------

def test_a_sweep_run_twice_sends_one_update(policy, agent):
    ticket = answered(agent=agent).ticket
    assert sweep(wib(*MON, 11, 10)) == 1
    assert sweep(wib(*MON, 11, 10)) == 0
    assert sweep(wib(*MON, 11, 30)) == 0
    assert len(updates(ticket)) == 1


def test_the_claim_is_on_the_expected_time_so_a_second_send_does_nothing(policy, agent):
    ticket = answered(agent=agent).ticket
    expected = next_update(ticket)
    with at(wib(*MON, 11, 10)):
        assert progress_update_send(ticket_id=ticket.pk, expected=expected) is not None
        assert progress_update_send(ticket_id=ticket.pk, expected=expected) is None
    assert len(updates(ticket)) == 1 and next_update(ticket) == wib(*MON, 14, 10)


def test_after_a_restart_the_sweep_catches_up_with_one_update_not_a_burst(policy, agent):
    ticket = answered(agent=agent).ticket
    # the worker was down from Monday 11:00 to Tuesday 10:00: four updates' worth of time
    assert sweep(wib(*TUE, 10, 0)) == 1
    assert sweep(wib(*TUE, 10, 0)) == 0
    assert len(updates(ticket)) == 1
    assert next_update(ticket) == wib(*TUE, 12, 0)


def test_worker_processes_racing_on_one_database_send_one_update(tmp_path, migrated_var):
    """Real concurrency: four processes on a file SQLite database (the in-memory test database
    cannot be shared; a copy of the run's migrated one), two calling progress_update_send with the
    same expected time and two running the sweep, all released at the same moment."""
    race_db = migrated_var / "tanggap.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{race_db}", "TANGGAP_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "tanggap.settings"}
    root, worker = Path(__file__).resolve().parents[2], [sys.executable, "-m", "tests.promises.race_worker"]
    setup = subprocess.run([*worker, "setup"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert setup.returncode == 0, setup.stderr
    ticket_id, expected = setup.stdout.split()
    sync = tmp_path / "sync"
    sync.mkdir()
    racers = [["send", ticket_id, expected, str(sync)]] * 2 + [["sweep", str(sync)]] * 2
    procs = [subprocess.Popen([*worker, *args], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for args in racers]
    deadline = time.monotonic() + 60
    while len(list(sync.glob("ready-*"))) < len(procs) and time.monotonic() < deadline:
        time.sleep(0.01)
    (sync / "go").touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    results = [out.strip() for out, _ in outputs]
    assert sorted(results) in (["0", "0", "sent", "skipped"], ["0", "1", "skipped", "skipped"]), results
    with closing(sqlite3.connect(race_db)) as db:
        sent = db.execute("SELECT count(*) FROM conversations_message "
                          "WHERE json_extract(meta, '$.purpose') = 'progress_update'").fetchone()[0]
        updates_sent = db.execute("SELECT updates_sent FROM sla_ticketsla WHERE ticket_id = ?",
                                  (ticket_id,)).fetchone()[0]
    assert (sent, updates_sent) == (1, 1)
