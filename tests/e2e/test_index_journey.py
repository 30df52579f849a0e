"""Journey 4, the official CCHC index: one commune's year from start to finish, in Chromium.

Provincial staff import the criteria set from its annex; the opening email goes out; the commune's
admin self-assesses with two evidence files and submits (staff get an email); staff ask for an
explanation on one criterion (the commune gets an email), the commune answers; staff appraise,
adjusting one score, and finish; survey points are imported; the council approves and the results
are published; the public ranking shows the commune with its band. At 360 px and on a desktop, in
Vietnamese and in English, with no browser error, no sideways scroll at 360 px and no serious
accessibility problem on the way.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from indicators.models import Assessment, CriteriaSet, Evidence, IndicatorValue, PublishedResult
from tests.e2e.journeys import Journey
from tests.factories import PASSWORD
from tests.index_process.helpers import COMMUNE_A, pdf_bytes, png_bytes, xlsx

pytestmark = pytest.mark.e2e

SET_CODE = "tay-ninh-cap-xa-2025-e2e"
SHIPPED_CSV = Path(settings.BASE_DIR) / "fixtures" / "index" / "tay-ninh-cap-xa-2025-mau.csv"
TEXT = {
    "vi": {"assess": "Tự đánh giá chỉ số CCHC", "ranking": "Xếp loại", "submitted": "Đã nộp bản tự đánh giá"},
    "en": {"assess": "CCHC index self-assessment", "ranking": "Grade", "submitted": "The self-assessment is submitted"},
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def people(site_data):
    """Provincial staff and Xã Cần Giuộc's admin, each with an address."""
    from indicators.models import DISTRICT_ADMIN_GROUP, PROVINCIAL_STAFF_GROUP
    from tests.factories import make_user

    make_user("sonoivu-cs", group=PROVINCIAL_STAFF_GROUP, email="sonoivu@example.vn")
    make_user("xacangiuoc", group=DISTRICT_ADMIN_GROUP, units=[COMMUNE_A], email="cangiuoc@example.vn")


@pytest.fixture
def mailbox(settings):
    """A real SMTP server the test starts (aiosmtpd); the site sends to it through Django's SMTP backend."""
    from tests.index_process import smtp

    controller, collector = smtp.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    yield collector
    controller.stop()


def annex_xlsx() -> bytes:
    """The shipped sample set's annex as a workbook, as a province would upload it."""
    with SHIPPED_CSV.open(encoding="utf-8") as file:
        rows = list(csv.reader(file))
    header, body = rows[0], rows[1:]
    return xlsx([[float(c) if i in (2, 7) and c else c for i, c in enumerate(row)] for row in body], header=header)


def survey_xlsx() -> bytes:
    return xlsx(
        [[COMMUNE_A, "8.1", 27.5, "Điều tra SIPAS 2025, Sở Nội vụ"]],
        header=["unit_code", "criterion_code", "points", "source"],
    )


def as_user(browser, live_server, username: str, *, width: int, language: str) -> Journey:
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900}, accept_downloads=True)
    trip = Journey(context.new_page(), live_server.url)
    if username:
        trip.login(username, PASSWORD, next_path="/index-process/")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return trip


def no_sideways_scroll(trip: Journey, width: int):
    if width > 400:
        return
    overflow = trip.page.evaluate("document.documentElement.scrollWidth")
    wide = trip.page.evaluate(
        f"""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > {width} + 1
            && !e.closest('.table-scroll')).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' +
            Math.round(e.getBoundingClientRect().right))"""
    )
    assert overflow <= width + 1, f"{trip.page.url} scrolls sideways at {width} px ({overflow} px wide): {wide}"


def shot(trip: Journey, name: str, width: int):
    """A full-page screenshot into $CCHC_SCREENSHOTS, when set (to look at the pages, not to test them)."""
    import os

    folder = os.environ.get("CCHC_SCREENSHOTS")
    if folder:
        trip.page.screenshot(path=f"{folder}/{width}-{name}.png", full_page=True)


def number(text: str, language: str) -> str:
    return text.replace(".", ",") if language == "vi" else text


