"""The knowledge API end to end: drafts, review, publishing by leads only, pagination, clear errors."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ARTICLE = {"slug": "cek-keaslian", "translations": {
    "id": {"title": "Cara mengenali produk palsu", "body": "## Periksa kemasan\n- Segel hologram utuh"},
    "ms": {"title": "Cara mengenal pasti produk tiruan", "body": "Periksa pembungkusan dan segel hologram."},
    "en": {"title": "How to spot a fake product", "body": "Check the packaging and the hologram seal."}}}


def test_an_agent_writes_a_draft_a_lead_publishes_it(api_for, agent, make_staff, team):
    lead = make_staff("lina", "lead", [team])
    as_agent, as_lead = api_for(agent), api_for(lead)
    created = as_agent.post("/knowledge/articles", ARTICLE)
    assert created.status_code == 201, created.body
    article_id = created.body["id"]
    assert created.body["state"] == "draft" and created.body["published_at"] is None
    assert "<h2>Periksa kemasan</h2><ul><li>Segel hologram utuh</li></ul>" in {t["language"]: t for t in created.body["translations"]}["id"]["body_html"]

    assert as_agent.post(f"/knowledge/articles/{article_id}/submit").body["state"] == "review"
    refused = as_agent.post(f"/knowledge/articles/{article_id}/publish")
    assert refused.status_code == 403 and refused.body["error"]["code"] == "not_reviewer"
    published = as_lead.post(f"/knowledge/articles/{article_id}/publish")
    assert published.status_code == 200 and published.body["state"] == "published"
    assert {t["published_title"] for t in published.body["translations"]} == {
        "Cara mengenali produk palsu", "Cara mengenal pasti produk tiruan", "How to spot a fake product"}

    hits = as_agent.get("/knowledge/search?q=kemasan+palsu&published=true&language=id").body
    assert [h["slug"] for h in hits] == ["cek-keaslian"]


def test_bad_input_is_a_clear_422(api):
    assert api.post("/knowledge/articles", {"translations": {}}).body["error"]["code"] == "translation_required"
    bad = api.post("/knowledge/articles", {"translations": {"jv": {"title": "x", "body": "y"}}})
    assert bad.status_code == 422 and bad.body["error"]["code"] == "bad_language"
    empty = api.post("/knowledge/articles", {"translations": {"id": {"title": " ", "body": "isi"}}})
    assert empty.body["error"]["code"] == "translation_incomplete"
    unknown = api.post("/knowledge/articles", {**ARTICLE, "products": ["TIDAK-ADA"]})
    assert unknown.status_code == 422 and unknown.body["error"]["code"] == "unknown_product"
    assert api.post("/knowledge/articles", ARTICLE).status_code == 201
    again = api.post("/knowledge/articles", ARTICLE)
    assert again.status_code == 409 and again.body["error"]["code"] == "slug_taken"
    assert api.get("/knowledge/articles?cursor=zzz").body["error"]["code"] == "bad_cursor"
    assert api.get("/knowledge/articles/999999").status_code == 404


def test_article_bodies_are_sanitized(api):
    body = "<script>alert(1)</script> [klik](javascript:alert(1)) <img src=x onerror=alert(1)>"
    created = api.post("/knowledge/articles", {"translations": {"id": {"title": "Uji", "body": body}}})
    html = created.body["translations"][0]["body_html"]
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html


def test_the_list_pages_with_a_cursor(api):
    for i in range(5):
        api.post("/knowledge/articles", {"slug": f"artikel-{i}", "translations": {"id": {"title": f"Artikel {i}", "body": "isi"}}})
    first = api.get("/knowledge/articles?limit=3").body
    second = api.get(f"/knowledge/articles?limit=3&cursor={first['next_cursor']}").body
    slugs = [a["slug"] for a in first["items"] + second["items"]]
    assert sorted(slugs) == [f"artikel-{i}" for i in range(5)] and second["next_cursor"] is None


def test_editing_a_published_article_keeps_the_published_copy(api):
    article_id = api.post("/knowledge/articles", ARTICLE).body["id"]
    api.post(f"/knowledge/articles/{article_id}/publish")
    changed = api.patch(f"/knowledge/articles/{article_id}", {"translations": {
        "id": {"title": "Judul baru", "body": "Isi baru"}}}).body
    by_lang = {t["language"]: t for t in changed["translations"]}
    assert changed["state"] == "draft" and changed["published_at"] is not None
    assert by_lang["id"]["title"] == "Judul baru" and by_lang["id"]["published_title"] == "Cara mengenali produk palsu"
