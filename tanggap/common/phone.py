"""Phone numbers in one E.164-ish form ("+6281234567890"), whichever channel they came from,
so "0812-3456-7890" by SMS, "6281234567890" from WhatsApp and "0062 812 3456 7890" typed
into the API all find the same customer."""

from __future__ import annotations

import re

from tanggap.common.errors import ParseError

# Countries whose national numbers never start with 0, so "+62 0812..." (a very common
# way of writing Indonesian numbers) can safely lose that 0.
_NO_LEADING_ZERO = ("62", "60")
_PHONE_CHARS = re.compile(r"[\s\-().\u00a0/]")


def normalize_phone(raw: str, default_country: str = "62") -> str:
    """Return ``+<digits>``; raise ``ParseError("bad_phone")`` for anything not a number.

    * ``+`` or ``00`` prefix: already international.
    * one leading ``0`` (a trunk prefix): national, in ``default_country``.
    * bare digits: already international without the ``+`` (WhatsApp ``wa_id``s and
      SMS gateways send numbers like this; a national number always starts with 0).
    """
    value = _PHONE_CHARS.sub("", (raw or "").strip())
    value = value.replace("(0)", "")
    if value.startswith("+"):
        digits = value[1:]
    elif value.startswith("00"):
        digits = value[2:]
    elif value.startswith("0"):
        digits = default_country + value[1:]
    else:
        digits = value
    for code in _NO_LEADING_ZERO:
        if digits.startswith(code + "0"):
            digits = code + digits[len(code) + 1 :]
    if not digits.isascii() or not digits.isdigit() or not 7 <= len(digits) <= 15:
        raise ParseError("bad_phone", f"{raw!r} is not a phone number.")
    return "+" + digits
