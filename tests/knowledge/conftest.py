from __future__ import annotations

import pytest

from tanggap.knowledge import services


@pytest.fixture
def lead(make_staff, team):
    return make_staff("lina", "lead", [team])


@pytest.fixture
def kb(agent, lead):
    """Three published articles (id/ms/en) and one draft, written by an agent and published by a lead."""

    def make(slug, id_, ms, en, *, publish=True, category=None, products=None):
        article = services.article_create(actor=agent, slug=slug, category=category, products=products, translations={
            "id": {"title": id_[0], "body": id_[1]}, "ms": {"title": ms[0], "body": ms[1]},
            "en": {"title": en[0], "body": en[1]}})
        if publish:
            article = services.article_publish(actor=lead, article=article)
        return article

    refund = make("pengembalian-dana",
                  ("Cara pengembalian dana", "Dana dikembalikan ke rekening Anda dalam 7 hari kerja setelah barang kami terima."),
                  ("Cara pemulangan wang", "Wang dipulangkan ke akaun bank anda dalam 7 hari bekerja."),
                  ("How refunds work", "Your money is refunded to your bank account within 7 working days."))
    delivery = make("lacak-pengiriman",
                    ("Melacak pengiriman paket", "Nomor resi dikirimkan lewat email. Paket diantar kurir dalam 2-4 hari."),
                    ("Menjejak penghantaran bungkusan", "Nombor tracking dihantar melalui emel. Bungkusan dihantar kurier."),
                    ("Tracking your delivery", "The tracking number is emailed to you. Parcels are delivered in 2-4 days."))
    payment = make("metode-pembayaran",
                   ("Metode pembayaran", "Kami menerima transfer bank, kartu kredit, dan dompet digital."),
                   ("Kaedah pembayaran", "Kami menerima pindahan bank, kad kredit dan e-dompet."),
                   ("Payment methods", "We accept bank transfers, credit cards and e-wallets."))
    draft = make("garansi-rahasia",
                 ("Klaim garansi blender", "Draf: garansi dua tahun untuk blender, rahasia sampai terbit."),
                 ("Tuntutan waranti pengisar", "Draf waranti pengisar."),
                 ("Blender warranty claims", "Draft: two-year warranty for blenders."), publish=False)
    return {"refund": refund, "delivery": delivery, "payment": payment, "draft": draft}
