"""Message templates: every key × id/ms/en, validated placeholders, preview, override and reset."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tanggap.texts import services as texts
from tanggap.texts.defaults import DEFAULTS
from tanggap.texts.models import MessageTemplate
from tests.manager.support import text

pytestmark = pytest.mark.django_db


def edit_url(key="promise_made", language="id"):
    return reverse("manager:template-edit", args=[key, language])


def test_list_shows_every_key_and_language_with_the_built_in_text(lead_client):
    response = lead_client.get(reverse("manager:template-list"))
    page = text(response)
    for key in DEFAULTS:
        for language in ("id", "ms", "en"):
            assert edit_url(key, language) in page
    assert DEFAULTS["promise_made"]["ms"] in page


def test_unknown_placeholder_is_refused_and_named(lead_client):
    response = lead_client.post(edit_url(), {"body": "Selesai paling lambat {promise_date}. Kode: {kupon}", "action": "save"})
    assert response.status_code == 400
    assert "{kupon}" in text(response)
    assert not MessageTemplate.objects.exists()


def test_empty_text_is_refused(lead_client):
    response = lead_client.post(edit_url(), {"body": "   ", "action": "save"})
    assert response.status_code == 400
    assert not MessageTemplate.objects.exists()


def test_a_format_spec_that_cannot_be_filled_is_refused(lead_client):
    response = lead_client.post(edit_url("remedy_refund", "en"), {"body": "Refund {amount:d}", "action": "save"})
    assert response.status_code == 400
    assert not MessageTemplate.objects.exists()


def test_override_then_reset(lead_client, lead):
    body = "Masalah {reference} akan kami selesaikan sebelum {promise_date}."
    response = lead_client.post(edit_url(), {"body": body, "action": "save"})
    assert response.status_code == 302
    row = MessageTemplate.objects.get()
    assert (row.key, row.language, row.body, row.updated_by) == ("promise_made", "id", body, lead)
    assert texts.render("promise_made", "id", reference="TG-000007", promise_date="Senin") == \
        "Masalah TG-000007 akan kami selesaikan sebelum Senin."
    assert texts.template_text("promise_made", "en") == DEFAULTS["promise_made"]["en"]  # other languages untouched

    page = text(lead_client.get(edit_url()))
    assert "Masalah TG-000123 akan kami selesaikan sebelum" in page  # the preview with sample values
    assert DEFAULTS["promise_made"]["id"] in page  # the built-in text stays visible

    response = lead_client.post(reverse("manager:template-reset", args=["promise_made", "id"]))
    assert response.status_code == 302
    assert not MessageTemplate.objects.exists()
    assert texts.template_text("promise_made", "id") == DEFAULTS["promise_made"]["id"]


def test_preview_does_not_save(lead_client):
    response = lead_client.post(edit_url("acknowledgement", "ms"),
                                {"body": "Hai {customer_name}, rujukan {reference}.", "action": "preview"})
    assert response.status_code == 200
    assert response.context["preview"] == "Hai Budi Santoso, rujukan TG-000123."
    assert not MessageTemplate.objects.exists()


def test_saving_the_built_in_text_keeps_no_override(lead_client):
    MessageTemplate.objects.create(key="promise_made", language="en", body="Soon, by {promise_date}.")
    response = lead_client.post(edit_url("promise_made", "en"), {"body": DEFAULTS["promise_made"]["en"], "action": "save"})
    assert response.status_code == 302
    assert not MessageTemplate.objects.exists()


def test_unknown_key_or_language_is_404(lead_client):
    assert lead_client.get(edit_url("nope", "id")).status_code == 404
    assert lead_client.get(edit_url("promise_made", "fr")).status_code == 404
    assert lead_client.get(reverse("manager:template-reset", args=["promise_made", "id"])).status_code == 405
