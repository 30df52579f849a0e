"""The data model of DESIGN.md. Field and model names here are a contract: do not rename them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.domain import demo, roles
from indicators.domain.numbers import plain_number

YEAR_MIN = 1990
YEAR_MAX = 2100


class NaturalKeyManager(models.Manager):
    """Lets fixtures refer to rows by their stable code instead of a database id."""

    natural_key_field = "code"

    def get_by_natural_key(self, code):
        return self.get(**{self.natural_key_field: code})


_UNSET = object()
# A unit whose start is unknown counts as starting here, so that one code has one open-ended past.
_BEGINNING = date(1900, 1, 1)


class AdministrativeUnitQuerySet(models.QuerySet):
    def districts(self):
        """District-level units (huyện, thị xã, thành phố thuộc tỉnh)."""
        return self.filter(level=AdministrativeUnit.Level.DISTRICT)

    def communes(self):
        return self.filter(level=AdministrativeUnit.Level.COMMUNE)

    def in_force_on(self, day: date):
        """The units in force on `day` (validity dates inclusive, an empty end meaning still in force)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def reporting_in(self, year: int):
        """The units that report figures for `year`: those in force on its last day.

        A year's figures belong to the units in force at its end, as reports and the index are made
        then: 2025 belongs to the communes (from 01/07/2025), not to the districts (to 30/06/2025).
        """
        return self.in_force_on(year_end(year))

    def by_code(self, code: str, *, on: date | None = None):
        """The unit with official `code` in force on `on`, else the latest unit with that code.

        Codes are reused: "80" is Long An to 30/06/2025 and Tây Ninh from 01/07/2025. Raises
        DoesNotExist when no unit has the code.
        """
        candidates = self.filter(code=code)
        if on is not None:
            found = candidates.in_force_on(on).first()
            if found is not None:
                return found
        found = candidates.order_by(F("valid_from").desc(nulls_last=True)).first()
        if found is None:
            raise self.model.DoesNotExist(f"No administrative unit has the code {code!r}.")
        return found

    def by_code_in_year(self, code: str, year: int | None):
        """The unit a code names in `year` (its end); the latest one when no year is given."""
        return self.by_code(code, on=year_end(year) if year else None)


def year_end(year: int) -> date:
    return date(year, 12, 31)


class AdministrativeUnitManager(models.Manager.from_queryset(AdministrativeUnitQuerySet)):
    def get_by_natural_key(self, code, valid_from=_UNSET):
        """(code, valid_from) names one unit; the one-part form (code,) names the latest unit with it."""
        if valid_from is _UNSET:
            return self.by_code(code)
        if valid_from is None:
            return self.get(code=code, valid_from__isnull=True)
        return self.get(code=code, valid_from=valid_from)


class AdministrativeUnit(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh / thành phố")
        DISTRICT = "district", _("Cấp huyện")
        COMMUNE = "commune", _("Cấp xã")

    class Kind(models.TextChoices):
        """The unit's type, as its official name begins."""

        TINH = "tinh", "Tỉnh"
        THANH_PHO = "thanh-pho", "Thành phố"
        HUYEN = "huyen", "Huyện"
        THI_XA = "thi-xa", "Thị xã"
        QUAN = "quan", "Quận"
        XA = "xa", "Xã"
        PHUONG = "phuong", "Phường"
        THI_TRAN = "thi-tran", "Thị trấn"
        DAC_KHU = "dac-khu", "Đặc khu"

    code = models.CharField(
        _("mã"),
        max_length=20,
        help_text=_(
            "Mã đơn vị hành chính của Tổng cục Thống kê (GSO). Một mã chỉ duy nhất trong một thời kỳ hiệu lực: "
            "80 là tỉnh Long An đến 30/06/2025 và tỉnh Tây Ninh từ 01/07/2025."
        ),
    )
    name = models.CharField(_("tên"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True, help_text=_("Để trống nếu còn hiệu lực."))
    is_synthetic = models.BooleanField(
        _("đơn vị giả lập"), default=False, help_text=_("Chỉ dùng cho dữ liệu minh họa / đo hiệu năng.")
    )
    note = models.TextField(_("ghi chú"), blank=True)
    note_en = models.TextField(_("ghi chú tiếng Anh"), blank=True, default="")

    objects = AdministrativeUnitManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
            # One unit per code and start date; an unknown start counts once (NULLs would not collide).
            models.UniqueConstraint(F("code"), Coalesce("valid_from", Value(_BEGINNING)), name="unit_code_per_period"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code, self.valid_from)

    def clean(self):
        """Two units may share a code only in periods that do not overlap."""
        super().clean()
        same_code = AdministrativeUnit.objects.filter(code=self.code).exclude(pk=self.pk)
        if self.valid_to is not None:
            same_code = same_code.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=self.valid_to))
        if self.valid_from is not None:
            same_code = same_code.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        overlapping = same_code.first()
        if overlapping is not None:
            raise ValidationError(
                {
                    "code": _("Mã %(code)s đã dùng cho %(name)s (%(period)s) trong cùng thời kỳ.")
                    % {"code": self.code, "name": overlapping.name, "period": overlapping.period_text}
                }
            )

    @property
    def period_text(self) -> str:
        """Its validity as people write it: "đến 30/06/2025", "từ 01/07/2025", "01/07/2025–31/12/2026"."""
        start, end = self.valid_from, self.valid_to
        if start and end:
            return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"
        if end:
            return _("đến %(date)s") % {"date": f"{end:%d/%m/%Y}"}
        if start:
            return _("từ %(date)s") % {"date": f"{start:%d/%m/%Y}"}
        return ""

    def reports_in(self, year: int) -> bool:
        """Whether the unit reports figures for `year`: it is in force on the year's last day."""
        end = year_end(year)
        return (self.valid_from is None or self.valid_from <= end) and (self.valid_to is None or self.valid_to >= end)

    def year_error(self, year: int) -> str | None:
        """Why the unit cannot have figures for `year`, or None if it can."""
        if self.reports_in(year):
            return None
        first, last = self.reporting_years
        if first and last:
            span = _("từ năm %(first)d đến năm %(last)d") % {"first": first, "last": last}
        elif last:
            span = _("đến năm %(last)d") % {"last": last}
        else:
            span = _("từ năm %(first)d") % {"first": first}
        return _("%(unit)s (%(period)s) chỉ có số liệu %(span)s.") % {
            "unit": self.name,
            "period": self.period_text,
            "span": span,
        }

    @property
    def reporting_years(self) -> tuple[int | None, int | None]:
        """The first and last year it reports for (None: open-ended)."""
        first = self.valid_from.year if self.valid_from is not None else None
        last = None
        if self.valid_to is not None:
            last = self.valid_to.year if self.valid_to == year_end(self.valid_to.year) else self.valid_to.year - 1
        return first, last


