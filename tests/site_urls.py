"""Every URL pattern of the project, walked from the URL conf, and a concrete URL for each.

Used by the authorisation matrix, the CSP test and the escaping test, so that a new page is
covered (or fails loudly for want of an entry) without anyone remembering to list it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

_NAMED_GROUP = r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)"
_CONVERTER = r"<(?:\w+:)?(\w+)>"
_UNNAMED_GROUP = r"\((?!\?)[^()]*\)"


@dataclass(frozen=True)
class Route:
    pattern: str  # the joined pattern text, e.g. "indicators/<slug:code>/" or "admin/^(?P<app_label>auth)/$"
    name: str  # "namespace:name", or "" for unnamed patterns

    @property
    def parameters(self) -> list[str]:
        """Named parameters; unnamed regex groups are called _1, _2, ... in order."""
        names = re.findall(_NAMED_GROUP + "|" + _CONVERTER, self.pattern)
        named = [a or b for a, b in names]
        unnamed = re.findall(_UNNAMED_GROUP, re.sub(_NAMED_GROUP, "", self.pattern))
        return named + [f"_{n}" for n in range(1, len(unnamed) + 1)]

    def url(self, **values) -> str:
        """The pattern with each parameter replaced by values[name]."""
        missing = [name for name in self.parameters if name not in values]
        if missing:
            raise KeyError(f"{self} needs sample values for {missing}")
        text = re.sub(_NAMED_GROUP, lambda m: str(values[m.group(1)]), self.pattern)
        text = re.sub(_CONVERTER, lambda m: str(values[m.group(1)]), text)
        counter = iter(range(1, 100))
        text = re.sub(_UNNAMED_GROUP, lambda m: str(values[f"_{next(counter)}"]), text)
        return "/" + text.replace("^", "").replace("$", "")

    def __str__(self):
        return f"/{self.pattern}" + (f" (name {self.name!r})" if self.name else "")


def all_routes() -> list[Route]:
    """Every URLPattern of ROOT_URLCONF, depth first, in URL-conf order."""
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else ""
                routes.append(Route(prefix + str(entry.pattern), name))

    walk(get_resolver().url_patterns, "", "")
    return routes
