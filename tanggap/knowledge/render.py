"""Article bodies: a small Markdown subset rendered to HTML, then sanitized with nh3.

Staff write ``## Heading`` lines, ``- item`` / ``1. item`` lists, blank-line paragraphs,
``**bold**`` and ``[text](https://link)``. Everything else is text: it is escaped before the
few constructs are turned into tags, and nh3 cleans the result as a second guard (only the tags
below, links with http(s)/mailto and ``rel="noopener noreferrer"``)."""

from __future__ import annotations

import html
import re

import nh3

TAGS = {"h2", "h3", "p", "ul", "ol", "li", "strong", "em", "a", "br"}
_LINK = re.compile(r"\[([^\]]+)\]\(((?:https?://|mailto:|/)[^\s)]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    out = html.escape(text, quote=True)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    return _LINK.sub(r'<a href="\2">\1</a>', out)


def render_body(source: str) -> str:
    parts: list[str] = []
    para: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush():
        nonlocal list_tag
        if para:
            parts.append("<p>" + "<br>".join(_inline(p) for p in para) + "</p>")
            para.clear()
        if items:
            parts.append(f"<{list_tag}>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + f"</{list_tag}>")
            items.clear()
            list_tag = ""

    for raw in (source or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("### ") or line.startswith("## "):
            flush()
            level = "h3" if line.startswith("### ") else "h2"
            parts.append(f"<{level}>{_inline(line.lstrip('#').strip())}</{level}>")
        elif line.startswith(("- ", "* ")) or re.match(r"^\d+[.)] ", line):
            tag = "ul" if line[0] in "-*" else "ol"
            if para or (list_tag and list_tag != tag):
                flush()
            list_tag = tag
            items.append(line[2:].strip() if tag == "ul" else line.split(" ", 1)[1].strip())
        else:
            if items:
                flush()
            para.append(line)
    flush()
    return nh3.clean("".join(parts), tags=TAGS, attributes={"a": {"href"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def plain_text(source: str) -> str:
    """The words of the source, for indexing: markup characters out."""
    return re.sub(r"[#*\[\]()]", " ", _LINK.sub(r"\1", source or ""))
