"""Journeys 2 and 3: a district admin enters and submits a year's figures; provincial staff approve
them, and the public page shows the new value.

Journey 3 starts from the state journey 2 ends in (the same three figures submitted for Tân Trụ,
2024), set up through the same service, so each journey runs on its own.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue
from indicators.services import entry as entry_services
from tests.factories import PASSWORD, UNIT_A

pytestmark = pytest.mark.e2e

UNIT, YEAR = UNIT_A, 2024  # admin_a's district, Tân Trụ
ENTRY_PATH = f"/entry/{UNIT}/{YEAR}/"
SIPAS, DIGITISED, ELECTRONIC = "sipas", "ho-so-so-hoa", "van-ban-dien-tu"


@pytest.fixture
def people(site_data, admin_a, staff):
    """A district admin of Tân Trụ (805) and a member of the provincial staff."""
    return {"district_admin": admin_a, "staff": staff}


def names():
    return dict(Indicator.objects.filter(code__in=(SIPAS, DIGITISED, ELECTRONIC)).values_list("code", "name"))


def stored(code):
    return IndicatorValue.objects.select_related("source").get(unit__code=UNIT, year=YEAR, indicator__code=code)


def test_a_district_admin_enters_a_year_fixes_an_invalid_value_and_submits(journey, people):
    page, label = journey.page, names()
    journey.login("tantru", PASSWORD, next_path="/entry/")
    page.wait_for_url("**/entry/")
    journey.check_accessibility("entry list")

    page.locator(f'a[href="{ENTRY_PATH}"]').first.click()
    page.wait_for_url(f"**{ENTRY_PATH}")
    expect(page.locator("h1")).to_contain_text("Tân Trụ")
    journey.check_accessibility("entry form")

    # Vietnamese number conventions; one share above 100.
    page.get_by_label(label[SIPAS], exact=True).fill("120")
    page.get_by_label(label[DIGITISED], exact=True).fill("87,5")
    page.get_by_label(label[ELECTRONIC], exact=True).fill("95")
    with journey.expect_document_status(400):  # the form again, with its errors
        page.get_by_role("button", name="Lưu và gửi Sở Nội vụ").click()

    # The error sits in the invalid figure's own row, the field says it is invalid, the others keep
    # what was typed, and nothing was saved.
    sipas_field = page.get_by_label(label[SIPAS], exact=True)
    error_row = page.locator(".entry-row.has-error")
    expect(error_row).to_have_count(1)
    expect(error_row.locator(".field-error")).to_contain_text("Giá trị phải ≤ 100")
    expect(error_row.get_by_label(label[SIPAS], exact=True)).to_have_count(1)
    expect(sipas_field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(label[DIGITISED], exact=True)).to_have_value("87,5")
    assert stored(SIPAS).is_demo and stored(DIGITISED).is_demo
    journey.check_accessibility("entry form with an error")

    sipas_field.fill("92,5")
    page.get_by_role("button", name="Lưu và gửi Sở Nội vụ").click()
    page.wait_for_url(f"**{ENTRY_PATH}")
    expect(page.get_by_text("Đã gửi 3 số liệu cho Sở Nội vụ thẩm định")).to_be_visible()
    expect(page.locator(".entry-row.has-error")).to_have_count(0)
    expect(page.get_by_label(label[SIPAS], exact=True)).to_be_disabled()  # locked until reviewed
    journey.check_accessibility("entry form after submitting")

    values = {code: stored(code) for code in (SIPAS, DIGITISED, ELECTRONIC)}
    assert {code: v.value for code, v in values.items()} == {
        SIPAS: Decimal("92.5"),
        DIGITISED: Decimal("87.5"),
        ELECTRONIC: Decimal(95),
    }
    assert {v.status for v in values.values()} == {IndicatorValue.Status.SUBMITTED}
    assert all(v.source.kind == "data_entry" and v.updated_by == people["district_admin"] for v in values.values())


@pytest.fixture
def submitted(people):
    """Where journey 2 ends: the three figures saved and submitted by Tân Trụ's admin."""
    unit = AdministrativeUnit.objects.get(code=UNIT)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=(SIPAS, DIGITISED, ELECTRONIC))}
    entered = {SIPAS: Decimal("92.5"), DIGITISED: Decimal("87.5"), ELECTRONIC: Decimal(95)}
    versions = dict(
        IndicatorValue.objects.filter(unit=unit, year=YEAR, indicator__code__in=entered).values_list(
            "indicator__code", "version"
        )
    )  # the demo figures', as the form would carry them
    entry_services.save_unit_year(
        user=people["district_admin"],
        unit=unit,
        year=YEAR,
        figures=[
            entry_services.EntryFigure(indicator=indicators[c], value=v, version=versions.get(c, 0))
            for c, v in entered.items()
        ],
        submit=True,
    )
    return entered


def test_provincial_staff_approve_and_the_public_page_shows_the_new_value(journey, people, submitted):
    page = journey.page
    # Before approval the public page still shows the demo figure, not the submitted one.
    journey.goto(f"/indicators/{SIPAS}/?units={UNIT}&year={YEAR}")
    table = page.locator("table.data").filter(has_text="Tân Trụ").last
    expect(table).not_to_contain_text("92,5")

    journey.login("sonoivu", PASSWORD, next_path="/review/")
    page.wait_for_url("**/review/")
    journey.check_accessibility("review queue")
    row = page.locator("tr").filter(has_text="Tân Trụ").filter(has_text=str(YEAR))
    expect(row).to_have_count(1)
    expect(row.locator("td.num")).to_have_text("3")
    row.get_by_role("link", name="Thẩm định").click()
    page.wait_for_url(f"**/review/{UNIT}/{YEAR}/")
    expect(page.locator(".review-item.waiting")).to_have_count(3)
    journey.check_accessibility("review of Tân Trụ 2024")

    page.get_by_role("button", name="Duyệt tất cả").click()
    page.wait_for_url("**/review/")
    expect(page.get_by_text("Đã duyệt 3 số liệu")).to_be_visible()
    expect(page.get_by_text("Không có số liệu nào chờ thẩm định")).to_be_visible()
    assert {stored(c).status for c in submitted} == {IndicatorValue.Status.APPROVED}

    journey.goto(f"/indicators/{SIPAS}/?units={UNIT}&year={YEAR}")
    journey.wait_for_charts()
    table = page.locator("table.data").filter(has_text="Tân Trụ").last
    expect(table.locator("tr").filter(has_text=str(YEAR)).first).to_contain_text("92,5")
    journey.check_accessibility("public indicator page after approval")
