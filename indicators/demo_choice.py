"""A visitor's choice to hide the demo figures, kept in a cookie so that it holds on every page.

Why a cookie: the choice must survive every link of the site (the nav, a unit's link, a chart's
picker), and carrying `include_demo=0` in each of them would break with the first link that forgets
it. A session would do the same, but would write a database row for every anonymous visitor; the
language switch already keeps its choice in a cookie the same way. `include_demo` in a query string
still wins, so a shared link shows what its author saw.

The cached pages (indicators/caching.py) are keyed on the choice and sent with `Vary: Cookie`, so
a visitor who hid the demo figures never gets a page cached for one who did not. The cookie holds no
secret, so a compressed page that reflects it gives BREACH nothing to find.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from django.http import QueryDict
from django.urls import reverse

COOKIE = "cchc_demo"
HIDDEN = "hide"
CHOICES = ("hide", "show")
QUERY_FLAG = "include_demo"


def hidden_by_cookie(request) -> bool:
    """Whether the visitor chose to hide the demo figures (anything else in the cookie is ignored)."""
    return request.COOKIES.get(COOKIE) == HIDDEN


def with_choice(request, data: QueryDict) -> QueryDict:
    """A page's query data with the visitor's choice as `include_demo` when the URL does not say."""
    if QUERY_FLAG not in data and hidden_by_cookie(request):
        data = data.copy()
        data[QUERY_FLAG] = "0"
    return data


def remember(request, *, include_demo: bool) -> None:
    """Note on the request what the page shows, for the toggle in base.html."""
    request.cchc_demo_hidden = not include_demo


def without_flag(path: str) -> str:
    """A local path with `include_demo` taken out of its query: the cookie decides from now on."""
    parts = urlsplit(path)
    query = QueryDict(parts.query, mutable=True)
    query.pop(QUERY_FLAG, None)
    return urlunsplit(("", "", parts.path or "/", query.urlencode(), ""))


def toggle_url(request, choice: str) -> str:
    """The link that hides ("hide") or shows ("show") the demo figures and comes back to this page."""
    return reverse("demo-choice", args=[choice]) + "?" + urlencode({"next": without_flag(request.get_full_path())})
