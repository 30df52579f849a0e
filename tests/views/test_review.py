"""Review: the queue, approve/return one by one or a whole unit-year, the history page, and the whole
workflow from a district's draft to the public open-data export."""

import json

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
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


def test_review_page_shows_what_changed_since_the_last_approved_version(seeded, client, admin_a, staff):
    submit(admin_a, "805", 2024, {"sipas": 90})
    review_services.review_values(user=staff, value_ids=[value_of("sipas").pk], approve=True)
    # Approved figures are locked for the district; reopen this one directly, as a correction would.
    value = value_of("sipas")
    value.status = "returned"
    value.save()
    submit(admin_a, "805", 2024, {"sipas": 92})
    client.force_login(staff)
    html = client.get(REVIEW).content.decode()
    assert "đã thay đổi" in html
    assert "90" in html and "92" in html


def test_history_is_read_only(seeded, client, staff):
    client.force_login(staff)
    value = value_of("luot-nguoi-den-moi-ngay", year=2023)
    url = reverse("entry:value-history", args=[value.pk])
    assert client.post(url, {"value": "1"}).status_code == 405
    assert "<form" not in client.get(url).content.decode().split("<main")[1]


def test_review_pages_query_counts_do_not_grow_with_districts_and_years(
    demo_seeded, client, admin_a, admin_b, staff, django_assert_max_num_queries
):
    for year in (2022, 2023, 2024):
        submit(admin_a, "805", year, {"sipas": 90, "ho-so-so-hoa": 50})
        submit(admin_b, "807", year, {"sipas": 80})
    client.force_login(staff)
    # session, user, groups, the queue (one grouped query), and two for the navigation's permissions.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("review:queue"))
    assert response.content.decode().count('href="/review/80') == 6  # 2 districts × 3 years
    # session, user, groups, the unit, indicators, all the unit's values (6 years) with sources,
    # the approved history of this year's values, and two for the navigation's permissions.
    with django_assert_max_num_queries(9):
        response = client.get(REVIEW)
    assert response.status_code == 200


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
