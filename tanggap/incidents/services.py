"""Incidents: open, update, link tickets, and answer linked tickets with the incident's status.

Scope (``Incident.scope``) is a dict of any of ``product_ids`` (list of product ids), ``region``,
``courier``, ``category`` (a ticket category) and ``channel`` (a channel kind). A ticket matches
when every key of the scope holds for it (``selectors.incident_matching``); an empty scope
matches nothing. Writes run in one transaction, add the ticket's timeline row and publish
``incident.*`` events after commit (docs/alerts.md)."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.db import IntegrityError, transaction

from tanggap.common.clock import now
from tanggap.common.errors import DomainError
from tanggap.conversations.choices import Category, Initiator, Status, TimelineKind
from tanggap.conversations.models import Ticket
from tanggap.conversations.services import reply_send, timeline_add
from tanggap.customers.models import Product
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.incidents.models import Incident, IncidentStatus, IncidentTicket, ProblemType
from tanggap.texts.defaults import LANGUAGES
from tanggap.texts.services import customer_zone, format_when, language_of, render

log = logging.getLogger(__name__)

SCOPE_KEYS = ("product_ids", "region", "courier", "category", "channel")
ACTIVE = (IncidentStatus.OPEN, IncidentStatus.MONITORING)

# The sentence after the incident's status text when an expected resolution date is set.
EXPECTED_SENTENCE = {
    "id": "Perkiraan kembali normal: {date}.",
    "ms": "Dijangka pulih seperti biasa: {date}.",
    "en": "We expect things to be back to normal by {date}.",
}


def scope_clean(scope: dict | None) -> dict:
    """A scope with known keys only: strings stripped, ``products`` (skus) turned into
    ``product_ids``, unknown products and keys refused."""
    scope = dict(scope or {})
    skus = scope.pop("products", None) or scope.pop("product_skus", None)
    unknown = sorted(set(scope) - set(SCOPE_KEYS))
    if unknown:
        raise DomainError("invalid_scope", f"Unknown scope key(s): {', '.join(unknown)}; "
                                           f"a scope may use {', '.join(SCOPE_KEYS)} and products (skus).", status=422)
    out: dict = {}
    ids: set[int] = set()
    if skus:
        if isinstance(skus, str):
            skus = [skus]
        found = dict(Product.objects.filter(sku__in=[str(s) for s in skus]).values_list("sku", "pk"))
        missing = sorted({str(s) for s in skus} - found.keys())
        if missing:
            raise DomainError("unknown_product", f"Unknown product sku: {', '.join(missing)}.", status=422)
        ids.update(found.values())
    raw_ids = scope.get("product_ids") or []
    if not isinstance(raw_ids, (list, tuple)):
        raw_ids = [raw_ids]
    try:
        ids.update(int(i) for i in raw_ids)
    except (TypeError, ValueError):
        raise DomainError("invalid_scope", "product_ids must be a list of product ids.", status=422) from None
    if ids:
        known = set(Product.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if ids - known:
            raise DomainError("unknown_product", f"Unknown product id: {', '.join(map(str, sorted(ids - known)))}.",
                              status=422)
        out["product_ids"] = sorted(ids)
    for key in ("region", "courier", "category", "channel"):
        value = scope.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str) or len(value.strip()) > 100:
            raise DomainError("invalid_scope", f"Scope {key} must be a short text.", status=422)
        out[key] = value.strip()
    if "category" in out and out["category"] not in Category.values:
        raise DomainError("invalid_scope", f"Unknown ticket category '{out['category']}'.", status=422)
    return out


def _clean_status_texts(texts: dict | None) -> dict:
    out = {}
    for lang, text in (texts or {}).items():
        if lang not in LANGUAGES:
            raise DomainError("invalid_language", f"Customer status texts are for {', '.join(LANGUAGES)}, not '{lang}'.",
                              status=422)
        text = (text or "").strip()
        if len(text) > 2000:
            raise DomainError("text_too_long", "A customer status text has at most 2000 characters.", status=422)
        if text:
            out[lang] = text
    return out


@transaction.atomic
def incident_open(*, title: str, scope: dict | None = None, problem_type: str = ProblemType.OTHER,
                  window_start: dt.datetime | None = None, window_end: dt.datetime | None = None,
                  customer_status: dict | None = None, expected_resolution_at: dt.datetime | None = None,
                  actor=None, first_alert_at: dt.datetime | None = None, playbook=None) -> Incident:
    title = (title or "").strip()
    if not title:
        raise DomainError("empty_title", "An incident needs a title.", status=422)
    if problem_type not in ProblemType.values:
        raise DomainError("invalid_problem_type", f"Unknown problem type '{problem_type}'.", status=422)
    at = now()
    start = window_start or at
    if window_end is not None and window_end <= start:
        raise DomainError("invalid_window", "The window must end after it starts.", status=422)
    incident = Incident.objects.create(
        title=title[:200], problem_type=problem_type, scope=scope_clean(scope), window_start=start,
        window_end=window_end, customer_status=_clean_status_texts(customer_status),
        expected_resolution_at=expected_resolution_at, opened_at=at, opened_by=actor,
        first_alert_at=first_alert_at, playbook=playbook)
    publish(names.INCIDENT_OPENED, incident_id=incident.pk, problem_type=incident.problem_type,
            by_alert=first_alert_at is not None)
    return incident


_UNSET = object()


@transaction.atomic
def incident_update(*, incident: Incident, actor=None, title: str | None = None, status: str | None = None,
                    scope: dict | None = None, customer_status: dict | None = None,
                    expected_resolution_at=_UNSET, window_end=_UNSET, problem_type: str | None = None) -> Incident:
    """Change what is given. ``customer_status`` is merged per language (an empty text removes
    that language); ``expected_resolution_at``/``window_end`` may be set to None to clear them.
    Resolving stamps ``resolved_at`` (and closes the window if open); reopening clears it."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    changed: list[str] = []
    if title is not None:
        title = title.strip()
        if not title:
            raise DomainError("empty_title", "An incident needs a title.", status=422)
        if title != incident.title:
            incident.title, changed = title[:200], changed + ["title"]
    if problem_type is not None and problem_type != incident.problem_type:
        if problem_type not in ProblemType.values:
            raise DomainError("invalid_problem_type", f"Unknown problem type '{problem_type}'.", status=422)
        incident.problem_type, changed = problem_type, changed + ["problem_type"]
    if scope is not None:
        cleaned = scope_clean(scope)
        if cleaned != incident.scope:
            incident.scope, changed = cleaned, changed + ["scope"]
    if customer_status is not None:
        merged = dict(incident.customer_status or {})
        for lang, text in (customer_status or {}).items():
            if lang not in LANGUAGES:
                raise DomainError("invalid_language",
                                  f"Customer status texts are for {', '.join(LANGUAGES)}, not '{lang}'.", status=422)
            merged.pop(lang, None)
        merged.update(_clean_status_texts(customer_status))
        if merged != incident.customer_status:
            incident.customer_status, changed = merged, changed + ["customer_status"]
    if expected_resolution_at is not _UNSET and expected_resolution_at != incident.expected_resolution_at:
        incident.expected_resolution_at, changed = expected_resolution_at, changed + ["expected_resolution_at"]
    if window_end is not _UNSET and window_end != incident.window_end:
        if window_end is not None and window_end <= incident.window_start:
            raise DomainError("invalid_window", "The window must end after it starts.", status=422)
        incident.window_end, changed = window_end, changed + ["window_end"]
    if status is not None and status != incident.status:
        if status not in IncidentStatus.values:
            raise DomainError("invalid_status", f"Unknown incident status '{status}'.", status=422)
        old = incident.status
        incident.status, changed = status, changed + ["status"]
        if status == IncidentStatus.RESOLVED:
            incident.resolved_at = now()
            if incident.window_end is None:
                incident.window_end, changed = incident.resolved_at, changed + ["window_end"]
        elif old == IncidentStatus.RESOLVED:
            incident.resolved_at = None
            if window_end is _UNSET and incident.window_end is not None:  # reopened: the window is open again
                incident.window_end, changed = None, changed + ["window_end"]
    if changed:
        changed = list(dict.fromkeys(changed))
        incident.save()
        publish(names.INCIDENT_UPDATED, incident_id=incident.pk, fields=changed,
                actor_id=getattr(actor, "pk", None))
    return incident


