"""Review: the queue, approve/return one by one or a whole unit-year, the history page, and the whole
workflow from a district's draft to the public open-data export."""

import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue
from indicators.services import entry as entry_services
from indicators.services import review as review_services
from tests.factories import submit

FORM = reverse("entry:form", args=["805", 2024])
REVIEW = reverse("review:unit-year", args=["805", 2024])


def value_of(code, year=2024, unit="805"):
    return IndicatorValue.objects.select_related("indicator", "unit", "source").get(
        unit__code=unit, year=year, indicator__code=code
    )


def public_values(client, **params):
    response = client.get(reverse("values-json"), params)
    assert response.status_code == 200
    return json.loads(response.content)["values"]


def test_whole_workflow_enter_submit_return_fix_approve_publish_and_history(demo_seeded, client, admin_a, staff):
    # Tân Trụ's admin enters 2024's figure over the demo one and saves a draft.
    client.force_login(admin_a)
    version = value_of("sipas").version
    assert client.post(FORM, {"sipas__value": "85,5", "sipas__version": str(version)}).status_code == 302
    assert value_of("sipas").status == "draft"
    assert not [v for v in public_values(client, unit="805", indicator="sipas") if v["year"] == 2024]
    # ... and submits it.
    version = value_of("sipas").version
    response = client.post(FORM, {"sipas__value": "85,5", "sipas__version": str(version), "action": "submit"})
    assert response.status_code == 302
    assert value_of("sipas").status == "submitted"

    # Provincial staff see it in the queue and return it with a comment.
    client.force_login(staff)
    assert "Huyện Tân Trụ" in client.get(reverse("review:queue")).content.decode()
    page = client.get(REVIEW).content.decode()
    assert "85,5" in page
    pk = value_of("sipas").pk
    response = client.post(REVIEW, {"decision": f"return:{pk}", f"comment-{pk}": "Số liệu SIPAS chưa khớp báo cáo"})
    assert response.status_code == 302
    assert value_of("sipas").status == "returned"

    # The district sees the comment, fixes the figure and submits again.
    client.force_login(admin_a)
    page = client.get(FORM).content.decode()
    assert "Số liệu SIPAS chưa khớp báo cáo" in page
    version = value_of("sipas").version
    response = client.post(FORM, {"sipas__value": "86", "sipas__version": str(version), "action": "submit"})
    assert response.status_code == 302

    # Staff approve the whole unit-year at once; the figure is public at once, not as demo data.
    client.force_login(staff)
    assert client.post(REVIEW, {"decision": "approve:all"}).status_code == 302
    assert value_of("sipas").status == "approved"
    client.logout()
    published = [v for v in public_values(client, unit="805", indicator="sipas") if v["year"] == 2024]
    assert published == [pytest.approx(published[0])]
    assert published[0]["value"] == 86 and published[0]["is_demo"] is False

    # The history shows every step, with who did it, and the comment.
    client.force_login(admin_a)
    html = client.get(reverse("entry:value-history", args=[pk])).content.decode()
    for step in (
        "lưu nháp",
        "gửi thẩm định",
        "trả lại",
        "duyệt",
        "Số liệu SIPAS chưa khớp báo cáo",
        "tantru",
        "sonoivu",
    ):
        assert step in html, step
    reasons = list(value_of("sipas").history.order_by("history_date").values_list("history_change_reason", flat=True))
    # The demo figure had no history (bulk-generated); every step since is recorded.
    assert reasons == ["saved", "submitted", "returned", "saved", "submitted", "approved"]


def test_returning_needs_a_comment(seeded, client, admin_a, staff):
    submit(admin_a, "805", 2024, {"sipas": 90})
    client.force_login(staff)
    response = client.post(REVIEW, {"decision": "return:all", "comment": " "})
    assert response.status_code == 400
    assert "ghi ý kiến" in response.content.decode()
    assert value_of("sipas").status == "submitted"


def test_approving_one_by_one_leaves_the_others_waiting(seeded, client, admin_a, staff):
    submit(admin_a, "805", 2024, {"sipas": 90, "ho-so-so-hoa": 50})
    client.force_login(staff)
    response = client.post(REVIEW, {"decision": f"approve:{value_of('sipas').pk}"})
    assert response.status_code == 302
    assert value_of("sipas").status == "approved"
    assert value_of("ho-so-so-hoa").status == "submitted"


def test_a_figure_not_waiting_for_review_cannot_be_approved(seeded, client, staff):
    client.force_login(staff)
    seed_value = value_of("luot-nguoi-den-moi-ngay", year=2023)
    review_2023 = reverse("review:unit-year", args=["805", 2023])
    assert client.post(review_2023, {"decision": f"approve:{seed_value.pk}"}).status_code == 409
    assert client.post(review_2023, {"decision": "approve:../../etc"}).status_code == 400


