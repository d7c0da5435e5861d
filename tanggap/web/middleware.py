"""Which language a page is shown in.

Indonesian unless someone chose otherwise: the language cookie set by the switcher, then the
staff member's profile language, then ``LANGUAGE_CODE`` ("id"). The browser's Accept-Language
is deliberately not used: agents of an Indonesian shop often run English browsers, and the
product's default is Indonesian.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _ in settings.LANGUAGES}


def _chosen(request) -> str:
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")[:2]
    if cookie in SUPPORTED:
        return cookie
    user = getattr(request, "user", None)
    profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
    if profile is not None and profile.language in SUPPORTED:
        return profile.language
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = _chosen(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
