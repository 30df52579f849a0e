from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import (
    AdministrativeUnit,
    CriteriaBand,
    CriteriaSet,
    Criterion,
    Event,
    Indicator,
    IndicatorValue,
    ReformArea,
    ReportingDeadline,
    ScoringComponent,
    ScoringScheme,
    Source,
    Target,
    UnitAdminAssignment,
    UnitSuccession,
    ValueImport,
)


class SuccessionInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "valid_from", "valid_to", "is_synthetic"]
    list_filter = ["level", "kind", "is_synthetic", "valid_to"]
    search_fields = ["code", "name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [SuccessionInline]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "date", "kind", "is_main"]
    list_filter = ["kind", "is_main", "date"]
    search_fields = ["predecessor__name", "successor__name", "note"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(ReformArea)
class ReformAreaAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "name_en", "in_resolution_76"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        *("code", "name", "area", "unit_kind", "higher_is_better", "framework", "is_headline"),
        *("applies_to_province", "applies_to_district", "applies_to_commune"),
    ]
    list_filter = [
        *("area", "unit_kind", "framework", "is_headline"),
        *("applies_to_province", "applies_to_district", "applies_to_commune"),
    ]
    search_fields = ["code", "name", "name_en", "definition"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "kind", "published_on"]
    list_filter = ["kind"]
    search_fields = ["code", "title", "publisher", "author"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "unit", "year", "value", "qualifier", "status", "source", "updated_at"]
    list_filter = ["status", "qualifier", "year", "indicator__area", "source__kind"]
    search_fields = ["indicator__code", "indicator__name", "unit__code", "unit__name", "quote", "note"]
    list_select_related = ["indicator", "unit", "source"]
    autocomplete_fields = ["indicator", "unit", "source"]
    readonly_fields = ["created_by", "updated_by", "created_at", "updated_at", "version"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "unit", "year", "value", "source"]
    list_filter = ["year", "indicator__area"]
    search_fields = ["indicator__code", "indicator__name", "unit__name"]
    autocomplete_fields = ["indicator", "unit", "source"]


# --- the scoring scheme, events and reporting deadlines are reference data ------------------


class ScoringComponentInline(admin.TabularInline):
    model = ScoringComponent
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(admin.ModelAdmin):
    list_display = ["valid_from_year", "name", "min_indicators_to_rank", "band_good", "band_fair", "band_average"]
    inlines = [ScoringComponentInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "kind", "source"]
    list_filter = ["kind"]
    search_fields = ["code", "title", "title_en", "note"]


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(admin.ModelAdmin):
    list_display = ["year", "due_on"]


@admin.register(UnitAdminAssignment)
class UnitAdminAssignmentAdmin(admin.ModelAdmin):
    """Which units each unit admin may enter figures for: a district (to 2024) or a commune (from 2025).
    The user must also be in the "Unit admin" group."""

    list_display = ["user", "unit", "created_at"]
    list_filter = ["unit__level", "unit__parent"]
    search_fields = ["user__username", "unit__code", "unit__name"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["user"]


@admin.register(ValueImport)
class ValueImportAdmin(admin.ModelAdmin):
    """A record of uploaded files; read-only, since what they wrote is in each value's history."""

    list_display = ["filename", "user", "file_format", "row_count", "created_at", "applied_at"]
    list_filter = ["file_format", "applied_at"]
    exclude = ["content"]
    readonly_fields = ["user", "filename", "file_format", "row_count", "created_at", "applied_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- the CCHC index: a criteria set is reference data (its period, bands and settings) --------------


class CriterionInline(admin.TabularInline):
    model = Criterion
    fk_name = "criteria_set"
    extra = 0
    fields = ["code", "name", "max_points", "method", "evidence_required", "indicator", "target", "is_placeholder"]
    readonly_fields = ["code", "max_points", "method"]  # the tree and its points come from the annex only
    autocomplete_fields = ["indicator"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CriteriaBandInline(admin.TabularInline):
    model = CriteriaBand
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    """Periods, bands and whether evidence files are public; the tree is imported (Chấm điểm CCHC → Nhập)."""

    list_display = ["code", "name", "year", "level", "opens_on", "closes_on", "council_approved_at", "is_sample"]
    list_filter = ["year", "level", "is_sample"]
    search_fields = ["code", "name"]
    readonly_fields = ["council_approved_at", "council_approved_by", "council_decision", "created_by", "version"]
    autocomplete_fields = ["province", "score_indicator", "rank_indicator"]
    inlines = [CriteriaBandInline, CriterionInline]

    def has_add_permission(self, request):
        return False  # a set is made by importing its annex, so that its points add up
