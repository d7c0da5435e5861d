"""A small sentiment lexicon for reviews in Indonesian, Malay and English (issue 6).

This is the stand-in until the sentiment model of issue 7: ``reviews.services.is_negative`` is
the one function that calls it, so it can be swapped there.

How a text is read (``polarity``):

1. lower-cased and split into word tokens (letters, digits, ``-``) and a few emoji;
2. each token is looked up as written, then by its stem: Sastrawi (Indonesian morphology, which
   also covers most Malay affixes: *mengecewakan*, *kekecewaan*, *kecewanya* → *kecewa*) and the
   Snowball English stemmer (*disappointed* → *disappoint*). Words whose stem would change their
   meaning are listed as written and looked up first (*murahan* "cheap-looking" is negative, its
   stem *murah* "inexpensive" is positive);
3. a **negator** (*tidak, tak, bukan, kurang, belum, gak, nggak, ga, tdk, not, no, never, don't,
   ...*) flips the next sentiment word within two tokens of the same clause, skipping softeners (*terlalu, begitu,
   sangat, ada, too, very, so, really, that*): "tidak bagus", "tak puas", "kurang sesuai",
   "not good" count as negative; "tidak kecewa", "tak ada masalah", "not bad" as positive;
4. words after a contrast (*tapi, tetapi, namun, sayangnya, cuma, but, however, unfortunately*)
   count twice: "bagus tapi pengiriman lambat" leans negative;
5. the text is negative when its negative weight is above its positive weight.

The lists are deliberately short and aimed at shop reviews (product condition, delivery,
service, price); see docs/reviews.md for what they miss and the measured precision/recall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tanggap.common.stemming import stem_en, stem_id

NEGATIVE = """
kecewa mengecewakan jelek buruk rusak cacat pecah retak bocor penyok lecet sobek robek basi busuk
kadaluarsa kedaluwarsa expired palsu kw tipu penipu bohong lambat lelet telat terlambat parah payah
hancur ancur sesal nyesel kapok zonk murahan kasar judes jutek sampah mahal kotor bau amis apek
hambar hilang salah gagal error rugi marah kesal kesel benci lemot cuek masalah problem issue
teruk hampa rosak lembap menyampah geram bengang sia-sia tak_berbaloi kecewa
disappoint disappointed disappointing bad terrible awful horrible poor broken damaged defective fake
scam late slow worst waste useless rude dirty smelly stale leak leaking cracked wrong missing faulty
ripped torn annoyed angry regret overpriced mediocre refund complaint unacceptable
👎 😡 😠 😞 😢 😤 😭 🤬
"""

POSITIVE = """
bagus baik puas memuaskan mantap mantul mantab keren cepat ramah enak sedap lezat suka senang
rekomendasi rekomen recommended sesuai original ori asli murah aman rapi rapih awet oke ok top
terbaik cantik lembut wangi harum sip jos sukses amanah responsif fast gercep
best puas pantas laju berbaloi gembira seronok syok mesra terbaik
good great excellent love loved perfect happy recommend nice amazing awesome satisfied friendly
fresh worth quick well helpful
👍 😊 😍 🥰 ❤️ 💯 🙏
"""

NEGATORS = {"tidak", "tak", "bukan", "kurang", "belum", "gak", "nggak", "ngga", "enggak", "engga", "ga", "gk",
            "tdk", "ndak", "x", "tiada", "not", "no", "never", "don't", "dont", "didn't", "didnt", "isn't",
            "isnt", "wasn't", "wasnt", "doesn't", "doesnt", "aren't", "won't", "cannot", "can't", "hardly"}
# Words that may stand between a negator and what it negates ("tidak terlalu bagus").
SOFTENERS = {"terlalu", "begitu", "sangat", "amat", "ada", "pernah", "sekali", "too", "very",
             "so", "really", "that", "at", "all", "be", "been", "is", "was", "a", "as", "any", "seems"}
CONTRASTS = {"tapi", "tetapi", "namun", "sayangnya", "sayang", "cuma", "cuman", "hanya", "tp", "but", "however",
             "unfortunately", "although", "though"}

_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*|[\U0001F300-\U0001FAFF\u2764]|[.,!?;]", re.IGNORECASE)
BOUNDARIES = {".", ",", "!", "?", ";"}


@lru_cache(maxsize=50_000)
def stems(word: str) -> tuple[str, ...]:
    """The forms a word is looked up by: Sastrawi's stem and the English Snowball stem."""
    if not word.isascii() or not word.isalpha():
        return (word,)
    return (stem_id(word), stem_en(word))


