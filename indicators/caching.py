"""Public pages cached per data version, with ETag/Last-Modified so that a revisit gets a 304.

The data version is a database row (DataVersion), bumped after every commit that changes
published data, so no app server or worker ever serves a page older than the data.

The cache is an optimisation, never a dependency: if the shared cache (Redis) fails, pages are
rendered uncached and the failure is logged. A response that carries anything specific to one
visitor (a flash message, a cookie, a CSRF token) is never stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
import uuid
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from indicators import demo_choice
from indicators.models import DataVersion

logger = logging.getLogger(__name__)
_MISSING = object()


# After a failure this process leaves the cache alone for a while: a cache host that has gone
# silent would otherwise cost every request the socket timeout twice (a read and a write).
RETRY_AFTER_SECONDS = 10
_skip_until = 0.0


def _call(what: str, fallback, operation, *args, probe: bool = False):
    """operation(*args), or `fallback` (logged) when the cache fails or failed a moment ago."""
    global _skip_until
    if not probe and time.monotonic() < _skip_until:
        return fallback
    try:
        result = operation(*args)
    except Exception as error:  # any backend error: connection, timeout, protocol
        _skip_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("Cache unavailable, %s: %s: %s", what, type(error).__name__, error)
        return fallback
    if probe:
        _skip_until = 0.0  # the cache answers again: use it at once
    return result


def forget_cache_failure() -> None:
    """Use the cache again at once, as if it had never failed (for a new cache backend or a benchmark)."""
    global _skip_until
    _skip_until = 0.0


def cache_get(key: str, default=None):
    """cache.get that answers `default` (a miss) when the cache itself fails."""
    return _call("serving uncached", default, cache.get, key, default)


def cache_set(key: str, value, timeout: int) -> bool:
    """cache.set that logs and gives up when the cache itself fails."""
    return _call("page not stored", False, lambda: cache.set(key, value, timeout) or True)


def cache_health() -> str:
    """ "ok" when a value written to the shared cache reads back, else "unreachable"."""
    key = f"cchc:healthz:{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    if not _call("health check", False, lambda: cache.set(key, token, 10) or True, probe=True):
        return "unreachable"
    if _call("health check", _MISSING, cache.get, key, _MISSING, probe=True) != token:
        return "unreachable"
    with contextlib.suppress(Exception):  # the key expires by itself in 10 s
        cache.delete(key)
    return "ok"


def current_data_version() -> tuple[int, object]:
    """(version, changed_at), in one query; the row is created on first use."""
    row = DataVersion.objects.filter(pk=1).values_list("version", "changed_at").first()
    if row is None:
        created = DataVersion.objects.get_or_create(pk=1)[0]
        row = (created.version, created.changed_at)
    return row


def request_data_version(request) -> int:
    """The data version for this request, read at most once (public_page reads it first)."""
    if not hasattr(request, "cchc_data_version"):
        request.cchc_data_version = current_data_version()
    return request.cchc_data_version[0]


def _bump() -> None:
    updated = DataVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=timezone.now())
    if not updated:
        DataVersion.objects.get_or_create(pk=1)


class _Pending(threading.local):
    """The bump this thread's current transaction has queued (one per thread: connections are too)."""

    bump: _Bump | None = None


class _Bump:
    """A bump that runs once however many times it was queued: every write of a transaction queues
    it (a savepoint rolled back drops what was queued inside it), and the first to run on commit bumps."""

    done = False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            _bump()


_pending = _Pending()


def data_changed() -> None:
    """Call after any write that may change what the public sees; the bump runs once, on commit.

    A transaction that rolls back never runs its bump, so the next one reuses it; once it has run,
    the next write starts a new one.
    """
    if _pending.bump is None or _pending.bump.done:
        _pending.bump = _Bump()
    transaction.on_commit(_pending.bump)


def _has_pending_messages(request) -> bool:
    # Reading the stored messages does not mark them as shown.
    return bool(len(get_messages(request)))


def _serve_cached(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.CCHC_PAGE_CACHE_SECONDS > 0
        and not request.user.is_authenticated  # pages show who is logged in
        and not _has_pending_messages(request)  # the page will show this visitor's flash message
    )


def _specific_to_visitor(request, response) -> bool:
    """Whether the response holds something only this visitor may see (and so must not be stored)."""
    return bool(
        response.cookies
        or getattr(get_messages(request), "used", False)
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a CSRF token was rendered into the page
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
    )


def public_page(view):
    """Cache a public view's 200 responses under (data version, language, full path)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _serve_cached(request):
            response = view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD") and _specific_to_visitor(request, response):
                patch_cache_control(response, private=True, no_store=True)
            return response
        version, changed_at = request.cchc_data_version = current_data_version()
        # Today's date is in the key: overdue reports, freshness and the citations' date depend on it.
        # So is the visitor's choice to hide demo figures (a cookie, not in the path: demo_choice.py).
        hides_demo = int(demo_choice.hidden_by_cookie(request))
        key_text = f"{version}|{timezone.localdate()}|{get_language()}|{hides_demo}|{request.get_full_path()}"
        digest = hashlib.sha256(key_text.encode()).hexdigest()[:32]
        etag = f'"{digest}"'
        last_modified = int(changed_at.timestamp())
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return not_modified
        key = f"cchc:page:{digest}"
        stored = cache_get(key)
        if stored is not None:
            response = HttpResponse(stored["content"], content_type=stored["content_type"])
            for header, value in stored["headers"].items():
                response[header] = value
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if _specific_to_visitor(request, response):
                patch_cache_control(response, private=True, no_store=True)
                return response
            if not response.streaming:  # a streamed export may be large: it gets the ETag, not the cache
                headers = {h: response[h] for h in ("Content-Disposition",) if h in response}
                cache_set(
                    key,
                    {"content": response.content, "content_type": response["Content-Type"], "headers": headers},
                    settings.CCHC_PAGE_CACHE_SECONDS,
                )
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, no_cache=True, public=True)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped
