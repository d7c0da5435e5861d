"""Help center, contact-form suggestions, deflections, the ticket panel and the console pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tanggap.knowledge.models import Article, Deflection
from tests.web.support import receive

pytestmark = pytest.mark.django_db


def test_the_help_center_lists_published_articles_in_the_readers_language_without_sign_in(client, kb):
    page = client.get("/portal/help/").content.decode()
    assert "Cara pengembalian dana" in page and "Metode pembayaran" in page
    assert "Klaim garansi blender" not in page  # the draft
    client.cookies["django_language"] = "en"
    english = client.get("/portal/help/").content.decode()
    assert "How refunds work" in english and "Cara pengembalian dana" not in english


def test_drafts_and_unpublished_text_are_never_on_the_portal(client, kb, agent):
    assert client.get("/portal/help/garansi-rahasia/").status_code == 404
    assert "rahasia" not in client.get("/portal/help/?q=garansi+blender").content.decode().lower().replace(
        "garansi-rahasia", "")
    assert json.loads(client.get("/portal/help/suggest/?q=garansi blender rahasia").content)["items"] == []
    from tanggap.knowledge.services import article_update

    article_update(actor=agent, article=kb["refund"], translations={"id": {"title": "Draf baru", "body": "Isi draf RAHASIA"}})
    page = client.get("/portal/help/pengembalian-dana/").content.decode()
    assert "Cara pengembalian dana" in page and "RAHASIA" not in page


def test_an_article_page_shows_the_asked_translation_and_links_the_others(client, kb):
    page = client.get("/portal/help/pengembalian-dana/?lang=ms").content.decode()
    assert "Cara pemulangan wang" in page and '?lang=en' in page and '?lang=id' in page


def test_the_contact_form_gets_suggestions_and_a_deflection_is_counted_once(client, kb):
    form = client.get("/portal/contact/").content.decode()
    assert 'id="kb-suggest"' in form and "/portal/help/suggest/" in form
    items = json.loads(client.get("/portal/help/suggest/?q=Kapan uang saya dikembalikan?").content)["items"]
    assert items[0]["title"] == "Cara pengembalian dana"
    client.get(items[0]["url"])
    client.get(items[0]["url"])  # a reload counts once
    page = client.get(items[0]["url"]).content.decode()
    assert "Yes, this answered my question" in page or "menjawab pertanyaan" in page
    response = client.post("/portal/help/pengembalian-dana/answered/", {"lang": "id", "q": "uang dikembalikan"})
    assert response.status_code == 302
    client.post("/portal/help/pengembalian-dana/answered/", {"lang": "id"})
    assert sorted(Deflection.objects.values_list("kind", flat=True)) == ["answered", "opened"]
    # Another customer (another browser session) counts again.
    Client().get(items[0]["url"])
    assert Deflection.objects.filter(kind="opened").count() == 2


def test_managers_see_deflection_counts_agents_do_not(client, kb, agent, lead):
    customer = Client()
    customer.get("/portal/help/lacak-pengiriman/?from=contact&q=resi")
    customer.post("/portal/help/lacak-pengiriman/answered/", {"lang": "id"})
    client.force_login(lead)
    page = client.get("/knowledge/").content.decode()
    assert 'id="deflections"' in page and "Melacak pengiriman paket" in page
    client.force_login(agent)
    assert 'id="deflections"' not in client.get("/knowledge/").content.decode()


def test_the_ticket_page_suggests_articles_in_the_customers_language(client, kb, agent):
    ticket = receive(subject="Paket belum sampai", body="Sudah seminggu paket saya belum diantar kurir, nomor resi tidak bisa dilacak.")
    client.force_login(agent)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    panel = page[page.index('id="kb-suggestions"'):]
    assert "Melacak pengiriman paket" in panel
    assert "/portal/help/lacak-pengiriman/?lang=id" in panel and "kb-insert" in panel
    assert "Klaim garansi blender" not in panel


def test_agents_write_and_submit_leads_publish_in_the_console(client, agent, lead):
    client.force_login(agent)
    response = client.post("/knowledge/new/", {"slug": "ongkir-gratis", "title_id": "Ongkos kirim gratis",
                                               "body_id": "Gratis ongkir untuk belanja di atas Rp100.000."})
    article = Article.objects.get(slug="ongkir-gratis")
    assert response.status_code == 302 and article.state == "draft"
    client.post(f"/knowledge/{article.pk}/submit/")
    assert client.post(f"/knowledge/{article.pk}/publish/").status_code == 403
    article.refresh_from_db()
    assert article.state == "review" and article.published_at is None
    client.force_login(lead)
    client.post(f"/knowledge/{article.pk}/publish/")
    article.refresh_from_db()
    assert article.state == "published"
    assert "Ongkos kirim gratis" in Client().get("/portal/help/ongkir-gratis/").content.decode()


def test_the_console_form_shows_errors_not_500(client, agent):
    client.force_login(agent)
    response = client.post("/knowledge/new/", {"title_id": "Tanpa isi"})
    assert response.status_code == 400 and "title and a body" in response.content.decode()
