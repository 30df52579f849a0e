"""Checks across the figures of one unit and year. Pure functions: the entry form, the upload and the
import command all call them, and tests need no database.

Errors block a save. Warnings ask for a confirmation: the figures may be right (two counts can cover
different periods; a district can triple its online dossiers in a year), but someone should look.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.domain.formatting import format_exact
from indicators.domain.roles import ON_TIME_SHARE, OVERDUE, RECEIVED, RELATED

OUTLIER_FACTOR = Decimal(3)
# Kinds where a factor of 3 says nothing: rank 1 -> 4 is an ordinary move.
NO_OUTLIER_KINDS = frozenset({"rank"})
# Percentage points the reported on-time share may exceed what received and overdue allow.
ON_TIME_TOLERANCE = Decimal("0.5")


@dataclass
class Problems:
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    warnings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def merge(self, other: Problems) -> Problems:
        for code, messages in other.errors.items():
            self.errors[code].extend(messages)
        for code, messages in other.warnings.items():
            self.warnings[code].extend(messages)
        return self

    @property
    def has_errors(self) -> bool:
        return any(self.errors.values())

    @property
    def has_warnings(self) -> bool:
        return any(self.warnings.values())


def related_codes(roles: Mapping[str, str]) -> frozenset[str]:
    """The codes, among `roles` (indicator code -> Indicator.role), of the figures cross_field_problems relates."""
    return frozenset(code for code, role in roles.items() if role in RELATED)


def cross_field_problems(values: Mapping[str, Decimal], roles: Mapping[str, str]) -> Problems:
    """The relations of DESIGN.md among one unit-year's figures (indicator code -> value).

    `roles` maps indicator codes to their Indicator.role; the problems are keyed by indicator code.
    """
    problems = Problems()
    code_of = {role: code for code, role in roles.items() if role in RELATED}
    received_code, overdue_code, share_code = code_of.get(RECEIVED), code_of.get(OVERDUE), code_of.get(ON_TIME_SHARE)
    received, overdue, share = values.get(received_code), values.get(overdue_code), values.get(share_code)
    if received is not None and overdue is not None and overdue > received:
        problems.errors[overdue_code].append(
            _("Số hồ sơ trễ hạn (%(overdue)s) không thể lớn hơn số hồ sơ tiếp nhận (%(received)s).")
            % {"overdue": format_exact(overdue), "received": format_exact(received)}
        )
    if share is not None and overdue is not None and overdue > 0:
        if share >= 100:
            problems.warnings[share_code].append(
                _("Có %(overdue)s hồ sơ trễ hạn nhưng tỷ lệ đúng hạn là 100%%. Kiểm tra lại hai số liệu này.")
                % {"overdue": format_exact(overdue)}
            )
        elif received is not None and received > 0 and overdue <= received:
            ceiling = (received - overdue) * 100 / received
            if share > ceiling + ON_TIME_TOLERANCE:
                problems.warnings[share_code].append(
                    _(
                        "Với %(received)s hồ sơ tiếp nhận và %(overdue)s hồ sơ trễ hạn, tỷ lệ đúng hạn "
                        "tối đa là %(ceiling)s%%, nhưng nhập %(share)s%%."
                    )
                    % {
                        "received": format_exact(received),
                        "overdue": format_exact(overdue),
                        "ceiling": format_exact(round(ceiling, 1)),
                        "share": format_exact(share),
                    }
                )
    return problems


def outlier_warnings(
    values: Mapping[str, Decimal], previous: Mapping[str, Decimal], kinds: Mapping[str, str] | None = None
) -> Problems:
    """A warning for each value more than 3× (or less than a third of) last year's, as DHIS2's min–max check."""
    problems = Problems()
    kinds = kinds or {}
    for code, value in values.items():
        before = previous.get(code)
        if before is None or before <= 0 or kinds.get(code) in NO_OUTLIER_KINDS:
            continue
        if value > before * OUTLIER_FACTOR or value * OUTLIER_FACTOR < before:
            problems.warnings[code].append(
                _("Thay đổi hơn 3 lần so với năm trước (%(before)s → %(value)s). Xác nhận nếu đúng.")
                % {"before": format_exact(before), "value": format_exact(value)}
            )
    return problems


def ranking_problems(ranks: Mapping[str, int], *, size: int) -> list[str]:
    """What is wrong with the known ranks of one ranking of `size` units (unit code -> rank).

    A ranking is a permutation of 1..size over its units: one old province's districts in a year (Long
    An ranked its 15, the former Tây Ninh its 9), or the country's provinces (63 to 2024, 34 from 2025).
    A source may publish only some places (the first and the last), so the known ranks need not be all
    of 1..size; but each is a whole number within 1..size, and no two units share one.
    """
    problems = []
    holders = defaultdict(list)
    for code, rank in sorted(ranks.items()):
        if rank != int(rank) or not 1 <= rank <= size:
            problems.append(
                _("%(unit)s: hạng %(rank)s nằm ngoài 1…%(size)d.")
                % {"unit": code, "rank": format_exact(Decimal(rank)), "size": size}
            )
        else:
            holders[int(rank)].append(code)
    for rank, codes in sorted(holders.items()):
        if len(codes) > 1:
            problems.append(_("Hạng %(rank)d trùng giữa %(units)s.") % {"rank": rank, "units": ", ".join(codes)})
    return problems
