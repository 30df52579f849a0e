"""The sources pages."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from indicators.models import IndicatorValue, Source


def source_page(*, source: Source) -> dict:
    """A source and the approved figures that cite it."""
    figures = list(
        source.values.published().select_related("indicator", "unit").order_by("unit__code", "indicator__order")[:500]
    )
    return {"source": source, "figures": figures}


def source_list() -> QuerySet[Source]:
    """The citable sources with how many approved figures cite each (one query); demo data is no source."""
    published = Q(values__status=IndicatorValue.Status.APPROVED)
    return Source.objects.exclude(kind=Source.Kind.SYNTHETIC_DEMO).annotate(
        figure_count=Count("values", filter=published)
    )
