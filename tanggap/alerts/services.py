"""Counting inbound messages into hourly streams, running the detector on finished hours,
recording monitors' signals, and turning alerts into incidents (docs/alerts.md).

- ``count_inbound(hour=...)``: every ticket with a customer message in the hour counts once
  in each of its streams: ``category:<ticket category>``, ``channel:<channel kind>``,
  ``region:<customer region>``, and from the customer's most recent order placed before the
  hour ended ``product:<sku>`` (each product), ``courier:<courier>`` and ``region:<order
  region>``; signals that occurred in the hour count in ``signal:<name>``. The hour's bucket
  rows are rewritten, so counting an hour again gives the same result.
- ``detect_due()``: counts the finished hours not counted yet (a first run looks back two
  weeks, so the detector starts with a baseline) and feeds each stream's detector every
  hour after its ``last_bucket`` up to the last finished hour (missing hours are zeros).
- ``signal_record(...)``: idempotent by (source, external_id); severity at or above
  ``settings.TANGGAP_SIGNAL_ALERT_SEVERITY`` (default "warning") raises an alert at once.
- ``alert_raise(alert=...)``: joins the oldest active incident whose scope has the same
  dimension and value and whose window meets the alert's hour, else opens one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Min

from tanggap.alerts.detector import SENSITIVITY, DetectorConfig, StreamState
from tanggap.alerts.models import SEVERITY_RANK, Alert, Bucket, CountedHour, Dimension, Severity, Signal, Stream
from tanggap.common.clock import now
from tanggap.common.errors import DomainError
from tanggap.conversations.choices import Direction
from tanggap.conversations.models import Message
from tanggap.customers.models import Order, OrderLine, Product
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.incidents.models import Incident, ProblemType
from tanggap.incidents.selectors import incidents_overlapping
from tanggap.incidents.services import ACTIVE, incident_open, scope_clean

log = logging.getLogger(__name__)

HOUR = dt.timedelta(hours=1)
BACKFILL_HOURS = 14 * 24  # a first run counts this much history, so baselines exist at once
MAX_HOURS_PER_RUN = 14 * 24  # catching up after a long stop happens over several runs
STALE_HOURS = 6  # an alert on an older hour (while catching up) is recorded but opens no incident
ORDER_LOOKBACK_DAYS = 90
IN_TRANSIT = (Order.Status.PLACED, Order.Status.PAID, Order.Status.SHIPPED)
UNTRIAGED = "other"  # the category of a ticket nobody has categorised (Ticket.category's default)
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")


# --- streams ------------------------------------------------------------------------------------

def hour_floor(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)


def bucket_index(hour: dt.datetime) -> int:
    return int(hour.timestamp()) // 3600


def stream_key(dimension: str, value: str) -> str:
    return f"{dimension}:{value}"


def parse_sensitivity(value: str | float | None, *, strict: bool = False) -> str | float:
    """"low" | "normal" | "high" or a probability in (0, 0.5); anything else is "normal"
    (or a ValueError with ``strict``)."""
    text = str(value if value is not None else "normal").strip().lower()
    if text in SENSITIVITY:
        return text
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if 0 < number < 0.5:
        return number
    if strict:
        raise ValueError("Use low, normal or high, or a probability between 0 and 0.5 such as 0.001.")
    return "normal"


def stream_config(stream: Stream) -> DetectorConfig:
    return DetectorConfig.for_sensitivity(parse_sensitivity(stream.sensitivity))


def stream_state(stream: Stream) -> StreamState:
    """The stream's detector state, with its current sensitivity (an admin may change it)."""
    config = stream_config(stream)
    if not stream.state:
        return StreamState(config)
    state = StreamState.from_dict(stream.state)
    if state.config.p_threshold != config.p_threshold:
        state.config = dataclasses.replace(state.config, p_threshold=config.p_threshold)
    return state


# The sensitivity a new stream starts with, per dimension; admins change it per stream, and
# settings.TANGGAP_ALERT_SENSITIVITY ({"product": "normal", ...}) changes these defaults.
# Product streams are many (one per SKU) and thin: at "normal" they would raise most of a
# shop's chance alerts, and a product problem that matters also lifts its category, courier
# and region streams.
DEFAULT_SENSITIVITY = {Dimension.PRODUCT: "low"}


