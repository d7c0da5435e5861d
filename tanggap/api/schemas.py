from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator

# Numbers the API accepts fit the database's 64-bit integer columns: a larger one is a clear
# 422 (invalid_input), not an error from the database driver.
MAX_BIGINT = 2**63 - 1
MAX_INT = 2**31 - 1  # an IntegerField / PositiveIntegerField column on PostgreSQL
Id = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
AfterId = Annotated[int, Field(ge=0, le=MAX_BIGINT, description="keyset: the last id of the previous page")]


def _in_utc(value: dt.datetime) -> dt.datetime:
    # An aware datetime is taken in UTC (the same instant): PostgreSQL refuses offsets beyond
    # +-15:59 (Python allows +-23:59) and instants before year 1 in UTC. Naive stays naive for
    # the endpoints that refuse it with their own code (naive_datetime).
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(dt.timezone.utc)
    except OverflowError:
        raise ValueError("date out of range") from None


DateTimeIn = Annotated[dt.datetime, AfterValidator(_in_utc)]


class ErrorBody(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorBody


class SenderIn(Schema):
    # The lengths of the columns they are stored in (customers.Identity.value, Customer.name).
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=320)
    handle: str | None = Field(default=None, max_length=320)
    name: str | None = Field(default=None, max_length=200)


class MessageIn(Schema):
    channel: str = Field(min_length=1, max_length=20)
    external_id: str = Field(min_length=1, max_length=500)
    from_: SenderIn = Field(alias="from")
    subject: str | None = Field(default=None, max_length=500)
    body: str = Field(min_length=1)
    body_html: str | None = None
    sent_at: DateTimeIn | None = None
    language: str | None = None

    model_config = {"populate_by_name": True}


class ReceivedOut(Schema):
    ticket_id: int
    message_id: int
    created: bool


class WebhookOut(Schema):
    received: int
    created: int
    messages: list[ReceivedOut]


class UserRef(Schema):
    id: int
    username: str


class TeamRef(Schema):
    id: int
    name: str


class CustomerRef(Schema):
    id: int
    name: str


class TicketOut(Schema):
    id: int
    reference: str
    subject: str
    status: str
    status_group: str
    priority: str
    category: str
    channel: str
    customer: CustomerRef
    assignee: UserRef | None
    team: TeamRef | None
    tags: list[str]
    initiated_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    waiting_since: dt.datetime | None
    first_response_at: dt.datetime | None
    sla_due_at: dt.datetime | None = Field(None, description="The earliest running SLA due time (overdue: in the past).")


class SlaTargetOut(Schema):
    kind: str = Field(description="first_response | next_response | resolution")
    key: str
    message_id: int | None
    status: str = Field(description="running | paused | met | missed | stopped")
    started_at: dt.datetime
    due_at: dt.datetime | None
    met_at: dt.datetime | None
    breached_at: dt.datetime | None
    target_minutes: int
    used_minutes: int


class SlaBreachOut(Schema):
    kind: str
    key: str
    breached_at: dt.datetime


class PolicyRef(Schema):
    id: int
    name: str


class SlaOut(Schema):
    policy: PolicyRef | None
    due_at: dt.datetime | None
    next_update_at: dt.datetime | None
    targets: list[SlaTargetOut]
    breaches: list[SlaBreachOut]


class PromiseOut(Schema):
    id: int
    due_at: dt.datetime
    status: str = Field(description="active | kept | redated | broken")
    reason: str
    made_at: dt.datetime
    made_by: UserRef | None
    settled_at: dt.datetime | None


class TicketPromiseOut(PromiseOut):
    history: list[PromiseOut] = Field(description="Every promise on the ticket, oldest first.")


class TicketDetailOut(TicketOut):
    sla: SlaOut
    promise: TicketPromiseOut | None


class PromiseRedateIn(Schema):
    due_at: DateTimeIn = Field(description="The new date and time (ISO 8601 with a time zone).")
    reason: str = Field(description="Why the date moves; the customer is told.", min_length=1, max_length=2000)


class PromiseStatOut(Schema):
    key: str | int | None
    label: str
    kept: int
    redated: int
    broken: int
    total: int
    kept_share: float | None


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    ticket_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationsReadIn(Schema):
    ids: list[Id] | None = Field(None, description="Mark these read; omit to mark all read.")


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None


class TicketPatch(Schema):
    status: str | None = None
    priority: str | None = None
    category: str | None = None
    subject: str | None = Field(default=None, max_length=300)
    assignee_id: Id | None = None
    team_id: Id | None = None
    tags: list[str] | None = None


class ReplyIn(Schema):
    body: str = Field(min_length=1)
    body_html: str | None = None
    status: str | None = None


class NoteIn(Schema):
    body: str = Field(min_length=1)


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: int
    direction: str
    channel: str
    external_id: str
    initiated_by: str
    subject: str
    body_text: str
    body_html: str
    author: UserRef | None
    sent_at: dt.datetime
    automated: bool
    delivery_status: str
    attempts: int
    last_error: str
    attachments: list[AttachmentOut]


class TimelineOut(Schema):
    id: int
    at: dt.datetime
    kind: str
    actor: UserRef | None
    message_id: int | None
    initiated_by: str
    data: dict


class IdentityOut(Schema):
    kind: str
    namespace: str
    value: str


class OrderLineIn(Schema):
    sku: str = Field(min_length=1)
    quantity: int = Field(default=1, ge=1, le=MAX_INT)
    unit_price: Decimal | None = None


class OrderLineOut(Schema):
    sku: str
    name: str
    quantity: int
    unit_price: Decimal


class OrderIn(Schema):
    external_id: str = Field(min_length=1, max_length=64)
    customer_id: Id | None = None
    customer: SenderIn | None = None
    lines: list[OrderLineIn] = Field(min_length=1)
    status: str = Field(default="placed", max_length=12)
    placed_at: DateTimeIn | None = None
    currency: str = Field(default="IDR", max_length=3)
    courier: str = Field(default="", max_length=50)
    region: str = Field(default="", max_length=100)


class OrderOut(Schema):
    id: int
    external_id: str
    customer_id: int
    status: str
    placed_at: dt.datetime
    total: Decimal
    currency: str
    courier: str
    region: str
    lines: list[OrderLineOut]
    created: bool = False


class ProductIn(Schema):
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    category: str = Field(default="", max_length=100)
    price: Decimal = Decimal(0)


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    category: str
    price: Decimal
    created: bool = False


class TicketBrief(Schema):
    id: int
    reference: str
    subject: str
    status: str
    updated_at: dt.datetime


class CustomerOut(Schema):
    id: int
    name: str
    language: str
    tier: str
    country: str
    region: str
    created_at: dt.datetime
    identities: list[IdentityOut]
    orders: list[OrderOut]
    tickets: list[TicketBrief]


class MergeIn(Schema):
    source_id: Id
