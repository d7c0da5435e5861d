"""The reply template of a negative review is the message template ``review_reply``: its
built-in wording in the reviewer's language, and a manager's override from Settings → Templates
is what the agent sees on the review's ticket (until it is reset)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tanggap.reviews.models import Review
from tanggap.reviews.replies import reply_template
from tanggap.texts.defaults import DEFAULTS
from tanggap.texts.models import MessageTemplate

pytestmark = pytest.mark.django_db

OVERRIDE = ("Kak {customer_name}, maaf ya soal {product}{order_part}.\n"
            "Nomor tiket Anda {reference}; balas di sini atau hubungi WhatsApp toko.")


@pytest.fixture
def lead_client(make_staff, team):
    client = Client()
    client.force_login(make_staff("rina", "lead", [team]))
    return client


@pytest.fixture
def agent_client(agent):
    client = Client()
    client.force_login(agent)
    return client


def negative_review(api, review_in, external_id, text):
    r = api.post("/reviews", review_in(external_id=external_id, rating=1, text=text, product_name="Tudung Bawal",
                                       order="INV-9", reviewer={"name": "Aminah", "handle": f"aminah-{external_id}"}))
    assert r.status_code == 201 and r.body["ticket_id"]
    return Review.objects.select_related("ticket").get(pk=r.body["id"])


def test_built_in_wording_filled_in():
    assert reply_template(language="id", name="Aminah", product="Tudung Bawal", order="INV-9") == (
        "Halo Kak Aminah, terima kasih sudah meluangkan waktu menulis ulasan untuk Tudung Bawal. Kami mohon maaf atas "
        "pengalaman yang kurang menyenangkan ini. Tim kami sudah menghubungi Kakak untuk menyelesaikannya (pesanan "
        "INV-9). Boleh kirimkan detailnya lewat chat toko agar kami bantu segera?")
    # no name, no product, no order: the fallbacks, and no stray space before the comma
    assert reply_template(language="id").startswith("Halo Kak, terima kasih sudah meluangkan waktu menulis ulasan "
                                                    "untuk pesanan Kakak.")
    assert "menyelesaikannya. Boleh" in reply_template(language="id")
    assert reply_template(language="en", product="Kopi").startswith("Hi there, thank you for taking the time to review Kopi.")
    assert reply_template(language="ms").startswith("Hai tuan/puan, terima kasih")


def test_settings_override_is_what_the_agent_sees_on_the_review_ticket(api, review_in, lead_client, agent_client):
    indonesian = negative_review(api, review_in, "RV-ID", "Pengiriman lama banget, kecewa")
    malay = negative_review(api, review_in, "RV-MS", "Barang sampai rosak, sangat hampa dengan servis")
    assert (indonesian.language, malay.language) == ("id", "ms")
    built_in = "Halo Kak Aminah, terima kasih sudah meluangkan waktu menulis ulasan untuk Tudung Bawal."
    assert built_in in agent_client.get(f"/tickets/{indonesian.ticket_id}/").content.decode()

    edit = reverse("manager:template-edit", args=["review_reply", "id"])
    assert edit in lead_client.get(reverse("manager:template-list")).content.decode()
    form = lead_client.get(edit).content.decode()
    assert DEFAULTS["review_reply"]["id"] in form  # the built-in text, with its placeholders listed
    assert "{order_part}" in form and "{product}" in form
    assert "Kopi Gayo 250 g" in form and "(pesanan INV-20240611-0042)" in form  # the preview's sample values
    assert lead_client.post(edit, {"body": OVERRIDE, "action": "save"}).status_code == 302

    page = agent_client.get(f"/tickets/{indonesian.ticket_id}/").content.decode()
    expected = (f"Kak Aminah, maaf ya soal Tudung Bawal (pesanan INV-9).\n"
                f"Nomor tiket Anda {indonesian.ticket.reference}; balas di sini atau hubungi WhatsApp toko.")
    assert expected in page
    assert built_in not in page
    # the Malay review keeps the built-in Malay text: the override is for Indonesian only
    assert "Hai Aminah, terima kasih kerana meluangkan masa menulis ulasan untuk Tudung Bawal" in \
        agent_client.get(f"/tickets/{malay.ticket_id}/").content.decode()

    assert lead_client.post(reverse("manager:template-reset", args=["review_reply", "id"])).status_code == 302
    assert not MessageTemplate.objects.exists()
    page = agent_client.get(f"/tickets/{indonesian.ticket_id}/").content.decode()
    assert built_in in page and "maaf ya soal" not in page


def test_a_placeholder_the_reply_cannot_fill_is_refused(lead_client):
    edit = reverse("manager:template-edit", args=["review_reply", "en"])
    response = lead_client.post(edit, {"body": "Hi {customer_name}, about your {rating} stars", "action": "save"})
    assert response.status_code == 400 and "{rating}" in response.content.decode()
    assert not MessageTemplate.objects.exists()
