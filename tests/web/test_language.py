"""The console is Indonesian unless someone chose another language."""

import pytest
from django.test import Client

from tanggap.accounts.models import AgentProfile

pytestmark = pytest.mark.django_db


def test_indonesian_by_default_even_for_an_english_browser():
    page = Client(headers={"Accept-Language": "en-US,en;q=0.9"}).get("/login/")
    assert page["Content-Language"] == "id"
    assert 'lang="id"' in page.content.decode()


def test_the_switcher_choice_wins(agent):
    client = Client()
    client.force_login(agent)
    client.post("/i18n/setlang/", {"language": "ms", "next": "/inbox/"})
    assert client.get("/inbox/")["Content-Language"] == "ms"


def test_an_agent_profile_language_is_used_when_nothing_was_chosen(agent):
    AgentProfile.objects.filter(user=agent).update(language="en")
    client = Client()
    client.force_login(agent)
    assert client.get("/inbox/")["Content-Language"] == "en"
