"""The yearly entry form: input conventions, validation, outliers, locks, all-or-nothing and conflicts."""

import io
import unicodedata
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from indicators import imports
from indicators.domain.numbers import NumberError, parse_number
from indicators.imports.layout_reading import read_layout_file
from indicators.imports.layouts import get_layout
from indicators.models import UNIT_ADMIN_GROUP, AdministrativeUnit, Indicator, IndicatorValue, Source
from indicators.selectors import import_lookups
from indicators.services import entry as entry_services
from indicators.services import review as review_services
from tests.factories import make_user

FORM = reverse("entry:form", args=["805", 2024])


def value_of(code, year=2024, unit="805"):
    return IndicatorValue.objects.filter(unit__code=unit, year=year, indicator__code=code).first()


def errors_in(response) -> str:
    return response.content.decode()


def test_entry_list_shows_the_admins_units_and_years_only(frozen_today, client_a):
    html = client_a.get(reverse("entry:list")).content.decode()
    assert "Huyện Tân Trụ" in html and "đến 30/06/2025" in html
    assert "Huyện Cần Giuộc" not in html
    assert reverse("entry:form", args=["805", 2019]) in html
    assert reverse("entry:form", args=["805", 2024]) in html
    # The district ended on 30/06/2025: 2025's figures belong to the communes in force at its end.
    assert reverse("entry:form", args=["805", 2025]) not in html
    assert reverse("entry:form", args=["805", 2026]) not in html
    district_indicators = Indicator.objects.for_level("district").count()
    assert f"cấp huyện {district_indicators}." in html  # the district's indicators; the commune's are not counted here


def test_form_groups_indicators_by_area_with_last_year_unit_and_direction(demo_seeded, client_a):
    html = client_a.get(FORM).content.decode()
    assert "Cải cách thủ tục hành chính" in html
    assert "Năm 2023" in html
    assert "cao hơn là tốt hơn" in html and "thấp hơn là tốt hơn" in html
    assert "hiện là số liệu minh họa" in html  # demo values are shown, never pre-filled as real ones
    assert 'name="sipas__value"' in html and 'value=""' in html


def test_vietnamese_input_is_read_with_comma_decimals_and_dot_thousands(client_a):
    response = client_a.post(
        FORM, {"ho-so-tiep-nhan__value": "1.234", "ho-so-dung-han__value": "95,5", "ho-so-tre-han__value": "0"}
    )
    assert response.status_code == 302
    assert value_of("ho-so-tiep-nhan").value == Decimal(1234)
    assert value_of("ho-so-dung-han").value == Decimal("95.5")


def test_the_english_page_reads_numbers_by_the_same_vietnamese_rule(client_a):
    client_a.cookies["django_language"] = "en"
    response = client_a.post(FORM, {"ho-so-tiep-nhan__value": "1.234", "ho-so-dung-han__value": "95,5"})
    assert response.status_code == 302
    assert value_of("ho-so-tiep-nhan").value == Decimal(1234)
    assert value_of("ho-so-dung-han").value == Decimal("95.5")


def test_english_grouping_on_the_english_page_is_refused_with_the_expected_style(client_a):
    client_a.cookies["django_language"] = "en"
    response = client_a.post(FORM, {"ho-so-tiep-nhan__value": "1,234.5"})
    assert response.status_code == 400
    assert "Write numbers in Vietnamese style, e.g. 1.234,5" in errors_in(response)
    assert value_of("ho-so-tiep-nhan") is None


def test_saved_values_are_shown_back_in_the_page_language(client_a):
    client_a.post(FORM, {"ho-so-tiep-nhan__value": "1.234,5".replace(",5", ""), "ho-so-dung-han__value": "95,5"})
    html = client_a.get(FORM).content.decode()
    assert 'value="1.234"' in html and 'value="95,5"' in html


def test_a_lone_dot_that_cannot_group_thousands_is_the_decimal_mark(client_a):
    response = client_a.post(FORM, {"ho-so-dung-han__value": "97.5"})
    assert response.status_code == 302
    assert value_of("ho-so-dung-han").value == Decimal("97.5")


def test_a_share_typed_with_a_thousands_dot_is_refused_by_its_bounds(client_a):
    response = client_a.post(FORM, {"ho-so-dung-han__value": "97.500"})  # 97500, as in an import
    assert response.status_code == 400
    assert "Giá trị phải ≤ 100" in errors_in(response)
    assert value_of("ho-so-dung-han") is None