def default_sensitivity(dimension: str) -> str:
    table = {**{str(k): v for k, v in DEFAULT_SENSITIVITY.items()},
             **(getattr(settings, "TANGGAP_ALERT_SENSITIVITY", None) or {})}
    return str(parse_sensitivity(table.get(str(dimension), "normal")))


def streams_for(keys: set[tuple[str, str]]) -> dict[str, Stream]:
    """Streams by key, created when missing (with their dimension's default sensitivity)."""
    wanted = {stream_key(d, v): (d, v) for d, v in keys}
    found = {s.key: s for s in Stream.objects.filter(key__in=list(wanted))}
    missing = [Stream(key=k, dimension=d, value=v, sensitivity=default_sensitivity(d))
               for k, (d, v) in wanted.items() if k not in found]
    if missing:
        Stream.objects.bulk_create(missing, ignore_conflicts=True)
        found = {s.key: s for s in Stream.objects.filter(key__in=list(wanted))}
    return found


# --- counting -----------------------------------------------------------------------------------

def _clip(value: str) -> str:
    return (value or "").strip()[:140]


def inbound_tickets(*, hour: dt.datetime) -> dict[tuple[str, str], set[int]]:
    """(dimension, value) -> the tickets with a customer message in the hour that count there."""
    start = hour_floor(hour)
    end = start + HOUR
    rows = (Message.objects.filter(direction=Direction.INBOUND, automated=False, created_at__gte=start,
                                   created_at__lt=end)
            .values_list("ticket_id", "ticket__category", "ticket__channel__kind", "ticket__customer_id",
                         "ticket__customer__region"))
    tickets: dict[int, tuple] = {}
    for ticket_id, category, channel, customer_id, region in rows:
        tickets.setdefault(ticket_id, (category, channel, customer_id, region))
    customers = {t[2] for t in tickets.values()}
    latest: dict[int, tuple[int, str, str]] = {}
    if customers:
        orders = (Order.objects.filter(customer_id__in=customers, placed_at__lt=end,
                                       placed_at__gte=start - dt.timedelta(days=ORDER_LOOKBACK_DAYS))
                  .order_by("customer_id", "-placed_at", "-id").values_list("customer_id", "id", "courier", "region"))
        for customer_id, order_id, courier, region in orders:
            latest.setdefault(customer_id, (order_id, courier, region))
    skus: dict[int, set[str]] = defaultdict(set)
    if latest:
        for order_id, sku in OrderLine.objects.filter(order_id__in=[o[0] for o in latest.values()]) \
                .values_list("order_id", "product__sku"):
            skus[order_id].add(sku)
    out: dict[tuple[str, str], set[int]] = defaultdict(set)
    for ticket_id, (category, channel, customer_id, region) in tickets.items():
        keys = {(Dimension.CHANNEL, channel), (Dimension.REGION, _clip(region))}
        if category and category != UNTRIAGED:
            # "other" is also every ticket nobody has categorised yet: counted at the end of
            # the hour, a burst of fresh tickets would look like a rise of "other".
            keys.add((Dimension.CATEGORY, category))
        order = latest.get(customer_id)
        if order:
            order_id, courier, order_region = order
            keys |= {(Dimension.COURIER, _clip(courier)), (Dimension.REGION, _clip(order_region))}
            keys |= {(Dimension.PRODUCT, sku) for sku in skus.get(order_id, ())}
        for dim, value in keys:
            if value:
                out[(str(dim), value)].add(ticket_id)
    return dict(out)


def inbound_counts(*, hour: dt.datetime) -> tuple[dict[tuple[str, str], int], int]:
    """((dimension, value) -> count, number of tickets with a customer message in the hour)."""
    start = hour_floor(hour)
    per_key = inbound_tickets(hour=start)
    counts = {k: len(v) for k, v in per_key.items()}
    for name, n in _signal_counts(start, start + HOUR).items():
        counts[(str(Dimension.SIGNAL), name)] = n
    return counts, len(set().union(*per_key.values())) if per_key else 0


def _signal_counts(start, end) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for name in Signal.objects.filter(occurred_at__gte=start, occurred_at__lt=end).values_list("name", flat=True):
        out[name] += 1
    return out