def card(html: str, value: IndicatorValue) -> str:
    """The review page's card of one waiting figure: from its heading to its decision buttons."""
    start = html.index(f'id="value-{value.pk}"')
    return html[start : html.index('class="review-buttons"', start)]


def approve(staff, *codes, year=2024, unit="805"):
    pks = [value_of(code, year=year, unit=unit).pk for code in codes]
    review_services.review_values(user=staff, value_ids=pks, approve=True)


def test_review_page_compares_a_correction_with_its_own_last_approved_version(seeded, client, admin_a, staff):
    submit(admin_a, "805", 2024, {"sipas": 90})
    approve(staff, "sipas")
    # Approved figures are locked for the district; reopen this one directly, as a correction would.
    value = value_of("sipas")
    value.status = "returned"
    value.save()
    submit(admin_a, "805", 2024, {"sipas": 92})
    client.force_login(staff)
    html = card(client.get(REVIEW).content.decode(), value_of("sipas"))
    assert "Bản đã duyệt trước của năm 2024" in html
    assert "90%" in html and "92%" in html
    assert "+2 điểm %" in html


def test_waiting_figures_come_first_then_the_years_other_real_figures_then_the_demo_ones(
    demo_seeded, client, admin_a, staff
):
    submit(admin_a, "805", 2024, {"van-ban-dien-tu": 80})
    approve(staff, "van-ban-dien-tu")
    submit(admin_a, "805", 2024, {"sipas": 90, "ho-so-so-hoa": 50})
    client.force_login(staff)
    response = client.get(REVIEW)
    html = response.content.decode()
    waiting, rest = html.split('id="others-heading"')
    others, demo = rest.split('class="review-demo"')
    names = {v.indicator.code: v.indicator.name for v in IndicatorValue.objects.filter(unit__code="805", year=2024)}
    # Both waiting figures have a card with their own decision, in catalogue order, before anything else.
    assert [line.indicator.code for line in response.context["waiting"]] == ["ho-so-so-hoa", "sipas"]
    assert waiting.index(names["ho-so-so-hoa"]) < waiting.index(names["sipas"])
    assert waiting.count('name="decision" value="approve:') == 3  # two figures, and approve-all
    for code in ("sipas", "ho-so-so-hoa"):
        assert f'value="return:{value_of(code).pk}"' in waiting
    # The approved real figure is listed after them, with no decision; demo figures come last, folded
    # away in one labelled block, and their long source text is not repeated beside the waiting ones.
    assert "Đã gửi</span> bởi tantru," in card(html, value_of("sipas"))  # who submitted it, and when
    assert names["van-ban-dien-tu"] in others and names["van-ban-dien-tu"] not in waiting
    demo_code = next(
        v.indicator.code
        for v in IndicatorValue.objects.filter(unit__code="805", year=2024, source__kind="synthetic_demo")
    )
    assert names[demo_code] in demo and names[demo_code] not in waiting + others
    assert "minh họa" in demo and "không phải số liệu thật" in demo
    assert "demo_data" not in waiting


def test_the_warning_the_unit_confirmed_is_shown_on_the_waiting_figure(seeded, client, admin_a, staff):
    # 23.504 received, 1.234 late: at most 94,7% can be on time; the form warned and the unit confirmed.
    submit(admin_a, "805", 2024, {"ho-so-tiep-nhan": 23504, "ho-so-tre-han": 1234, "ho-so-dung-han": "97.5"})
    client.force_login(staff)
    html = client.get(REVIEW).content.decode()
    share = card(html, value_of("ho-so-dung-han"))
    assert "Cảnh báo đơn vị đã xác nhận khi lưu" in share
    # The top of the list links to it, and to nothing else.
    flagged = html.split('class="review-flagged"')[1].split("</p>")[0]
    assert flagged.count("<a ") == 1 and f'href="#value-{value_of("ho-so-dung-han").pk}"' in flagged
    assert "23.504" in share and "1.234" in share and "tối đa là 94,7%" in share and "97,5%" in share
    client.cookies["django_language"] = "en"
    share = card(client.get(REVIEW).content.decode(), value_of("ho-so-dung-han"))
    assert "can be at most 94.7%, but 97.5% was entered" in share
    assert "Warning the unit confirmed when saving" in share


