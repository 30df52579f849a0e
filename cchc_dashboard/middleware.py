import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)


def cookie_language(request) -> str:
    """The language chosen with the switch (a cookie), else the site's default, Vietnamese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class CookieLanguageMiddleware:
    """Vietnamese unless the visitor chose English with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Vietnamese government
    site starts in Vietnamese for everyone, whatever the browser says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = cookie_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


DATABASE_ERRORS = (OperationalError, InterfaceError)


class PrivateForSignedInMiddleware:
    """Every response to a signed-in user says `Cache-Control: private, no-store`.

    Their pages show their name, their units and their drafts: no shared proxy may keep them, and
    the browser should not either (a shared office computer, the back button after logout).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def database_unavailable_response(request) -> HttpResponse:
    """The plain 503 page, in the visitor's language, rendered without touching the database.

    No request context: the context processors would load the session and the user, which are in
    the database. The language comes straight from the cookie, because the failure may have
    happened before CookieLanguageMiddleware ran.
    """
    language = cookie_language(request)
    with translation.override(language):
        html = render_to_string("503.html", {"LANGUAGE_CODE": language})
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = "60"
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """With the database down, every page answers a plain 503 page: no stack trace, no 500.

    A view's error arrives in process_exception. An error in another middleware (a session saved
    on the way out, say) has already been turned into a 500 by Django's handler by the time it
    gets here; `server_error` (handler500) catches those, so both paths end on the same page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_ERRORS:  # only reached when DEBUG_PROPAGATE_EXCEPTIONS is on
            logger.exception("Database unavailable")
            return database_unavailable_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable: %s", exception)
            return database_unavailable_response(request)
        return None


def client_ip(request) -> str | None:
    """The client's address for login lockout (django-axes), right behind a trusted proxy.

    X-Forwarded-For is "client, proxy1, proxy2": each proxy appends the address it got the request
    from. With N trusted proxies, the N-th entry from the right was written by our own outermost
    proxy; entries further left are whatever the client sent, so a forged header cannot pick a
    fresh address for each attempt. Without a trusted proxy the header is ignored entirely.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class PublicGZipMiddleware(GZipMiddleware):
    """Compress what the public reads, and nothing that holds a secret (BREACH).

    A page is compressed only for an anonymous visitor, and only when rendering it used no CSRF
    token: an attacker who can inject text into a compressed response may otherwise guess a secret
    on the same page from the response's size. Signed-in pages (names, drafts, tokens) and forms go
    out as they are; whitenoise already serves static files precompressed.
    """

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        if settings.CSRF_COOKIE_NAME in response.cookies:  # the page used a CSRF token (a form)
            return response
        return super().process_response(request, response)
