"""Words to search terms: tokenize, drop stop words, stem.

Indonesian and Malay go through Sastrawi (affix removal against its Indonesian root list:
"pengembalian", "dikembalikan" and "kembalikan" all become "kembali"); English through the
Snowball (Porter 2) stemmer (``tanggap.common.stemming``). Both are cached per word: Sastrawi costs tens of
microseconds to milliseconds per word, and the vocabulary of a help center is small, so indexing
100,000 articles and stemming every query hit the cache almost always."""

from __future__ import annotations

import re

from tanggap.common.stemming import stem_en, stem_id  # noqa: F401 - re-exported

WORD = re.compile(r"[a-z0-9]+")

# Function words of the three languages (short lists: these carry no topic).
STOPWORDS = frozenset("""
yang dan di ke dari ini itu untuk dengan pada adalah atau juga saya kami kita anda kamu dia mereka akan sudah
belum tidak bisa apa bagaimana kenapa mengapa ada jika kalau agar supaya karena oleh sebagai dalam lagi masih
telah sedang harus mohon tolong terima kasih ya nya pak bu ibu bapak kak min halo hai selamat pagi siang sore malam
boleh nak sila tak ke hendak sahaja saja pun lah kah punya encik puan tuan cik
dah udah gak nggak ga gimana makasih tq sih dong deh kok kak gan sis min mau minta tanya dibantu info kira
bila salam macam mana tolong terimakasih
the a an and or of to in on for with is are was were be been it this that i my me we our you your he she they
do does did not no can could would should will how what why when where which who please hi hello thanks thank
has have had at by from as if so but just get got
""".split())


def words(text: str) -> list[str]:
    return [w for w in WORD.findall((text or "").lower()) if w not in STOPWORDS and len(w) > 1]


def stem(word: str, language: str) -> str:
    return stem_en(word) if language == "en" else stem_id(word)


def stems(text: str, language: str) -> list[str]:
    """The stems of ``text`` in ``language`` (id, ms or en), in order, stop words left out."""
    return [stem(w, language) for w in words(text)]


def query_terms(text: str, language: str | None = None, *, limit: int = 24) -> list[str]:
    """Distinct search terms for a query. With no language (a customer typing), each word
    gives its Sastrawi and its English stem, so "refund", "pengembalian" and "pemulangan" all
    find their articles whatever the page's language."""
    out: list[str] = []
    for w in words(text):
        for s in ((stem(w, language),) if language else (stem_id(w), stem_en(w))):
            if s not in out:
                out.append(s)
    return out[:limit]
