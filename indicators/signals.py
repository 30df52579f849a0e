"""Cache invalidation: any saved or deleted row that public pages show bumps the data version.

Bulk writes (bulk_create, QuerySet.update) send no signals; the services that do them call
caching.data_changed() themselves.
"""

from django.db.models.signals import post_delete, post_save

from indicators import caching
from indicators.models import (
    AdministrativeUnit,
    Event,
    Indicator,
    IndicatorValue,
    ReformArea,
    ReportingDeadline,
    ScoringComponent,
    ScoringScheme,
    Source,
    Target,
    UnitSuccession,
)

PUBLISHED_MODELS = (
    AdministrativeUnit,
    UnitSuccession,
    ReformArea,
    Indicator,
    Source,
    IndicatorValue,
    Target,
    # Events on the time axes, deadlines behind the overdue lists, the index schemes.
    Event,
    ReportingDeadline,
    ScoringScheme,
    ScoringComponent,
)


def _changed(sender, raw=False, **kwargs):
    caching.data_changed()


def connect() -> None:
    for model in PUBLISHED_MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"cchc-data-version-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"cchc-data-version-delete-{model.__name__}")
