"""The negativity check of the fast lane on real-looking shop reviews in Indonesian, Malay and
English: ``is_negative`` (rating rule) and the lexicon under it (text rule, negation, contrast)."""

from __future__ import annotations

import pytest

from tanggap.reviews.lexicon import guess_language, text_is_negative
from tanggap.reviews.services import is_negative

# (language, text, negative?) — written like marketplace reviews, slang and typos included.
LABELLED = [
    ("id", "Barang sampai dalam keadaan rusak, dus penyok. Kecewa banget.", True),
    ("id", "Kopinya basi, kemasan bocor. Tidak sesuai deskripsi.", True),
    ("id", "Pengiriman lama sekali dan penjual tidak responsif", True),
    ("id", "Kualitas tidak bagus, jahitan lepas semua", True),
    ("id", "Warnanya beda sama di foto, kurang sesuai", True),
    ("id", "Barang bagus tapi pengirimannya telat seminggu", True),
    ("id", "Produk palsu, bukan original. Jangan beli di sini", True),
    ("id", "gak puas, ukuran kekecilan dan bahannya murahan", True),
    ("id", "Mengecewakan, sudah bayar mahal malah dapat barang cacat", True),
    ("id", "Admin judes, ditanya baik-baik malah jawabnya ketus. Kapok", True),
    ("id", "Mantap, barang sesuai pesanan dan pengiriman cepat", False),
    ("id", "Packing rapi, seller ramah dan responsif. Recommended!", False),
    ("id", "Tidak kecewa belanja di sini, kualitas oke", False),
    ("id", "Rasanya enak, harga murah, pasti order lagi", False),
    ("id", "Lumayan, sesuai harga", False),
    ("id", "Biasa saja, sesuai gambar", False),
    ("id", "Tidak ada masalah, barang aman sampai tujuan", False),
    ("ms", "Barang sampai rosak, sangat hampa dengan servis kedai ni", True),
    ("ms", "Penghantaran lembap, dah seminggu baru sampai", True),
    ("ms", "Tak puas hati langsung, kualiti teruk", True),
    ("ms", "Saiz tak sama dengan gambar, rugi beli", True),
    ("ms", "Servis teruk, mesej tak dibalas. Menyampah", True),
    ("ms", "Sedap dan berbaloi, penghantaran pantas", False),
    ("ms", "Barang cantik, seller mesra. Puas hati!", False),
    ("ms", "Best gila, memang berbaloi dengan harga", False),
    ("ms", "Tak rosak langsung, bungkusan kemas", False),
    ("en", "The box arrived damaged and support never answered", True),
    ("en", "Not good at all, the stitching came apart after one wash", True),
    ("en", "Terrible quality, looks nothing like the photos. Disappointed.", True),
    ("en", "Fake product, the seal was broken", True),
    ("en", "Nice design but it is too small and the delivery was late", True),
    ("en", "Great product, fast delivery, would recommend", False),
    ("en", "Not bad for the price, does the job", False),
    ("en", "Exactly as described, seller was friendly and helpful", False),
    ("en", "Arrived on time, works well", False),
]


@pytest.mark.parametrize(("language", "text", "negative"), LABELLED, ids=[f"{lang}-{i}" for i, (lang, _, _) in enumerate(LABELLED)])
def test_text_reads_as_labelled(language, text, negative):
    assert text_is_negative(text) is negative


def test_labelled_set_covers_the_three_languages():
    assert len(LABELLED) >= 30
    for lang in ("id", "ms", "en"):
        mine = [neg for lg, _, neg in LABELLED if lg == lang]
        assert True in mine and False in mine


@pytest.mark.parametrize(("phrase", "negative"), [
    ("tidak bagus", True), ("tak puas", True), ("not good", True), ("kurang memuaskan", True),
    ("gak enak", True), ("tidak terlalu bagus", True),
    ("tidak kecewa", False), ("tak menyesal", False), ("not bad", False), ("bagus", False),
])
def test_negation_flips_the_word_it_reaches(phrase, negative):
    assert text_is_negative(phrase) is negative


def test_stemming_finds_derived_forms():
    # Sastrawi: me-...-kan, ke-...-an, -nya all reduce to "kecewa"; Snowball: "disappointing".
    for text in ("mengecewakan", "kekecewaan saya", "kecewanya", "very disappointing"):
        assert text_is_negative(text), text


@pytest.mark.parametrize(("rating", "text", "negative"), [
    (1, "Mantap, terima kasih", True),          # a 1 or 2 is negative whatever the text says
    (2, "", True),
    (3, "Barang rusak saat sampai", True),      # a 3 with negative text
    (3, "Lumayan, sesuai harga", False),
    (3, "", False),
    (4, "Bagus tapi pengiriman telat", False),  # 4 and 5 never take the fast lane
    (5, "rusak", False),
])
def test_is_negative_rule(rating, text, negative):
    assert is_negative(rating=rating, text=text) is negative


@pytest.mark.parametrize(("text", "language"), [
    ("Barang sampai rosak, sangat hampa", "ms"),
    ("Pengiriman lama banget, kecewa sih", "id"),
    ("The item arrived broken and the seller was rude", "en"),
    ("", "id"),
])
def test_guess_language(text, language):
    assert guess_language(text) == language
