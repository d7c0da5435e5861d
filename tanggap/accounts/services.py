from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from tanggap.accounts.models import AgentProfile, ApiToken, Role, Team
from tanggap.common.errors import DomainError


@transaction.atomic
def agent_create(
    *, username: str, password: str, role: str = Role.AGENT, teams: list[Team] | None = None,
    email: str = "", first_name: str = "", language: str = "id",
):
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise DomainError("username_taken", f"The user name '{username}' is already taken.", status=409)
    user = User.objects.create_user(
        username=username, password=password, email=email, first_name=first_name,
        is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
    )
    profile = AgentProfile.objects.create(user=user, role=role, language=language)
    if teams:
        profile.teams.set(teams)
    return user


def team_get_or_create(*, name: str) -> Team:
    return Team.objects.get_or_create(name=name)[0]


def api_token_create(*, user, name: str = "default") -> tuple[ApiToken, str]:
    """Returns the row and the clear token, which is never stored."""
    key = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(key), prefix=key[3:11])
    return token, key
