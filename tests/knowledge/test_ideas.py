"""Content ideas: real-looking tickets of three themes are grouped; the themes with an article are
marked covered, the fake-product theme (article 003) is flagged uncovered and becomes a draft."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tanggap.knowledge.ideas import ideas_compute
from tanggap.knowledge.models import Article, IdeaRun
from tests.web.support import receive

pytestmark = pytest.mark.django_db

FAKE = [
    ("Kemasan serum beda dari biasanya", "Kemasan serum niacinamide yang saya terima beda, segel hologram tidak ada. Apakah ini produk palsu?"),
    ("Curiga produk palsu", "Sunscreen yang datang kemasannya lain, tulisan di kotak buram dan tidak ada hologram. Asli atau palsu?"),
    ("Segel hologram tidak ada", "Minyak kayu putih yang saya beli segelnya tidak ada hologram, kemasan juga beda warna. Takut palsu."),
    ("Produk palsu?", "Pasta gigi herbal kemasannya beda dengan di toko, barcode tidak bisa discan. Ini asli kan? palsu?"),
    ("Kemasan mencurigakan", "Kotak serum penyok dan segel hologram rusak, kemasan tidak seperti biasa. Mohon cek keaslian, jangan-jangan palsu."),
    ("Barang palsu", "Kemasan sunscreen tanpa hologram dan nomor BPOM berbeda. Apakah toko menjual produk palsu?"),
    ("Keaslian produk", "Saya ragu keaslian produk, hologram di kemasan tidak berkilau dan segel mudah lepas. Palsu?"),
    ("Hologram tidak ada di kemasan", "Serum yang baru datang kemasannya tidak ada hologram, beda dari pembelian sebelumnya. Palsu ya?"),
]
LATE = [
    ("Paket belum sampai", "Pesanan saya sudah seminggu belum sampai, resi JNE tidak update. Kapan paket sampai?"),
    ("Pesanan belum diterima", "Paket belum sampai padahal estimasi 3 hari. Status kurir masih di gudang, mohon cek pengiriman."),
    ("Pengiriman lambat", "Sudah 8 hari paket belum sampai. Resi SiCepat tidak bergerak, tolong dicek pengirimannya."),
    ("Kapan paket sampai?", "Resi J&T saya tidak ada update, paket belum sampai ke alamat. Pengiriman kok lama?"),
    ("Status pengiriman tidak berubah", "Paket tertahan di gudang kurir, belum sampai juga. Mohon info pengiriman paket saya."),
    ("Paket tidak datang", "Pesanan belum sampai, kurir bilang paket masih di gudang transit. Tolong cek resi pengiriman."),
    ("Belum sampai", "Paket saya belum sampai sejak Senin, resi tidak update. Pengiriman ke Bandung biasanya 2 hari."),
    ("Pengiriman terlambat", "Kenapa paket belum sampai? Sudah lewat estimasi pengiriman dan resi tidak bergerak."),
]
REFUND = [
    ("Refund belum masuk", "Pengembalian dana pesanan saya belum masuk rekening padahal sudah disetujui 10 hari lalu."),
    ("Dana belum dikembalikan", "Uang saya belum dikembalikan ke rekening, pengembalian dana sudah disetujui. Kapan masuk?"),
    ("Pengembalian dana lama", "Sudah dua minggu pengembalian dana belum masuk rekening BCA saya. Mohon dicek."),
    ("Kapan refund masuk?", "Barang sudah saya kembalikan, tapi dana belum dikembalikan ke rekening. Refund lama sekali."),
    ("Refund belum diterima", "Pengembalian dana untuk pesanan yang dibatalkan belum masuk ke rekening saya."),
    ("Uang belum kembali", "Dana pengembalian belum masuk rekening, sudah lewat 7 hari kerja. Tolong dikembalikan segera."),
    ("Status pengembalian dana", "Bagaimana status pengembalian dana saya? Rekening belum menerima dana yang dikembalikan."),
    ("Dana refund", "Dana refund belum masuk rekening saya, padahal barang sudah dikembalikan minggu lalu."),
]


def test_themes_are_grouped_and_the_uncovered_one_is_flagged_then_drafted(kb, lead, client):
    start = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.timezone.utc)
    with time_machine.travel(start, tick=False) as traveller:
        for i, (subject, body) in enumerate(FAKE + LATE + REFUND):
            traveller.move_to(start + dt.timedelta(days=i % 14, hours=i))
            receive(subject=subject, body=body, email=f"pelanggan{i}@example.co.id", name=f"Pelanggan {i}")
        traveller.move_to(start + dt.timedelta(days=20))
        run = ideas_compute()
    assert run.tickets == 24
    groups = {frozenset(e["subject"] for e in t["examples"]): t for t in run.themes}
    fake = next(t for t in run.themes if "palsu" in t["words"] or "hologram" in t["words"])
    late = next(t for t in run.themes if "sampai" in t["words"] or "paket" in t["words"])
    refund = next(t for t in run.themes if "rekening" in t["words"] or "dana" in t["words"])
    assert len({id(fake), id(late), id(refund)}) == 3 and len(groups) == len(run.themes)
    assert {e["subject"] for e in fake["examples"]} <= {s for s, _ in FAKE}
    assert {e["subject"] for e in late["examples"]} <= {s for s, _ in LATE}
    assert fake["covered_by"] is None
    assert late["covered_by"]["slug"] == "lacak-pengiriman"
    assert refund["covered_by"]["slug"] == "pengembalian-dana"
    assert sum(w["count"] for w in fake["weeks"]) == fake["size"] and len(fake["weeks"]) >= 8
    assert "## Pertanyaan pelanggan yang dijawab artikel ini" in fake["outline"]["body"]

    client.force_login(lead)
    page = client.get("/knowledge/ideas/").content.decode()
    assert "kb-uncovered" in page and "Melacak pengiriman paket" in page
    index = run.themes.index(fake)
    response = client.post(f"/knowledge/ideas/{run.pk}/{index}/draft/")
    draft = Article.objects.get(slug=f"ide-{run.pk}-{index + 1}")
    assert response.status_code == 302 and draft.state == "draft" and draft.published_at is None
    assert draft.translations.get(language="id").title == fake["outline"]["title"]
    assert IdeaRun.objects.get(pk=run.pk).themes[index]["draft_id"] == draft.pk
    assert client.post(f"/knowledge/ideas/{run.pk}/{index}/draft/").status_code == 302  # a second click: no copy
    assert Article.objects.filter(slug__startswith="ide-").count() == 1


def test_content_ideas_are_for_managers(client, agent):
    client.force_login(agent)
    assert client.get("/knowledge/ideas/").status_code == 403
    assert client.post("/knowledge/ideas/compute/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_worker_refreshes_content_ideas_once_a_day(kb):
    from django.core.management import call_command

    from tanggap.schedule import jobs, run_due

    assert jobs()["ideas_refresh"] == ("tanggap.knowledge.tasks.ideas_refresh", 86400)
    # the search index is merged daily too (a SQLite index otherwise collects segments and slows)
    assert jobs()["search_optimize"] == ("tanggap.knowledge.tasks.search_optimize", 86400)
    start = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.timezone.utc)
    with time_machine.travel(start, tick=False) as traveller:
        for i, (subject, body) in enumerate(LATE + REFUND):
            traveller.move_to(start + dt.timedelta(hours=i))
            receive(subject=subject, body=body, email=f"pelanggan{i}@example.co.id", name=f"Pelanggan {i}")
        traveller.move_to(start + dt.timedelta(days=1))
        assert "ideas_refresh" in run_due()
        call_command("db_worker", batch=True, startup_delay=False, interval=0, queue_name="*", verbosity=0)
        assert IdeaRun.objects.count() == 1 and IdeaRun.objects.get().tickets == 16
        traveller.move_to(start + dt.timedelta(days=1, hours=23))
        assert "ideas_refresh" not in run_due()  # not again within the day
        traveller.move_to(start + dt.timedelta(days=2, minutes=1))
        assert "ideas_refresh" in run_due()