def test_the_reviewer_sees_the_cross_field_checks_recomputed_and_the_jump_from_last_year(
    seeded, client, admin_a, staff
):
    # More late dossiers than received: the form refuses this, but a figure can arrive another way
    # (here the service directly), and the reviewer must still see the contradiction.
    submit(admin_a, "805", 2023, {"sipas": 20})
    approve(staff, "sipas", year=2023)
    submit(admin_a, "805", 2024, {"ho-so-tiep-nhan": 1000, "ho-so-tre-han": 1500, "sipas": 90})
    client.force_login(staff)
    html = client.get(REVIEW).content.decode()
    overdue = card(html, value_of("ho-so-tre-han"))
    assert "Số liệu mâu thuẫn" in overdue
    assert "không thể lớn hơn số hồ sơ tiếp nhận (1.000)" in overdue
    assert "Thay đổi hơn 3 lần so với năm trước (20 → 90)" in card(html, value_of("sipas"))
    assert "Cảnh báo" not in card(html, value_of("ho-so-tiep-nhan"))


def test_each_waiting_figure_shows_its_previous_approved_value_and_the_change_in_its_unit(
    demo_seeded, client, admin_a, staff
):
    # Tân Trụ's approved real 2022 figures: 20.000 received, 92,5% on time. 2023 holds only demo
    # figures: a real approved figure is the baseline before a more recent demo one.
    submit(admin_a, "805", 2022, {"ho-so-tiep-nhan": 20000, "ho-so-dung-han": "92.5"})
    approve(staff, "ho-so-tiep-nhan", "ho-so-dung-han", year=2022)
    submit(admin_a, "805", 2024, {"ho-so-tiep-nhan": 23504, "ho-so-dung-han": 95})
    client.force_login(staff)
    html = client.get(REVIEW).content.decode()
    share, received = card(html, value_of("ho-so-dung-han")), card(html, value_of("ho-so-tiep-nhan"))
    assert "Đã duyệt năm 2022" in share and "92,5%" in share and "+2,5 điểm %" in share
    assert "Đã duyệt năm 2022" in received and "20.000" in received and "+3.504" in received
    assert "điểm %" not in received and "minh họa</span></dd>" not in share
    client.cookies["django_language"] = "en"
    html = client.get(REVIEW).content.decode()
    share, received = card(html, value_of("ho-so-dung-han")), card(html, value_of("ho-so-tiep-nhan"))
    assert "Approved for 2022" in share and "+2.5 pp" in share
    assert "+3,504" in received


def test_a_change_from_a_qualified_figure_is_not_written_as_exact(db):
    from decimal import Decimal

    from django.utils import translation

    from indicators.presentation.review import format_change

    with translation.override("vi"):
        assert format_change(Decimal("-3.25"), unit_kind="percent", decimals=1) == "−3,3 điểm %"
        assert format_change(Decimal("0.01"), unit_kind="percent", decimals=1) == "0 điểm %"
        assert format_change(Decimal(5), unit_kind="percent", decimals=1, approximate=True) == "khoảng +5 điểm %"
        assert format_change(Decimal(-12), unit_kind="count", decimals=0) == "−12"
    with translation.override("en"):
        assert format_change(Decimal(5), unit_kind="percent", decimals=1, approximate=True) == "about +5 pp"
        assert format_change(Decimal(1234), unit_kind="count", decimals=0) == "+1,234"


def test_other_years_drafts_are_marked_and_never_taken_as_the_previous_figure(demo_seeded, client, admin_a, staff):
    # Tân Trụ's 2022 on-time share is an approved 92,5%; 2023's is a draft of 55 over the demo
    # figure, never submitted.
    submit(admin_a, "805", 2022, {"ho-so-dung-han": "92.5"})
    approve(staff, "ho-so-dung-han", year=2022)
    unit = AdministrativeUnit.objects.by_code_in_year("805", 2023)
    version = value_of("ho-so-dung-han", year=2023).version
    share = Indicator.objects.get(code="ho-so-dung-han")
    entry_services.save_unit_year(
        user=admin_a,
        unit=unit,
        year=2023,
        figures=[entry_services.EntryFigure(indicator=share, value=Decimal(55), version=version)],
    )
    submit(admin_a, "805", 2024, {"ho-so-dung-han": 95})
    client.force_login(staff)
    html = card(client.get(REVIEW).content.decode(), value_of("ho-so-dung-han"))
    assert "Đã duyệt năm 2022" in html and "+2,5 điểm %" in html  # against 2022's 92,5%, not the draft
    assert re.search(r"2023</span> 55% <em class=\"draft-mark\">\(nháp, chưa duyệt\)</em>", html)
    # The approved real year stands unmarked; the demo years stay marked as demo.
    assert re.search(r"2022</span> 92,5%</li>", html)
    assert re.search(r"2021</span> [\d,]+% <span class=\"demo-tag\">minh họa</span>", html)