@pytest.mark.parametrize(
    ("width", "language"),
    [(360, "vi"), (1280, "en"), (360, "en"), (1280, "vi")],
    ids=["360px-vi", "desktop-en", "360px-en", "desktop-vi"],
)
def test_a_communes_year_from_the_criteria_set_to_the_public_ranking(
    browser,
    live_server,
    site_data,
    mailbox,
    people,
    width,
    language,
):
    text = TEXT[language]
    today = timezone.localdate()
    staff = as_user(browser, live_server, "sonoivu-cs", width=width, language=language)
    commune = as_user(browser, live_server, "xacangiuoc", width=width, language=language)
    public = as_user(browser, live_server, "", width=width, language=language)

    # 1. Staff import the criteria set from its annex.
    page = staff.page
    staff.goto("/index-process/sets/import/")
    staff.check_accessibility("criteria set import")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "phu-luc.xlsx", "mimeType": "application/octet-stream", "buffer": annex_xlsx()}],
    )
    page.fill("input[name=code]", SET_CODE)
    page.fill("input[name=name]", "Bộ tiêu chí chỉ số CCHC cấp xã năm 2025")
    page.fill("input[name=year]", "2025")
    page.select_option("select[name=level]", "commune")
    page.fill("input[name=opens_on]", (today - timedelta(days=3)).isoformat())
    page.fill("input[name=closes_on]", (today + timedelta(days=10)).isoformat())
    page.select_option("select[name=score_indicator]", label="Điểm chỉ số CCHC cấp xã")
    page.select_option("select[name=rank_indicator]", label="Xếp hạng chỉ số CCHC cấp xã")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url(f"**/index-process/sets/{SET_CODE}/")
    criteria_set = CriteriaSet.objects.get(code=SET_CODE)
    assert criteria_set.criteria.count() == 28 and criteria_set.units().count() == 96
    staff.check_accessibility("criteria set")
    no_sideways_scroll(staff, width)
    shot(staff, "set", width)

    # The daily reminder run sends the opening email to the communes' admins.
    call_command("index_reminders", stdout=io.StringIO())
    assert any("Xã Cần Giuộc" in m["body"] or "cangiuoc@example.vn" in m["to"] for m in mailbox.wait_for(1))
    assert mailbox.to("cangiuoc@example.vn")

    # 2. The commune self-assesses with two evidence files and submits.
    page = commune.page
    commune.goto("/index-process/")
    page.locator(f'a[href="/index-process/assess/{SET_CODE}/{COMMUNE_A}/"]').click()
    page.wait_for_url(f"**/assess/{SET_CODE}/{COMMUNE_A}/")
    expect(page.locator("h1")).to_contain_text(text["assess"])
    commune.check_accessibility("self-assessment")
    no_sideways_scroll(commune, width)
    for title, name, content, codes in (
        ("Kế hoạch CCHC năm 2025", "ke-hoach.pdf", pdf_bytes("ke hoach"), ["1.1.a", "1.2", "1.3", "2.2"]),
        ("Ảnh niêm yết TTHC", "niem-yet.png", png_bytes(), ["3.1", "6.2", "8.2"]),
    ):
        form = page.locator("form[action$='/evidence/']")
        form.locator("input[name=title]").fill(title)
        form.locator("input[name=document_number]").fill("15/KH-UBND")
        form.locator("input[name=issuer]").fill("UBND Xã Cần Giuộc")
        form.locator("input[name=file]").set_input_files(
            files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}]
        )
        for code in codes:
            form.locator(f'input[name=criteria][value="{code}"]').check()
        form.locator("button[type=submit]").click()
        page.wait_for_url(f"**/assess/{SET_CODE}/{COMMUNE_A}/")
    assert Evidence.objects.filter(assessment__unit__code=COMMUNE_A).count() == 2
    points = {"1.1.a": "2", "1.2": "3", "1.3": "2.5", "2.2": "4", "3.1": "4", "6.2": "3", "8.2": "5.5"}
    for code, value in points.items():
        page.fill(f'input[name="p-{code}"]', number(value, language))
    page.fill("input[name=leader_name]", "Nguyễn Văn An, Chủ tịch UBND xã")
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(f"**/assess/{SET_CODE}/{COMMUNE_A}/")
    expect(page.locator(".messages")).to_contain_text(text["submitted"])
    assert Assessment.objects.get(unit__code=COMMUNE_A, criteria_set=criteria_set).status == "submitted"
    assert mailbox.wait_for(2) and mailbox.to("sonoivu@example.vn"), "staff are told of the submission"
    shot(commune, "assess-submitted", width)

    # 3. Staff ask for an explanation on criterion 1.3.
    page = staff.page
    staff.goto(f"/index-process/appraise/{SET_CODE}/{COMMUNE_A}/")
    staff.check_accessibility("appraisal")
    request = page.locator("details").filter(has_text="1.3.")
    request.locator("summary").click()
    request.locator("textarea[name=body]").fill("Đề nghị bổ sung kế hoạch tuyên truyền CCHC năm 2025.")
    request.locator("button[type=submit]").click()
    page.wait_for_url(f"**/appraise/{SET_CODE}/{COMMUNE_A}/")
    assert len(mailbox.wait_for(3)) >= 3
    assert any("1.3" in m["subject"] for m in mailbox.to("cangiuoc@example.vn")), "the commune is told"

    # 4. The commune answers in the thread on that criterion.
    page = commune.page
    commune.goto(f"/index-process/assess/{SET_CODE}/{COMMUNE_A}/")
    expect(page.locator(".thread")).to_contain_text("kế hoạch tuyên truyền")
    page.locator("form[action*='/threads/'] textarea[name=body]").fill(
        "Kế hoạch tuyên truyền lồng trong Kế hoạch CCHC, mục III."
    )
    page.locator("form[action*='/threads/'] button[type=submit]").click()
    page.wait_for_url(f"**/assess/{SET_CODE}/{COMMUNE_A}/")
    commune.check_accessibility("self-assessment after the answer")

    # 5. Staff appraise: keep every score but adjust 1.2; the automatic ones have no figures: set them.
    page = staff.page
    staff.goto(f"/index-process/appraise/{SET_CODE}/{COMMUNE_A}/")
    expect(page.locator(".thread")).to_contain_text("mục III")
    automatic = [c.code for c in criteria_set.criteria.filter(method="indicator")]
    for code in points:
        page.select_option(f'select[name="d-{code}"]', "accept")
    page.select_option('select[name="d-1.2"]', "adjust")
    page.fill('input[name="ap-1.2"]', number("1.5", language))
    page.fill('textarea[name="r-1.2"]', "Thiếu báo cáo quý III")
    for code in automatic:
        page.select_option(f'select[name="d-{code}"]', "adjust")
        maximum = criteria_set.criteria.get(code=code).max_points
        page.fill(f'input[name="ap-{code}"]', str(int(maximum) - 1))
        page.fill(f'textarea[name="r-{code}"]', "Theo báo cáo năm của xã")
    page.locator("button[name=action][value=finish]").click()
    page.wait_for_url(f"**/appraise/{SET_CODE}/{COMMUNE_A}/")
    assessment = Assessment.objects.get(unit__code=COMMUNE_A, criteria_set=criteria_set)
    assert assessment.status == "appraised"
    assert assessment.scores.get(criterion__code="1.2").appraised_points == 1.5
    expect(page.locator("table").first).to_contain_text("−1,5" if language == "vi" else "−1.5")
    staff.check_accessibility("appraisal finished")
    shot(staff, "appraised", width)

    # 6. Survey points are imported.
    staff.goto(f"/index-process/sets/{SET_CODE}/survey/")
    staff.check_accessibility("survey points")
    upload = page.locator("form").filter(has=page.locator("input[name=kind][value=file]"))
    upload.locator("input[name=file]").set_input_files(
        files=[{"name": "dieu-tra.xlsx", "mimeType": "application/octet-stream", "buffer": survey_xlsx()}]
    )
    upload.locator("button[type=submit]").click()
    page.wait_for_url(f"**/sets/{SET_CODE}/survey/")
    expect(page.locator(f'input[name="s-{COMMUNE_A}-8.1"]')).to_have_value("27,5")  # inputs take and show one style

    # 7. The council approves, and the results are published.
    staff.goto(f"/index-process/sets/{SET_CODE}/")
    council = page.locator("form[action$='/council/']")
    council.locator("input[name=decision]").fill("Biên bản họp Hội đồng thẩm định ngày 20/12/2025")
    council.locator("button[type=submit]").click()
    page.wait_for_url(f"**/sets/{SET_CODE}/")
    publish = page.locator("form[action$='/publish/']")
    publish.locator("input[name=decision]").fill("Quyết định số 88/QĐ-UBND ngày 15/01/2026")
    publish.locator("input[name=published_on]").fill("2026-01-15")
    publish.locator("button[type=submit]").click()
    page.wait_for_url(f"**/sets/{SET_CODE}/")
    result = PublishedResult.objects.get(publication__criteria_set=criteria_set, unit__code=COMMUNE_A)
    assert result.rank == 1 and result.band
    figure = IndicatorValue.objects.get(indicator__code="diem-chi-so-cchc-cap-xa", unit__code=COMMUNE_A, year=2025)
    assert figure.status == "approved" and figure.value == result.share

    # 8. The public sees the ranking, with the commune and its band, and its tree.
    page = public.page
    public.goto("/official-index/")
    page.locator(f'a[href="/official-index/{SET_CODE}/"]').click()
    page.wait_for_url(f"**/official-index/{SET_CODE}/")
    row = page.locator("table.official-ranking tbody tr").filter(has_text="Xã Cần Giuộc")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("1")
    expect(row.locator(".index-band")).to_have_text(result.band)
    expect(page.locator("table.official-ranking thead")).to_contain_text(text["ranking"])
    public.check_accessibility("public ranking")
    no_sideways_scroll(public, width)
    shot(public, "ranking", width)
    row.get_by_role("link", name="Xã Cần Giuộc").click()
    page.wait_for_url(f"**/official-index/{SET_CODE}/{COMMUNE_A}/")
    expect(page.locator("table.index-tree")).to_contain_text("Kế hoạch CCHC năm 2025")
    expect(page.locator("body")).not_to_contain_text("Thiếu báo cáo quý III")  # appraisal reasons stay private
    expect(page.locator("body")).not_to_contain_text("kế hoạch tuyên truyền")  # and the thread
    public.check_accessibility("public unit tree")
    no_sideways_scroll(public, width)
    shot(public, "unit", width)

    for trip in (staff, commune, public):
        trip.assert_no_browser_errors()
