"""HTML mail bodies: a sanitised copy for display and a plain-text copy for search.

Inbound HTML is hostile by default (scripts, tracking, phishing forms), so it is only
ever stored after ``nh3.clean``. Many mailers send HTML only; agents, search and the
SLA/intent features work on text, so a readable text version is derived from it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

# ``cid:`` keeps inline images (Content-ID references) displayable; nh3's default list
# already excludes ``javascript:`` and ``data:``.
_URL_SCHEMES = set(nh3.ALLOWED_URL_SCHEMES) | {"cid"}

_BLOCK = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
    "thead", "tfoot", "tr", "ul", "center",
}  # fmt: skip
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "xml"})
_SKIP_MINIMAL = frozenset({"script", "style"})


def sanitize_html(html: str) -> str:
    """Return HTML safe to render in the agent console."""
    if not html.strip():
        return ""
    return nh3.clean(html, url_schemes=_URL_SCHEMES)


class _TextExtractor(HTMLParser):
    """Collects text, turning block boundaries into line breaks.

    ``html.parser`` is iterative, so the deeply nested HTML in the corpus
    (htmllargecallstack.eml) cannot exhaust the stack.
    """

    def __init__(self, skip: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = skip
        self.parts: list[str] = []
        self._skip_depth = 0
        self._pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._skip_depth = 0  # an unclosed <title> or <head> ends here
        elif tag in self.skip:
            self._skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK:
            self.parts.append("\n")
            if tag == "pre":
                self._pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skip:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK or tag == "li":
            self.parts.append("\n")
            if tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._pre_depth:
            self.parts.append(data)
        else:
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> str:
    """Plain text from HTML: tags stripped, entities unescaped, line breaks kept."""
    if not html.strip():
        return ""
    text = _extract(html, _SKIP)
    # A never-closed <title> or <head> (seen in the corpus) would swallow everything.
    return text or _extract(html, _SKIP_MINIMAL)


def _extract(html: str, skip: frozenset[str]) -> str:
    parser = _TextExtractor(skip)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; this is a last-resort guard
        return re.sub(r"<[^>]*>", " ", html).strip()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