@transaction.atomic
def count_inbound(*, hour: dt.datetime) -> dict[str, int]:
    """Count the hour (see the module docstring) into its bucket rows; idempotent."""
    start = hour_floor(hour)
    counts, ticket_count = inbound_counts(hour=start)
    streams = streams_for(set(counts))
    Bucket.objects.filter(start=start).delete()
    Bucket.objects.bulk_create([Bucket(stream=streams[stream_key(d, v)], start=start, count=n)
                                for (d, v), n in counts.items()])
    CountedHour.objects.update_or_create(hour=start, defaults={"counted_at": now(), "tickets": ticket_count})
    return {stream_key(d, v): n for (d, v), n in counts.items()}


# --- detection ----------------------------------------------------------------------------------

def _first_hour_with_data(last: dt.datetime) -> dt.datetime:
    first_msg = Message.objects.filter(direction=Direction.INBOUND).aggregate(m=Min("created_at"))["m"]
    first_sig = Signal.objects.aggregate(m=Min("occurred_at"))["m"]
    firsts = [hour_floor(t) for t in (first_msg, first_sig) if t]
    earliest = last - (BACKFILL_HOURS - 1) * HOUR
    return max(min(firsts), earliest) if firsts else last


def hours_due(at: dt.datetime | None = None) -> list[dt.datetime]:
    """Finished hours not counted yet, oldest first (at most MAX_HOURS_PER_RUN)."""
    last = hour_floor(at or now()) - HOUR
    counted = CountedHour.objects.aggregate(m=Max("hour"))["m"]
    start = counted + HOUR if counted else _first_hour_with_data(last)
    hours = []
    h = start
    while h <= last and len(hours) < MAX_HOURS_PER_RUN:
        hours.append(h)
        h += HOUR
    return hours


def detect_due(*, at: dt.datetime | None = None) -> list[Alert]:
    """Count the hours due, then feed every active stream up to the last counted hour."""
    at = at or now()
    for hour in hours_due(at):
        count_inbound(hour=hour)
    through = CountedHour.objects.aggregate(m=Max("hour"))["m"]
    if through is None:
        return []
    alerts = []
    for stream_id in Stream.objects.filter(active=True).values_list("pk", flat=True):
        try:
            alerts += stream_detect(stream_id=stream_id, through=through)
        except Exception:  # one broken stream must not stop the others
            log.exception("detection failed for stream %s", stream_id)
    raise_alerts(alerts, at=at)
    return alerts


def raise_alerts(alerts: list[Alert], *, at: dt.datetime) -> None:
    """Turn a run's alerts into incidents, hour by hour. Alerts on hours older than
    STALE_HOURS (a run catching up) are kept but open nothing. Within one hour alerts naming a
    cause (courier, region) go first, then by significance; a later alert whose extra tickets are mostly the same
    tickets as an earlier one's (a burst from Medan also lifts category:delivery and
    channel:email) joins that alert's incident instead of opening its own."""
    by_hour: dict[dt.datetime, list[Alert]] = defaultdict(list)
    for alert in alerts:
        if alert.bucket + HOUR >= at - STALE_HOURS * HOUR:
            by_hour[alert.bucket].append(alert)
        else:
            publish(names.ALERT_RAISED, alert_id=alert.pk, stream=alert.stream.key, incident_id=None, joined=False)
    for hour in sorted(by_hour):
        group = sorted(by_hour[hour], key=lambda a: (CAUSE_RANK[a.stream.dimension],
                                                     a.p_value if a.p_value is not None else 1.0, a.stream.key))
        per_key = inbound_tickets(hour=hour) if len(group) > 1 else {}
        raised: list[tuple[set[int], Incident]] = []
        for alert in group:
            try:
                mine = per_key.get((alert.stream.dimension, alert.stream.value), set())
                excess = max(1.0, alert.observed - alert.expected)
                # An active incident with this alert's own scope comes first; else an incident
                # raised this hour from mostly the same tickets; else an active incident that
                # already holds most of the tickets behind this alert (an earlier hour's alert
                # on another stream of the same problem).
                joined = None
                behind = alert_tickets(alert)
                if _join_target(alert, alert_scope(alert)[0]) is None:
                    joined = next((inc for theirs, inc in raised if mine and len(mine & theirs) >= 0.5 * excess),
                                  None)
                    if joined is None:
                        joined = _incident_holding(behind, need=max(3.0, 0.5 * alert.observed))
                incident = alert_raise(alert=alert, incident=joined)
                alert.incident = incident
                raised.append((mine, incident))
                alert_link_tickets(alert=alert, incident=incident, tickets=behind)
            except Exception:
                log.exception("raising alert %s failed", alert.pk)


