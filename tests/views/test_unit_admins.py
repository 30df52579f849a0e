"""Unit admins since the 2025 reorganisation: a commune's admin enters and submits the commune's figures,
provincial staff approve them; each unit only for the years it reports (a district to 2024, a commune
from 2025) and the indicators of its level; and every rule seen from the wrong user's side."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, managed_unit_ids
from indicators.services import entry as entry_services
from tests.factories import COMMUNE_A, UNIT_A, submit

COMMUNE_FORM = reverse("entry:form", args=[COMMUNE_A, 2026])
COMMUNE_REVIEW = reverse("review:unit-year", args=[COMMUNE_A, 2026])
DISTRICT_ONLY = ("diem-chi-so-cchc", "xep-hang-chi-so-cchc")  # the district index does not apply to a commune


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def commune_values(year=2026, unit=COMMUNE_A):
    return IndicatorValue.objects.filter(unit__code=unit, year=year)


# --- a commune admin enters and submits; staff approve ---------------------------------------------


def test_a_commune_admin_sees_their_commune_for_2025_and_2026_only(frozen_today, commune_admin):
    html = signed_in(commune_admin).get(reverse("entry:list")).content.decode()
    assert "Xã Cần Giuộc" in html and "từ 01/07/2025" in html
    assert reverse("entry:form", args=[COMMUNE_A, 2026]) in html
    assert reverse("entry:form", args=[COMMUNE_A, 2025]) in html
    assert reverse("entry:form", args=[COMMUNE_A, 2024]) not in html  # 2024 was the districts' year
    assert "Xã Phước Lý" not in html and "Huyện Cần Giuộc" not in html
    assert f"cấp xã {Indicator.objects.for_level('commune').count()}." in html


def test_the_commune_form_has_the_indicators_of_a_commune_only(frozen_today, demo_seeded, commune_admin):
    response = signed_in(commune_admin).get(COMMUNE_FORM)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xã Cần Giuộc: số liệu năm 2026" in html
    for indicator in Indicator.objects.all():
        assert (f'name="{indicator.code}__value"' in html) == indicator.applies_to_commune, indicator.code
    assert "hiện là số liệu minh họa" in html  # the commune's demo figures, never pre-filled as real


def test_a_commune_admin_enters_and_submits_2026_and_staff_approve_them(
    frozen_today, demo_seeded, commune_admin, staff
):
    client = signed_in(commune_admin)
    versions = dict(commune_values().values_list("indicator__code", "version"))  # the demo figures'
    response = client.post(
        COMMUNE_FORM,
        {
            "sipas__value": "91,5",
            "sipas__version": str(versions["sipas"]),
            "ho-so-truc-tuyen__value": "97",
            "ho-so-truc-tuyen__version": str(versions["ho-so-truc-tuyen"]),
            "action": "submit",
        },
    )
    assert response.status_code == 302
    submitted = commune_values().filter(status="submitted")
    assert dict(submitted.values_list("indicator__code", "value")) == {
        "sipas": Decimal("91.5"),
        "ho-so-truc-tuyen": Decimal(97),
    }
    assert {v.source.kind for v in submitted} == {"data_entry"}
    assert {v.source.publisher for v in submitted} == {"Xã Cần Giuộc"}

    staff_client = signed_in(staff)
    queue = staff_client.get(reverse("review:queue")).content.decode()
    assert COMMUNE_REVIEW in queue and "Xã Cần Giuộc" in queue
    page = staff_client.get(COMMUNE_REVIEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert "91,5" in html and html.count('class="review-item waiting') == 2
    assert "Xếp hạng chỉ số CCHC cấp huyện" not in html  # no district index row for a commune
    assert staff_client.post(COMMUNE_REVIEW, {"decision": "approve:all"}).status_code == 302
    assert set(
        commune_values().filter(indicator__code__in=["sipas", "ho-so-truc-tuyen"]).values_list("status", flat=True)
    ) == {"approved"}
    published = signed_in(staff).get(reverse("values-json"), {"unit": COMMUNE_A, "include_demo": "0"}).json()
    assert ("sipas", 2026, 91.5) in {(v["indicator_code"], v["year"], v["value"]) for v in published["values"]}


def test_returned_commune_figures_go_back_to_the_commune_with_the_comment(frozen_today, seeded, commune_admin, staff):
    submit(commune_admin, COMMUNE_A, 2026, {"sipas": 90})
    pk = commune_values().get(indicator__code="sipas").pk
    response = signed_in(staff).post(COMMUNE_REVIEW, {"decision": f"return:{pk}", f"comment-{pk}": "Xin nguồn"})
    assert response.status_code == 302
    html = signed_in(commune_admin).get(COMMUNE_FORM).content.decode()
    assert "Xin nguồn" in html


# --- years within the unit's validity ----------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_a_district_admin_cannot_enter_2025_or_later_and_is_told_why(frozen_today, client_a, year):
    url = reverse("entry:form", args=[UNIT_A, year])
    response = client_a.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Huyện Tân Trụ (đến 30/06/2025) chỉ có số liệu đến năm 2024." in html
    assert reverse("entry:form", args=[UNIT_A, 2024]) in html  # the years it does have, one click away
    assert client_a.post(url, {"sipas__value": "90", "action": "submit"}).status_code == 404
    assert not IndicatorValue.objects.filter(unit__code=UNIT_A, year__gte=2025).exists()


def test_a_commune_admin_cannot_enter_the_districts_years_and_is_told_why(frozen_today, commune_admin):
    client = signed_in(commune_admin)
    response = client.get(reverse("entry:form", args=[COMMUNE_A, 2024]))
    assert response.status_code == 404
    assert "Xã Cần Giuộc (từ 01/07/2025) chỉ có số liệu từ năm 2025." in response.content.decode()
    response = client.get(reverse("entry:form", args=[COMMUNE_A, 2027]))
    assert response.status_code == 404
    assert "năm đó chưa bắt đầu" in response.content.decode()
    assert client.post(reverse("entry:form", args=[COMMUNE_A, 2024]), {"sipas__value": "90"}).status_code == 404
    assert not commune_values(year=2024).exists()


def test_the_year_message_is_in_the_users_language(frozen_today, client_a):
    client_a.cookies["django_language"] = "en"
    response = client_a.get(reverse("entry:form", args=[UNIT_A, 2025]))
    assert response.status_code == 404
    assert "has figures up to 2024 only" in response.content.decode()


def test_the_service_refuses_a_year_outside_the_units_validity(seeded, admin_a, commune_admin):
    sipas = Indicator.objects.get(code="sipas")
    cases = [(admin_a, UNIT_A, 2025, "chỉ có số liệu đến năm 2024"), (commune_admin, COMMUNE_A, 2024, "từ năm 2025")]
    for user, code, year, message in cases:
        unit = AdministrativeUnit.objects.by_code(code)
        figure = entry_services.EntryFigure(indicator=sipas, value=Decimal(90))
        with pytest.raises(ValidationError, match=message):
            entry_services.save_unit_year(user=user, unit=unit, year=year, figures=[figure], submit=True)
    assert not IndicatorValue.objects.filter(indicator=sipas, unit__code__in=[UNIT_A, COMMUNE_A]).exists()


def test_the_service_refuses_an_indicator_a_commune_does_not_report(seeded, commune_admin):
    unit = AdministrativeUnit.objects.by_code(COMMUNE_A)
    figures = [
        entry_services.EntryFigure(indicator=Indicator.objects.get(code="sipas"), value=Decimal(90)),
        entry_services.EntryFigure(indicator=Indicator.objects.get(code="xep-hang-chi-so-cchc"), value=Decimal(1)),
    ]
    with pytest.raises(ValidationError, match="không áp dụng cho cấp xã"):
        entry_services.save_unit_year(user=commune_admin, unit=unit, year=2026, figures=figures)
    assert not commune_values().exists()


def test_staff_cannot_review_a_year_outside_the_units_validity(frozen_today, seeded, staff):
    client = signed_in(staff)
    for code, year, message in ((UNIT_A, 2025, "đến năm 2024"), (COMMUNE_A, 2024, "từ năm 2025")):
        url = reverse("review:unit-year", args=[code, year])
        response = client.get(url)
        assert response.status_code == 404
        assert message in response.content.decode()
        assert client.post(url, {"decision": "approve:all"}).status_code == 404


def test_a_figure_left_outside_its_units_validity_is_named_in_the_queue_not_linked(frozen_today, seeded, staff):
    # Entered for 2025 by a district before that was refused: it cannot be approved now.
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                indicator=Indicator.objects.get(code="sipas"),
                unit=AdministrativeUnit.objects.by_code(UNIT_A),
                year=2025,
                value=90,
                status="submitted",
            )
        ]
    )
    html = signed_in(staff).get(reverse("review:queue")).content.decode()
    assert "chỉ có số liệu đến năm 2024" in html
    assert reverse("review:unit-year", args=[UNIT_A, 2025]) not in html


# --- whose units: the wrong user's side ---------------------------------------------------------------


def test_a_commune_admin_cannot_touch_another_commune_or_a_district(frozen_today, commune_admin_b):
    client = signed_in(commune_admin_b)  # Xã Phước Lý's admin
    for code, year in ((COMMUNE_A, 2026), (COMMUNE_A, 2025), ("807", 2024), (UNIT_A, 2023)):
        url = reverse("entry:form", args=[code, year])
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"sipas__value": "90", "action": "submit"}).status_code == 404, url
    assert not IndicatorValue.objects.filter(indicator__code="sipas", updated_by=commune_admin_b).exists()
    unit = AdministrativeUnit.objects.by_code(COMMUNE_A)
    figure = entry_services.EntryFigure(indicator=Indicator.objects.get(code="sipas"), value=Decimal(90))
    with pytest.raises(PermissionDenied):
        entry_services.save_unit_year(user=commune_admin_b, unit=unit, year=2026, figures=[figure])


def test_a_district_admin_cannot_touch_a_commune(frozen_today, client_a):
    url = reverse("entry:form", args=[COMMUNE_A, 2026])
    assert client_a.get(url).status_code == 404
    assert client_a.post(url, {"sipas__value": "90"}).status_code == 404
    assert not commune_values().exists()


def test_a_commune_admin_cannot_read_another_communes_history_or_review(
    frozen_today, seeded, commune_admin, commune_admin_b
):
    submit(commune_admin, COMMUNE_A, 2026, {"sipas": 90})
    value = commune_values().get(indicator__code="sipas")
    client = signed_in(commune_admin_b)
    assert client.get(reverse("entry:value-history", args=[value.pk])).status_code == 404
    assert client.get(COMMUNE_REVIEW).status_code == 403
    assert client.post(COMMUNE_REVIEW, {"decision": "approve:all"}).status_code == 403
    assert signed_in(commune_admin).get(reverse("entry:value-history", args=[value.pk])).status_code == 200
    value.refresh_from_db()
    assert value.status == "submitted"


def test_a_superuser_enters_for_districts_and_communes_but_never_a_province(frozen_today, seeded, superuser):
    ids = managed_unit_ids(superuser)
    levels = set(AdministrativeUnit.objects.filter(pk__in=ids).values_list("level", flat=True))
    assert levels == {"district", "commune"}
    assert len(ids) == 24 + 96
    client = signed_in(superuser)
    assert client.get(reverse("entry:form", args=[COMMUNE_A, 2026])).status_code == 200
    assert client.get(reverse("entry:form", args=[UNIT_A, 2024])).status_code == 200
    for code, year in (("80", 2026), ("80", 2024), ("72", 2023)):  # Tây Ninh, Long An, the former Tây Ninh
        assert client.get(reverse("entry:form", args=[code, year])).status_code == 404


def test_an_assignment_to_a_province_is_refused_and_gives_no_rights(seeded, django_user_model):
    from indicators.models import UNIT_ADMIN_GROUP, UnitAdminAssignment
    from tests.factories import make_user

    user = make_user("tinh", group=UNIT_ADMIN_GROUP)
    assignment = UnitAdminAssignment(user=user, unit=AdministrativeUnit.objects.by_code("80"))
    with pytest.raises(ValidationError, match="Chỉ phân công nhập liệu cho một huyện"):
        assignment.full_clean()
    assignment.save()  # written past the form, as a script might
    user = django_user_model.objects.get(pk=user.pk)
    assert managed_unit_ids(user) == frozenset()
    assert signed_in(user).get(reverse("entry:form", args=["80", 2026])).status_code == 403


def test_the_commune_form_query_count_is_fixed(frozen_today, demo_seeded, commune_admin, django_assert_max_num_queries):
    client = signed_in(commune_admin)
    # session, user, groups, assignments, the unit, indicators, this and last year's values, the
    # sources, and two for the navigation's permissions: as a district's form.
    with django_assert_max_num_queries(10):
        assert client.get(COMMUNE_FORM).status_code == 200


def test_the_admin_lists_and_filters_indicators_by_the_levels_they_apply_to(seeded, superuser):
    client = signed_in(superuser)
    html = client.get(reverse("admin:indicators_indicator_changelist")).content.decode()
    for label in ("áp dụng cho cấp tỉnh", "áp dụng cho cấp huyện", "áp dụng cho cấp xã"):
        assert label.capitalize() in html or label in html, label
    listed = client.get(reverse("admin:indicators_indicator_changelist"), {"applies_to_commune__exact": "0"})
    assert listed.status_code == 200
    found = list(listed.context["cl"].result_list)
    assert {"diem-chi-so-cchc", "xep-hang-chi-so-cchc"} <= {i.code for i in found}
    assert not any(i.applies_to_commune for i in found)
    assert "sipas" not in {i.code for i in found}
