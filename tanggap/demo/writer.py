"""One demo ticket's conversation: ``_Writer`` renders the customer's messages, the agents'
replies, notes and updates with their times, tracking the status the services will give it.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from tanggap.demo import catalog as cat
from tanggap.demo import content as txt
from tanggap.demo.helpers import _agent_time, _promise, _rand_token
from tanggap.demo.specs import STATUS_GROUP, CustomerSpec, Step, TicketSpec


# ------------------------------------------------------------------------------------
# Conversations
# ------------------------------------------------------------------------------------

GREETING_RE = re.compile(
    r"^(Halo( kak| min)?|Permisi( min| kak)?|Min|Kak|Selamat (pagi|siang|sore|malam)|Salam( tuan/puan| admin)?|Hai( admin)?"
    r"|Assalamualaikum|Hi( there)?|Hello|Min tolong)[,!]?\s+", re.IGNORECASE)
CHAT_OPENERS = {
    "id": ["Halo kak, ", "Permisi kak, ", "Min, ", "Kak, ", "Halo min, ", "Selamat {daypart} kak, ", "Kak mau tanya, ", ""],
    "ms": ["Salam, ", "Hai admin, ", "Assalamualaikum, ", "Hello admin, ", ""],
    "en": ["Hi, ", "Hello, ", "Hi there, ", ""],
}
EMAIL_OPEN = {
    "id": ["Halo Tim {store},", "Selamat {daypart},", "Dengan hormat,", "Halo admin {store},"],
    "ms": ["Salam sejahtera,", "Assalamualaikum dan salam sejahtera,", "Kepada pihak {store},"],
    "en": ["Hi,", "Hello {store} team,", "Dear Customer Service,"],
}
EMAIL_CLOSE = {
    "id": ["Terima kasih,\n{name}", "Salam,\n{first}", "Hormat saya,\n{name}", "Terima kasih atas perhatiannya.\n\n{name}"],
    "ms": ["Terima kasih,\n{name}", "Yang benar,\n{name}", "Sekian, terima kasih.\n{first}"],
    "en": ["Thanks,\n{first}", "Best regards,\n{name}", "Regards,\n{name}"],
}
def _daypart(at: dt.datetime, tz: dt.tzinfo) -> str:
    h = at.astimezone(tz).hour
    return "pagi" if 4 <= h < 11 else "siang" if 11 <= h < 15 else "sore" if 15 <= h < 18 else "malam"


def _casual(rng: random.Random, text: str, lang: str) -> str:
    pairs = txt.CASUAL_ID if lang == "id" else txt.CASUAL_MS if lang == "ms" else []
    for formal, casual in rng.sample(pairs, k=min(len(pairs), rng.randrange(2, 4))) if pairs else []:
        text = re.sub(rf"\b{formal}\b", casual, text)
    return text


class _Writer:
    """Renders one ticket's texts and times, tracking the status the services will give it."""

    def __init__(self, rng: random.Random, spec: TicketSpec, customer: CustomerSpec, now: dt.datetime, slots: dict,
                 agents: list[str], incident_n: int):
        self.rng, self.spec, self.customer, self.now, self.slots = rng, spec, customer, now, slots
        self.agents = agents
        self.agent = agents[0]
        self.incident_n = incident_n
        self.status = "new"
        self.steps: list[Step] = []
        self.t = spec.t0
        self.lang = spec.language
        self.n_in = 0

    # --- time -----------------------------------------------------------------------
    def later(self, lo_min: float, hi_min: float, agent: bool = False) -> dt.datetime:
        self.t = self.t + dt.timedelta(minutes=self.rng.uniform(lo_min, hi_min))
        if agent:
            self.t = _agent_time(self.rng, self.t)
        return self.t

    def fmt(self, template: str, **extra) -> str:
        return template.format_map({**self.slots, **extra})

    # --- customer -------------------------------------------------------------------
    def _sender(self) -> dict:
        c, ch = self.customer, self.spec.channel
        if ch == "email":
            return {"email": c.email, "name": c.name}
        if ch in ("whatsapp", "sms"):
            phone = c.phone
            if c.country == "ID":
                phone = self.rng.choice([phone, "0" + phone[3:], phone[1:], f"0{phone[3:6]}-{phone[6:10]}-{phone[10:]}"])
            else:
                phone = self.rng.choice([phone, phone[1:]])
            sender = {"phone": phone}
            if ch == "whatsapp":
                sender["name"] = self.rng.choice([c.name, c.first, c.name])
            return sender
        if ch == "instagram":
            return {"handle": c.instagram, "name": c.name}
        return {"handle": c.member_id, "name": c.name}  # web form and the app (api) know the member

    def _external_id(self) -> str:
        r, i, n = self.rng, self.spec.idx, len(self.steps)
        ch = self.spec.channel
        if ch == "email":
            host = {"gmail.com": "mail.gmail.com"}.get(self.customer.email.split("@")[1], self.customer.email.split("@")[1])
            return f"<{_rand_token(r, 28)}{i:03d}{n}@{host}>"
        if ch == "whatsapp":
            return f"wamid.HBgM{_rand_token(r, 22)}{i:03d}{n}"
        if ch == "sms":
            return f"{r.randrange(10**15, 10**16)}{i:03d}{n}"
        if ch == "instagram":
            return f"aWdfZAG1{_rand_token(r, 30)}{i:03d}{n}"
        if ch == "web":
            return f"webform-{_rand_token(r, 12, 'abcdef0123456789')}-{i:03d}{n}"
        return f"app-{_rand_token(r, 16, 'abcdef0123456789')}-{i:03d}{n}"

    def customer_writes(self, body: str, subject: str = "", first: bool = False) -> None:
        ch, lang, tz = self.spec.channel, self.lang, self.customer.tz
        daypart = _daypart(self.t, tz)
        if ch in ("email",):
            body = GREETING_RE.sub("", body, count=1)
            body = body[:1].upper() + body[1:]
            opener = self.rng.choice(EMAIL_OPEN[lang]).format(store=cat.STORE, daypart=daypart)
            closer = self.rng.choice(EMAIL_CLOSE[lang]).format(name=self.customer.name, first=self.customer.first)
            body = f"{opener}\n\n{body}\n\n{closer}"
        elif ch == "web":
            body = GREETING_RE.sub("", body, count=1)
            body = body[:1].upper() + body[1:]
        else:
            if first and self.rng.random() < 0.5 and GREETING_RE.match(body):
                opener = self.rng.choice(CHAT_OPENERS[lang]).format(daypart=daypart)
                rest = GREETING_RE.sub("", body, count=1)
                body = opener + (rest[:1].lower() if opener else rest[:1].upper()) + rest[1:]
            if lang in ("id", "ms") and self.rng.random() < 0.3:
                body = _casual(self.rng, body, lang)
            if first and self.rng.random() < 0.5:  # the gist on the first line, details below
                m = re.search(r"(?<=[.?!])\s+(?=[A-Z0-9])", body)
                if m and m.start() >= 25:
                    body = body[:m.start()] + "\n" + body[m.end():]
        if subject and self.n_in and ch in ("email", "web"):
            subject = "Re: " + subject
        step = Step(kind="in", at=self.t, text=body, subject=subject if ch in ("email", "web") else "",
                    external_id=self._external_id(), sender=self._sender(), language=lang)
        self.steps.append(step)
        if self.n_in and STATUS_GROUP[self.status] != "open":
            self.status = "open"  # message_receive reopens a paused or resolved ticket
        self.n_in += 1

    def followup(self, kind: str) -> None:
        options = txt.FOLLOWUPS[kind].get(self.lang) or txt.FOLLOWUPS[kind]["id"]
        self.customer_writes(self.fmt(self.rng.choice(options)), subject=self.spec.subject_base)

    # --- agents ---------------------------------------------------------------------
    def triage(self) -> None:
        theme = txt.THEMES[self.spec.theme]
        tags = list(theme["tags"])
        order = self.spec.order
        if self.spec.theme in ("late", "incident", "missing_item"):
            tags.append(cat.COURIER_TAG[order.courier])
        if self.spec.incident:
            tags.append(cat.INCIDENT_REGION.lower())
        if self.customer.country == "MY":
            tags.append("malaysia")
        if self.customer.tier == "gold":
            tags.append("vip")
        priority = "normal"
        if self.spec.incident or self.spec.theme in ("double_charge",):
            priority = self.rng.choice(["high", "high", "urgent"])
        elif self.spec.theme in ("payment_failed", "refund", "fake", "expired"):
            priority = self.rng.choice(["normal", "high"])
        elif self.spec.theme in ("compliment", "howto", "loyalty"):
            priority = self.rng.choice(["low", "normal"])
        if self.customer.tier == "gold" and priority in ("low", "normal") and self.rng.random() < 0.5:
            priority = "high"
        self.steps.append(Step(kind="update", at=self.later(3, 90, agent=True), author=self.agent,
                               fields={"category": theme["category"], "priority": priority, "team": theme["team"],
                                       "assignee": self.agent, "tags": tags}))

    def _reply_text(self, stage: str, author: str) -> str:
        family = txt.THEMES[self.spec.theme]["family"]
        lang = self.lang
        levels = [txt.SUB_REPLIES.get(self.spec.sub, {}), txt.THEME_REPLIES.get(self.spec.theme, {}), txt.REPLIES[family]]
        templates = next((lv[stage][lang] for lv in levels if lang in lv.get(stage, {})), None)
        if templates is None:
            templates = txt.REPLIES[family].get(stage, txt.REPLIES[family]["resolve"])[lang]
        first_name = author.capitalize()
        body = self.fmt(self.rng.choice(templates), promise=_promise(self.t, lang, self.rng.choice([1, 1, 2])),
                        agent=first_name)
        honorific = ("Encik" if self.customer.gender == "m" else self.rng.choice(["Puan", "Cik"]))
        greeting = self.rng.choice(txt.GREETING[lang]).format(
            first=self.customer.first, honorific=honorific, daypart=_daypart(self.t, cat.WIB))
        if self.spec.channel == "email":
            sign = txt.SIGNOFF_EMAIL[lang].format(agent=f"{first_name}", store=cat.STORE)
            return f"{greeting}\n\n{body[:1].upper() + body[1:]}\n\n{sign}"
        sign = txt.SIGNOFF_CHAT[lang].format(agent=first_name)
        return f"{greeting} {body} {sign}"

    def reply(self, stage: str, status: str | None = None, lo: float = 5, hi: float = 240) -> None:
        author = self.agent if self.rng.random() < 0.85 else self.rng.choice(self.agents)
        at = self.later(lo, hi, agent=True)
        self.steps.append(Step(kind="reply", at=at, text=self._reply_text(stage, author), author=author, status=status,
                               stage=stage))
        if status:
            self.status = status
        elif self.status == "new":
            self.status = "open"

    def note(self, key: str | None = None) -> None:
        family = txt.THEMES[self.spec.theme]["family"]
        key = key or (self.spec.theme if self.spec.theme in txt.NOTES else family)
        text = self.fmt(self.rng.choice(txt.NOTES[key]), n=self.incident_n)
        self.steps.append(Step(kind="note", at=self.later(1, 40, agent=True), text=text, author=self.agent))

    def set_status(self, status: str, lo: float, hi: float, system: bool = False) -> None:
        at = self.later(lo, hi, agent=not system)
        self.steps.append(Step(kind="update", at=at, author=None if system else self.agent, fields={"status": status}))
        self.status = status

    # --- scripts --------------------------------------------------------------------
    def provide_kind(self) -> str:
        family = txt.THEMES[self.spec.theme]["family"]
        return {"product": "provide_product", "money": "provide_money", "delivery": "provide_delivery",
                "address": "provide_delivery"}.get(family, "still")

    def write(self) -> list[Step]:
        spec, rng, target = self.spec, self.rng, self.spec.target
        self.customer_writes(self.spec.first_body, subject=spec.subject_base, first=True)
        fam = txt.THEMES[spec.theme]["family"]
        if target == "new":
            if rng.random() < 0.3:
                self.later(60, 480)
                self.followup("nudge")
        elif target == "open" and fam == "compliment":
            self.triage()
            self.set_status("open", 1, 30)
        elif target == "open":
            self.triage()
            r = rng.random()
            if r < 0.5:
                self.reply("ack", status="open")
                if spec.incident and rng.random() < 0.5:
                    self.note("incident")
                self.later(30, 1440)
                self.followup("still" if rng.random() < 0.6 else self.provide_kind())
            elif r < 0.8:
                self.reply("ack", status="open")
                self.note("incident" if spec.incident else None)
            else:
                self.note("incident" if spec.incident else None)
                self.set_status("open", 1, 30)
        elif target == "pending":
            self.triage()
            if rng.random() < 0.3 and fam in ("product", "money", "delivery"):
                self.reply("ack")
                self.later(30, 720)
                self.followup("still")
            self.reply("ask", status="pending")
        elif target == "on_hold":
            self.triage()
            if fam == "product":
                self.reply("ask", status="pending")
                self.later(20, 900)
                self.followup("provide_product")
            self.reply("hold", status="on_hold")
            self.note("incident" if spec.incident else None)
            if rng.random() < 0.35:
                self.later(600, 2880)
                self.followup("still")
                self.reply("hold", status="on_hold", lo=5, hi=120)
        else:  # solved / closed
            self.triage()
            r = rng.random()
            fast = spec.theme == "toothpaste" or fam in ("howto", "loyalty", "compliment")
            if fast or r < 0.35:
                self.reply("resolve", status="solved", lo=3, hi=30 if spec.theme == "toothpaste" else 180)
            elif r < 0.7 or fam in ("address",):
                self.reply("ask", status="pending")
                self.later(20, 900)
                self.followup(self.provide_kind())
                self.reply("resolve", status="solved")
            else:
                self.reply("hold", status="on_hold")
                if rng.random() < 0.6:
                    self.note()
                # Waiting on a courier, supplier or bank: usually a day or three, sometimes
                # long enough that the promised date has to move.
                self.later(1440, 4320 if rng.random() < 0.7 else 7200)
                self.reply("resolve", status="solved", lo=0, hi=60)
            if spec.theme == "toothpaste" and rng.random() < 0.5:
                self.note("toothpaste")
            if rng.random() < (0.6 if spec.theme == "toothpaste" else 0.25):
                self.later(60, 1440)
                self.followup("thanks_toothpaste" if spec.theme == "toothpaste" else "thanks")
                self.set_status("solved", 10, 180)
            if target == "closed":
                self.set_status("closed", 3 * 1440, 5 * 1440, system=True)
        self._fit()
        return self.steps

    def _fit(self) -> None:
        """Squeeze the conversation so its last step is in the past (keeping the order). It
        ends a while before "now" (up to four hours, within the second half of its span):
        ending every squeezed conversation in the last minutes would make the hour before
        "now" the busiest the store ever had, and the alert detector would say so."""
        t0 = self.steps[0].at
        spare = random.Random(f"fit:{self.spec.idx}").random()
        limit = self.now - dt.timedelta(minutes=2) - min(dt.timedelta(hours=4), (self.now - t0) / 2) * spare
        last = self.steps[-1].at
        if last <= limit:
            return
        span = (last - t0).total_seconds()
        room = max((limit - t0).total_seconds(), 60.0)
        for i, step in enumerate(self.steps):
            step.at = t0 + dt.timedelta(seconds=(step.at - t0).total_seconds() * room / span) + dt.timedelta(seconds=i)