def _active(incident: Incident) -> bool:
    return incident.status in ACTIVE


def incident_link_ticket(*, incident: Incident, ticket: Ticket, actor=None, answer: bool = False,
                         automatic: bool = False) -> tuple[IncidentTicket, bool]:
    """Link the ticket to the incident: once (a repeat returns the link with created=False).
    A timeline row and ``incident.ticket_linked`` mark a new link. With ``answer`` the customer
    gets the incident's current status (once per link; see ``incident_answer``)."""
    try:
        with transaction.atomic():
            link, created = IncidentTicket.objects.get_or_create(
                incident=incident, ticket=ticket, defaults={"linked_at": now(), "linked_by": actor})
            if created:
                timeline_add(ticket=ticket, kind=TimelineKind.INCIDENT_LINKED, actor=actor,
                             incident_id=incident.pk, title=incident.title, automatic=automatic)
                publish(names.INCIDENT_TICKET_LINKED, incident_id=incident.pk, ticket_id=ticket.pk,
                        automatic=automatic, actor_id=getattr(actor, "pk", None))
    except IntegrityError:  # linked concurrently
        link, created = IncidentTicket.objects.get(incident=incident, ticket=ticket), False
    if answer and not link.answered:
        incident_answer(link=link)
        link.refresh_from_db()
    return link, created