def test_bounds_whole_numbers_and_shares_are_checked_and_nothing_is_half_saved(client_a):
    response = client_a.post(
        FORM,
        {
            "sipas__value": "90",  # valid on its own
            "ho-so-dung-han__value": "120",  # a share above 100
            "ho-so-tiep-nhan__value": "12,5",  # a count with a fraction
        },
    )
    assert response.status_code == 400
    html = errors_in(response)
    assert "Giá trị phải ≤ 100" in html
    assert "phải là số nguyên" in html
    assert value_of("sipas") is None  # all or nothing


def test_overdue_above_received_is_an_error(client_a):
    response = client_a.post(FORM, {"ho-so-tiep-nhan__value": "10", "ho-so-tre-han__value": "11"})
    assert response.status_code == 400
    assert "không thể lớn hơn số hồ sơ tiếp nhận" in errors_in(response)
    assert not IndicatorValue.objects.filter(unit__code="805", year=2024).exists()


def test_full_on_time_share_with_overdue_dossiers_needs_confirmation(client_a):
    data = {"ho-so-tiep-nhan__value": "100", "ho-so-tre-han__value": "2", "ho-so-dung-han__value": "100"}
    response = client_a.post(FORM, data)
    assert response.status_code == 400
    assert "tỷ lệ đúng hạn là 100%" in errors_in(response)
    assert value_of("ho-so-dung-han") is None
    response = client_a.post(FORM, {**data, "confirm_warnings": "on"})
    assert response.status_code == 302
    assert value_of("ho-so-dung-han").value == 100


def test_a_value_more_than_three_times_last_years_asks_for_confirmation(client_a, admin_a):
    unit = AdministrativeUnit.objects.get(code="805")
    entry_services.save_unit_year(
        user=admin_a,
        unit=unit,
        year=2023,
        figures=[entry_services.EntryFigure(indicator=Indicator.objects.get(code="sipas"), value=Decimal(20))],
    )
    response = client_a.post(FORM, {"sipas__value": "70"})
    assert response.status_code == 400
    assert "Thay đổi hơn 3 lần" in errors_in(response)
    assert value_of("sipas") is None
    assert client_a.post(FORM, {"sipas__value": "70", "confirm_warnings": "1"}).status_code == 302


def test_each_figure_keeps_its_qualifier_source_quote_and_note(client_a):
    source = Source.objects.get(code="qd-766-ttg-2022")  # an official document, shared by every district
    client_a.post(
        FORM,
        {
            "ho-so-truc-tuyen__value": "95",
            "ho-so-truc-tuyen__qualifier": "approximately",
            "ho-so-truc-tuyen__source": str(source.pk),
            "ho-so-truc-tuyen__quote": "đạt gần 95%",
            "ho-so-truc-tuyen__note": "theo báo cáo năm",
        },
    )
    value = value_of("ho-so-truc-tuyen")
    assert (value.qualifier, value.source, value.quote, value.note) == (
        "approximately",
        source,
        "đạt gần 95%",
        "theo báo cáo năm",
    )


def test_a_district_admin_cannot_cite_another_districts_own_source(client_a, admin_b):
    """Tân Trụ's admin posts a figure citing Cần Giuộc's data-entry source: refused, nothing saved."""
    can_giuoc = AdministrativeUnit.objects.get(code="807")
    client_b = Client()
    client_b.force_login(admin_b)
    client_b.post(reverse("entry:form", args=["807", 2024]), {"sipas__value": "80"})  # B's own report
    theirs = IndicatorValue.objects.get(unit=can_giuoc, year=2024, indicator__code="sipas").source
    assert theirs.kind == Source.Kind.DATA_ENTRY and theirs.publisher == can_giuoc.name
    own = entry_services.unit_entry_source(AdministrativeUnit.objects.get(code="805"))

    html = client_a.get(FORM).content.decode()
    assert f'value="{theirs.pk}"' not in html and theirs.title not in html
    assert f'value="{own.pk}"' in html and Source.objects.get(code="qd-766-ttg-2022").title in html

    response = client_a.post(FORM, {"ho-so-truc-tuyen__value": "95", "ho-so-truc-tuyen__source": str(theirs.pk)})
    assert response.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ" in errors_in(response)
    assert value_of("ho-so-truc-tuyen") is None
    assert not theirs.values.filter(unit__code="805").exists()


def test_a_real_figure_replaces_a_demo_one_and_never_keeps_the_demo_source(demo_seeded, client_a):
    assert value_of("sipas").is_demo
    assert client_a.post(FORM, {"sipas__value": "88", "sipas__version": str(value_of("sipas").version)}).status_code
    value = value_of("sipas")
    assert value.value == 88 and not value.is_demo and value.status == "draft"
    assert value_of("ho-so-so-hoa").is_demo  # untouched fields keep their demo figure


def test_submitted_figures_are_locked_until_returned(client_a, admin_a, staff):
    client_a.post(FORM, {"sipas__value": "90", "action": "submit"})
    value = value_of("sipas")
    assert value.status == "submitted"
    response = client_a.post(FORM, {"sipas__value": "10", "sipas__version": str(value.version)})
    assert value_of("sipas").value == 90  # the disabled field ignores what was posted
    assert "Đã khóa" in client_a.get(FORM).content.decode()
    with pytest.raises(PermissionDenied):
        entry_services.save_unit_year(
            user=admin_a,
            unit=value.unit,
            year=2024,
            figures=[entry_services.EntryFigure(indicator=value.indicator, value=Decimal(10), version=value.version)],
        )
    review_services.review_values(user=staff, value_ids=[value.pk], approve=False, comment="Kiểm tra lại")
    response = client_a.post(FORM, {"sipas__value": "91", "sipas__version": str(value_of("sipas").version)})
    assert response.status_code == 302
    assert value_of("sipas").value == 91


def test_clearing_a_saved_figure_needs_the_delete_box(client_a):
    client_a.post(FORM, {"sipas__value": "90"})
    version = str(value_of("sipas").version)
    response = client_a.post(FORM, {"sipas__value": "", "sipas__version": version})
    assert response.status_code == 400
    assert value_of("sipas") is not None
    response = client_a.post(FORM, {"sipas__value": "", "sipas__version": version, "sipas__delete": "on"})
    assert response.status_code == 302
    assert value_of("sipas") is None


