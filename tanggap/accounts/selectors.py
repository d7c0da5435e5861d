from __future__ import annotations

from tanggap.accounts.models import ApiToken, Role
from tanggap.common.clock import now


def role_of(user) -> str | None:
    """The staff role of a user, or None for anyone who is not staff of this helpdesk."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def team_ids_of(user) -> list[int]:
    """The teams a staff member belongs to, and the teams they lead (``Team.lead``): a team's
    lead is warned about its tickets and asked to approve its remedies, so sees them too."""
    from django.db.models import Q

    from tanggap.accounts.models import Team

    profile = getattr(user, "profile", None)
    if profile is None:
        return []
    return list(Team.objects.filter(Q(members=profile) | Q(lead_id=user.pk)).values_list("id", flat=True).distinct())


def user_for_token(key: str):
    try:
        token = ApiToken.objects.select_related("user").get(key_hash=ApiToken.hash(key), revoked=False)
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    t = now()
    if token.last_used_at is None or (t - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=t)
    return token.user


def staff_users():
    """Active users with a helpdesk role (a profile, or superuser = admin)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(profile__isnull=False) | Q(is_superuser=True)).order_by("first_name", "username"))


def teams():
    from tanggap.accounts.models import Team

    return Team.objects.order_by("name")
