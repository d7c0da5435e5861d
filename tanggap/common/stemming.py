"""One fast, shared Indonesian/Malay and English word stemmer (knowledge search, review lexicon,
triage features all use it).

Sastrawi (Indonesian affix removal against its root list; it covers most Malay affixes too) keeps
its ~30,000 roots in a Python *list* and scans it on every lookup: a word not in it cost 140-200 ms
on this machine, and stemming the review lexicon's 190 words at import once cost every process
20 s of start-up. The same roots in a frozenset answer the same ``in`` in constant time, with the
same results. Its own unbounded cache (CachedStemmer) is replaced by a bounded ``lru_cache``.
English goes through Snowball (Porter 2). Both are built on first use, never at import.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _sastrawi():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    stemmer = StemmerFactory().create_stemmer()
    stemmer = getattr(stemmer, "delegatedStemmer", stemmer)  # the plain stemmer, not its cache
    dictionary = stemmer.get_dictionary()
    dictionary.words = frozenset(dictionary.words)
    return stemmer


@lru_cache(maxsize=1)
def _snowball():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem_id(word: str) -> str:
    """Indonesian/Malay root of one lower-case word (Sastrawi); the word itself if none."""
    return _sastrawi().stem(word) or word


@lru_cache(maxsize=200_000)
def stem_en(word: str) -> str:
    """English stem of one lower-case word (Snowball)."""
    return _snowball().stemWord(word)
