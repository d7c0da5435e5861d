"""The demo store's reviews (issue 6): called by tanggap.demo.parts after the tickets and journeys.

Forty reviews of delivered orders on Tokopedia and Shopee, in each customer's language (id, ms,
en), mostly positive, some neutral, a few negative. Every one goes through the real intake
(``review_receive``), so negative ones open their high-priority tickets with the short SLA. The
oldest negative review is handled (the agent replied from its template, the marketplace took the
reply, the ticket is solved); the newest is left waiting in the queue.
"""

from __future__ import annotations

import datetime as dt

from tanggap.channels.adapters.marketplace import ReviewData
from tanggap.conversations.choices import Status
from tanggap.conversations.services import reply_send, ticket_update
from tanggap.customers.models import Identity, Order
from tanggap.demo.aftercare import frozen, mark_sent
from tanggap.reviews import services
from tanggap.reviews.models import Review
from tanggap.reviews.replies import reply_template_for

N_REVIEWS = 40

TEXTS = {
    "id": {
        5: ["Mantap, barang sesuai pesanan dan pengiriman cepat", "Packing rapi, seller ramah. Recommended!",
            "Kualitas bagus, harga murah. Pasti order lagi", "Original, sampai dengan aman. Terima kasih kak",
            "Suka banget, sesuai foto"],
        4: ["Bagus, cuma pengiriman agak lama", "Barang oke, sesuai deskripsi", "Lumayan bagus untuk harganya"],
        3: ["Biasa saja, sesuai harga", "Lumayan, ukuran pas"],
        "neg3": ["Warnanya tidak sesuai foto, kecewa", "Barang oke tapi kemasan penyok dan telat"],
        2: ["Pengiriman lambat sekali, admin tidak responsif", "Kualitas kurang bagus, jahitan lepas"],
        1: ["Barang sampai rusak, dus penyok. Kecewa banget", "Produk palsu, bukan original. Tidak sesuai deskripsi"],
    },
    "ms": {
        5: ["Barang cantik, seller mesra. Puas hati!", "Sedap dan berbaloi, penghantaran pantas",
            "Best, memang berbaloi dengan harga"],
        4: ["Barang elok, cuma penghantaran lambat sikit", "Kualiti ok, bungkusan kemas"],
        3: ["Biasa saja, ikut harga"],
        "neg3": ["Saiz tak sama dengan gambar, rugi beli"],
        2: ["Penghantaran lembap, dah seminggu baru sampai"],
        1: ["Barang sampai rosak, sangat hampa dengan servis kedai ni"],
    },
    "en": {
        5: ["Great product, fast delivery, would recommend", "Exactly as described, seller was friendly"],
        4: ["Good quality, delivery took a bit long"],
        3: ["Okay for the price"],
        "neg3": ["Nice design but it arrived damaged"],
        2: ["Delivery was late and support never answered"],
        1: ["The box arrived broken, very disappointed"],
    },
}
# Ratings in order of the reviews: mostly 5 and 4, some 3 (a few of them negative), a few 1-2.
RATINGS = [5] * 17 + [4] * 11 + [3] * 4 + ["neg3"] * 3 + [2] * 2 + [1] * 3


def _reviewer(customer) -> dict:
    email = Identity.objects.filter(customer=customer, kind="email").order_by("id").values_list("value", flat=True).first()
    phone = Identity.objects.filter(customer=customer, kind="phone").order_by("id").values_list("value", flat=True).first()
    handle = "".join(ch for ch in (customer.name or f"pembeli{customer.pk}").lower() if ch.isalnum())[:20]
    return {"reviewer_name": customer.name, "reviewer_handle": f"{handle}{customer.pk % 97}",
            "reviewer_email": email or "", "reviewer_phone": "" if email else (phone or "")}


def _team_ids(user) -> set[int]:
    profile = getattr(user, "profile", None)
    return set(profile.teams.values_list("id", flat=True)) if profile is not None else set()


def play(ctx) -> dict:
    rng = ctx.rng
    customer_ids = sorted(c.pk for c in ctx.customers.values())
    orders = list(Order.objects.filter(customer_id__in=customer_ids, delivered_at__isnull=False,
                                       delivered_at__lt=ctx.now - dt.timedelta(days=2),
                                       # reviews come in the weeks after delivery, within the demo's ticket days
                                       delivered_at__gte=ctx.now - dt.timedelta(days=50))
                  .select_related("customer").prefetch_related("lines__product").order_by("delivered_at", "id"))
    orders = [o for o in orders if o.lines.all()]
    if not orders:
        return {"reviews": 0}
    picked = sorted(rng.sample(orders, min(N_REVIEWS, len(orders))), key=lambda o: (o.delivered_at, o.pk))
    ratings = RATINGS[:]
    rng.shuffle(ratings)
    negatives: list[Review] = []
    for i, order in enumerate(picked):
        kind = ratings[i % len(ratings)]
        language = order.customer.language if order.customer.language in TEXTS else "id"
        text = rng.choice(TEXTS[language][kind])
        posted = min(order.delivered_at + dt.timedelta(hours=rng.randint(6, 96)), ctx.now - dt.timedelta(hours=3))
        product = order.lines.all()[0].product
        with frozen(posted):
            review, _ = services.review_receive(data=ReviewData(
                source="tokopedia" if i % 3 else "shopee", external_id=f"DEMO-RV-{10_000 + i}",
                rating=3 if kind == "neg3" else kind, text=text, posted_at=posted, product_sku=product.sku,
                product_name=product.name, order_external_id=order.external_id, language=language,
                **_reviewer(order.customer)))
        if review.ticket_id:
            negatives.append(review)
    handled = 0
    # Routed as every other ticket of the demo: the customer-service team, one of its agents.
    team = ctx.teams.get("Layanan Pelanggan")
    members = [u for _, u in sorted(ctx.agents.items())
               if team is not None and team.pk in _team_ids(u)]
    agent = members[0] if members else (ctx.agents[sorted(ctx.agents)[0]] if ctx.agents else None)
    for review in negatives:
        with frozen(review.posted_at + dt.timedelta(minutes=1)):
            ticket_update(ticket=review.ticket, actor=None, team=team)
    # The older half of the negative reviews is answered and solved; the newest always waits.
    for review in negatives[: max(1, len(negatives) // 2)] if len(negatives) > 1 else []:
        answered = review.posted_at + dt.timedelta(minutes=rng.randint(20, 50))
        with frozen(answered - dt.timedelta(minutes=2)):
            ticket_update(ticket=review.ticket, actor=agent, assignee=agent)
        with frozen(answered):
            message = reply_send(ticket=review.ticket, author=agent, body_text=reply_template_for(review))
        mark_sent(review.ticket_id)  # the demo has no marketplace behind it
        services.reply_delivered(message_id=message.pk)
        with frozen(answered + dt.timedelta(hours=2)):
            ticket_update(ticket=review.ticket, actor=agent, status=Status.SOLVED)
        handled += 1
    reviews = Review.objects.filter(external_id__startswith="DEMO-RV-")
    return {"reviews": reviews.count(), "negative": len(negatives), "handled": handled,
            "waiting": len(negatives) - handled,
            "languages": {lang: reviews.filter(language=lang).count() for lang in ("id", "ms", "en")}}
