"""Model → response dict. Kept apart so list endpoints stay query-count bounded."""

from __future__ import annotations


def user_ref(user):
    return {"id": user.pk, "username": user.username} if user else None


def ticket_out(t) -> dict:
    return {
        "id": t.pk, "reference": t.reference, "subject": t.subject, "status": t.status,
        "status_group": t.status_group, "priority": t.priority, "category": t.category,
        "channel": t.channel.kind, "customer": {"id": t.customer_id, "name": t.customer.name},
        "assignee": user_ref(t.assignee), "team": {"id": t.team.pk, "name": t.team.name} if t.team else None,
        "tags": [tag.name for tag in t.tags.all()], "initiated_by": t.initiated_by,
        "created_at": t.created_at, "updated_at": t.updated_at, "waiting_since": t.waiting_since,
        "first_response_at": t.first_response_at, "sla_due_at": t.sla_due_at,
    }


def promise_out(p) -> dict:
    return {"id": p.pk, "due_at": p.due_at, "status": p.status, "reason": p.reason, "made_at": p.made_at,
            "made_by": user_ref(p.made_by), "settled_at": p.settled_at}


def ticket_detail_out(t) -> dict:
    from tanggap.promises.selectors import promise_history
    from tanggap.sla.selectors import ticket_sla

    sla = ticket_sla(ticket=t)
    history = promise_history(ticket=t)
    promise = None
    if history:
        promise = {**promise_out(history[-1]), "history": [promise_out(p) for p in history]}
    return {
        **ticket_out(t),
        "sla": {
            "policy": {"id": sla["policy"].pk, "name": sla["policy"].name} if sla["policy"] else None,
            "due_at": t.sla_due_at, "next_update_at": sla["next_update_at"],
            "targets": [{"kind": x.kind, "key": x.key, "message_id": x.message_id, "status": x.status,
                         "started_at": x.started_at, "due_at": x.due_at, "met_at": x.met_at,
                         "breached_at": x.breached_at, "target_minutes": x.target_seconds // 60,
                         "used_minutes": x.used_seconds // 60} for x in sla["targets"]],
            "breaches": [{"kind": b.kind, "key": b.target.key, "breached_at": b.breached_at} for b in sla["breaches"]],
        },
        "promise": promise,
    }


def message_out(m) -> dict:
    return {
        "id": m.pk, "direction": m.direction, "channel": m.channel_kind, "external_id": m.external_id,
        "initiated_by": m.initiated_by, "subject": m.subject, "body_text": m.body_text, "body_html": m.body_html,
        "author": user_ref(m.author), "sent_at": m.sent_at, "automated": m.automated,
        "delivery_status": m.delivery_status, "attempts": m.attempts, "last_error": m.last_error,
        "attachments": [{"id": a.pk, "filename": a.filename, "content_type": a.content_type, "size": a.size}
                        for a in m.attachments.all()],
    }


def order_out(o, created: bool = False) -> dict:
    return {
        "id": o.pk, "external_id": o.external_id, "customer_id": o.customer_id, "status": o.status,
        "placed_at": o.placed_at, "total": o.total, "currency": o.currency, "courier": o.courier,
        "region": o.region, "created": created,
        "lines": [{"sku": li.product.sku, "name": li.product.name, "quantity": li.quantity, "unit_price": li.unit_price}
                  for li in o.lines.all()],
    }


def product_out(p, created: bool = False) -> dict:
    return {"id": p.pk, "sku": p.sku, "name": p.name, "category": p.category, "price": p.price, "created": created}
