"""A customer opens their case page in a real browser, reads the promise, the updates and the
remedy, and answers from the reply box. The full-page screenshot goes to test-results/portal-ticket.png (docs/img/ holds a reviewed copy)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tanggap.common.clock import now
from tanggap.conversations import services
from tanggap.customers.services import LineInput, order_create, product_upsert
from tanggap.promises.models import Promise
from tanggap.remedies.models import Remedy
from tanggap.texts.services import format_when
from tests.e2e.conftest import browser_context_args, browser_type_launch_args, screenshot_path  # noqa: F401
from tests.web.support import receive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

JAKARTA = dt.timezone(dt.timedelta(hours=7))


def at_wib(days: int, hour: int) -> dt.datetime:
    day = (now().astimezone(JAKARTA) + dt.timedelta(days=days)).date()
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=JAKARTA)


def seed(make_staff, team):
    agent = make_staff("sari", "agent", [team])
    ticket = receive(subject="Blender mati setelah 2 minggu", email="siti.aminah@example.co.id", name="Siti Aminah",
                     body="Selamat pagi,\n\nBlender Turbo 300 yang saya beli (INV/2026/0412) mati total setelah "
                          "dua minggu dipakai. Lampunya tidak menyala sama sekali.\n\nTerima kasih,\nSiti")
    product_upsert(sku="BLD-300", name="Blender Turbo 300", price=450000)
    order, _ = order_create(external_id="INV/2026/0412", customer=ticket.customer, status="delivered",
                            lines=[LineInput(sku="BLD-300")])
    services.reply_send(ticket=ticket, author=agent,
                        body_text="Selamat pagi, Bu Siti. Mohon maaf atas kejadian ini. Kami kirimkan unit pengganti "
                                  "dan ongkos kirimnya kami kembalikan.")
    services.note_add(ticket=ticket, author=agent, body_text="Catatan internal: stok BLD-300 di gudang Cakung tinggal 2.")
    services.reply_send(ticket=ticket, author=None, automated=True, purpose="progress_update",
                        body_text="Kabar terbaru: unit pengganti sudah dikemas dan diserahkan ke kurir JNE.")
    # The promise the first reply made (if the promises domain made one), re-dated with a reason.
    first = Promise.objects.filter(ticket=ticket, status="active").first() or Promise.objects.create(
        ticket=ticket, due_at=at_wib(2, 15), made_at=now() - dt.timedelta(hours=3))
    Promise.objects.filter(pk=first.pk).update(status="redated")
    due = first.due_at + dt.timedelta(days=2)
    while due.astimezone(JAKARTA).weekday() >= 5:  # the warehouse does not ship at weekends
        due += dt.timedelta(days=1)
    Promise.objects.create(ticket=ticket, due_at=due, status="active", previous=first,
                           reason="Gudang kami tutup saat cuti bersama, jadi pengiriman mundur dua hari.",
                           made_at=now())
    Remedy.objects.create(ticket=ticket, order=order, kind="replace", status="applied", applied_at=now())
    Remedy.objects.create(ticket=ticket, order=order, kind="refund", amount=Decimal("25000"), status="applied",
                          applied_at=now(), note="ongkos kirim")
    return ticket


def test_a_customer_reads_the_case_page_and_answers(page, live_server, make_staff, team, screenshot_path):  # noqa: F811
    ticket = seed(make_staff, team)
    page.goto(f"{live_server.url}/portal/t/{ticket.access_key}/")
    expect(page.locator("h1")).to_have_text("Blender mati setelah 2 minggu")
    current = Promise.objects.get(ticket=ticket, status="active")
    expect(page.locator(".promise-date")).to_have_text(format_when(current.due_at, "id"))
    expect(page.locator(".promise-reason")).to_contain_text("cuti bersama")
    expect(page.locator(".promise-history s")).to_have_text(format_when(current.previous.due_at, "id"))
    expect(page.locator(".msg-update .purpose")).to_have_text("Kabar terbaru")
    expect(page.locator(".remedy-kind")).to_have_text(["Penggantian barang", "Pengembalian dana"])
    expect(page.locator(".remedy-amount")).to_have_text("Rp25.000")
    expect(page.locator("body")).not_to_contain_text("Catatan internal")
    # kept in test-results/; docs/img/portal-ticket.png is a reviewed copy of it
    page.screenshot(path=screenshot_path("portal-ticket.png"), full_page=True)

    page.fill("#id_message", "Terima kasih, saya tunggu kirimannya.")
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/portal/t/{ticket.access_key}/")
    expect(page.locator(".flash")).to_be_visible()
    expect(page.locator(".msg-mine").last).to_contain_text("Terima kasih, saya tunggu kirimannya.")
    assert ticket.messages.latest("id").body_text == "Terima kasih, saya tunggu kirimannya."


def test_the_case_page_fits_a_phone(page, live_server, make_staff, team, screenshot_path):  # noqa: F811
    ticket = seed(make_staff, team)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/portal/t/{ticket.access_key}/")
    expect(page.locator(".promise-date")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the side
    page.screenshot(path=screenshot_path("portal-ticket-phone.png"), full_page=True)


@pytest.mark.servers
def test_a_customer_signs_in_by_email_and_sees_all_their_cases(page, live_server, make_staff, team, smtp_sink,
                                                                settings, screenshot_path):  # noqa: F811
    import re

    from django.core.management import call_command

    from tanggap.channels.lookup import channel_for

    for name, value in smtp_sink.django_settings().items():
        setattr(settings, name, value)
    channel = channel_for(kind="email")
    channel.from_address = "cs@toko.test"
    channel.save()
    ticket = seed(make_staff, team)
    receive(subject="Voucher ULANGTAHUN tidak bisa dipakai", email="siti.aminah@example.co.id", name="Siti Aminah")
    receive(subject="Bukan punya Siti", email="budi@example.co.id")

    page.goto(f"{live_server.url}/portal/login/")
    page.fill("#id_email", "Siti.Aminah@example.co.id")
    page.get_by_role("button", name="Kirimi saya tautan masuk").click()
    expect(page.locator("h1")).to_have_text("Periksa kotak masuk Anda")
    call_command("db_worker", batch=True, startup_delay=False, interval=0, queue_name="*", verbosity=0)
    sign_in_mail = next(m for m in smtp_sink.messages if m.message["Subject"] == "Tautan masuk Anda")
    text = sign_in_mail.message.get_body(("plain",)).get_content()
    path = re.search(r"/portal/login/[A-Za-z0-9_-]{43}/", text).group(0)

    page.goto(f"{live_server.url}{path}")
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/portal/tickets/")
    expect(page.locator(".case-subject")).to_have_text(["Voucher ULANGTAHUN tidak bisa dipakai",
                                                        "Blender mati setelah 2 minggu"])
    page.screenshot(path=screenshot_path("portal-tickets.png"), full_page=True)
    page.get_by_role("link", name=re.compile("Blender mati")).click()
    expect(page).to_have_url(f"{live_server.url}/portal/t/{ticket.access_key}/")
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(f"{live_server.url}/portal/login/")
