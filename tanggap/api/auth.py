from ninja.security import HttpBearer

from tanggap.accounts.selectors import role_of, user_for_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer TOKEN``; only staff users' tokens are accepted."""

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is None or role_of(user) is None:
            return None
        request.user = user
        return user
