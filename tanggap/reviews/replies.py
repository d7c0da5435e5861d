"""The reply template an agent starts from on a negative review's ticket, in the reviewer's
language. Its wording is the message template ``review_reply`` (``texts.defaults.DEFAULTS``),
which a manager can override per language in Settings → Templates; the agent edits it before
sending. What is filled into its placeholders (the order in brackets, the fallbacks for a review
without a name or a product) is worded here."""

from __future__ import annotations

import re

from tanggap.texts.services import language_of, render

TEMPLATE_KEY = "review_reply"
ORDER_PART = {"id": " (pesanan {order})", "ms": " (pesanan {order})", "en": " (order {order})"}
PRODUCT_FALLBACK = {"id": "pesanan Kakak", "ms": "pesanan anda", "en": "your order"}
NAME_FALLBACK = {"id": "", "ms": "tuan/puan", "en": "there"}
_NO_NAME = "\ue000"  # marks where an empty name was filled in, to take the space before it out too


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


def reply_template(*, language: str, name: str = "", product: str = "", order: str = "", reference: str = "",
                   subject: str = "") -> str:
    """The ``review_reply`` template (a manager's override, else the built-in text) filled in.
    The review's own values are put on one line; the template's line breaks are kept."""
    language = language_of(language)
    order = _one_line(order)
    name = _one_line(name) or NAME_FALLBACK[language] or _NO_NAME
    text = render(TEMPLATE_KEY, language, customer_name=name, product=_one_line(product) or PRODUCT_FALLBACK[language],
                  order=order, order_part=ORDER_PART[language].format(order=order) if order else "",
                  reference=reference, subject=_one_line(subject))
    text = re.sub(rf"[ \t]*{_NO_NAME}", "", text)  # "Halo Kak {customer_name}, …" without a name: "Halo Kak, …"
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")).strip()


def reply_template_for(review, ticket=None) -> str:
    """The template for a review, with its ticket's reference and subject (the ticket page's panel, the demo)."""
    ticket = ticket if ticket is not None else review.ticket
    return reply_template(language=review.language, name=review.reviewer_name,
                          product=review.product_name or review.product_sku, order=review.order_external_id,
                          reference=ticket.reference if ticket is not None else "",
                          subject=ticket.subject if ticket is not None else "")
