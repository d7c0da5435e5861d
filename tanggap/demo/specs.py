"""The shapes of the demo plan: the counts it aims for and the customer, order, ticket and
step records that ``plan.build_plan`` fills in and ``generate.py`` replays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from tanggap.demo import catalog as cat

N_CUSTOMERS = 200
N_MALAYSIAN = 40
N_ORDERS = 1000
N_TICKETS = 300
N_INCIDENT = 18
ORDER_HISTORY_DAYS = 182
CHANNELS = ("email", "whatsapp", "sms", "instagram", "web", "api")
# Channels where message_receive threads a new message into the customer's open ticket.
THREADED = {"whatsapp", "sms", "instagram", "api"}
RESOLVED = {"solved", "closed"}
STATUS_GROUP = {"new": "open", "open": "open", "pending": "paused", "on_hold": "paused", "solved": "resolved", "closed": "resolved"}


# ------------------------------------------------------------------------------------
# Plan shapes
# ------------------------------------------------------------------------------------

@dataclass
class CustomerSpec:
    idx: int
    name: str
    first: str
    gender: str
    pool: str
    language: str
    country: str
    region: str
    email: str | None
    phone: str | None
    instagram: str | None
    member_id: str
    weight: float
    created_at: dt.datetime | None = None
    tier: str = "standard"
    orders: list = field(default_factory=list)

    @property
    def tz(self) -> dt.timezone:
        return cat.REGION_BY_NAME[self.region].tz


@dataclass
class OrderSpec:
    customer: int
    placed_at: dt.datetime
    status: str
    courier: str
    region: str
    currency: str
    lines: list[tuple[str, int, Decimal]]  # (sku, quantity, unit price)
    awb: str
    payment: str
    number: str = ""
    delivered_at: dt.datetime | None = None  # for delivered (and later returned) orders

    @property
    def total(self) -> Decimal:
        return sum((price * qty for _, qty, price in self.lines), Decimal(0))


@dataclass
class Step:
    kind: str  # in | reply | note | update
    at: dt.datetime
    text: str = ""
    subject: str = ""
    author: str | None = None  # agent username; None for the system
    status: str | None = None
    fields: dict = field(default_factory=dict)  # update: priority, category, team, assignee, tags
    external_id: str = ""
    sender: dict = field(default_factory=dict)
    language: str = ""
    stage: str = ""  # reply: ack | ask | hold | resolve
    remedies: list[RemedySpec] = field(default_factory=list)  # applied just before this step


@dataclass
class RemedySpec:
    """A remedy an agent applies (or asks a lead to approve) right before a step.

    ``kind`` is a remedy kind, or "approve" to approve the ticket's pending remedy. ``by``
    requests it; ``approver`` (a lead) approves it at once, else it waits (or is approved
    by a later "approve" spec)."""
    kind: str
    by: str
    amount: Decimal | None = None
    note: str = ""
    approver: str | None = None
    voucher_code: str = ""


@dataclass
class TicketSpec:
    idx: int
    customer: int
    channel: str
    language: str
    theme: str
    target: str  # final status
    t0: dt.datetime
    order: OrderSpec
    focus_sku: str
    incident: bool = False
    other_sku: str = ""
    steps: list[Step] = field(default_factory=list)
    subject: str = ""  # what the ticket's subject will be
    subject_base: str = ""  # the email / web form subject of the first message
    sub: str = ""  # what exactly the customer asks about, when a theme has several
    first_body: str = ""
    # Why the agent moves the promised date, in the customer's language (see content.REDATE).
    redate_reasons: list[str] = field(default_factory=list)
    # Words of the replies that announce a remedy: {"new_awb", "refund_days", "voucher_comp"}.
    marks: dict = field(default_factory=dict)

    @property
    def first_external_id(self) -> str:
        return self.steps[0].external_id


@dataclass
class Plan:
    seed: int
    now: dt.datetime
    customers: list[CustomerSpec]
    orders: list[OrderSpec]
    tickets: list[TicketSpec]


PRODUCT_BY_SKU = {p.sku: p for p in cat.PRODUCTS}
