"""The aggregation arithmetic on its own (no database): mean, trimmed mean, rounding, veto."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiangxin.platform.panels.aggregation import SheetScore, aggregate

D = Decimal


def sheets(*totals: str, veto: int | None = None) -> list[SheetScore]:
    return [SheetScore(i, f"专家{i}", D(t), i == veto, {"overall": D(t)}) for i, t in enumerate(totals, 1)]


def test_mean_rounds_half_up_to_the_cent() -> None:
    # (80 + 81 + 81) / 3 = 80.666… → 80.67; (80 + 80.25) / 2 = 80.125 → 80.13
    assert aggregate(sheets("80", "81", "81")).total == D("80.67")
    assert aggregate(sheets("80", "80.25")).total == D("80.13")


def test_trimmed_mean_sets_aside_whole_sheets() -> None:
    result = aggregate(sheets("95", "80", "70", "84", "82"), method="trimmed_mean")
    assert result.total == D("82.00") and result.trimmed == [3, 1] and result.counted == [2, 5, 4]
    assert result.items == {"overall": D("82.00")}


def test_equal_totals_trim_deterministically_by_sheet() -> None:
    result = aggregate(sheets("80", "80", "80", "90", "70"), method="trimmed_mean")
    assert result.trimmed == [5, 4] and result.total == D("80.00")


def test_a_trimmed_sheets_veto_still_counts() -> None:
    result = aggregate(sheets("95", "80", "70", "84", "82", veto=3), method="trimmed_mean")
    assert result.vetoed and result.outcome["vetoed_by"] == ["专家3"] and 3 in result.trimmed


def test_no_sheets_give_zero_and_bad_settings_are_refused() -> None:
    assert aggregate([]).total == D("0")
    with pytest.raises(ValueError):
        aggregate(sheets("1"), method="median")
    with pytest.raises(ValueError):
        aggregate(sheets("1"), method="trimmed_mean", trim_count=2, trim_min_experts=4)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=10000), min_size=1, max_size=12),
       st.sampled_from(["mean", "trimmed_mean"]))
def test_the_aggregate_lies_between_the_lowest_and_highest_total(cents: list[int], method: str) -> None:
    totals = [D(c) / 100 for c in cents]
    result = aggregate([SheetScore(i, str(i), t, False, {}) for i, t in enumerate(totals)], method=method)
    assert min(totals) <= result.total <= max(totals)
    assert len(result.counted) + len(result.trimmed) == len(totals)