def _incident_holding(tickets: set[int], *, need: float) -> Incident | None:
    """The active incident linked to the most of ``tickets``, if at least ``need`` of them."""
    from django.db.models import Count

    from tanggap.incidents.models import IncidentTicket

    if not tickets:
        return None
    best = (IncidentTicket.objects.filter(ticket_id__in=tickets, incident__status__in=ACTIVE)
            .values("incident_id").annotate(n=Count("id")).order_by("-n", "incident_id").first())
    if best is None or best["n"] < need:
        return None
    return Incident.objects.get(pk=best["incident_id"])


def alert_tickets(alert: Alert) -> set[int]:
    """The tickets behind a stream alert: those counted in its stream in the hours of its
    test window (the last 1, 2 or 4 hours up to the alert's hour)."""
    if not alert.stream_id:
        return set()
    key = (alert.stream.dimension, alert.stream.value)
    out: set[int] = set()
    for back in range(max(1, alert.window or 1)):
        out |= inbound_tickets(hour=alert.bucket - back * HOUR).get(key, set())
    return out


def alert_link_tickets(*, alert: Alert, incident: Incident, tickets: set[int] | None = None) -> int:
    """Link the unresolved customer tickets that made the rise, and that match the incident's
    scope, to the incident (an alert of channel:email that joined a Medan incident links its
    Medan tickets, not every email). Not answered: the incident has no status for customers
    yet. ``tickets``: ``alert_tickets(alert)`` when the caller has it already. Returns how
    many were linked."""
    from tanggap.conversations.choices import STATUS_GROUP, Initiator, StatusGroup
    from tanggap.conversations.models import Ticket
    from tanggap.incidents.selectors import candidate_orders, scope_matches
    from tanggap.incidents.services import incident_link_ticket

    linked = 0
    behind = alert_tickets(alert) if tickets is None else tickets
    rows = (Ticket.objects.filter(pk__in=behind, initiated_by=Initiator.CUSTOMER)
            .select_related("customer", "channel").order_by("pk"))
    for ticket in rows:
        if STATUS_GROUP[ticket.status] == StatusGroup.RESOLVED:
            continue
        last_in = ticket.messages.filter(direction="in", automated=False).order_by("-created_at").first()
        at = last_in.created_at if last_in else ticket.created_at
        orders = candidate_orders(customer=ticket.customer, at=at)
        if "courier" in incident.scope:  # a courier's problem holds parcels still on their way
            orders = [o for o in orders if o.status in IN_TRANSIT]
        if not scope_matches(incident.scope, ticket=ticket, orders=orders):
            continue
        _, created = incident_link_ticket(incident=incident, ticket=ticket, automatic=True)
        linked += created
    return linked


@transaction.atomic
def stream_detect(*, stream_id: int, through: dt.datetime) -> list[Alert]:
    """Feed the stream's hours after its last bucket up to ``through``; store the state and
    the alerts (``raise_alerts`` turns them into incidents)."""
    at = now()
    stream = Stream.objects.select_for_update().get(pk=stream_id)
    if stream.last_bucket is not None:
        first = stream.last_bucket + HOUR
    else:
        first = Bucket.objects.filter(stream=stream).aggregate(m=Min("start"))["m"]
        if first is None:
            return []
    if first > through:
        return []
    counts = dict(Bucket.objects.filter(stream=stream, start__gte=first, start__lte=through)
                  .values_list("start", "count"))
    counts = {hour_floor(k): v for k, v in counts.items()}
    state = stream_state(stream)
    found = []
    hour = first
    while hour <= through:
        flag = state.update(bucket_index(hour), counts.get(hour, 0))
        if flag is not None:
            alert, created = Alert.objects.get_or_create(
                stream=stream, bucket=hour,
                defaults={"observed": flag.observed, "expected": round(flag.expected, 3), "p_value": flag.p_value,
                          "window": flag.window, "opens": flag.opens, "created_at": at})
            if created:
                found.append(alert)
        hour += HOUR
    stream.state = state.to_dict()
    stream.last_bucket = through
    stream.save(update_fields=["state", "last_bucket"])
    return found


