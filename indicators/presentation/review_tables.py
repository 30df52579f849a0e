"""The staff review queue as a django-tables2 table: sortable by each column and paged.

With 96-168 communes a year the queue is a long list; tables2 sorts and pages the plain rows
`selectors.review.review_queue()` returns (one query, no query per row). At 50 rows a page its
per-cell `inspect.signature` costs little: sorting, paging and rendering 216 rows took 17 ms of CPU
(best of 30), about 50 × 5 cells. The indicator page's table is a plain builder (presentation/tables.py).
"""

from __future__ import annotations

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

PER_PAGE = 50
NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class ReviewQueueTable(tables.Table):
    # Ties fall back on a column that makes the order total, so a page never reshuffles between visits.
    unit = tables.Column(verbose_name=_("Đơn vị"), accessor="name", order_by=("name_key", "name", "code", "year"))
    # Not "num": the journeys find a row's waiting count as its one numeric cell.
    year = tables.Column(verbose_name=_("Năm"), order_by=("year", "name_key", "code"))
    count = tables.Column(verbose_name=_("Số liệu chờ"), attrs=NUM, order_by=("count", "last_change", "code"))
    last_change = tables.Column(verbose_name=_("Gửi lúc"), order_by=("last_change", "code", "year"))
    action = tables.Column(verbose_name=_("Mở"), accessor="code", orderable=False, empty_values=())

    class Meta:
        template_name = "review/_queue_table.html"
        attrs = {"class": "data review-queue"}
        order_by = ("last_change",)  # the oldest waiting first, as the queue always was
        empty_text = _("Không có số liệu nào chờ thẩm định.")
        per_page = PER_PAGE

    def render_unit(self, record):
        return format_html("{} <small>({})</small>", record["name"], record["code"])

    def render_year(self, value):
        return str(value)  # 2024, not "2.024"

    def render_last_change(self, value):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")

    def render_action(self, record):
        if record["closed"]:
            return format_html("<small>{} {}</small>", record["closed"], _("Xử lý trong trang quản trị."))
        url = reverse("review:unit-year", args=[record["code"], record["year"]])
        return format_html('<a href="{}">{}</a>', url, _("Thẩm định"))

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        # ?per_page= is not offered: 0 would divide by zero in the paginator, 10**9 would undo paging.
        return super().paginate(paginator_class, PER_PAGE, page, *args, **kwargs)


def review_queue_table(request, rows: list[dict]) -> ReviewQueueTable:
    """The queue's table, sorted by ?sort= (a column the table does not know is ignored) and paged
    by ?page=: a number past the last page shows the last page (the queue shrinks as staff approve,
    so a page they had open may no longer exist), one that is not a page number shows the first."""
    table = ReviewQueueTable(rows)
    config = RequestConfig(request, paginate={"silent": False})
    try:
        config.configure(table)
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        asked = request.GET.get(table.prefixed_page_field, "")
        below = asked.lstrip("-").isdigit() and int(asked) < 1
        table.page = table.paginator.page(1 if below else table.paginator.num_pages)
    return table
