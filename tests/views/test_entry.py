"""The yearly entry form: input conventions, validation, outliers, locks, all-or-nothing and conflicts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from indicators.models import UNIT_ADMIN_GROUP, AdministrativeUnit, Indicator, IndicatorValue, Source
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


def test_english_input_is_read_with_english_conventions(client_a):
    client_a.cookies["django_language"] = "en"
    response = client_a.post(FORM, {"ho-so-tiep-nhan__value": "1,234", "ho-so-dung-han__value": "95.5"})
    assert response.status_code == 302
    assert value_of("ho-so-tiep-nhan").value == Decimal(1234)
    assert value_of("ho-so-dung-han").value == Decimal("95.5")


def test_saved_values_are_shown_back_in_the_page_language(client_a):
    client_a.post(FORM, {"ho-so-tiep-nhan__value": "1.234,5".replace(",5", ""), "ho-so-dung-han__value": "95,5"})
    html = client_a.get(FORM).content.decode()
    assert 'value="1.234"' in html and 'value="95,5"' in html


def test_english_style_number_on_the_vietnamese_form_is_refused_beside_the_field(client_a):
    response = client_a.post(FORM, {"ho-so-dung-han__value": "95.5"})
    assert response.status_code == 400
    assert "không phải là số hợp lệ" in errors_in(response)
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