class UnitSuccession(models.Model):
    class Kind(models.TextChoices):
        MERGE = "merge", _("Hợp nhất")
        SPLIT = "split", _("Chia tách")
        RENAME = "rename", _("Đổi tên")
        ABSORBED = "absorbed", _("Sáp nhập / chấm dứt cấp")

    predecessor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị trước"), on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị kế thừa"), on_delete=models.CASCADE, related_name="predecessions"
    )
    date = models.DateField(_("ngày hiệu lực"))
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind.choices)
    is_main = models.BooleanField(
        _("đơn vị kế thừa chính"),
        default=False,
        help_text=_("Đơn vị nhận phần lớn địa bàn của đơn vị trước, khi địa bàn được chia cho nhiều đơn vị."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    note_en = models.TextField(_("ghi chú tiếng Anh"), blank=True, default="")

    class Meta:
        ordering = ["date", "predecessor__code"]
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor", "date"], name="unique_succession"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.date:%d/%m/%Y})"


class ReformArea(models.Model):
    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.TextField(_("mô tả"), blank=True)
    description_en = models.TextField(_("mô tả tiếng Anh"), blank=True)
    in_resolution_76 = models.BooleanField(
        _("thuộc 6 lĩnh vực của Nghị quyết 76"),
        default=True,
        help_text=_("Sai với 2 lĩnh vực chỉ có trong PAR INDEX: chỉ đạo, điều hành và tác động của CCHC."),
    )

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("lĩnh vực cải cách")
        verbose_name_plural = _("lĩnh vực cải cách")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class IndicatorQuerySet(models.QuerySet):
    def for_level(self, level: str):
        """The indicators that units of `level` (an AdministrativeUnit.Level) report."""
        return self.filter(**{f"applies_to_{level}": True})


class Indicator(models.Model):
    class UnitKind(models.TextChoices):
        COUNT = "count", _("số lượng")
        PERCENT = "percent", _("tỷ lệ %")
        RANK = "rank", _("thứ hạng")
        SCORE = "score", _("điểm")
        PER_DAY = "per_day", _("lượt/ngày")

    class Framework(models.TextChoices):
        PAR_INDEX = "par_index", _("PAR INDEX (QĐ 876/QĐ-BNV)")
        DECISION_766 = "decision_766", _("Bộ chỉ số QĐ 766/QĐ-TTg")
        PROVINCIAL = "provincial", _("Chỉ tiêu của tỉnh")
        OTHER = "other", _("Khác")

    class Role(models.TextChoices):
        """What the figure is to the rules that relate figures (domain/roles.py); most indicators have none."""

        RECEIVED = roles.RECEIVED, _("số hồ sơ tiếp nhận")
        OVERDUE = roles.OVERDUE, _("số hồ sơ trễ hạn")
        ON_TIME_SHARE = roles.ON_TIME_SHARE, _("tỷ lệ hồ sơ đúng hạn")
        INDEX_SCORE = roles.INDEX_SCORE, _("điểm chỉ số CCHC cấp huyện")
        INDEX_RANK = roles.INDEX_RANK, _("xếp hạng chỉ số CCHC cấp huyện")

    class DemoProfile(models.TextChoices):
        """How the demo generator draws this indicator's synthetic figures (domain/demo.py)."""

        GROWING_SHARE = demo.GROWING_SHARE, _("tỷ lệ tăng dần qua các năm")
        STEADY_SHARE = demo.STEADY_SHARE, _("tỷ lệ ổn định theo đơn vị")
        COUNT = demo.COUNT, _("số lượng")
        SCORE = demo.SCORE, _("điểm")
        NONE = demo.NONE, _("không tạo: chỉ số liệu thật (kết quả được công bố)")

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300)
    short_name = models.CharField(_("tên ngắn"), max_length=80, blank=True)
    short_name_en = models.CharField(_("tên ngắn tiếng Anh"), max_length=80, blank=True)
    area = models.ForeignKey(
        ReformArea, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="indicators"
    )
    unit_kind = models.CharField(_("loại đơn vị đo"), max_length=20, choices=UnitKind.choices)
    higher_is_better = models.BooleanField(
        _("cao hơn là tốt hơn"), null=True, blank=True, help_text=_("Để trống nếu chỉ tiêu trung tính.")
    )
    decimals = models.PositiveSmallIntegerField(_("số chữ số thập phân"), default=0)
    min_value = models.DecimalField(_("giá trị nhỏ nhất"), max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("giá trị lớn nhất"), max_digits=14, decimal_places=4, null=True, blank=True)
    definition = models.TextField(_("định nghĩa"))
    definition_en = models.TextField(_("định nghĩa tiếng Anh"), blank=True)
    why_it_matters = models.TextField(_("ý nghĩa"), blank=True)
    why_it_matters_en = models.TextField(_("ý nghĩa tiếng Anh"), blank=True)
    framework = models.CharField(_("khung đánh giá"), max_length=20, choices=Framework.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_headline = models.BooleanField(_("chỉ tiêu chính"), default=False, help_text=_("Hiện trên trang chủ."))
    role = models.CharField(_("vai trò trong kiểm tra chéo"), max_length=20, choices=Role.choices, blank=True)
    demo_profile = models.CharField(
        _("cách tạo số liệu minh họa"), max_length=20, choices=DemoProfile.choices, blank=True
    )
    demo_low = models.PositiveIntegerField(_("số liệu minh họa: mức thấp"), null=True, blank=True)
    demo_high = models.PositiveIntegerField(_("số liệu minh họa: mức cao"), null=True, blank=True)
    # Which levels report this indicator: the district index rank, for one, does not apply to a commune.
    applies_to_province = models.BooleanField(_("áp dụng cho cấp tỉnh"), default=False)
    applies_to_district = models.BooleanField(_("áp dụng cho cấp huyện"), default=True)
    applies_to_commune = models.BooleanField(_("áp dụng cho cấp xã"), default=True)

    objects = NaturalKeyManager.from_queryset(IndicatorQuerySet)()

    class Meta:
        ordering = ["area__order", "order", "code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="indicator_bounds_ordered",
            ),
            # The cross-field checks and the demo ranks relate one received, one overdue, ... figure.
            models.UniqueConstraint(fields=["role"], condition=~Q(role=""), name="one_indicator_per_role"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def applies_to(self, level: str) -> bool:
        return getattr(self, f"applies_to_{level}", False)

    @property
    def levels(self) -> tuple[str, ...]:
        return tuple(level for level in AdministrativeUnit.Level.values if self.applies_to(level))

    @property
    def is_whole_number(self) -> bool:
        return self.unit_kind in (self.UnitKind.COUNT, self.UnitKind.RANK)

    def bounds_error(self, value: Decimal) -> str | None:
        """Why `value` cannot be a figure of this indicator, or None if it can."""
        if self.min_value is not None and value < self.min_value:
            return _("Giá trị phải ≥ %(min)s.") % {"min": plain_number(self.min_value)}
        if self.max_value is not None and value > self.max_value:
            return _("Giá trị phải ≤ %(max)s.") % {"max": plain_number(self.max_value)}
        if self.is_whole_number and value != value.to_integral_value():
            return _("Chỉ tiêu này phải là số nguyên.")
        return None


def _finite(value) -> bool:
    try:
        return Decimal(value).is_finite()
    except (ArithmeticError, TypeError, ValueError):
        return False


class SourceQuerySet(models.QuerySet):
    def citable_for(self, unit):
        """What a figure of `unit` may cite: the unit's own sources and the shared published ones."""
        return self.filter(Q(unit=unit) | Q(unit__isnull=True, kind__in=Source.SHARED_KINDS))


class Source(models.Model):
    class Kind(models.TextChoices):
        NEWS_ARTICLE = "news_article", _("Bài báo")
        OFFICIAL_DOCUMENT = "official_document", _("Văn bản chính thức")
        DATA_ENTRY = "data_entry", _("Nhập liệu")
        IMPORT = "import", _("Nhập từ tệp")
        SYNTHETIC_DEMO = "synthetic_demo", _("Dữ liệu minh họa (giả lập)")

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=500)
    # Our own sources' words in English (the demo data's); a published article or document keeps
    # the title it was published under, on English pages too.
    title_en = models.CharField(_("tiêu đề tiếng Anh"), max_length=500, blank=True)
    publisher = models.CharField(_("cơ quan / nơi đăng"), max_length=300, blank=True)
    publisher_en = models.CharField(_("cơ quan / nơi đăng, tiếng Anh"), max_length=300, blank=True)
    author = models.CharField(_("tác giả"), max_length=200, blank=True)
    published_on = models.DateField(_("ngày đăng"), null=True, blank=True)
    date_note = models.CharField(
        _("ghi chú về ngày"), max_length=200, blank=True, help_text=_("Ví dụ: 'đầu năm 2024' khi không rõ ngày.")
    )
    url = models.URLField(_("địa chỉ"), blank=True)
    kind = models.CharField(_("loại nguồn"), max_length=30, choices=Kind.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    note_en = models.TextField(_("ghi chú tiếng Anh"), blank=True)
    # A unit's own report (what its admins enter or upload) belongs to that unit, and only its admins
    # may cite it. Empty: a published source (an official document, an article) that anyone may cite.
    unit = models.ForeignKey(
        "AdministrativeUnit",
        verbose_name=_("đơn vị báo cáo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_sources",
        help_text=_("Để trống với văn bản, bài báo dùng chung; chỉ người nhập liệu của đơn vị này được trích dẫn."),
    )

    # Published sources with no unit: the entry form offers these to every district.
    SHARED_KINDS = (Kind.OFFICIAL_DOCUMENT, Kind.NEWS_ARTICLE)

    objects = NaturalKeyManager.from_queryset(SourceQuerySet)()

    class Meta:
        ordering = ["title"]
        verbose_name = _("nguồn")
        verbose_name_plural = _("nguồn")

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.code,)

    @property
    def is_demo(self) -> bool:
        return self.kind == self.Kind.SYNTHETIC_DEMO


class IndicatorValueQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: approved figures only."""
        return self.filter(status=IndicatorValue.Status.APPROVED)

    def for_units(self, units: Iterable | None):
        """Values of these units (unit objects or GSO codes); unchanged when given nothing."""
        if not units:
            return self
        units = list(units)
        if isinstance(units[0], AdministrativeUnit):
            return self.filter(unit__in=units)
        return self.filter(unit__code__in=units)

    def for_indicator(self, indicator: Indicator | str | None):
        """Values of one indicator (object or code); unchanged when given nothing."""
        if indicator is None or indicator == "":
            return self
        if isinstance(indicator, Indicator):
            return self.filter(indicator=indicator)
        return self.filter(indicator__code=indicator)

    def for_indicators(self, indicators: Iterable | None):
        if not indicators:
            return self
        indicators = list(indicators)
        if isinstance(indicators[0], Indicator):
            return self.filter(indicator__in=indicators)
        return self.filter(indicator__code__in=indicators)

    def for_years(self, year_from: int | None = None, year_to: int | None = None):
        """Values within [year_from, year_to]; either end may be open."""
        qs = self
        if year_from is not None:
            qs = qs.filter(year__gte=year_from)
        if year_to is not None:
            qs = qs.filter(year__lte=year_to)
        return qs

    def without_demo(self, exclude: bool = True):
        """Drop synthetic demo values when `exclude` is true."""
        if not exclude:
            return self
        return self.exclude(source__kind=Source.Kind.SYNTHETIC_DEMO)

    def demo(self):
        return self.filter(source__kind=Source.Kind.SYNTHETIC_DEMO)

    def for_export(self):
        """Everything the open-data export prints, as plain rows in one query (no model instances:
        a national export has hundreds of thousands of rows)."""
        return self.order_by("unit__code", "unit__valid_from", "indicator__code", "year").values(
            "unit__code",
            "unit__valid_from",
            "unit__valid_to",
            "unit__level",
            "unit__name",
            "indicator__code",
            "indicator__name",
            "indicator__unit_kind",
            "year",
            "value",
            "qualifier",
            "source__title",
            "source__url",
            "source__kind",
            "quote",
            "note",
        )

    def for_user(self, user):
        """The values `user` may see on the entry and review side (the public side uses `published()`).

        Provincial staff and superusers see everything; a unit admin sees their own units' values;
        anyone else sees nothing. `rules` cannot filter a queryset, so this is the visibility half of
        indicators/permissions.py; the role lookups it shares with the rules are at the end of this module.
        """
        if sees_all_values(user):
            return self
        unit_ids = managed_unit_ids(user)
        if not unit_ids:
            return self.none()
        return self.filter(unit_id__in=unit_ids)


class IndicatorValueManager(models.Manager.from_queryset(IndicatorValueQuerySet)):
    def get_by_natural_key(self, indicator_code, unit_code, year):
        # A code names the unit that reported in that year: "80" in 2024 is Long An, in 2025 Tây Ninh.
        unit = AdministrativeUnit.objects.by_code_in_year(unit_code, year)
        return self.get(indicator__code=indicator_code, unit=unit, year=year)


class IndicatorValue(models.Model):
    class Qualifier(models.TextChoices):
        EXACT = "exact", _("chính xác")
        APPROXIMATELY = "approximately", _("gần (xấp xỉ, dưới)")
        MORE_THAN = "more_than", _("hơn")
        LESS_THAN = "less_than", _("dưới")
        AVERAGE = "average", _("trung bình")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        APPROVED = "approved", _("Đã duyệt")
        RETURNED = "returned", _("Trả lại")

    # A unit admin may change a value only while it is being prepared. Submitted values wait for
    # review and approved ones are published: both are locked until provincial staff return them.
    OPEN_STATUSES = (Status.DRAFT, Status.RETURNED)

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="values"
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=4)
    qualifier = models.CharField(_("mức chính xác"), max_length=20, choices=Qualifier.choices, default=Qualifier.EXACT)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    source = models.ForeignKey(
        Source, verbose_name=_("nguồn"), null=True, blank=True, on_delete=models.PROTECT, related_name="values"
    )
    quote = models.TextField(_("trích dẫn"), blank=True, help_text=_("Nguyên văn câu chữ mà số liệu được lấy ra."))
    note = models.TextField(_("ghi chú"), blank=True)
    # Our own note, so English pages carry it in English; the quote stays as published.
    note_en = models.TextField(_("ghi chú tiếng Anh"), blank=True)
    review_comment = models.TextField(_("ý kiến thẩm định"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = IndicatorValueManager()

    class Meta:
        ordering = ["indicator", "unit", "year"]
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "year"], name="unique_value_per_indicator_unit_year"),
            models.CheckConstraint(condition=Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX), name="value_year_in_range"),
            # Every indicator in the catalogue is a count, share, rank, score or rate: none can be negative.
            models.CheckConstraint(condition=Q(value__gte=0), name="value_not_negative"),
        ]
        indexes = [
            models.Index(fields=["indicator", "year", "status"], name="value_indicator_year_status"),
            models.Index(fields=["unit", "year"], name="value_unit_year"),
        ]

    def __str__(self):
        return f"{self.indicator.code} · {self.unit.code} · {self.year}"

    def natural_key(self):
        return (self.indicator.code, self.unit.code, self.year)

    natural_key.dependencies = ["indicators.indicator", "indicators.administrativeunit"]

    def clean(self):
        errors = {}
        if self.year is not None and not (YEAR_MIN <= self.year <= YEAR_MAX):
            errors["year"] = _("Năm phải từ %(min)d đến %(max)d.") % {"min": YEAR_MIN, "max": YEAR_MAX}
        # A value that is not a finite number is already refused by clean_fields (and cannot be compared).
        if self.value is not None and self.indicator_id is not None and _finite(self.value):
            problem = self.indicator.bounds_error(Decimal(self.value))
            if problem:
                errors["value"] = problem
        if self.unit_id is not None and self.year is not None and "year" not in errors:
            problem = self.unit.year_error(self.year)
            if problem:
                errors["year"] = problem
        if (
            self.unit_id is not None
            and self.indicator_id is not None
            and not self.indicator.applies_to(self.unit.level)
        ):
            errors["indicator"] = _("Chỉ tiêu “%(indicator)s” không áp dụng cho %(level)s.") % {
                "indicator": self.indicator.name,
                "level": self.unit.get_level_display().lower(),
            }
        if errors:
            raise ValidationError(errors)

    @property
    def is_demo(self) -> bool:
        return self.source is not None and self.source.is_demo

    @property
    def is_open(self) -> bool:
        """Still being prepared (a draft, or returned by reviewers): its unit's admin may change it."""
        return self.status in self.OPEN_STATUSES


class HistoryReason(models.TextChoices):
    """Why a value's history row was written (simple_history's `history_change_reason`)."""

    SAVED = "saved", _("lưu nháp")
    SUBMITTED = "submitted", _("gửi thẩm định")
    APPROVED = "approved", _("duyệt")
    RETURNED = "returned", _("trả lại")
    DELETED = "deleted", _("xóa")
    IMPORTED = "imported", _("nhập từ tệp")


class SchemeManager(NaturalKeyManager):
    natural_key_field = "valid_from_year"


class DeadlineManager(NaturalKeyManager):
    natural_key_field = "year"


class ScoringScheme(models.Model):
    """How the site's own district index is computed, from `valid_from_year` until the next scheme.

    Past years are always scored under the scheme in force for them. Bands are lower bounds on the
    0-100 score: Tốt ≥ band_good, Khá ≥ band_fair, Trung bình ≥ band_average, else Yếu.
    """

    valid_from_year = models.PositiveSmallIntegerField(_("áp dụng từ năm"), unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    min_indicators_to_rank = models.PositiveSmallIntegerField(
        _("số chỉ tiêu tối thiểu để xếp hạng"),
        help_text=_("Huyện có ít chỉ tiêu hơn vẫn có điểm, nhưng không được xếp hạng."),
    )
    band_good = models.DecimalField(_("ngưỡng Tốt"), max_digits=5, decimal_places=2, default=Decimal("80"))
    band_fair = models.DecimalField(_("ngưỡng Khá"), max_digits=5, decimal_places=2, default=Decimal("65"))
    band_average = models.DecimalField(_("ngưỡng Trung bình"), max_digits=5, decimal_places=2, default=Decimal("50"))
    note = models.TextField(_("ghi chú"), blank=True)
    note_en = models.TextField(_("ghi chú tiếng Anh"), blank=True)

    objects = SchemeManager()

    class Meta:
        ordering = ["valid_from_year"]
        verbose_name = _("bộ tiêu chí chấm điểm")
        verbose_name_plural = _("bộ tiêu chí chấm điểm")
        constraints = [
            models.CheckConstraint(
                condition=Q(band_good__gte=models.F("band_fair")) & Q(band_fair__gte=models.F("band_average")),
                name="scheme_bands_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.valid_from_year})"

    def natural_key(self):
        return (self.valid_from_year,)


class ScoringComponentManager(models.Manager):
    def get_by_natural_key(self, valid_from_year, indicator_code):
        return self.get(scheme__valid_from_year=valid_from_year, indicator__code=indicator_code)


class ScoringComponent(models.Model):
    class Scaling(models.TextChoices):
        MINMAX = "minmax", _("Min–max giữa các huyện")
        TARGET = "target", _("So với mục tiêu")

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.CASCADE, related_name="components")
    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(ReformArea, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("trọng số"), max_digits=6, decimal_places=2)
    scaling = models.CharField(_("cách quy đổi"), max_length=10, choices=Scaling.choices, default=Scaling.MINMAX)

    objects = ScoringComponentManager()

    class Meta:
        ordering = ["scheme", "area__order", "indicator__order"]
        verbose_name = _("thành phần chỉ số")
        verbose_name_plural = _("thành phần chỉ số")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "indicator"], name="unique_component_per_scheme"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="component_weight_positive"),
        ]

    def __str__(self):
        return f"{self.scheme.valid_from_year}: {self.indicator.code} × {self.weight}"

    def natural_key(self):
        return (self.scheme.valid_from_year, self.indicator.code)

    natural_key.dependencies = ["indicators.scoringscheme", "indicators.indicator"]


class Event(models.Model):
    """Something that happened on a date and belongs on every time axis it falls within."""

    class Kind(models.TextChoices):
        REORGANISATION = "reorganisation", _("Sắp xếp đơn vị hành chính")
        DOCUMENT = "document", _("Văn bản mới")
        OTHER = "other", _("Khác")

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    date = models.DateField(_("ngày"))
    title = models.CharField(_("tiêu đề"), max_length=300)
    title_en = models.CharField(_("tiêu đề tiếng Anh"), max_length=300, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("nguồn"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["date", "code"]
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.title}"

    def natural_key(self):
        return (self.code,)


class ReportingDeadline(models.Model):
    """By when the districts' figures for `year` are due."""

    year = models.PositiveSmallIntegerField(_("năm số liệu"), unique=True)
    due_on = models.DateField(_("hạn báo cáo"))
    note = models.TextField(_("ghi chú"), blank=True)

    objects = DeadlineManager()

    class Meta:
        ordering = ["year"]
        verbose_name = _("hạn báo cáo")
        verbose_name_plural = _("hạn báo cáo")

    def __str__(self):
        return f"{self.year}: {self.due_on:%d/%m/%Y}"

    def natural_key(self):
        return (self.year,)


class TargetManager(models.Manager):
    def get_by_natural_key(self, indicator_code, unit_code, year):
        unit = None if unit_code is None else AdministrativeUnit.objects.by_code_in_year(unit_code, year)
        return self.get(indicator__code=indicator_code, unit=unit, year=year)


class Target(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="targets"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
        help_text=_("Để trống: áp dụng cho cả tỉnh."),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=4)
    source = models.ForeignKey(Source, verbose_name=_("nguồn"), on_delete=models.PROTECT, related_name="targets")
    note = models.TextField(_("ghi chú"), blank=True)

    objects = TargetManager()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        constraints = [
            # Two constraints because NULL units would never collide in one.
            models.UniqueConstraint(
                fields=["indicator", "unit", "year"], condition=Q(unit__isnull=False), name="unique_unit_target"
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"], condition=Q(unit__isnull=True), name="unique_province_target"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX), name="target_year_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}: {self.value}"

    def natural_key(self):
        return (self.indicator.code, self.unit.code if self.unit_id else None, self.year)

    natural_key.dependencies = ["indicators.indicator", "indicators.administrativeunit"]

    def clean(self):
        if self.value is not None and self.indicator_id is not None:
            problem = self.indicator.bounds_error(Decimal(self.value))
            if problem:
                raise ValidationError({"value": problem})


class DataVersion(models.Model):
    """One row whose number changes whenever published data may have changed.

    Public pages are cached under a key that includes it. It lives in the database, not in a
    process's memory, so every app server (and every gunicorn worker) sees a change at once.
    """

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiên bản dữ liệu")
        verbose_name_plural = _("phiên bản dữ liệu")

    def __str__(self):
        return f"v{self.version}"


# The admin of a unit: a district's before the 2025 reorganisation, a commune's since. The group was
# called "District admin" until communes could enter figures (migration 0004 renamed it, so existing
# members and assignments keep working); the old constant name is kept for code that imports it.
UNIT_ADMIN_GROUP = "Unit admin"
FORMER_UNIT_ADMIN_GROUP = "District admin"
DISTRICT_ADMIN_GROUP = UNIT_ADMIN_GROUP
PROVINCIAL_STAFF_GROUP = "Provincial staff"
# The levels whose units enter their own figures; a province's figures are published, not entered.
ENTRY_LEVELS = (AdministrativeUnit.Level.DISTRICT, AdministrativeUnit.Level.COMMUNE)


class UnitAdminAssignment(models.Model):
    """A unit admin may enter figures for this unit (a district or a commune). A user may hold several units."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="unit_assignments",
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="admin_assignments"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["unit__code", "user__username"]
        verbose_name = _("phân công nhập liệu")
        verbose_name_plural = _("phân công nhập liệu")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="unique_unit_admin_assignment")]

    def __str__(self):
        return f"{self.user} → {self.unit}"

    def clean(self):
        super().clean()
        if self.unit_id is not None and self.unit.level not in ENTRY_LEVELS:
            raise ValidationError(
                {"unit": _("Chỉ phân công nhập liệu cho một huyện (đến 2024) hoặc một xã, phường (từ 2025).")}
            )


# --- roles: who the user is, looked up once per user object ------------------------------------
# Here rather than in indicators.permissions so that IndicatorValueQuerySet.for_user can use them
# without the model importing the rules built on top of it.


def _group_names(user) -> frozenset[str]:
    """The user's group names, fetched once per user object (one query)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_cchc_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._cchc_group_names = cached
    return cached


def managed_unit_ids(user) -> frozenset[int]:
    """Ids of the units this unit admin may edit, fetched once per user object (one query).

    A unit admin edits the districts and communes they are assigned to; superusers every district and
    commune. Nobody enters a province's figures here, whatever an assignment says.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_cchc_unit_ids", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(AdministrativeUnit.objects.filter(level__in=ENTRY_LEVELS).values_list("pk", flat=True))
        elif UNIT_ADMIN_GROUP in _group_names(user):
            cached = frozenset(
                UnitAdminAssignment.objects.filter(user=user, unit__level__in=ENTRY_LEVELS)
                .order_by()
                .values_list("unit_id", flat=True)
            )
        else:
            cached = frozenset()
        user._cchc_unit_ids = cached
    return cached


def sees_all_values(user) -> bool:
    """Provincial staff and superusers see every value on the entry and review side."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or PROVINCIAL_STAFF_GROUP in _group_names(user))
    )


class ValueImport(models.Model):
    """An uploaded CSV/XLSX file, kept between the dry-run preview and the confirm step, then as a record."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    file_format = models.CharField(_("định dạng"), max_length=10, choices=Format.choices)
    content = models.BinaryField(_("nội dung"))
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    applied_at = models.DateTimeField(_("áp dụng lúc"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("số dòng"), default=0)
    # The preview's result (imports.ImportSummary), kept so that viewing it again reads nothing.
    summary = models.JSONField(_("kết quả kiểm tra"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lần nhập tệp")
        verbose_name_plural = _("lần nhập tệp")

    def __str__(self):
        return self.filename


# --- Imports from the systems that already hold the figures (layouts: indicators/imports/layouts.py) ---


class Period(models.TextChoices):
    """The period a report covers: the year, a quarter or a month of it."""

    YEAR = "Y", _("Cả năm")
    Q1 = "Q1", _("Quý I")
    Q2 = "Q2", _("Quý II")
    Q3 = "Q3", _("Quý III")
    Q4 = "Q4", _("Quý IV")
    M01 = "M01", _("Tháng 1")
    M02 = "M02", _("Tháng 2")
    M03 = "M03", _("Tháng 3")
    M04 = "M04", _("Tháng 4")
    M05 = "M05", _("Tháng 5")
    M06 = "M06", _("Tháng 6")
    M07 = "M07", _("Tháng 7")
    M08 = "M08", _("Tháng 8")
    M09 = "M09", _("Tháng 9")
    M10 = "M10", _("Tháng 10")
    M11 = "M11", _("Tháng 11")
    M12 = "M12", _("Tháng 12")


class LayoutImport(models.Model):
    """An upload in one of the layouts of another system (the 766 portal, a one-stop system, the staff
    software): the layout, the period the file covers and what the check found, beside the file itself
    (its ValueImport). Kept after the confirm step as the record of the import."""

    value_import = models.OneToOneField(
        ValueImport, verbose_name=_("tệp tải lên"), on_delete=models.CASCADE, related_name="layout_import"
    )
    layout = models.CharField(_("mẫu báo cáo"), max_length=40)
    year = models.PositiveSmallIntegerField(_("năm"))
    period = models.CharField(_("kỳ báo cáo"), max_length=3, choices=Period.choices, default=Period.YEAR)
    status_written = models.CharField(_("trạng thái khi ghi"), max_length=20, choices=IndicatorValue.Status.choices)
    # The preview's result (imports.layout_checking.LayoutSummary as JSON): every match and problem.
    summary = models.JSONField(_("kết quả kiểm tra"), null=True, blank=True, editable=False)
    written = models.JSONField(_("kết quả ghi"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-value_import__created_at"]
        verbose_name = _("lần nhập theo mẫu")
        verbose_name_plural = _("lần nhập theo mẫu")
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX), name="layout_import_year")
        ]

    def __str__(self):
        return f"{self.layout} {self.period}/{self.year}"


class PeriodFigure(models.Model):
    """One figure of a confirmed import as the file gave it, for its period (a quarter, a month or the
    year): the rows kept with the import record, and the quarters a yearly mean is made of."""

    layout_import = models.ForeignKey(
        LayoutImport, verbose_name=_("lần nhập"), on_delete=models.CASCADE, related_name="figures"
    )
    row = models.PositiveIntegerField(_("dòng trong tệp"))
    name_in_file = models.CharField(_("tên trong tệp"), max_length=300, blank=True)
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    period = models.CharField(_("kỳ báo cáo"), max_length=3, choices=Period.choices)
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["layout_import", "row", "indicator"]
        verbose_name = _("số liệu theo kỳ")
        verbose_name_plural = _("số liệu theo kỳ")
        indexes = [models.Index(fields=["indicator", "unit", "year", "period"], name="period_figure_lookup")]

    def __str__(self):
        return f"{self.indicator_id} · {self.unit_id} · {self.period}/{self.year}"


class UnitNameMapping(models.Model):
    """A unit name as one layout's files write it, saved by provincial staff so that the next file of the
    same layout matches at once ("UBND TT. Cần Giuộc" → Xã Cần Giuộc). Used only in the periods in which
    its unit is in force."""

    layout = models.CharField(_("mẫu báo cáo"), max_length=40)
    name_key = models.CharField(_("khóa tên"), max_length=300, help_text=_("Tên đã bỏ dấu và ký tự đặc biệt."))
    name = models.CharField(_("tên trong tệp"), max_length=300)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="name_mappings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["layout", "name_key"]
        verbose_name = _("ánh xạ tên đơn vị")
        verbose_name_plural = _("ánh xạ tên đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["layout", "name_key", "unit"], name="unique_name_mapping_per_unit")
        ]

    def __str__(self):
        return f"{self.name} → {self.unit}"


# --- The CCHC index process (issue 15) -----------------------------------------------------------
# The province's own yearly index: a criteria set (bộ tiêu chí) per year and level, each unit's
# self-assessment with its evidence, the appraisal by provincial staff, the survey points, the
# council's approval and the published results. Services write these (services/index_process.py);
# who may see and do what is in indicators/index_permissions.py.

INDEX_POINTS = {"max_digits": 7, "decimal_places": 2}


def evidence_upload_to(evidence, filename: str) -> str:
    """A name nobody can guess, whatever the uploader called the file: evidence/<year>/<unit>/<random><ext>.

    The file is never served from this name: only the permission-checked view sends it.
    """
    import secrets
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:6]
    assessment = evidence.assessment
    return f"evidence/{assessment.criteria_set.year}/{assessment.unit.code}/{secrets.token_urlsafe(24)}{suffix}"


class CriteriaSet(models.Model):
    """A province's criteria for one year and one level, as the annex of its decision lays them out."""

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    province = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="criteria_sets"
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    level = models.CharField(_("cấp được đánh giá"), max_length=20, choices=AdministrativeUnit.Level.choices)
    decision = models.CharField(
        _("văn bản ban hành"), max_length=300, blank=True, help_text=_("Ví dụ: Quyết định số 123/QĐ-UBND ngày …")
    )
    opens_on = models.DateField(_("mở tự đánh giá từ ngày"))
    closes_on = models.DateField(_("hạn nộp tự đánh giá"))
    evidence_public = models.BooleanField(
        _("công khai tệp tài liệu kiểm chứng"),
        default=False,
        help_text=_("Sau khi công bố: ai cũng tải được tệp. Tên và số hiệu tài liệu luôn công khai sau khi công bố."),
    )
    score_indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ tiêu điểm chỉ số khi công bố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rank_indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ tiêu xếp hạng khi công bố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_sample = models.BooleanField(
        _("bộ tiêu chí mẫu"), default=False, help_text=_("Không phải bộ tiêu chí do tỉnh ban hành: xem ghi chú.")
    )
    note = models.TextField(_("ghi chú"), blank=True)
    council_approved_at = models.DateTimeField(_("Hội đồng thông qua lúc"), null=True, blank=True)
    council_decision = models.CharField(_("văn bản của Hội đồng"), max_length=300, blank=True)
    council_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-year", "level", "code"]
        verbose_name = _("bộ tiêu chí chỉ số CCHC")
        verbose_name_plural = _("bộ tiêu chí chỉ số CCHC")
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "level"], name="one_criteria_set_per_year_level"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="criteria_set_period_ordered"),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX), name="criteria_set_year_in_range"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_locked(self) -> bool:
        """The council has approved the year: nothing of it changes until it is reopened for a correction."""
        return self.council_approved_at is not None

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on

    def units(self):
        """The units the set assesses: its province's units of its level that report in its year
        (the districts before 2025, the communes since)."""
        return AdministrativeUnit.objects.filter(parent_id=self.province_id, level=self.level).reporting_in(self.year)

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("Hạn nộp phải sau ngày mở.")})
        if self.province_id and self.year and self.level and not self.units().exists():
            raise ValidationError(
                {
                    "level": _("%(province)s không có đơn vị %(level)s nào báo cáo năm %(year)d.")
                    % {
                        "province": self.province.name,
                        "level": AdministrativeUnit.Level(self.level).label.lower(),
                        "year": self.year,
                    }
                }
            )