def _lexicon(words: str) -> tuple[frozenset[str], frozenset[str]]:
    listed = {w.replace("_", " ") for w in words.split()}
    stemmed = {s for w in listed for s in stems(w)}
    return frozenset(listed), frozenset(stemmed)


@dataclass(frozen=True)
class _Tables:
    neg_words: frozenset[str]
    neg_stems: frozenset[str]
    pos_words: frozenset[str]
    pos_stems: frozenset[str]
    cores: tuple[str, ...]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """The lexicon and its stems, built on first use (not at import: every process imports this)."""
    neg_words, neg_stems = _lexicon(NEGATIVE)
    pos_words, pos_stems = _lexicon(POSITIVE)
    # A word is only stemmed when it could be an affixed form of a lexicon stem: it contains the
    # stem without its first letter (a prefix may swallow it: kecewa → mengecewakan, sampah →
    # menyampah); other words get the English stem only.
    cores = tuple(sorted({stem[1:] if len(stem) >= 4 else stem
                          for w in (NEGATIVE + POSITIVE).split() if w.isascii() and w.isalpha()
                          for stem in stems(w)[:1]}))
    return _Tables(neg_words, neg_stems, pos_words, pos_stems, cores)


def _may_derive(word: str) -> bool:
    return any(core in word for core in _tables().cores)


@lru_cache(maxsize=50_000)
def _lookup_forms(word: str) -> tuple[str, ...]:
    if not word.isascii() or not word.isalpha():
        return (word,)
    if _may_derive(word):
        return stems(word)
    return (stem_en(word),)


def word_polarity(word: str) -> int:
    """-1 negative, +1 positive, 0 neither: the word as written first, then its stems."""
    t = _tables()
    if word in t.neg_words:
        return -1
    if word in t.pos_words:
        return 1
    forms = _lookup_forms(word)
    if any(f in t.neg_stems for f in forms):
        return -1
    if any(f in t.pos_stems for f in forms):
        return 1
    return 0


@dataclass(frozen=True)
class Polarity:
    negative: float
    positive: float

    @property
    def is_negative(self) -> bool:
        return self.negative > self.positive


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text or "")]


def polarity(text: str) -> Polarity:
    neg = pos = 0.0
    negate_left = 0  # tokens a negator still reaches
    weight = 1.0
    for token in tokens(text):
        if token in BOUNDARIES:  # a negator does not reach past the end of its clause
            negate_left = 0
            continue
        if token in CONTRASTS:
            weight, negate_left = 2.0, 0
            continue
        if token in NEGATORS:
            negate_left = 2
            continue
        value = word_polarity(token)
        if value == 0:
            if negate_left and token not in SOFTENERS:
                negate_left -= 1
            continue
        if negate_left:
            value, negate_left = -value, 0
        if value < 0:
            neg += weight
        else:
            pos += weight
    return Polarity(negative=neg, positive=pos)


def text_is_negative(text: str) -> bool:
    return polarity(text).is_negative


# Words that tell the three languages apart in short reviews (guess_language).
LANGUAGE_MARKERS = {
    "en": {"the", "and", "is", "was", "it", "this", "very", "not", "item", "delivery", "seller", "product",
           "arrived", "with", "but", "for", "my", "of", "good", "bad", "great", "to"},
    "ms": {"tak", "teruk", "rosak", "sangat", "betul", "kerana", "sebab", "lewat", "berbaloi", "boleh", "saja",
           "dah", "sikit", "puas", "hati", "pun", "nak", "tapi", "memang", "best", "sedap", "lembap", "hampa",
           "barang", "penghantaran", "kedai", "terima", "kasih"},
    "id": {"tidak", "banget", "sih", "nggak", "gak", "ga", "udah", "karena", "kak", "kok", "bagus", "pengiriman",
           "sudah", "sekali", "toko", "sesuai", "mantap", "cepat", "aja", "saja", "tapi", "barang", "terima",
           "kasih", "kecewa", "penjual"},
}


def guess_language(text: str, default: str = "id") -> str:
    """id, ms or en by marker words; ``default`` when nothing tells them apart."""
    words = tokens(text)
    scores = {lang: sum(1 for w in words if w in markers) for lang, markers in LANGUAGE_MARKERS.items()}
    best = max(scores.values())
    if best == 0:
        return default
    winners = [lang for lang, score in scores.items() if score == best]
    return default if default in winners else winners[0]
