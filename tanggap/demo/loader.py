"""Demo data: an Indonesian online store. ``tanggap demo`` calls these."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from tanggap.accounts.models import AgentProfile, Role, Team
from tanggap.accounts.services import agent_create, api_token_create, team_get_or_create

DEMO_USER = "agent"
DEMO_TEAMS = ["Layanan Pelanggan", "Pengiriman", "Pembayaran"]


def demo_loaded() -> bool:
    from tanggap.conversations.models import Ticket

    return Ticket.objects.exists()


@transaction.atomic
def demo_credentials() -> tuple[str, str, str]:
    """The demo agent (a team lead of every demo team) with a fresh password and API token."""
    teams = [team_get_or_create(name=n) for n in DEMO_TEAMS]
    password = secrets.token_urlsafe(9)
    User = get_user_model()
    user = User.objects.filter(username=DEMO_USER).first()
    if user is None:
        user = agent_create(username=DEMO_USER, password=password, role=Role.LEAD, teams=teams,
                            first_name="Sari", email="sari@toko-nusantara.test")
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
        profile, _ = AgentProfile.objects.get_or_create(user=user, defaults={"role": Role.LEAD})
        profile.teams.add(*teams)
    Team.objects.filter(name=DEMO_TEAMS[0], lead__isnull=True).update(lead=user)
    _, token = api_token_create(user=user, name="demo")
    return DEMO_USER, password, token


def demo_load(*, progress: bool = False, seed: int = 7) -> dict | None:
    """Load the demo store once: a database that already has tickets is left as it is."""
    from tanggap.demo.generate import generate

    if demo_loaded():
        return None
    return generate(seed=seed, progress=progress)
