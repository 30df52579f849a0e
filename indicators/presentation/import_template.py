"""The import template: a sheet to fill in (the columns the import reads), and its instructions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from indicators.models import IndicatorValue


def sheet_names(year: int) -> tuple[str, str]:
    """The data sheet (first: the import reads the first sheet) and the instructions sheet."""
    return _("Số liệu năm %(year)d") % {"year": year}, _("Hướng dẫn")


def instructions(year: int) -> list[list[str]]:
    """(column, what to write) rows, in the user's language."""
    qualifiers = ", ".join(f"{choice.value} ({choice.label})" for choice in IndicatorValue.Qualifier)
    return [
        [
            _("Năm"),
            _(
                "Mẫu này cho năm %(year)d; đơn vị không báo cáo năm đó có năm gần nhất của đơn vị. "
                "Chọn năm khác trên trang nhập từ tệp."
            )
            % {"year": year},
        ],
        ["unit_code", _("Mã đơn vị (mã GSO). Không sửa.")],
        ["indicator_code", _("Mã chỉ tiêu. Không sửa.")],
        ["year", _("Năm của số liệu.")],
        [
            "value",
            _(
                "Giá trị: chỉ chữ số và một dấu thập phân (dấu phẩy hoặc dấu chấm), không có dấu phân cách "
                "hàng nghìn. Để trống thì dòng được bỏ qua."
            ),
        ],
        ["qualifier", _("Mức chính xác: %(choices)s.") % {"choices": qualifiers}],
        ["source_code", _("Mã nguồn (không bắt buộc).")],
        ["quote", _("Câu trích nguyên văn, khi số liệu lấy từ văn bản (không bắt buộc).")],
        ["note", _("Ghi chú (không bắt buộc).")],
        ["unit_name, indicator_name", _("Chỉ để đọc; khi nhập sẽ bỏ qua.")],
        [
            _("Lưu ý"),
            _(
                "Không dùng công thức: ô có công thức bị từ chối. Tải tệp lên để xem trước và kiểm tra lỗi; "
                "chưa có gì được ghi cho đến khi bạn xác nhận."
            ),
        ],
    ]
