"""Small helpers shared by the demo planning modules: weighted picks, slugs, money and date
formatting, random tokens and tracking numbers, and the hours people and agents write at.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata

from tanggap.demo import catalog as cat


def _pick(rng: random.Random, weighted) -> str:
    items = list(weighted)
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _slug(*parts: str) -> list[str]:
    out = []
    for part in parts:
        for word in re.split(r"[\s.]+", _ascii(part).lower()):
            word = re.sub(r"[^a-z]", "", word)
            if word and word not in {"bin", "binti", "al", "ap", "i", "ni", "muh", "mohd", "daeng"}:
                out.append(word)
    return out


def _fmt_date(d: dt.datetime, lang: str, tz: dt.tzinfo, weekday: bool = False) -> str:
    local = d.astimezone(tz)
    text = f"{local.day} {cat.MONTHS[lang][local.month - 1]}"
    if weekday:
        text = f"{cat.WEEKDAYS[lang][local.weekday()]}, {text}"
    return text


def _promise(at: dt.datetime, lang: str, days: int) -> str:
    when = at.astimezone(cat.WIB) + dt.timedelta(days=days)
    day = _fmt_date(when, lang, cat.WIB, weekday=True)
    return {"id": f"{day} pukul 17.00", "ms": f"{day} sebelum jam 5 petang", "en": f"5pm on {day}"}[lang]


def _fmt_points(n: int, lang: str) -> str:
    return f"{n:,}".replace(",", "." if lang == "id" else ",")


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _rand_token(rng: random.Random, n: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _awb(rng: random.Random, courier: str) -> str:
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    return {
        "JNE": lambda: "CGK" + digits(12),
        "J&T Express": lambda: "JP" + digits(10),
        "SiCepat": lambda: "0044" + digits(8),
        "AnterAja": lambda: "1000" + digits(10),
        "Pos Indonesia": lambda: "P" + digits(12),
        "Pos Laju": lambda: "EP" + digits(9) + "MY",
        "J&T MY": lambda: "63" + digits(11),
    }[courier]()


# How much people write to a shop in each local hour: mornings, lunch and evenings.
WRITING_HOURS = list(range(6, 24)) + [0]
WRITING_WEIGHTS = [1, 2, 4, 6, 7, 6, 6, 7, 5, 4, 4, 4, 5, 6, 7, 7, 6, 3, 0.6]
NIGHT_WEIGHT = 0.8  # 01:00-05:00: the few who write then (planned tickets of the last day, the archive)
HOUR_WEIGHT = {h: NIGHT_WEIGHT for h in range(24)} | dict(zip(WRITING_HOURS, WRITING_WEIGHTS, strict=True))


def _hour(rng: random.Random) -> tuple[int, int]:
    """A local hour when people write to a shop."""
    return rng.choices(WRITING_HOURS, weights=WRITING_WEIGHTS)[0], rng.randrange(60)


def _at_local_hour(rng: random.Random, when: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    h, m = _hour(rng)
    local = when.astimezone(tz).replace(hour=h, minute=m, second=rng.randrange(60), microsecond=0)
    return local.astimezone(dt.UTC)


def _agent_time(rng: random.Random, t: dt.datetime) -> dt.datetime:
    """Agents work 08:00-21:00 WIB every day; later messages wait for the morning shift."""
    local = t.astimezone(cat.WIB)
    if local.hour < 8:
        local = local.replace(hour=8, minute=0) + dt.timedelta(minutes=rng.randrange(5, 75))
    elif local.hour >= 21:
        local = (local + dt.timedelta(days=1)).replace(hour=8, minute=0) + dt.timedelta(minutes=rng.randrange(5, 75))
    return local.astimezone(dt.UTC)
