"""Rendering customer-facing texts in the customer's language, and the one way dates,
times and amounts are written for customers."""

from __future__ import annotations

import datetime as dt
import string
import zoneinfo
from decimal import Decimal

from django.conf import settings

from tanggap.common.errors import DomainError
from tanggap.texts.defaults import DEFAULTS, LANGUAGES, PLACEHOLDERS
from tanggap.texts.models import MessageTemplate

DAYS = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "ms": ["Isnin", "Selasa", "Rabu", "Khamis", "Jumaat", "Sabtu", "Ahad"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"],
    "ms": ["Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos", "September", "Oktober",
           "November", "Disember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}
ZONE_NAMES = {
    "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT",
    "Asia/Kuala_Lumpur": "MYT", "Asia/Kuching": "MYT", "Asia/Singapore": "SGT",
}


# The zone a customer reads dates in, by their country (else the site's zone).
COUNTRY_ZONES = {"ID": "Asia/Jakarta", "MY": "Asia/Kuala_Lumpur", "SG": "Asia/Singapore"}


def customer_zone(customer) -> str | None:
    return COUNTRY_ZONES.get((getattr(customer, "country", "") or "").upper())


def language_of(value: str | None) -> str:
    value = (value or "")[:2].lower()
    return value if value in LANGUAGES else "id"


def format_when(at: dt.datetime, language: str, time_zone: str | None = None) -> str:
    """"Kamis, 26 November, pukul 15.00 WIB" / "Khamis, 26 November, jam 15.00 MYT" /
    "Thursday, 26 November, 15:00 WIB", in the given zone (default: the site's)."""
    language = language_of(language)
    zone_name = time_zone or settings.TIME_ZONE
    local = at.astimezone(zoneinfo.ZoneInfo(zone_name))
    zone = ZONE_NAMES.get(zone_name) or local.tzname() or zone_name
    day, month = DAYS[language][local.weekday()], MONTHS[language][local.month - 1]
    if language == "en":
        return f"{day}, {local.day} {month}, {local:%H:%M} {zone}"
    word = "pukul" if language == "id" else "jam"
    return f"{day}, {local.day} {month}, {word} {local:%H.%M} {zone}"


def format_amount(amount: Decimal | None, currency: str, language: str) -> str:
    """"Rp150.000" / "RM45.50" / "USD 12.00"."""
    if amount is None:
        return ""
    if currency == "IDR":
        return "Rp" + f"{int(amount):,}".replace(",", ".")
    if currency == "MYR":
        return f"RM{amount:,.2f}"
    return f"{currency} {amount:,.2f}"


class _Fields(dict):
    def __missing__(self, key):  # an unknown placeholder stays visible rather than failing a send
        return "{" + key + "}"


def template_text(key: str, language: str) -> str:
    """The override for (key, language) if a manager wrote one, else the built-in text."""
    if key not in DEFAULTS:
        raise DomainError("unknown_template", f"There is no message template '{key}'.")
    language = language_of(language)
    row = MessageTemplate.objects.filter(key=key, language=language).only("body").first()
    return row.body if row else DEFAULTS[key][language]


def fill(text: str, **fields) -> str:
    """Fill ``{placeholders}``; an unknown one stays visible rather than failing a send."""
    return string.Formatter().vformat(text, (), _Fields({k: "" if v is None else v for k, v in fields.items()})).strip()


def render(key: str, language: str, **fields) -> str:
    return fill(template_text(key, language), **fields)


def placeholders_in(text: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise DomainError("bad_template", f"The template cannot be read: {exc}.", status=422) from None


def check_template(key: str, text: str) -> None:
    """Refuse a template that uses a placeholder its message does not fill."""
    if not text.strip():
        raise DomainError("empty_template", "A template needs some text.", status=422)
    allowed = PLACEHOLDERS.get(key, ())
    unknown = [p for p in placeholders_in(text) if p not in allowed]
    if unknown:
        raise DomainError("unknown_placeholder",
                          f"Unknown placeholder(s) {', '.join('{' + u + '}' for u in unknown)}; "
                          f"this template may use: {', '.join('{' + a + '}' for a in allowed)}.", status=422)
