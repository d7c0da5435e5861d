"""Knowledge base routes in the permission matrix: the help center is public (published copies
only), the console pages are for staff, publishing is for leads and admins, the API for staff tokens."""

from __future__ import annotations

from tests.security.matrix_base import NOCHANGE, OK, REACHED, Case, api, console, everyone, manager  # noqa: F401

DRAFT_MARKER = "DRAF-BELUM-TERBIT"


def no_draft(role, response, world):
    return f"draft text shown to {role}" if DRAFT_MARKER in response.content.decode() else None


def build(world, users):
    from tanggap.knowledge import services

    published = services.article_create(actor=users["admin"], slug="matrix-terbit", translations={
        "id": {"title": "Pengembalian dana", "body": "Dana dikembalikan dalam 7 hari."}})
    services.article_publish(actor=users["admin"], article=published)
    draft = services.article_create(actor=users["admin"], slug="matrix-draf", translations={
        "id": {"title": f"Pengembalian {DRAFT_MARKER}", "body": f"Dana {DRAFT_MARKER} dikembalikan."}})
    world.ids["kb_published"], world.ids["kb_draft"] = published.pk, draft.pk


ARTICLE = {"slug": "matrix-baru", "translations": {"id": {"title": "Judul", "body": "Isi"}}}

CASES = [
    # The public help center: anyone, published copies only.
    Case("GET", "/portal/help/", everyone(), check=no_draft),
    Case("GET", "/portal/help/?q=pengembalian+dana", everyone(), check=no_draft, label="search"),
    Case("GET", "/portal/help/suggest/?q=pengembalian+dana", everyone(), check=no_draft),
    Case("GET", "/portal/help/matrix-terbit/", everyone()),
    Case("GET", "/portal/help/matrix-draf/", everyone(404), label="a draft"),
    Case("POST", "/portal/help/matrix-terbit/answered/", everyone(OK), {"lang": "id"}),
    # Console
    Case("GET", "/knowledge/", console()),
    Case("GET", "/knowledge/new/", console()),
    Case("POST", "/knowledge/new/", console(agent=REACHED, admin=REACHED), {"title_id": ""}),
    Case("GET", "/knowledge/{kb_draft}/", console()),
    Case("POST", "/knowledge/{kb_draft}/", console(agent=REACHED, admin=REACHED), {"title_id": ""}),
    Case("POST", "/knowledge/{kb_draft}/submit/", console()),
    Case("POST", "/knowledge/{kb_draft}/publish/", manager()),
    Case("POST", "/knowledge/{kb_published}/unpublish/", manager()),
    # API
    Case("GET", "/api/v1/knowledge/articles", api()),
    Case("GET", "/api/v1/knowledge/search?q=pengembalian", api()),
    Case("GET", "/api/v1/knowledge/search?q=pengembalian&published=true", api(), check=no_draft, label="published"),
    Case("GET", "/api/v1/knowledge/articles/{kb_draft}", api()),
    Case("POST", "/api/v1/knowledge/articles", api(), ARTICLE, "json"),
    Case("PATCH", "/api/v1/knowledge/articles/{kb_draft}", api(), {"category": ""}, "json"),
    Case("POST", "/api/v1/knowledge/articles/{kb_draft}/submit", api(), {}, "json"),
    Case("POST", "/api/v1/knowledge/articles/{kb_draft}/publish", api(agent=403, lead=OK), {}, "json"),
]

CASES += [
    Case("GET", "/knowledge/ideas/", manager()),
    Case("POST", "/knowledge/ideas/compute/", manager()),
    Case("POST", "/knowledge/ideas/999999/0/draft/", manager(lead=404, admin=404), label="no such idea"),
]
