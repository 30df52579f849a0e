"""Site-wide views that are not about indicators: health check and error pages."""

import sys

from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

from cchc_dashboard.middleware import DATABASE_ERRORS, database_unavailable_response, logger
from indicators.caching import cache_health


@never_cache
@require_safe
def healthz(request):
    """Database and cache reachability for load balancers and monitoring.

    503 when a database does not answer: no page can be served. A dead shared cache is 200 with
    "status": "degraded": pages are then rendered uncached, slower but correct, and every app
    server shares that cache, so taking them out of rotation would turn a slow-down into an outage.
    It touches no session and no user, so it answers the same whoever asks, and it says nothing
    about the error beyond its kind (the text could hold a host name or a user).
    """
    databases = {}
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            databases[alias] = "ok"
        except DATABASE_ERRORS as error:
            logger.error("Health check: database %s unreachable: %s", alias, error)
            databases[alias] = "unreachable"
    healthy = all(state == "ok" for state in databases.values())
    cache_state = cache_health()
    status = ("ok" if cache_state == "ok" else "degraded") if healthy else "unavailable"
    return JsonResponse({"status": status, "database": databases, "cache": cache_state}, status=200 if healthy else 503)


def server_error(request):
    """handler500: a database error raised outside a view still gets the plain 503 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable_response(request)
    return django_server_error(request)
