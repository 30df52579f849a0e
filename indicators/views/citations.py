"""The "cite this" block every chart carries (issue 7)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.caching import request_data_version


def cite(request, *, title: str) -> dict:
    """A "cite this" text and a permalink that carries the data version (read once per request)."""
    version = str(request_data_version(request))
    query = request.GET.copy()
    query["v"] = version
    permalink = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    text = _("Bảng theo dõi CCHC, “%(title)s”, phiên bản dữ liệu %(version)s, truy cập ngày %(day)s, %(url)s") % {
        "title": title,
        "version": version,
        "day": timezone.localdate().strftime("%d/%m/%Y"),
        "url": permalink,
    }
    asked = request.GET.get("v", "")
    return {"text": text, "permalink": permalink, "version": version, "stale": bool(asked) and asked != version}
