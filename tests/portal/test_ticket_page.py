"""The ticket page a customer opens with the link in our email: status in their words, the
promised date and why it moved, every update, the remedies applied, never an internal note."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tanggap.conversations import services
from tanggap.customers.services import LineInput, order_create, product_upsert
from tanggap.promises.models import Promise
from tanggap.remedies.models import Remedy
from tanggap.texts.services import format_when
from tests.web.support import receive

pytestmark = pytest.mark.django_db

FIRST_DUE = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)  # Kamis, 26 November, 15.00 WIB
NEW_DUE = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)  # Senin, 30 November, 10.00 WIB


def promised(ticket, *dates_and_reasons):
    """Promise rows as the promises domain writes them: each re-dating closes the previous one.
    Whatever the promises domain made on its own for the first reply is replaced, so the test
    states exactly which dates the customer was given."""
    Promise.objects.filter(ticket=ticket).delete()
    previous = None
    made = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
    for i, (due, reason) in enumerate(dates_and_reasons):
        last = i == len(dates_and_reasons) - 1
        previous = Promise.objects.create(ticket=ticket, due_at=due, reason=reason, previous=previous,
                                          status="active" if last else "redated", made_at=made + dt.timedelta(hours=i))
    return previous


@pytest.fixture
def case(agent):
    ticket = receive(subject="Blender mati", email="siti@example.com", name="Siti",
                     body="Blender saya mati setelah 2 minggu.")
    product_upsert(sku="BLD-300", name="Blender Turbo 300", price=450000)
    order, _ = order_create(external_id="INV/2026/0412", customer=ticket.customer, lines=[LineInput(sku="BLD-300")])
    services.reply_send(ticket=ticket, author=agent, body_text="Mohon maaf, Bu Siti. Kami cek ke gudang.")
    services.reply_send(ticket=ticket, author=None, body_text="Unit pengganti sedang disiapkan di gudang.",
                        automated=True, purpose="progress_update")
    services.note_add(ticket=ticket, author=agent, body_text="Catatan internal: stok pengganti tinggal satu.")
    promised(ticket, (FIRST_DUE, ""), (NEW_DUE, "Kurir libur saat cuti bersama."))
    Remedy.objects.create(ticket=ticket, order=order, kind="refund", amount=Decimal("150000"), currency="IDR",
                          status="applied", applied_at=dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC))
    Remedy.objects.create(ticket=ticket, order=order, kind="voucher", amount=Decimal("50000"), status="pending")
    return ticket


def page(client, ticket) -> str:
    response = client.get(f"/portal/t/{ticket.access_key}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_promised_date_and_the_earlier_date_with_its_reason(client, case):
    body = page(client, case)
    assert "Kami berjanji menyelesaikannya paling lambat" in body
    assert f">{format_when(NEW_DUE, 'id')}</time>" in body
    assert format_when(NEW_DUE, "id") == "Senin, 30 November, pukul 10.00 WIB"
    assert "Tanggal sebelumnya" in body
    assert '<s><time datetime="2026-11-26T15:00:00+07:00">Kamis, 26 November, pukul 15.00 WIB</time></s>' in body
    assert "Kurir libur saat cuti bersama." in body
    # the current date comes first, prominently
    assert body.index("Senin, 30 November") < body.index("Kamis, 26 November")
    assert 'class="promise-date"' in body


def test_every_earlier_date_keeps_the_reason_it_moved(client, case):
    third = dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)
    promised(case, (FIRST_DUE, ""), (NEW_DUE, "Kurir libur saat cuti bersama."), (third, "Unit pengganti habis."))
    body = page(client, case)
    assert "Rabu, 2 Desember, pukul 10.00 WIB" in body.split("Tanggal sebelumnya")[0]
    history = body.split("Tanggal sebelumnya")[1].split("</ol>")[0]
    assert "Kamis, 26 November, pukul 15.00 WIB</time></s> — <span>Kurir libur saat cuti bersama.</span>" in history
    assert "Senin, 30 November, pukul 10.00 WIB</time></s></li>" in history  # its reason is the current one
    assert "Alasan tanggal berubah: Unit pengganti habis." in body


def test_the_page_shows_status_updates_and_applied_remedies_but_never_a_note(client, case):
    body = page(client, case)
    assert '<span class="badge status-open">Sedang kami tangani</span>' in body
    assert "Mohon maaf, Bu Siti. Kami cek ke gudang." in body
    assert '<span class="purpose">Kabar terbaru</span>' in body
    assert "Unit pengganti sedang disiapkan di gudang." in body
    assert "Yang sudah kami lakukan untuk Anda" in body
    assert '<span class="remedy-kind">Pengembalian dana</span>' in body
    assert '<strong class="remedy-amount">Rp150.000</strong>' in body
    assert "INV/2026/0412" in body
    assert "Baucar" not in body and "Voucher" not in body  # pending: not applied yet
    assert "Catatan internal" not in body
    assert "stok pengganti" not in body
    assert "sari" not in body  # no agent names


def test_the_page_speaks_the_portal_language(client, case):
    client.post("/i18n/setlang/", {"language": "ms", "next": "/portal/contact/"})
    body = page(client, case)
    assert "Isnin, 30 November, jam 10.00 WIB" in body
    assert "Bayaran balik" in body
    assert "Sebab tarikh berubah:" in body or "Tarikh terdahulu" in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/portal/contact/"})
    body = page(client, case)
    assert "Monday, 30 November, 10:00 WIB" in body
    assert "We promise to solve this by" in body


def test_a_kept_or_broken_promise_says_so(client, case):
    Promise.objects.filter(ticket=case, status="active").update(status="broken")
    assert "Kami melewati tanggal yang kami janjikan. Mohon maaf." in page(client, case)
    Promise.objects.filter(ticket=case, status="broken").update(status="kept")
    assert "Selesai sesuai tanggal yang kami janjikan" in page(client, case)


def test_without_a_promise_the_page_says_a_date_will_follow(client):
    ticket = receive()
    body = page(client, ticket)
    assert "Kami akan memberi tanggal penyelesaian" in body
    assert "promise-date" not in body


@pytest.mark.parametrize("key", ["salah", "x" * 43, ""])
def test_a_wrong_key_is_a_404(client, case, key):
    response = client.get(f"/portal/t/{key}/")
    assert response.status_code == 404
    assert "Blender mati" not in response.content.decode()


def test_the_page_reads_a_bounded_number_of_queries(client, case, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        page(client, case)
