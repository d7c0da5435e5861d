"""Only team leads and admins reach the settings screens; pages are Indonesian by default."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tanggap.sla.models import SlaPolicy
from tests.manager.support import policy_data, text

pytestmark = pytest.mark.django_db

SCREENS = [
    ("manager:index", []), ("manager:policy-list", []), ("manager:policy-create", []),
    ("manager:calendar-list", []), ("manager:calendar-create", []), ("manager:calendar-holidays", []),
    ("manager:remedy-list", []), ("manager:remedy-create", []), ("manager:template-list", []),
    ("manager:template-edit", ["promise_made", "id"]),
]


@pytest.mark.parametrize(("name", "args"), SCREENS)
def test_agent_gets_403(client, agent, name, args):
    client.force_login(agent)
    assert client.get(reverse(name, args=args)).status_code == 403


def test_agent_cannot_post_a_policy(client, agent):
    client.force_login(agent)
    assert client.post(reverse("manager:policy-create"), policy_data()).status_code == 403
    assert not SlaPolicy.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("manager:policy-list"))
    assert response.status_code == 302
    assert "login" in response["Location"] and "next=/settings/sla/" in response["Location"]


@pytest.mark.parametrize(("name", "args"), SCREENS)
def test_lead_and_admin_see_every_screen(client, lead, admin_user, name, args):
    for user in (lead, admin_user):
        client.force_login(user)
        assert client.get(reverse(name, args=args)).status_code == 200


def test_pages_are_indonesian_by_default(lead_client):
    page = text(lead_client.get(reverse("manager:index")))
    assert "Pengaturan" in page and "Kebijakan SLA" in page and "Templat pesan" in page
    assert "Settings" not in page
    form = text(lead_client.get(reverse("manager:policy-create")))
    assert "Respons pertama" in form and "jam" in form and "menit" in form


def test_english_when_chosen(lead_client):
    lead_client.cookies["django_language"] = "en"
    page = text(lead_client.get(reverse("manager:index")))
    assert "SLA policies" in page and "Kebijakan SLA" not in page


def test_malay_when_chosen(lead_client):
    lead_client.cookies["django_language"] = "ms"
    page = text(lead_client.get(reverse("manager:index")))
    assert "Tetapan" in page and "Dasar SLA" in page
