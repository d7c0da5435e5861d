"""Who may enter which screen. The console is for staff (anyone with a role);
the rejected-inbound screens are for admins. Objects themselves are always fetched
through the domain selectors, which scope them to what the caller may see."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of


def _require(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(role_of(request.user)):
                raise PermissionDenied  # logged in, but not staff of this helpdesk
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _require(lambda role: role is not None)
admin_required = _require(lambda role: role == Role.ADMIN)
# Managers (team leads and admins) edit policies, calendars, remedies and templates.
manager_required = _require(lambda role: role in (Role.LEAD, Role.ADMIN))