def test_return_all_needs_one_comment_and_returns_every_waiting_figure(seeded, client, admin_a, staff):
    submit(admin_a, "805", 2024, {"sipas": 90, "ho-so-so-hoa": 50})
    client.force_login(staff)
    response = client.post(REVIEW, {"decision": "return:all", "comment": "Thiếu báo cáo kèm theo"})
    assert response.status_code == 302 and response.url == reverse("review:queue")
    for code in ("sipas", "ho-so-so-hoa"):
        value = value_of(code)
        assert (value.status, value.review_comment) == ("returned", "Thiếu báo cáo kèm theo")


def test_a_unit_admin_cannot_review_even_their_own_units_figures(seeded, client, admin_a):
    submit(admin_a, "805", 2024, {"sipas": 90})
    client.force_login(admin_a)
    assert client.get(REVIEW).status_code == 403
    assert client.post(REVIEW, {"decision": "approve:all"}).status_code == 403
    assert client.post(REVIEW, {"decision": f"approve:{value_of('sipas').pk}"}).status_code == 403
    assert client.get(reverse("review:queue")).status_code == 403
    assert value_of("sipas").status == "submitted"
    with pytest.raises(PermissionDenied):
        review_services.review_values(user=admin_a, value_ids=[value_of("sipas").pk], approve=True)
    client.logout()
    response = client.post(REVIEW, {"decision": "approve:all"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert value_of("sipas").status == "submitted"


def test_history_is_read_only(seeded, client, staff):
    client.force_login(staff)
    value = value_of("luot-nguoi-den-moi-ngay", year=2023)
    url = reverse("entry:value-history", args=[value.pk])
    assert client.post(url, {"value": "1"}).status_code == 405
    assert "<form" not in client.get(url).content.decode().split("<main")[1]


def test_review_pages_query_counts_do_not_grow_with_districts_and_years(
    demo_seeded, client, admin_a, admin_b, staff, django_assert_max_num_queries, django_assert_num_queries
):
    for year in (2022, 2023, 2024):
        submit(admin_a, "805", year, {"sipas": 90, "ho-so-so-hoa": 50, "ho-so-tiep-nhan": 1000, "ho-so-dung-han": 95})
        submit(admin_b, "807", year, {"sipas": 80})
    approve(staff, "sipas", "ho-so-so-hoa", "ho-so-tiep-nhan", "ho-so-dung-han", year=2022)
    approve(staff, "sipas", year=2022, unit="807")
    client.force_login(staff)
    # session, user, groups, the queue (one grouped query), and two for the navigation's permissions.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("review:queue"))
    assert response.content.decode().count('href="/review/80') == 4  # 2 districts × 2 waiting years
    # session, user, groups, the unit, indicators, all the unit's values (8 years) with sources and
    # who changed them, the approved history of this year's values, and two for the navigation's
    # permissions: the same for four waiting figures with warnings, previous values and other years
    # as for one.
    with django_assert_num_queries(9):
        response = client.get(REVIEW)
    assert len(response.context["waiting"]) == 4
    assert all(line.previous is not None for line in response.context["waiting"])
    with django_assert_num_queries(9):
        response = client.get(reverse("review:unit-year", args=["807", 2024]))
    assert len(response.context["waiting"]) == 1


def test_history_page_query_count_is_fixed(demo_seeded, client, admin_a, staff, django_assert_max_num_queries):
    submit(admin_a, "805", 2024, {"sipas": 90})
    pk = value_of("sipas").pk
    for _ in range(3):
        value = value_of("sipas")
        review_services.review_values(user=staff, value_ids=[pk], approve=False, comment="sửa")
        submit(admin_a, "805", 2024, {"sipas": int(value.value) + 1})
    client.force_login(staff)
    # session, user, groups, the value with indicator/unit/source, its history with users and
    # sources, and two for the navigation's permissions.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("entry:value-history", args=[pk]))
    assert response.status_code == 200


def test_a_refused_return_keeps_the_comments_typed_beside_the_other_figures(seeded, client, admin_a, staff):
    submit(admin_a, "805", 2024, {"sipas": 90, "ho-so-so-hoa": 50})
    sipas, digitised = value_of("sipas"), value_of("ho-so-so-hoa")
    client.force_login(staff)
    response = client.post(
        REVIEW, {"decision": f"return:{sipas.pk}", f"comment-{digitised.pk}": "Thiếu <b>biên bản</b>"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "ghi ý kiến" in html
    assert "Thiếu &lt;b&gt;biên bản&lt;/b&gt;</textarea>" in card(html, digitised)
    assert "></textarea>" in card(html, sipas)
    assert {value_of("sipas").status, value_of("ho-so-so-hoa").status} == {"submitted"}