def status_text(incident: Incident, language: str, time_zone: str | None = None) -> str:
    """What the incident tells a customer in ``language``: its status text in that language
    (else none), then the expected date when one is set."""
    language = language_of(language)
    parts = []
    text = (incident.customer_status or {}).get(language, "").strip()
    if text:
        parts.append(text if text[-1] in ".!?" else text + ".")
    if incident.expected_resolution_at:
        when = format_when(incident.expected_resolution_at, language, time_zone)
        parts.append(EXPECTED_SENTENCE[language].format(date=when))
    return " ".join(parts)


@transaction.atomic
def incident_answer(*, link: IncidentTicket):
    """Answer the linked ticket with the incident's status in the customer's language, as an
    automated message (it is no first response: the SLA clocks keep running for a person's
    answer). Once per link: the ``answered`` flag is claimed with a conditional UPDATE.
    Returns the message, or None when already answered or the customer cannot be reached."""
    if not IncidentTicket.objects.filter(pk=link.pk, answered=False).update(answered=True):
        return None
    link = IncidentTicket.objects.select_related("incident", "ticket__customer", "ticket__channel").get(pk=link.pk)
    ticket, incident = link.ticket, link.incident
    language = language_of(ticket.customer.language)
    zone = customer_zone(ticket.customer)
    fields = {"customer_name": ticket.customer.name or "", "reference": ticket.reference, "subject": ticket.subject,
              "incident_status": status_text(incident, language, zone),
              "expected_date": format_when(incident.expected_resolution_at, language, zone)
              if incident.expected_resolution_at else ""}
    text = re.sub(r"[ \t]{2,}", " ", render("incident_status", language, **fields))
    try:
        with transaction.atomic():
            return reply_send(ticket=ticket, author=None, body_text=text, automated=True, purpose="incident_status",
                              meta={"incident_id": incident.pk})
    except DomainError as exc:  # e.g. no address on this channel: linked, but not answered
        log.info("incident %s: ticket %s not answered (%s)", incident.pk, ticket.pk, exc.code)
        IncidentTicket.objects.filter(pk=link.pk).update(answered=False)
        return None


def incident_auto_link(*, ticket_id: int) -> list[IncidentTicket]:
    """A new customer ticket: link it to every active incident whose scope it matches and
    answer it once, with the most recently opened one's status. Safe to run twice."""
    from tanggap.incidents.selectors import incident_matching

    # Most of the time no incident is active: one cheap query, before the ticket's lookups
    # (this runs after every intake).
    if not Incident.objects.filter(status__in=ACTIVE).exclude(scope={}).exists():
        return []
    ticket = (Ticket.objects.select_related("customer", "channel").filter(pk=ticket_id).first())
    if ticket is None or ticket.initiated_by != Initiator.CUSTOMER or ticket.status == Status.CLOSED:
        return []
    if not ticket.messages.filter(direction="in", automated=False).exists():
        return []
    links = []
    for incident in incident_matching(ticket):
        link, _ = incident_link_ticket(incident=incident, ticket=ticket, automatic=True)
        links.append(link)
    if links and not IncidentTicket.objects.filter(ticket=ticket, answered=True).exists():
        incident_answer(link=links[0])
    return links
