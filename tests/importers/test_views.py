"""The importer pages: upload, preview with every match, confirm, name mappings; their permissions,
messages in both languages, and pinned query counts."""

import io
import re

import pytest
from django.urls import reverse

from indicators.models import UNIT_ADMIN_GROUP, IndicatorValue, LayoutImport, UnitNameMapping
from tests.factories import make_user
from tests.importers.conftest import CAN_GIUOC, sample


def post_file(client, content: bytes, *, name="bang.csv", layout="qd766", year=2025, period="Y", **extra):
    file = io.BytesIO(content)
    file.name = name
    data = {"layout": layout, "year": year, "period": period, "file": file}
    return client.post(reverse("entry:systems"), data, **extra)


def upload(client, content: bytes, **kwargs):
    response = post_file(client, content, **kwargs)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return LayoutImport.objects.get(pk=int(re.search(r"/systems/(\d+)/", response["Location"]).group(1)))


def test_staff_see_only_the_766_layout_and_a_unit_admin_every_layout(client, province_staff, commune_admin):
    client.force_login(province_staff)
    page = client.get(reverse("entry:systems")).content.decode()
    assert 'value="qd766"' in page and 'value="mot-cua"' not in page
    client.force_login(commune_admin)
    page = client.get(reverse("entry:systems")).content.decode()
    assert {'value="qd766"', 'value="mot-cua"', 'value="ho-so-cbcc"'} <= set(re.findall(r'value="[\w-]+"', page))


def test_an_unknown_layout_is_a_form_error_not_a_500(client, province_staff):
    client.force_login(province_staff)
    response = post_file(client, sample("mot_cua_tay_ninh_2025.csv"), layout="mot-cua")
    assert response.status_code == 400
    assert "hãy chọn trong danh sách" in response.content.decode()


