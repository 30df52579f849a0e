"""django-filter filtersets. They read the same query-string names as the charts."""

import django_filters
from django.utils.translation import gettext_lazy as _

from indicators.forms.query import CodeListField, FlagField
from indicators.models import IndicatorValue, Source


class CodeListFilter(django_filters.Filter):
    field_class = CodeListField

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class FlagFilter(django_filters.Filter):
    field_class = FlagField

    def __init__(self, *args, default=True, **kwargs):
        self.default = default
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self._field = self.field_class(default=self.default, label=self.label)
        return self._field


class IndicatorValueFilter(django_filters.FilterSet):
    units = CodeListFilter(field_name="unit__code", label=_("Đơn vị (mã, cách nhau bởi dấu phẩy)"))
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label=_("Từ năm"))
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label=_("Đến năm"))
    include_demo = FlagFilter(method="filter_demo", label=_("Gồm dữ liệu minh họa"))

    class Meta:
        model = IndicatorValue
        fields = []

    def filter_demo(self, queryset, name, value):
        return queryset if value else queryset.exclude(source__kind=Source.Kind.SYNTHETIC_DEMO)