# --- signals ------------------------------------------------------------------------------------

def severity_threshold() -> str:
    value = getattr(settings, "TANGGAP_SIGNAL_ALERT_SEVERITY", Severity.WARNING)
    return value if value in SEVERITY_RANK else Severity.WARNING


def signal_record(*, source: str, external_id: str, name: str, severity: str = Severity.WARNING,
                  value: float | None = None, summary: str = "", scope: dict | None = None,
                  occurred_at: dt.datetime | None = None) -> tuple[Signal, bool]:
    """Store a monitor's signal once per (source, external_id); a repeat returns the stored one
    with created=False and raises nothing again. A severe enough signal raises an alert."""
    source, external_id, name = (source or "").strip(), (external_id or "").strip(), (name or "").strip().lower()
    if not external_id:
        raise DomainError("missing_external_id", "A signal needs its id at the source (external_id).", status=422)
    if not NAME_RE.match(name):
        raise DomainError("invalid_name", "A signal name is lower-case letters, digits, '_', '.' or '-' "
                                          "(e.g. courier_delay, payment_errors, outage).", status=422)
    if severity not in SEVERITY_RANK:
        raise DomainError("invalid_severity", f"Severity is one of {', '.join(Severity.values)}.", status=422)
    existing = Signal.objects.filter(source=source, external_id=external_id).first()
    if existing:
        return existing, False
    cleaned = scope_clean(scope)
    try:
        with transaction.atomic():
            signal = Signal.objects.create(source=source[:50], external_id=external_id[:200], name=name,
                                           severity=severity, value=value, summary=(summary or "")[:300],
                                           scope=cleaned, occurred_at=occurred_at or now())
            if SEVERITY_RANK[severity] >= SEVERITY_RANK[severity_threshold()]:
                alert = Alert.objects.create(signal=signal, bucket=signal.occurred_at,
                                             observed=int(value) if value is not None and value >= 0 else 1)
                alert.incident = alert_raise(alert=alert)
    except IntegrityError:
        existing = Signal.objects.filter(source=source, external_id=external_id).first()
        if existing is None:
            raise
        return existing, False
    return signal, True


# --- alerts → incidents -------------------------------------------------------------------------

CATEGORY_ID = {"question": "pertanyaan", "defect": "produk cacat", "bug": "gangguan aplikasi",
               "delivery": "pengiriman", "billing": "tagihan", "refund_request": "permintaan pengembalian dana",
               "complaint": "keluhan", "other": "lainnya"}
CATEGORY_PROBLEM = {"delivery": ProblemType.COURIER_DELAY, "billing": ProblemType.PAYMENT_FAILURE,
                    "defect": ProblemType.DEFECTIVE_BATCH, "bug": ProblemType.OUTAGE}
JOIN_ORDER = ("courier", "region", "product_ids", "category", "channel")
# Within an hour, alerts that name a cause go first: a stuck courier hub or a region lifts
# the products its customers happened to buy, and the incident should be the courier's or the
# region's with the product alerts joining it, not the other way round. A product problem
# (a defective batch) spreads over regions and couriers, so its alert still opens its own.
CAUSE_RANK = {Dimension.COURIER: 0, Dimension.REGION: 0, Dimension.SIGNAL: 1, Dimension.PRODUCT: 1,
              Dimension.CATEGORY: 2, Dimension.CHANNEL: 2}


def _signal_problem(name: str) -> str:
    if "courier" in name or "delay" in name or "shipping" in name:
        return ProblemType.COURIER_DELAY
    if "payment" in name or "gateway" in name:
        return ProblemType.PAYMENT_FAILURE
    if "outage" in name or "down" in name:
        return ProblemType.OUTAGE
    if "defect" in name or "batch" in name:
        return ProblemType.DEFECTIVE_BATCH
    return ProblemType.OTHER


