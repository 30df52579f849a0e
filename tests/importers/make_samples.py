"""Writes the sample files of tests/importers/samples/ from the layouts' published columns and the
registry's units of Tây Ninh (80). Deterministic: run it again and nothing changes.

    .venv/bin/python -m tests.importers.make_samples

The samples are made, not downloaded: no file of these systems is available offline. Their figures
are invented for the tests and are never loaded as data.
"""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal
from pathlib import Path

from indicators.domain import registry
from indicators.domain.text import fold

SAMPLES = Path(__file__).resolve().parent / "samples"
GROUPS = (("CKMB", 18), ("TDGQ", 20), ("MDSH", 22), ("TTTT", 22), ("MDHL", 18))


def name_forms(name: str, index: int) -> str:
    """The ways files write a commune's name: "UBND xã Cần Giuộc", "Xã Cần Giuộc", "XÃ CẦN GIUỘC",
    "Xa Can Giuoc", "CẦN GIUỘC"."""
    _kind, _space, bare = name.partition(" ")
    if name.startswith(("Đặc khu", "Thị trấn")):
        return name
    form = index % 5
    if form == 0:
        return f"UBND {name[0].lower()}{name[1:]}"
    if form == 1:
        return name
    if form == 2:
        return name.upper()
    if form == 3:
        return fold(name).title()
    return bare.upper()


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8-sig") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def qd766_rows(rng: random.Random) -> list[list]:
    communes = registry.province("80").communes
    bare_counts: dict[str, int] = {}
    for unit in communes:
        bare_counts[fold(unit.short_name)] = bare_counts.get(fold(unit.short_name), 0) + 1
    rows = [
        ["BẢNG ĐIỂM BỘ CHỈ SỐ CHỈ ĐẠO, ĐIỀU HÀNH VÀ ĐÁNH GIÁ CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP"],
        ["Kỳ đánh giá: Năm 2025"],
        [],
        ["ID", "TEN", *(g for g, _m in GROUPS), "TONG_SCORE"],
    ]
    for index, unit in enumerate(communes):
        scores = [Decimal(rng.randint(int(m * 45), int(m * 98))) / 100 for _g, m in GROUPS]
        # A name that two units share is written in full, as a careful file does.
        name = unit.name if bare_counts[fold(unit.short_name)] > 1 else name_forms(unit.name, index)
        rows.append([f"{index + 1:03d}", name, *(str(s) for s in scores), str(sum(scores))])
    rows.append(["", "Tổng cộng", "", "", "", "", "", ""])
    return rows


def mot_cua_rows(rng: random.Random) -> list[list]:
    header = [
        "Mã đơn vị",
        "Đơn vị",
        "Tiếp nhận trong kỳ",
        "Kỳ trước chuyển qua",
        "Đã xử lý",
        "Trước hạn",
        "Đúng hạn",
        "Trễ hạn",
        "Đang xử lý trong hạn",
        "Đang xử lý trễ hạn",
        "Trả lại, rút",
        "Tiếp nhận trực tuyến",
        "Có phí, lệ phí",
        "Thanh toán trực tuyến",
    ]
    rows = [["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"], ["Từ ngày 01/01/2025 đến ngày 31/12/2025"], header]
    for unit in registry.province("80").communes[:12]:
        received, carried = rng.randint(800, 4000), rng.randint(10, 200)
        done = int((received + carried) * 0.9)
        late = rng.randint(0, 15)
        early = int(done * 0.6)
        on_time = done - early - late
        in_progress = received + carried - done
        late_open = rng.randint(0, 5)
        online = int(received * rng.uniform(0.4, 0.9))
        fees = int(received * 0.3)
        paid = int(fees * rng.uniform(0.3, 0.8))
        rows.append(
            [
                unit.code,
                unit.name,
                received,
                carried,
                done,
                early,
                on_time,
                late,
                in_progress - late_open,
                late_open,
                3,
                online,
                fees,
                paid,
            ]
        )
    return rows


def staff_rows(rng: random.Random) -> list[list]:
    rows = [["Mã đơn vị", "Đơn vị", "Số hồ sơ đã tạo lập", "Số hồ sơ đã đồng bộ"]]
    for unit in registry.province("80").communes[:12]:
        created = rng.randint(40, 90)
        rows.append([unit.code, f"UBND {unit.name}", created, created - rng.randint(0, 5)])
    return rows


def main() -> None:
    rng = random.Random(766)
    good = qd766_rows(rng)
    write_csv(SAMPLES / "qd766_tay_ninh_2025.csv", good)
    header = good[3]
    # Nasty variants of the 766 table.
    renamed = [*good[:3], [h if h != "MDSH" else "SO_HOA" for h in header], *good[4:]]
    write_csv(SAMPLES / "qd766_column_renamed.csv", renamed)
    disagree = [row[:] for row in good]
    disagree[4][-1] = str(Decimal(disagree[4][-1]) - 5)  # TONG_SCORE below its groups' sum
    write_csv(SAMPLES / "qd766_total_disagrees.csv", disagree)
    over = [row[:] for row in good]
    over[5][2] = "19"  # CKMB over its maximum of 18
    over[5][-1] = str(sum(Decimal(v) for v in over[5][2:7]))
    write_csv(SAMPLES / "qd766_group_over_maximum.csv", over)
    quarter = [good[0], ["Kỳ đánh giá: Quý II/2025"], *good[2:]]
    write_csv(SAMPLES / "qd766_other_period.csv", quarter)
    write_csv(SAMPLES / "qd766_utf16.csv", good, encoding="utf-16")
    names = [row[:] for row in good]
    names[6][1] = "Tan Thanh"  # without diacritics both Xã Tân Thành and Xã Tân Thạnh
    names[7][1] = "Xã Không Có"
    write_csv(SAMPLES / "qd766_unknown_and_ambiguous_names.csv", names)

    dossiers = mot_cua_rows(rng)
    write_csv(SAMPLES / "mot_cua_tay_ninh_2025.csv", dossiers)
    late = [row[:] for row in dossiers]
    late[3][7] = late[3][4] + 1  # processed late above processed
    write_csv(SAMPLES / "mot_cua_late_exceeds_processed.csv", late)
    write_csv(SAMPLES / "ho_so_cbcc_tay_ninh_2025.csv", staff_rows(rng))


if __name__ == "__main__":
    main()