def test_second_save_of_the_same_figures_is_refused_with_who_and_when(client, admin_a, seeded):
    colleague = make_user("tantru2", group=UNIT_ADMIN_GROUP, units=["805"])
    first, second = client, client.__class__()
    first.force_login(admin_a)
    second.force_login(colleague)
    first.post(FORM, {"sipas__value": "90"})
    version = str(value_of("sipas").version)
    # Both load the form with the same version; the colleague saves first.
    assert second.post(FORM, {"sipas__value": "91", "sipas__version": version}).status_code == 302
    response = first.post(FORM, {"sipas__value": "92", "sipas__version": version, "sipas__note": "mine"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "vừa được tantru2 sửa lúc" in html
    value = value_of("sipas")
    assert value.value == 91 and value.note == ""  # nothing silently lost, nothing half-written


def test_a_figure_created_by_someone_else_meanwhile_is_a_conflict(client_a, seeded):
    colleague = make_user("tantru2", group=UNIT_ADMIN_GROUP, units=["805"])
    entry_services.save_unit_year(
        user=colleague,
        unit=AdministrativeUnit.objects.get(code="805"),
        year=2024,
        figures=[entry_services.EntryFigure(indicator=Indicator.objects.get(code="sipas"), value=Decimal(80))],
    )
    response = client_a.post(FORM, {"sipas__value": "90", "sipas__version": "0"})
    assert response.status_code == 409
    assert value_of("sipas").value == 80


@pytest.mark.parametrize("page", [1, 6])
def test_entry_list_query_count_does_not_grow_with_units_and_years(
    frozen_today, demo_seeded, client, superuser, page, django_assert_max_num_queries
):
    # The superuser has every district and commune: 96 communes × 2025-2026 first (20 a page), then
    # the 24 districts × 2019-2024. Queries: session, user, the user's groups, the managed units, the
    # page count, the page of units, the indicators per level, and the values.
    client.force_login(superuser)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("entry:list"), {"page": page})
    assert response.status_code == 200
    html = response.content.decode()
    if page == 1:
        assert html.count("Mở biểu nhập") == 20 * 2 and "Xã " in html and "Huyện " not in html
    else:  # the 96 communes and 4 districts fill five pages; the sixth has the last 20 districts
        assert html.count("Mở biểu nhập") == 20 * 6 and "Xã " not in html
        assert reverse("entry:form", args=["807", 2019]) in html and "/2025/" not in html


def test_entry_form_query_count_is_fixed(demo_seeded, client_a, django_assert_max_num_queries):
    # session, user, groups, assignments, the unit, indicators with areas, this and last year's values
    # with their sources, the sources for the picker, and two for the navigation's "review" link
    # (Django's ModelBackend asks for user and group permissions once a request).
    with django_assert_max_num_queries(10):
        response = client_a.get(FORM)
    assert response.status_code == 200


# --- one number rule for the form and every import ------------------------------------------------

# Typed the same into the form and into a file. Each is read the same way by both, or refused by both
# with the same message (a formula: see the test).
SAME_RULE_CASES = [
    ("ho-so-dung-han", "95,5"),
    ("ho-so-tiep-nhan", "1.234"),
    ("ho-so-tiep-nhan", "1.234,5"),  # read as 1234.5, then refused: a count is whole
    ("ho-so-dung-han", "97.5"),
    ("ho-so-dung-han", "1,234"),
    ("ho-so-tiep-nhan", "1,234"),  # 1,234 dossiers: refused as a fraction of a count, in both
    ("ho-so-tiep-nhan", " 12 "),
    ("ho-so-tiep-nhan", "1\u00a0234"),
    ("ho-so-dung-han", "abc"),
    ("ho-so-dung-han", "-1"),
    ("ho-so-tiep-nhan", "1e3"),
    ("ho-so-tiep-nhan", "=1+1"),
    ("ho-so-dung-han", unicodedata.normalize("NFD", "chín mươi lăm")),
    ("ho-so-dung-han", "120"),
    ("ho-so-tiep-nhan", "1,234.5"),
]


def through_the_form(client, code, text):
    response = client.post(FORM, {f"{code}__value": text})
    if response.status_code == 302:
        return value_of(code).value, []
    assert response.status_code == 400
    return None, list(response.context["form"].errors[f"{code}__value"])


def through_an_import(user, code, text, file_format):
    if file_format == "csv":
        content, name = (f"unit_code,indicator_code,year,value\n805,{code},2024,{text}\n").encode(), "so-lieu.csv"
    else:
        workbook = openpyxl.Workbook()
        workbook.active.append(["unit_code", "indicator_code", "year", "value"])
        workbook.active.append(["805", code, 2024, text])  # the figure as a text cell, as typed in Excel
        out = io.BytesIO()
        workbook.save(out)
        content, name = out.getvalue(), "so-lieu.xlsx"
    table = imports.read_table(content, name)
    result = imports.check_rows(table, import_lookups.import_context(table=table, user=user))
    problems = [p.message for p in result.errors if p.column == "value"]
    assert [p for p in result.errors if p.column != "value"] == []
    return (result.figures[0].value if result.figures and not problems else None), problems


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(("code", "text"), SAME_RULE_CASES)
def test_the_form_and_the_import_read_a_number_the_same_way(client_a, admin_a, code, text, file_format):
    # A CSV cell with a comma or spaces in it is quoted, as Excel and LibreOffice write it.
    cell = f'"{text}"' if file_format == "csv" else text
    imported = through_an_import(admin_a, code, cell, file_format)
    typed = through_the_form(client_a, code, text)
    if text.startswith("="):
        # A file's formula is refused before its value is read, by every column's check, with the
        # spreadsheet's remedy (paste values); the form names the formula. Both refuse it as one.
        assert typed[0] is imported[0] is None
        assert all("công thức" in message for message in typed[1] + imported[1])
    else:
        assert typed == imported
    assert (typed[0] is None) == bool(typed[1])  # either a value or a reason, never neither


@pytest.mark.parametrize(
    "text", ["1.234", " 12 ", "1\u00a0234", "abc", "-1", "1e3", "1,234.5", "1,234", "1.234,5", "97.5", "=1+1"]
)
def test_a_layout_file_reads_a_count_as_the_form_does(client_a, text):
    """The other systems' layouts (here the staff-records software's) read their numbers by the same rule."""
    content = f'Mã đơn vị,Đơn vị,Số hồ sơ đã tạo lập,Số hồ sơ đã đồng bộ\n25459,Phường Tân Ninh,"{text}",0\n'
    table = read_layout_file(content.encode(), "ho-so.csv", get_layout("ho-so-cbcc"), year=2025, period="Y")
    problems = [p.message for p in table.errors if p.column == "Số hồ sơ đã tạo lập"]  # named as the file does
    value, refusals = through_the_form(client_a, "ho-so-tiep-nhan", text)
    if value is not None:
        assert (problems, table.rows[0].values["tao_lap"]) == ([], value)
    else:
        assert problems, f"the form refused {text!r} ({refusals}) but the layout file took it"
        try:
            parse_number(text)
        except NumberError as refused:  # refused by the parser itself: the very same words
            if not text.startswith("="):
                assert problems == refusals == [str(refused)]


def test_a_blank_is_no_figure_on_the_form_as_in_a_file(client_a, admin_a):
    response = client_a.post(FORM, {"ho-so-dung-han__value": "  ", "sipas__value": "90"})
    assert response.status_code == 302 and value_of("ho-so-dung-han") is None
    content = b'unit_code,indicator_code,year,value\n805,ho-so-dung-han,2024," "\n'
    table = imports.read_table(content, "so-lieu.csv")
    result = imports.check_rows(table, import_lookups.import_context(table=table, user=admin_a))
    assert (result.figures, result.errors, result.skipped_empty) == ([], [], 1)


# --- the error summary ----------------------------------------------------------------------------

BAD = {"sipas__value": "120", "ho-so-dung-han__value": "abc", "ho-so-tiep-nhan__value": "1.234"}


class Element:
    def __init__(self, tag, attrs, position):
        self.tag, self.attrs, self.position, self.parts, self.children = tag, dict(attrs), position, [], []

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


class Page(HTMLParser):
    """Just enough of a page to check from the user's side: elements by id, their text and order."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self, html: str):
        super().__init__()
        self.ids, self.open, self.all = {}, [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, len(self.all))
        self.all.append(element)
        for parent in self.open:
            parent.children.append(element)
        if "id" in element.attrs:
            self.ids[element.attrs["id"]] = element
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element.parts.append(data)

    def first(self, tag, **attrs):
        return next((e for e in self.all if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())), None)


def summary_of(html: str):
    """The page, the error summary's box and its links (href -> text)."""
    page = Page(html)
    box = next((e for e in page.all if "data-error-summary" in e.attrs), None)
    links = {a.attrs["href"]: a.text() for a in box.children if a.tag == "a"} if box else {}
    return page, box, links


@pytest.mark.parametrize(
    ("language", "heading", "count", "prefix"),
    [("vi", "Có lỗi cần sửa", "2 lỗi", "Lỗi: "), ("en", "There is a problem", "2 errors", "Error: ")],
)
def test_errors_are_summarised_at_the_top_with_a_link_to_each_field(client_a, language, heading, count, prefix):
    client_a.cookies["django_language"] = language
    response = client_a.post(FORM, {**BAD, "action": "save"})
    assert response.status_code == 400
    page, box, links = summary_of(response.content.decode())
    assert box is not None and box.attrs["role"] == "alert" and box.attrs["tabindex"] == "-1"
    assert next(e for e in box.children if e.tag == "h2").text() == heading
    assert count in box.text()
    assert page.first("title").text().startswith(prefix)
    # The summary comes before the form, and links to both fields in error, in the page's order.
    assert box.position < page.first("form", **{"class": "entry-form"}).position
    assert list(links) == ["#id_ho-so-dung-han__value", "#id_sipas__value"]
    for href in links:
        field = page.ids[href[1:]]
        assert field.tag == "input" and field.attrs["aria-invalid"] == "true"
        # Each field names its own message beside it, which a screen reader reads with the field.
        message = page.ids[field.attrs["aria-describedby"]]
        assert "field-error" in message.attrs["class"] and message.position < field.position
        assert message.text().split(" ", 1)[1] in links[href]  # after the hidden "Lỗi:" / "Error:"
    assert "Giá trị phải ≤ 100" in links["#id_sipas__value"] or "at most 100" in links["#id_sipas__value"]
    assert IndicatorValue.objects.filter(unit__code="805", year=2024).count() == 0  # nothing saved, not even 1.234


def test_an_error_in_a_side_field_links_to_that_field(client_a):
    response = client_a.post(FORM, {"sipas__value": "90", "sipas__qualifier": "nonsense"})
    assert response.status_code == 400
    page, _box, links = summary_of(response.content.decode())
    assert list(links) == ["#id_sipas__qualifier"]
    assert links["#id_sipas__qualifier"].startswith("Chỉ số hài lòng của người dân, tổ chức (SIPAS), mức chính xác:")
    assert page.ids["id_sipas__qualifier"].tag == "select"
    assert value_of("sipas") is None


def test_warnings_to_confirm_link_to_the_confirmation_box(client_a):
    data = {"ho-so-tiep-nhan__value": "100", "ho-so-tre-han__value": "2", "ho-so-dung-han__value": "100"}
    response = client_a.post(FORM, data)
    assert response.status_code == 400
    page, _box, links = summary_of(response.content.decode())
    assert list(links) == ["#id_confirm_warnings"]
    assert page.ids["id_confirm_warnings"].attrs["type"] == "checkbox"
    described = page.ids["id_ho-so-dung-han__value"].attrs["aria-describedby"]
    assert "tỷ lệ đúng hạn là 100%" in page.ids[described].text()


def test_a_page_without_errors_has_no_summary_and_no_error_title(client_a):
    html = client_a.get(FORM).content.decode()
    page, box, _links = summary_of(html)
    assert box is None and not page.first("title").text().startswith("Lỗi")