def test_the_preview_shows_every_match_and_the_confirm_lands_as_submitted(client, province_staff, frozen_today):
    client.force_login(province_staff)
    staged = upload(client, sample("qd766_tay_ninh_2025.csv"), name="diem-766-2025.csv")
    page = client.get(reverse("entry:systems-preview", args=[staged.pk])).content.decode()
    assert page.count('<tr class="">') == 96  # every row matched, none in error
    assert "UBND phường Tân Ninh" in page and "Phường Tân Ninh <small>(25459)</small>" in page
    assert "68,63" in page  # the total, in Vietnamese notation
    response = client.post(reverse("entry:systems-confirm", args=[staged.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("review:queue")
    statuses = IndicatorValue.objects.filter(year=2025, source__kind="import", indicator__framework="decision_766")
    assert statuses.count() == 96 * 6 and set(statuses.values_list("status", flat=True)) == {"submitted"}
    queue = client.get(reverse("review:queue") + "?sort=unit").content.decode()  # 50 a page, by name
    assert "Xã Cần Giuộc" in queue


@pytest.mark.parametrize(
    ("name", "vi", "en"),
    [
        ("qd766_column_renamed.csv", "không tìm thấy cột MDSH", "no column MDSH"),
        ("qd766_other_period.csv", "khác kỳ đã chọn", "differs from the period chosen"),
        ("qd766_utf16.csv", "UTF-16", "UTF-16"),
    ],
)
def test_a_bad_file_gets_its_reason_in_the_users_language_and_nothing_is_kept(client, province_staff, name, vi, en):
    client.force_login(province_staff)
    before = (LayoutImport.objects.count(), IndicatorValue.objects.count())
    response = post_file(client, sample(name))
    assert response.status_code == 400 and vi in response.content.decode()
    client.cookies["django_language"] = "en"
    response = post_file(client, sample(name))
    assert response.status_code == 400 and en in response.content.decode()
    assert (LayoutImport.objects.count(), IndicatorValue.objects.count()) == before


def test_a_formula_in_a_cell_is_a_row_error_and_the_file_cannot_be_confirmed(client, province_staff, frozen_today):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ID", "TEN", "CKMB", "TDGQ", "MDSH", "TTTT", "MDHL", "TONG_SCORE"])
    sheet.append(["1", "Xã Cần Giuộc", 15, 16, 18, 19, 14, "=SUM(C2:G2)"])
    content = io.BytesIO()
    workbook.save(content)
    client.force_login(province_staff)
    staged = upload(client, content.getvalue(), name="diem.xlsx")
    page = client.get(reverse("entry:systems-preview", args=[staged.pk])).content.decode()
    assert "Ô chứa công thức" in page and "systems-confirm" not in page and "/confirm/" not in page
    response = client.post(reverse("entry:systems-confirm", args=[staged.pk]))
    assert response.status_code == 400
    assert not IndicatorValue.objects.filter(year=2025, source__kind="import").exists()


def test_staff_save_a_mapping_and_the_next_file_of_the_layout_matches_at_once(client, province_staff, frozen_today):
    content = "TEN,CKMB,TDGQ,MDSH,TTTT,MDHL,TONG_SCORE\nUBND TT Cần Giuộc cũ,15,16,18,19,14,82\n".encode()
    client.force_login(province_staff)
    staged = upload(client, content)
    page = client.get(reverse("entry:systems-preview", args=[staged.pk])).content.decode()
    assert "Không có đơn vị nào tên" in page and "Lưu ánh xạ" in page
    unit = IndicatorValue._meta.get_field("unit").related_model.objects.by_code(CAN_GIUOC)
    response = client.post(
        reverse("entry:systems-mapping", args=[staged.pk]), {"name": "UBND TT Cần Giuộc cũ", "unit": unit.pk}
    )
    assert response.status_code == 302
    assert UnitNameMapping.objects.get(layout="qd766").unit == unit
    page = client.get(reverse("entry:systems-preview", args=[staged.pk])).content.decode()
    assert "ánh xạ đã lưu" in page and "Lưu ánh xạ" not in page
    again = upload(client, content)
    page = client.get(reverse("entry:systems-preview", args=[again.pk])).content.decode()
    assert "ánh xạ đã lưu" in page


def test_a_unit_admin_may_not_save_a_mapping(client, commune_admin):
    content = "TEN,CKMB,TDGQ,MDSH,TTTT,MDHL,TONG_SCORE\nXã Không Có,15,16,18,19,14,82\n".encode()
    client.force_login(commune_admin)
    staged = upload(client, content)
    page = client.get(reverse("entry:systems-preview", args=[staged.pk])).content.decode()
    assert "Lưu ánh xạ" not in page
    response = client.post(reverse("entry:systems-mapping", args=[staged.pk]), {"name": "Xã Không Có", "unit": 1})
    assert response.status_code == 403
    assert not UnitNameMapping.objects.exists()


def test_another_admin_cannot_open_or_confirm_an_upload(client, commune_admin, frozen_today):
    client.force_login(commune_admin)
    staged = upload(client, sample("qd766_tay_ninh_2025.csv"))
    other = make_user("phuongtanninh", group=UNIT_ADMIN_GROUP, units=["25459"])
    client.force_login(other)
    assert client.get(reverse("entry:systems-preview", args=[staged.pk])).status_code == 404
    assert client.post(reverse("entry:systems-confirm", args=[staged.pk])).status_code == 404
    assert not IndicatorValue.objects.filter(year=2025, source__kind="import").exists()


def test_upload_page_query_count_is_fixed(client, province_staff, commune_admin, django_assert_max_num_queries):
    client.force_login(province_staff)
    for _ in range(3):
        upload(client, sample("qd766_tay_ninh_2025.csv"))
    # session, user, groups, the recent uploads, and the two of Django's permission backend
    with django_assert_max_num_queries(6):
        assert client.get(reverse("entry:systems")).status_code == 200


def test_preview_query_count_does_not_grow_with_the_rows(
    client, province_staff, frozen_today, django_assert_max_num_queries
):
    client.force_login(province_staff)
    small = upload(client, "TEN,CKMB,TDGQ,MDSH,TTTT,MDHL,TONG_SCORE\nXã Cần Giuộc,15,16,18,19,14,82\n".encode())
    big = upload(client, sample("qd766_tay_ninh_2025.csv"))
    for staged in (small, big):
        client.get(reverse("entry:systems-preview", args=[staged.pk]))  # the stored summary is current
        # session, user, groups, the upload with its file record, the data version (the stored preview's
        # stamp), the indicators of the columns, and the two of Django's permission backend
        with django_assert_max_num_queries(8):
            assert client.get(reverse("entry:systems-preview", args=[staged.pk])).status_code == 200


def test_row_errors_are_in_the_users_language(client, province_staff, frozen_today):
    client.force_login(province_staff)
    client.cookies["django_language"] = "en"
    staged = upload(client, sample("qd766_total_disagrees.csv"))
    page = client.get(reverse("entry:systems-preview", args=[staged.pk])).content.decode()
    assert "disagree with TONG_SCORE" in page and "Units in the file and the units matched" in page
    staged = upload(client, sample("qd766_unknown_and_ambiguous_names.csv"))
    page = client.get(reverse("entry:systems-preview", args=[staged.pk])).content.decode()
    assert "fits 2 units in this period" in page and "No unit is named “Xã Không Có” in this period." in page
