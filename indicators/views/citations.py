"""The "cite this" block every chart carries."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.caching import request_data_version


def cite(request, *, title: str) -> dict:
    """A "cite this" text and a permalink that carries the data version (read once per request)."""
    version = str(request_data_version(request))
    query = request.GET.copy()
    query["v"] = version
    # The configured address, not the Host header: the page is cached and shown to everyone.
    permalink = f"{settings.CCHC_SITE_URL}{request.path}?{query.urlencode()}"
    text = _("Bảng theo dõi CCHC, “%(title)s”, phiên bản dữ liệu %(version)s, truy cập ngày %(day)s, %(url)s") % {
        "title": title,
        "version": version,
        "day": timezone.localdate().strftime("%d/%m/%Y"),
        "url": permalink,
    }
    asked = request.GET.get("v", "")
    return {"text": text, "permalink": permalink, "version": version, "stale": bool(asked) and asked != version}
