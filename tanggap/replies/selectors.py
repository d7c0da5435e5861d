"""Which reply templates fit the ticket in front of the agent, and which solved tickets resemble it.

The ticket's situation is read from what the product already stores: the latest inbound
message's triage (language, sentiment, urgency: the customer's mood), the ticket's category,
whether it is its first answer or was reopened, a missed SLA target, a remedy, a link to an
incident, a promise re-dated or broken. Templates are ranked by how well their tags fit
(docs/replies.md gives the weights); each suggestion says why it was chosen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tanggap.common.clock import now
from tanggap.conversations.choices import Direction, Status, TimelineKind
from django.db.models import Exists, OuterRef

from tanggap.conversations.models import Message, Ticket, TimelineEntry
from tanggap.replies.models import Mood, ReplyTemplate, Situation

LANGUAGES = ("id", "ms", "en")
FALLBACK = {"id": ("id", "ms", "en"), "ms": ("ms", "id", "en"), "en": ("en", "id", "ms")}
# Weights of a template's fit (docs/replies.md).
W_CATEGORY, W_SITUATION, W_MOOD, W_MOOD_MISS, W_LANGUAGE = 3, 2, 2, -2, 1


@dataclass
class TicketSituation:
    language: str
    mood: str
    mood_reason: str
    category: str
    situations: set[str] = field(default_factory=set)

    @property
    def mood_label(self) -> str:
        return str(dict(Mood.choices)[self.mood])


def mood_of(sentiment: str, score: float, urgency: str) -> tuple[str, str]:
    """(mood, why) from a message's triage."""
    if sentiment == "negative":
        if urgency in ("high", "urgent") or score <= -0.6:
            return Mood.ANGRY, _("negative and urgent") if urgency in ("high", "urgent") else _("strongly negative")
        return Mood.WORRIED, _("negative")
    if sentiment == "positive":
        return Mood.HAPPY, _("positive")
    if urgency == "urgent":
        return Mood.WORRIED, _("urgent")
    if sentiment == "neutral":
        return Mood.NEUTRAL, _("neutral")
    return Mood.NEUTRAL, _("no reading yet")


def situation_of(ticket: Ticket) -> TicketSituation:
    from tanggap.incidents.models import IncidentStatus, IncidentTicket
    from tanggap.promises.models import Promise, PromiseStatus
    from tanggap.remedies.models import Remedy
    from tanggap.sla.models import SlaBreach
    from tanggap.triage.models import MessageTriage

    reading = (MessageTriage.objects.filter(ticket_id=ticket.pk).order_by("-created_at", "-id")
               .values("language", "sentiment", "sentiment_score", "urgency").first())
    if reading:
        mood, why = mood_of(reading["sentiment"], reading["sentiment_score"], reading["urgency"])
    else:
        mood, why = mood_of("", 0.0, "normal")
    language = (reading or {}).get("language") or getattr(ticket.customer, "language", "") or "id"
    language = language if language in LANGUAGES else "id"
    # One query for the situations (the ticket page already runs many).
    flags = Ticket.objects.filter(pk=ticket.pk).annotate(
        reopened=Exists(TimelineEntry.objects.filter(ticket=OuterRef("pk"), kind=TimelineKind.REOPENED)),
        breached=Exists(SlaBreach.objects.filter(ticket=OuterRef("pk"))),
        remedy=Exists(Remedy.objects.filter(ticket=OuterRef("pk"))),
        incident=Exists(IncidentTicket.objects.filter(ticket=OuterRef("pk"))
                        .exclude(incident__status=IncidentStatus.RESOLVED)),
        slipped=Exists(Promise.objects.filter(ticket=OuterRef("pk"),
                                              status__in=[PromiseStatus.REDATED, PromiseStatus.BROKEN])),
    ).values("first_response_at", "reopened", "breached", "remedy", "incident", "slipped").first() or {}
    found = set()
    if flags and flags["first_response_at"] is None:
        found.add(Situation.FIRST_CONTACT)
    for key, situation in (("reopened", Situation.REOPENED), ("breached", Situation.SLA_BREACHED),
                           ("remedy", Situation.REMEDY), ("incident", Situation.INCIDENT),
                           ("slipped", Situation.PROMISE_SLIPPED)):
        if flags.get(key):
            found.add(situation)
    return TicketSituation(language=language, mood=mood, mood_reason=why, category=ticket.category or "",
                           situations=found)


@dataclass
class Suggestion:
    template: ReplyTemplate
    score: int
    language: str  # the language of ``text``
    text: str
    reasons: list[str]
    in_customer_language: bool


def render(body: str, *, ticket: Ticket, agent=None) -> str:
    """Fill the placeholders a template may use (plain replacement: nothing else is evaluated)."""
    customer = ticket.customer
    name = (customer.name or "").strip() if customer else ""
    agent_name = ""
    if agent is not None:
        agent_name = (agent.get_full_name() or agent.get_username()) if hasattr(agent, "get_full_name") else ""
    values = {"{customer_name}": name or _("Customer"), "{ticket_reference}": ticket.reference,
              "{agent_name}": agent_name}
    for key, value in values.items():
        body = body.replace(key, value)
    return body


