"""The demo store's surveys (issue 6): called by tanggap.demo.parts after the tickets and journeys.

The four built-in surveys; a survey after each solved customer ticket (CSAT mostly, the
response-outcome survey of article 004 and CES for some), an NPS round to customers who
ordered, under the same one-survey-per-customer-per-period rule as live sends; about half
answered, with scores that differ by agent and channel; the low scores' recovery tasks (done
for the old ones, a few open, one overdue). Bulk inserts; the invitations themselves are not
written as messages. Deterministic per seed."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time

from django.db.models import Q

from tanggap.conversations.models import Ticket
from tanggap.surveys import scoring
from tanggap.surveys.builtins import builtins_ensure
from tanggap.surveys.models import RecoveryTask, SendStatus, SurveyResponse, SurveySend

COMMENTS = {
    "good": ["Cepat dan ramah, terima kasih!", "Masalah saya langsung beres.", "Terima kasih atas bantuannya kak.",
             "Pantas dan mesra, terima kasih!", "Quick and helpful, thanks."],
    "bad": ["Balasannya lama sekali.", "Masalah saya belum selesai sebenarnya.", "Saya harus menjelaskan berulang kali.",
            "Lambat dan tidak jelas.", "Jawapan lambat, masalah belum selesai."],
}
CHANNEL_BIAS = {"whatsapp": 0.35, "instagram": 0.2, "email": 0.0, "web": 0.0, "api": 0.0, "sms": -0.4}
WEEKS = 8  # surveys after the tickets solved in the last 8 weeks
ANSWER_RATE = {"whatsapp": 0.48, "instagram": 0.4, "email": 0.32, "sms": 0.25}


def _token(rng) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode().rstrip("=")


def _quality(username: str) -> float:
    """A stable per-agent offset from −0.9 to +0.6 (some agents get better scores than others)."""
    return int(hashlib.sha256(username.encode()).hexdigest()[:4], 16) / 0xFFFF * 1.5 - 0.9


def _pick(rng, quality: float, scale: list[int]) -> int:
    """A score on ``scale`` (low to high), skewed upward, shifted by ``quality`` (−1 … +1)."""
    x = rng.betavariate(4.0 + 2.5 * quality, 1.6 - 0.5 * quality)
    return scale[min(len(scale) - 1, int(x * len(scale)))]


def _outcome_answers(rng, quality: float) -> tuple[str, str]:
    x = rng.random() + 0.25 * quality
    satisfaction = ("very_dissatisfied" if x < 0.08 else "dissatisfied" if x < 0.2 else "slightly" if x < 0.38
                    else "fully")
    y = rng.random() + 0.2 * quality
    if satisfaction in ("dissatisfied", "very_dissatisfied"):
        feeling = "negative" if y < 0.5 else "neutral" if y < 0.85 else "warm"
    else:
        feeling = "negative" if y < 0.05 else "neutral" if y < 0.45 else "warm"
    return satisfaction, feeling


def play(ctx) -> dict:
    from tanggap.journeys.models import JourneyEvent
    from tanggap.surveys.services import period_days, recovery_due

    started = time.perf_counter()
    rng = ctx.rng
    now = ctx.now
    surveys = builtins_ensure()
    csat, nps, ces, outcome = surveys["csat"], surveys["nps"], surveys["ces"], surveys["outcome"]
    user_names = {u.pk: name for name, u in ctx.agents.items()}
    days = period_days()
    used: set[tuple[int, int]] = set()  # (customer, quota period)

    tickets = list(Ticket.objects.filter(status__in=["solved", "closed"], resolved_at__isnull=False,
                                         resolved_at__lt=now - dt.timedelta(hours=2), initiated_by="customer",
                                         resolved_at__gte=now - dt.timedelta(weeks=WEEKS))
                   .filter(Q(assignee__isnull=False)).select_related("channel", "customer")
                   .order_by("resolved_at", "id"))
    sends, plans = [], []
    for ticket in tickets:
        r = rng.random()
        survey = csat if r < 0.6 else outcome if r < 0.85 else ces
        sent_at = ticket.resolved_at + dt.timedelta(minutes=rng.randint(2, 30))
        period = (sent_at.date() - dt.date(2000, 1, 1)).days // days
        key = (ticket.customer_id, period)
        skipped = key in used or ticket.customer.proactive_opt_out
        used.add(key)
        kind = ticket.channel.kind if ticket.channel_id else ""
        answered = not skipped and rng.random() < ANSWER_RATE.get(kind, 0.35) and sent_at + dt.timedelta(days=1) < now
        send = SurveySend(
            survey=survey, customer_id=ticket.customer_id, ticket=ticket, trigger_key=f"solved:{survey.pk}:{ticket.pk}",
            status=SendStatus.SKIPPED if skipped else SendStatus.ANSWERED if answered else SendStatus.SENT,
            reason=("opted_out" if ticket.customer.proactive_opt_out else "quota") if skipped else "",
            due_at=sent_at, token=_token(rng), language=ticket.customer.language or "id",
            quota_period=None if skipped else period, sent_at=None if skipped else sent_at,
            expires_at=None if skipped else sent_at + dt.timedelta(days=survey.expiry_days),
            agent_id=ticket.assignee_id, team_id=ticket.team_id, channel_kind=kind, category=ticket.category,
            created_at=sent_at)
        sends.append(send)
        plans.append((send, answered, _quality(user_names.get(ticket.assignee_id, "")) + CHANNEL_BIAS.get(kind, 0)))

    # NPS: a round to customers who ordered, on the 1st of each of the last three months.
    from tanggap.customers.models import Order

    for months_back in (3, 2, 1):
        day = (now.date().replace(day=1) - dt.timedelta(days=31 * (months_back - 1))).replace(day=1)
        sent_at = dt.datetime.combine(day, dt.time(3, 0), tzinfo=dt.UTC)
        if sent_at >= now - dt.timedelta(days=1):
            continue
        buyers = list(Order.objects.filter(placed_at__lt=sent_at, placed_at__gte=sent_at - dt.timedelta(days=90))
                      .order_by("customer_id").values_list("customer_id", flat=True).distinct()[:300])
        period = (sent_at.date() - dt.date(2000, 1, 1)).days // days
        for customer_id in buyers:
            if (customer_id, period) in used or rng.random() < 0.5:
                continue
            used.add((customer_id, period))
            answered = rng.random() < 0.25
            send = SurveySend(survey=nps, customer_id=customer_id, trigger_key=f"periodic:{nps.pk}:{customer_id}:{day}",
                              status=SendStatus.ANSWERED if answered else SendStatus.SENT, due_at=sent_at,
                              token=_token(rng), quota_period=period, sent_at=sent_at,
                              expires_at=sent_at + dt.timedelta(days=nps.expiry_days), created_at=sent_at)
            sends.append(send)
            plans.append((send, answered, 0.0))
    SurveySend.objects.bulk_create(sends, batch_size=500)
    if any(s.pk is None for s in sends):  # backends without RETURNING ids on bulk insert
        ids = dict(SurveySend.objects.filter(trigger_key__in=[s.trigger_key for s in sends])
                   .values_list("trigger_key", "pk"))
        for s in sends:
            s.pk = s.id = ids[s.trigger_key]

    responses = []
    forced = iter([("fully", "warm"), ("fully", "neutral"), ("slightly", "neutral"), ("dissatisfied", "neutral"),
                   ("very_dissatisfied", "negative")])  # every one of the five outcomes is present
    for send, answered, quality in plans:
        if not answered:
            continue
        answered_at = send.sent_at + dt.timedelta(minutes=rng.randint(10, 60 * 30))
        kind = send.survey.kind
        answers: dict = {}
        score = result = None
        if kind == "outcome":
            satisfaction, feeling = next(forced, None) or _outcome_answers(rng, quality)
            answers = {"satisfaction": satisfaction, "feeling": feeling}
            result = scoring.outcome_of(satisfaction, feeling)
        else:
            scale = {"csat": list(range(1, 6)), "ces": list(range(1, 8)), "nps": list(range(0, 11))}[kind]
            score = _pick(rng, max(-1.0, min(1.0, quality)), scale)
            answers = {"score": score}
        low = scoring.is_low(kind, score, result)
        if rng.random() < (0.6 if low else 0.2):
            answers["comment"] = rng.choice(COMMENTS["bad" if low else "good"])
        responses.append(SurveyResponse(send_id=send.pk, survey=send.survey, kind=kind, answers=answers, score=score,
                                        outcome=result, low=low, answered_at=min(answered_at, now - dt.timedelta(minutes=5))))
    SurveyResponse.objects.bulk_create(responses, batch_size=500)
    if any(r.pk is None for r in responses):
        ids = dict(SurveyResponse.objects.filter(send_id__in=[r.send_id for r in responses]).values_list("send_id", "pk"))
        for r in responses:
            r.pk = r.id = ids[r.send_id]

    by_send = {s.pk: s for s in sends}
    JourneyEvent.objects.bulk_create([
        JourneyEvent(customer_id=by_send[r.send_id].customer_id, kind="survey_answered", occurred_at=r.answered_at,
                     channel="survey", source="tanggap-surveys", external_id=f"survey-response-{r.pk}",
                     summary=f"{by_send[r.send_id].survey.name_in('id')}: "
                             + (str(r.score) if r.score is not None else f"hasil {r.outcome}"),
                     data={"survey": by_send[r.send_id].survey.key, "kind": r.kind, "score": r.score,
                           "outcome": r.outcome, "ticket_id": by_send[r.send_id].ticket_id, "survey_response_id": r.pk},
                     created_at=r.answered_at)
        for r in responses], batch_size=500)

    # Recovery tasks on the low scores about a ticket: the old ones done, the last three open
    # (the oldest of those overdue).
    low = [r for r in responses if r.low and by_send[r.send_id].ticket_id]
    low.sort(key=lambda r: (r.answered_at, r.pk))
    tickets_by_id = Ticket.objects.in_bulk([by_send[r.send_id].ticket_id for r in low])
    tasks = []
    for i, r in enumerate(low):
        ticket = tickets_by_id[by_send[r.send_id].ticket_id]
        open_ = i >= len(low) - 3
        created = r.answered_at
        if open_ and i == len(low) - 3:
            created = min(created, now - dt.timedelta(days=3))  # this one is overdue
        elif open_:
            created = now - dt.timedelta(minutes=40 + 30 * i % 90)
        due = recovery_due(ticket=ticket, at=created)
        done_at = None if open_ else min(due - dt.timedelta(minutes=rng.randint(5, 200)), now)
        tasks.append(RecoveryTask(response=r, ticket=ticket, assignee_id=ticket.assignee_id, due_at=due,
                                  created_at=created, done_at=max(done_at, created) if done_at else None,
                                  done_by_id=ticket.assignee_id if done_at else None,
                                  note="Pelanggan sudah ditelepon, masalah dibereskan." if done_at else ""))
    RecoveryTask.objects.bulk_create(tasks)
    open_ids = [t.ticket_id for t in tasks if t.done_at is None]
    from tanggap.conversations.services import ticket_update

    for ticket in Ticket.objects.filter(pk__in=open_ids, status__in=["solved", "closed"]).order_by("id"):
        ticket_update(ticket=ticket, actor=None, status="open")  # a low score reopens the ticket
    outcomes = [r.outcome for r in responses if r.outcome]
    return {"survey_sends": len(sends), "survey_responses": len(responses),
            "survey_outcomes": {k: outcomes.count(k) for k in range(1, 6)},
            "recovery_tasks": len(tasks), "recovery_open": len(open_ids),
            "seconds": round(time.perf_counter() - started, 2)}
