"""Content ideas from complaint themes (issue 6, article 003: a packaging complaint became a guide
to spotting fakes).

Recent customer tickets (subject + first customer message) are turned into TF-IDF vectors of their
stems (Sastrawi for id/ms, Snowball for en: "kemasannya", "kemasan" and "dikemas" count as one
term), grouped with k-means (k chosen by the silhouette score among 2..10), and each group large
enough becomes a theme: its top terms, example tickets (the closest to the centre), its volume per
ISO week, and whether a published article already covers it: the best search hit for the theme's
words covers it when it shares at least half of the theme's top stems. An uncovered theme gets an
outline (headings from its terms and example questions) that a manager turns into a draft.

The computation is stored (``IdeaRun``) and read by the page; it runs on demand (a button) and in
the demo, not on every page view (about a second for 1,000 tickets here)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db import transaction

from tanggap.common.clock import now
from tanggap.common.errors import DomainError, NotFound
from tanggap.knowledge.models import IdeaRun, SearchDoc
from tanggap.knowledge.text import stem, words

TOP_TERMS = 6
EXAMPLES = 3
MAX_TICKETS = 1500
COVERAGE = 0.5


def _ticket_texts(since: dt.datetime, until: dt.datetime) -> list[dict]:
    from tanggap.conversations.choices import Direction
    from tanggap.conversations.models import Message, Ticket

    tickets = list(Ticket.objects.filter(created_at__gte=since, created_at__lt=until, initiated_by="customer")
                   .select_related("customer").order_by("-created_at", "-id")[:MAX_TICKETS])
    first = {}
    for ticket_id, body in (Message.objects.filter(ticket__in=tickets, direction=Direction.INBOUND)
                            .order_by("ticket_id", "created_at", "id").values_list("ticket_id", "body_text")):
        first.setdefault(ticket_id, body)
    out = []
    for t in tickets:
        language = t.customer.language if t.customer.language in ("id", "ms", "en") else "id"
        out.append({"id": t.pk, "reference": t.reference, "subject": t.subject, "created_at": t.created_at,
                    "language": language, "text": f"{t.subject}\n{first.get(t.pk, '')[:1500]}"})
    return out


def _week(day: dt.datetime) -> str:
    iso = day.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def _outline(display: list[str], examples: list[dict]) -> dict:
    w = display + ["", "", ""]
    title = f"Panduan: {w[0]} {w[1]}".strip()
    lines = [f"## Mengapa pelanggan bertanya tentang {w[0]} dan {w[1]}".rstrip(" dan"),
             f"Jelaskan singkat apa yang terjadi pada {', '.join(display[:3])}.", "",
             f"## Cara memeriksa {w[0]} {w[2]}".strip(), "- Langkah 1", "- Langkah 2", "",
             "## Pertanyaan pelanggan yang dijawab artikel ini"]
    lines += [f"- {e['subject']}" for e in examples if e["subject"]]
    lines += ["", "## Kapan menghubungi kami", "Sebutkan nomor pesanan dan lampirkan foto."]
    return {"title": title[:200], "body": "\n".join(lines)}


def _coverage(display: list[str], terms: list[str]) -> dict | None:
    from tanggap.knowledge.selectors import article_search

    hits = article_search(" ".join(display), limit=3)
    for hit in hits:
        doc = SearchDoc.objects.filter(translation=hit.translation, published=True).first()
        if doc is None:
            continue
        have = set(doc.title_stems.split()) | set(doc.body_stems.split())
        # The theme's terms in any of the three stemmings (a theme may mix languages).
        shared = [t for t in terms if t in have or stem(t, "en") in have]
        if len(shared) >= COVERAGE * len(terms):
            return {"article_id": hit.article.pk, "slug": hit.article.slug, "title": hit.title,
                    "shared": shared}
    return None


def ideas_compute(*, at: dt.datetime | None = None, days: int = 56, min_share: float = 0.03) -> IdeaRun:
    """Group the last ``days`` days of customer tickets into themes and store the result."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import silhouette_score

    until = at or now()
    since = until - dt.timedelta(days=days)
    tickets = _ticket_texts(since, until)
    surface: dict[str, Counter] = defaultdict(Counter)
    docs = []
    for t in tickets:
        tokens = []
        for w in words(t["text"]):
            if w.isdigit() or len(w) < 3:
                continue
            s = stem(w, t["language"])
            surface[s][w] += 1
            tokens.append(s)
        docs.append(tokens)
    themes: list[dict] = []
    if len(tickets) >= 6:
        vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens, min_df=2, max_df=0.4, sublinear_tf=True)
        try:
            matrix = vectorizer.fit_transform(docs)
        except ValueError:  # no term in two tickets
            matrix = None
        if matrix is not None and matrix.shape[1] >= 2:
            vocab = np.array(vectorizer.get_feature_names_out())
            best = None
            for k in range(2, min(10, len(tickets) // 3) + 1):
                model = KMeans(n_clusters=k, n_init=2, random_state=0).fit(matrix)
                if len(set(model.labels_)) < 2:
                    continue
                score = silhouette_score(matrix, model.labels_, sample_size=min(600, len(tickets)), random_state=0)
                if best is None or score > best[0]:
                    best = (score, model)
            if best is not None:
                themes = _themes(best[1], matrix, vocab, tickets, surface, since, until, min_share)
    with transaction.atomic():
        run = IdeaRun.objects.create(computed_at=now(), since=since, tickets=len(tickets), themes=themes)
    return run


def _themes(model, matrix, vocab, tickets, surface, since, until, min_share) -> list[dict]:
    import numpy as np

    weeks, day = [], since
    while day < until:
        if _week(day) not in weeks:
            weeks.append(_week(day))
        day += dt.timedelta(days=1)
    out = []
    minimum = max(3, int(min_share * len(tickets)))
    for label in range(model.n_clusters):
        members = np.where(model.labels_ == label)[0]
        if len(members) < minimum:
            continue
        centre = model.cluster_centers_[label]
        terms = [str(vocab[i]) for i in np.argsort(centre)[::-1][:TOP_TERMS] if centre[i] > 0]
        display = [surface[t].most_common(1)[0][0] if surface[t] else t for t in terms]
        distances = model.transform(matrix[members])[:, label]
        order = members[np.argsort(distances, kind="stable")]
        examples = [{"id": tickets[i]["id"], "reference": tickets[i]["reference"], "subject": tickets[i]["subject"]}
                    for i in order[:EXAMPLES]]
        per_week = Counter(_week(tickets[i]["created_at"]) for i in members)
        out.append({"size": int(len(members)), "terms": terms, "words": display, "examples": examples,
                    "weeks": [{"week": w, "count": per_week.get(w, 0)} for w in weeks],
                    "covered_by": _coverage(display, terms), "outline": _outline(display, examples)})
    out.sort(key=lambda t: -t["size"])
    return out


@transaction.atomic
def idea_draft(*, actor, run_id: int, index: int):
    """Turn an uncovered theme's outline into a draft article (Indonesian; translations follow)."""
    from tanggap.knowledge.services import article_create

    run = IdeaRun.objects.filter(pk=run_id).first()
    if run is None or not 0 <= index < len(run.themes):
        raise NotFound("idea_not_found", "No such content idea.")
    theme = run.themes[index]
    outline = theme["outline"]
    slug = f"ide-{run.pk}-{index + 1}"
    if theme.get("draft_id"):
        raise DomainError("idea_drafted", "A draft was already made from this idea.", status=409)
    article = article_create(actor=actor, slug=slug, translations={"id": outline})
    run.themes[index] = {**theme, "draft_id": article.pk}
    IdeaRun.objects.filter(pk=run.pk).update(themes=run.themes)
    return article