def rank(templates, situation: TicketSituation) -> list[tuple[int, ReplyTemplate, list[str]]]:
    """Templates that fit, best first, with their score and reasons. A template tagged with
    categories or situations fits only tickets that have one of them; moods only rank."""
    from tanggap.conversations.choices import Category

    mood_label = dict(Mood.choices)
    situation_label = dict(Situation.choices)
    category_label = dict(Category.choices)
    out = []
    for t in templates:
        score, reasons = 0, []
        if t.categories:
            if situation.category not in t.categories:
                continue
            score += W_CATEGORY
            reasons.append(str(category_label.get(situation.category, situation.category)))
        if t.situations:
            hits = [s for s in t.situations if s in situation.situations]
            if not hits:
                continue
            score += W_SITUATION * len(hits)
            reasons += [str(situation_label.get(s, s)) for s in hits]
        if t.moods:
            if situation.mood in t.moods:
                score += W_MOOD
                reasons.append(_("customer seems %(mood)s") % {"mood": str(mood_label[situation.mood]).lower()})
            else:
                score += W_MOOD_MISS
        if t.body(situation.language).strip():
            score += W_LANGUAGE
        out.append((score, t, reasons))
    out.sort(key=lambda x: (-x[0], x[1].title.lower(), x[1].pk))
    return out


def suggestions_for(ticket: Ticket, *, agent=None, limit: int = 5,
                    situation: TicketSituation | None = None) -> list[Suggestion]:
    situation = situation or situation_of(ticket)
    out = []
    for score, t, reasons in rank(ReplyTemplate.objects.filter(active=True), situation)[:limit]:
        language = next((code for code in FALLBACK[situation.language] if t.body(code).strip()), situation.language)
        out.append(Suggestion(template=t, score=score, language=language,
                              text=render(t.body(language), ticket=ticket, agent=agent), reasons=reasons,
                              in_customer_language=language == situation.language))
    return out


@dataclass
class SimilarTicket:
    ticket: Ticket
    similarity: float
    answer: str  # the last reply an agent sent on it


SIMILAR_CANDIDATES = 400
SIMILAR_MIN = 0.12


def _texts(ticket_ids: list[int]) -> dict[int, str]:
    """Subject plus the first inbound message of each ticket."""
    out: dict[int, str] = {}
    rows = (Message.objects.filter(ticket_id__in=ticket_ids, direction=Direction.INBOUND)
            .order_by("ticket_id", "created_at", "id").values_list("ticket_id", "body_text"))
    for tid, body in rows:
        out.setdefault(tid, (body or "")[:2000])
    return out


def similar_solved(*, user, ticket: Ticket, limit: int = 3) -> list[SimilarTicket]:
    """Solved tickets the agent may see whose first message reads like this one's (TF-IDF
    cosine over words and word pairs, among the most recent solved tickets; same category first)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from tanggap.conversations.selectors import tickets_visible_to

    since = now() - dt.timedelta(days=365)
    base = (tickets_visible_to(user).filter(status__in=[Status.SOLVED, Status.CLOSED], created_at__gte=since)
            .exclude(pk=ticket.pk))
    subjects: dict[int, str] = {}
    if ticket.category:
        subjects = dict(base.filter(category=ticket.category).order_by("-updated_at")
                        .values_list("id", "subject")[:SIMILAR_CANDIDATES])
    if len(subjects) < SIMILAR_CANDIDATES:
        for i, subject in base.order_by("-updated_at").values_list("id", "subject")[:SIMILAR_CANDIDATES]:
            if len(subjects) >= SIMILAR_CANDIDATES:
                break
            subjects.setdefault(i, subject)
    ids = list(subjects)
    if not ids:
        return []
    bodies = _texts(ids + [ticket.pk])
    docs = [f"{subjects.get(i, '')}\n{bodies.get(i, '')}" for i in ids]
    query = f"{ticket.subject}\n{bodies.get(ticket.pk, '')}"
    try:
        vec = TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                              token_pattern=r"(?u)\b\w\w+\b")
        matrix = vec.fit_transform(docs + [query])
    except ValueError:  # no words at all
        return []
    scores = (matrix[:-1] @ matrix[-1].T).toarray().ravel()
    best = [(float(scores[k]), ids[k]) for k in scores.argsort()[::-1][:limit] if scores[k] >= SIMILAR_MIN]
    if not best:
        return []
    tickets = Ticket.objects.in_bulk([tid for _, tid in best])
    answers: dict[int, str] = {}
    for tid, body in (Message.objects.filter(ticket_id__in=list(tickets), direction=Direction.OUTBOUND, automated=False)
                      .order_by("ticket_id", "-created_at", "-id").values_list("ticket_id", "body_text")):
        answers.setdefault(tid, body or "")
    return [SimilarTicket(ticket=tickets[tid], similarity=round(s, 3), answer=answers.get(tid, ""))
            for s, tid in best if tid in tickets]