class Criterion(models.Model):
    """One node of a criteria set: an area (lĩnh vực), a criterion (tiêu chí) or a sub-criterion."""

    class Method(models.TextChoices):
        GROUP = "group", _("tổng của các tiêu chí con")
        ASSESSED = "assessed", _("đơn vị tự chấm, Sở thẩm định")
        SURVEY = "survey", _("điều tra xã hội học")
        INDICATOR = "indicator", _("tự động từ chỉ tiêu")

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên"), max_length=500)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=500, blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), **INDEX_POINTS)
    method = models.CharField(_("cách chấm"), max_length=20, choices=Method.choices, default=Method.ASSESSED)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    evidence_required = models.BooleanField(_("bắt buộc có tài liệu kiểm chứng"), default=True)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target = models.DecimalField(
        _("mục tiêu để đạt điểm tối đa"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    depth = models.PositiveSmallIntegerField(_("cấp"), default=1)
    is_placeholder = models.BooleanField(
        _("điểm giả định"), default=False, help_text=_("Điểm hoặc nội dung chưa có nguồn: chỉ để minh họa.")
    )
    source_note = models.TextField(_("nguồn"), blank=True)

    class Meta:
        ordering = ["criteria_set", "order"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="unique_criterion_code_per_set"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_max_not_negative"),
        ]

    def __str__(self):
        return f"{self.code}. {self.name}"

    @property
    def is_leaf(self) -> bool:
        return self.method != self.Method.GROUP


class CriteriaBand(models.Model):
    """A band of the set (Tốt, Khá, …): reached from `min_share` % of the unit's applicable maximum."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(_("xếp loại"), max_length=50)
    name_en = models.CharField(_("xếp loại (tiếng Anh)"), max_length=50, blank=True)
    min_share = models.DecimalField(_("từ tỷ lệ điểm (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["criteria_set", "-min_share"]
        verbose_name = _("xếp loại")
        verbose_name_plural = _("xếp loại")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "name"], name="unique_band_name_per_set"),
            models.CheckConstraint(condition=Q(min_share__gte=0) & Q(min_share__lte=100), name="band_share_range"),
        ]

    def __str__(self):
        return f"{self.name} ≥ {plain_number(self.min_share)}%"


class Assessment(models.Model):
    """One unit's year under a criteria set: its self-assessment, then the appraisal of it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang tự đánh giá")
        SUBMITTED = "submitted", _("Đã nộp, chờ thẩm định")
        APPRAISED = "appraised", _("Đã thẩm định xong")

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    leader_name = models.CharField(_("lãnh đạo ký báo cáo"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appraised_at = models.DateTimeField(_("thẩm định xong lúc"), null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["criteria_set", "unit__code"]
        verbose_name = _("tự đánh giá chỉ số CCHC")
        verbose_name_plural = _("tự đánh giá chỉ số CCHC")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "unit"], name="one_assessment_per_unit_and_set"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.criteria_set}"


class AssessmentScore(models.Model):
    """One leaf criterion of one unit's assessment: the unit's points, then the appraisal's decision."""

    class Decision(models.TextChoices):
        PENDING = "", _("chưa quyết định")
        ACCEPTED = "accepted", _("giữ điểm tự chấm")
        ADJUSTED = "adjusted", _("điều chỉnh điểm")
        NOT_APPLICABLE = "not_applicable", _("không áp dụng")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    self_points = models.DecimalField(_("điểm tự chấm"), null=True, blank=True, **INDEX_POINTS)
    not_applicable = models.BooleanField(_("không áp dụng với đơn vị"), default=False)
    explanation = models.TextField(_("giải trình"), blank=True)
    appraised_points = models.DecimalField(_("điểm thẩm định"), null=True, blank=True, **INDEX_POINTS)
    decision = models.CharField(_("kết quả thẩm định"), max_length=20, choices=Decision.choices, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    explanation_requested = models.BooleanField(_("đang chờ đơn vị giải trình"), default=False)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "criterion__order"]
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(
                condition=(Q(self_points__isnull=True) | Q(self_points__gte=0))
                & (Q(appraised_points__isnull=True) | Q(appraised_points__gte=0)),
                name="index_points_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} · {self.criterion.code}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision) and not self.explanation_requested


class Evidence(models.Model):
    """A document that proves a criterion: an uploaded file, a reference to an official document, or both.

    One piece of evidence may serve several criteria of the same assessment.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("tên tài liệu"), max_length=300)
    document_number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=300, blank=True)
    location = models.CharField(_("mục, trang"), max_length=200, blank=True)
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=300, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(_("loại tệp"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng"), default=0)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    criteria = models.ManyToManyField(Criterion, verbose_name=_("dùng cho tiêu chí"), related_name="evidence")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["assessment", "pk"]
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")

    def __str__(self):
        return self.title

    @property
    def reference(self) -> str:
        """ "Số 12/QĐ-UBND, 03/02/2025, UBND xã …, mục 2 trang 3", of what is known."""
        parts = [self.document_number]
        if self.issued_on:
            parts.append(f"{self.issued_on:%d/%m/%Y}")
        parts += [self.issuer, self.location]
        return ", ".join(p for p in parts if p)


class AppraisalMessage(models.Model):
    """The thread on one criterion: staff ask for an explanation, the unit answers."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Sở đề nghị giải trình")
        ANSWER = "answer", _("Đơn vị giải trình")

    score = models.ForeignKey(AssessmentScore, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    body = models.TextField(_("nội dung"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        ordering = ["score", "created_at", "pk"]
        verbose_name = _("trao đổi thẩm định")
        verbose_name_plural = _("trao đổi thẩm định")

    def __str__(self):
        return f"{self.score} · {self.get_kind_display()}"


class SurveyScore(models.Model):
    """A unit's points on a survey criterion of the set (SIPAS-style satisfaction), with their source."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="survey_scores")
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="survey_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="survey_scores")
    points = models.DecimalField(_("điểm"), **INDEX_POINTS)
    source = models.CharField(_("nguồn"), max_length=300)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["criteria_set", "unit__code", "criterion__order"]
        verbose_name = _("điểm điều tra xã hội học")
        verbose_name_plural = _("điểm điều tra xã hội học")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "unit", "criterion"], name="one_survey_score"),
            models.CheckConstraint(condition=Q(points__gte=0), name="survey_points_not_negative"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.criterion.code}: {self.points}"


class Publication(models.Model):
    """The province's decision publishing a year's results. A correction is a new publication."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="publications")
    number = models.PositiveSmallIntegerField(_("lần công bố"))
    decision = models.CharField(_("quyết định công bố"), max_length=300)
    published_on = models.DateField(_("ngày công bố"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="publications")
    note = models.TextField(_("ghi chú, lý do đính chính"), blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["criteria_set", "-number"]
        verbose_name = _("công bố kết quả chỉ số CCHC")
        verbose_name_plural = _("công bố kết quả chỉ số CCHC")
        constraints = [models.UniqueConstraint(fields=["criteria_set", "number"], name="unique_publication_number")]

    def __str__(self):
        return f"{self.criteria_set} · {self.decision}"


class PublishedResult(models.Model):
    """One unit's official result in a publication: total, points by area, rank and band."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="published_results")
    total_points = models.DecimalField(_("tổng điểm"), **INDEX_POINTS)
    max_points = models.DecimalField(_("điểm tối đa áp dụng"), **INDEX_POINTS)
    share = models.DecimalField(_("tỷ lệ đạt (%)"), max_digits=5, decimal_places=2)
    survey_points = models.DecimalField(_("điểm điều tra"), **INDEX_POINTS)
    rank = models.PositiveSmallIntegerField(_("xếp hạng"))
    band = models.CharField(_("xếp loại"), max_length=50, blank=True)
    # {area code: [points, applicable maximum]} as strings: the published table's columns.
    area_points = models.JSONField(_("điểm theo lĩnh vực"), default=dict)
    # {criterion code: points as a string, or None where it did not apply}: the tree as published,
    # which a later correction of the appraisal does not change.
    leaf_points = models.JSONField(_("điểm từng tiêu chí"), default=dict)

    class Meta:
        ordering = ["publication", "rank", "unit__code"]
        verbose_name = _("kết quả chỉ số CCHC")
        verbose_name_plural = _("kết quả chỉ số CCHC")
        constraints = [
            models.UniqueConstraint(fields=["publication", "unit"], name="one_result_per_unit_and_publication"),
        ]

    def __str__(self):
        return f"{self.unit}: {self.total_points} ({self.rank})"


class NotificationSetting(models.Model):
    """Whether a user gets the index process's email (deadlines, requests, submissions)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="index_notifications")
    email_enabled = models.BooleanField(_("nhận thư thông báo"), default=True)

    class Meta:
        verbose_name = _("cài đặt thông báo")
        verbose_name_plural = _("cài đặt thông báo")

    def __str__(self):
        return f"{self.user}: {self.email_enabled}"


class NotificationSent(models.Model):
    """A deadline reminder already sent, so that the daily run sends each one once."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thông báo đã gửi")
        verbose_name_plural = _("thông báo đã gửi")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "kind", "user"], name="one_reminder_per_kind"),
        ]

    def __str__(self):
        return f"{self.criteria_set} · {self.kind} · {self.user}"
