"""The sources pages."""

from __future__ import annotations

from django.db.models import Count

from indicators.models import IndicatorValue, Source

# A source's page lists this many of its figures: an article cites a dozen, the demo data 14,000 (a
# 79,000 px page on a phone). The page then says how many there are and where they all are.
SOURCE_FIGURES_SHOWN = 200


def source_page(*, source: Source) -> dict:
    """A source, the first `SOURCE_FIGURES_SHOWN` approved figures that cite it (by unit code), and how
    many cite it (a count query only when there are more)."""
    values = source.values.published()
    figures = list(
        values.select_related("indicator", "unit").order_by("unit__code", "indicator__order")[:SOURCE_FIGURES_SHOWN]
    )
    total = values.count() if len(figures) == SOURCE_FIGURES_SHOWN else len(figures)
    return {"source": source, "figures": figures, "figure_count": total}


def source_list() -> list[Source]:
    """The citable sources, each with `figure_count`, the approved figures that cite it (two queries);
    demo data is no source.

    The figures are counted for the listed sources' ids: PostgreSQL's statistics then tell it they are
    few, and it reads them by the index on source. Counted in a join with the sources, it read every
    value to find them (420,000 at national size, nearly all demo: 70 ms).
    """
    listed = list(Source.objects.exclude(kind=Source.Kind.SYNTHETIC_DEMO))
    counts = dict(
        IndicatorValue.objects.published()
        .filter(source__in=[source.pk for source in listed])
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
        .values_list("source", "n")
    )
    for source in listed:
        source.figure_count = counts.get(source.pk, 0)
    return listed