def _signal_title(signal: Signal, scope: dict) -> str:
    problem = _signal_problem(signal.name)
    if problem == ProblemType.COURIER_DELAY:
        title = f"Keterlambatan kurir {scope['courier']}" if scope.get("courier") else "Keterlambatan pengiriman"
    elif problem == ProblemType.PAYMENT_FAILURE:
        title = "Gangguan pembayaran"
    elif problem == ProblemType.OUTAGE:
        title = "Gangguan layanan"
    elif problem == ProblemType.DEFECTIVE_BATCH:
        title = "Produk cacat"
    else:
        title = f"Sinyal {signal.name}"
    if scope.get("region"):
        title += f" di {scope['region']}"
    return f"{title} (dari {signal.source})" if signal.source else title


def alert_scope(alert: Alert) -> tuple[dict, str, str]:
    """(scope, Indonesian title, problem type) of the incident an alert opens."""
    if alert.signal_id:
        signal = alert.signal
        return dict(signal.scope or {}), _signal_title(signal, signal.scope or {}), _signal_problem(signal.name)
    stream = alert.stream
    dim, value = stream.dimension, stream.value
    if dim == Dimension.REGION:
        return {"region": value}, f"Lonjakan pesan dari wilayah {value}", ProblemType.OTHER
    if dim == Dimension.COURIER:
        return {"courier": value}, f"Lonjakan pesan tentang kurir {value}", ProblemType.COURIER_DELAY
    if dim == Dimension.CATEGORY:
        return ({"category": value}, f"Lonjakan pesan: {CATEGORY_ID.get(value, value)}",
                CATEGORY_PROBLEM.get(value, ProblemType.OTHER))
    if dim == Dimension.CHANNEL:
        return {"channel": value}, f"Lonjakan pesan di kanal {value}", ProblemType.OTHER
    if dim == Dimension.PRODUCT:
        product = Product.objects.filter(sku=value).first()
        scope = {"product_ids": [product.pk]} if product else {}
        name = f"{product.name} ({value})" if product else value
        return scope, f"Lonjakan pesan tentang produk {name}", ProblemType.DEFECTIVE_BATCH
    # a rise in the number of signals of one name: the latest such signal's scope
    name = value
    start = alert.bucket
    signal = (Signal.objects.filter(name=name, occurred_at__gte=start, occurred_at__lt=start + HOUR)
              .order_by("-occurred_at", "-id").first())
    scope = dict(signal.scope or {}) if signal else {}
    title = _signal_title(signal, scope) if signal else f"Lonjakan sinyal {name}"
    return scope, title, _signal_problem(name)


def _join_target(alert: Alert, scope: dict) -> Incident | None:
    start, end = alert.bucket, alert.bucket + HOUR
    for key in JOIN_ORDER:
        if key in scope:
            found = incidents_overlapping(key=key, value=scope[key], start=start, end=end)
            if found:
                return found[0]
    if not scope:  # nothing to compare: join the active incident raised by the same signal name
        name = alert.signal.name if alert.signal_id else alert.stream.value
        return (Incident.objects.filter(status__in=("open", "monitoring"), alerts__signal__name=name)
                .order_by("opened_at", "id").first())
    return None


@transaction.atomic
def alert_raise(*, alert: Alert, incident: Incident | None = None) -> Incident:
    """Join ``incident`` if given, else the overlapping active incident, else open one with the
    alert's scope and a title in Indonesian. Sets the incident's ``first_alert_at`` when it
    has none."""
    alert = Alert.objects.select_related("stream", "signal").get(pk=alert.pk)
    if alert.incident_id:
        return alert.incident
    scope, title, problem = alert_scope(alert)
    incident = incident or _join_target(alert, scope)
    joined = incident is not None
    if incident is None:
        incident = incident_open(title=title, scope=scope, problem_type=problem, window_start=alert.bucket,
                                 first_alert_at=alert.created_at)
    elif incident.first_alert_at is None:
        Incident.objects.filter(pk=incident.pk, first_alert_at__isnull=True).update(first_alert_at=alert.created_at)
        incident.first_alert_at = alert.created_at
    Alert.objects.filter(pk=alert.pk).update(incident=incident)
    alert.incident = incident
    publish(names.ALERT_RAISED, alert_id=alert.pk, incident_id=incident.pk, joined=joined,
            stream=alert.stream.key if alert.stream_id else None, signal_id=alert.signal_id)
    return incident
