"""第五条 quota and 第七条 review and publicity: ranking with county-level priority, 5 working days."""

from __future__ import annotations

from decimal import Decimal

from ganzhou_helpers import run


def _cands(n: int, county: set[int] | None = None, equal_from: int | None = None) -> list[dict[str, object]]:
    out = []
    for i in range(1, n + 1):
        score = Decimal(100 - i) if equal_from is None or i < equal_from else Decimal(100 - equal_from)
        out.append({"key": f"C{i:02d}", "score": str(score), "county_level_craftsman": i in (county or set())})
    return out


def test_ganzhou_art5_quota_of_15_cuts_the_ranking():
    out = run("ranking", {"as_of": "2025-09-01", "year": 2025, "candidates": _cands(18)})
    assert len(out.value["selected"]) == 15
    assert out.value["reserve"] == ["C16", "C17", "C18"]
    assert any(s.rule == "annual_quota" and s.result == 15 for s in out.trace)


def test_ganzhou_art5_office_can_override_the_quota():
    out = run("ranking", {"as_of": "2025-09-01", "year": 2025, "candidates": _cands(18)}, {"annual_quota": 16})
    assert len(out.value["selected"]) == 16


def test_ganzhou_art6_county_level_craftsman_first_on_equal_score_at_the_cut():
    cands = _cands(16)
    cands[14]["score"] = cands[15]["score"] = "80"   # C15 and C16 equal at the 15th place
    cands[15]["county_level_craftsman"] = True
    out = run("ranking", {"as_of": "2025-09-01", "year": 2025, "candidates": cands})
    assert "C16" in out.value["selected"] and out.value["reserve"] == ["C15"]


def test_ganzhou_art5_tie_straddling_the_cut_is_left_to_the_office():
    cands = _cands(16)
    cands[14]["score"] = cands[15]["score"] = "80"
    out = run("ranking", {"as_of": "2025-09-01", "year": 2025, "candidates": cands})
    assert out.value["tie_at_cut"] == ["C15", "C16"]
    assert len(out.value["selected"]) == 14


def test_ganzhou_art5_cumulative_target_of_50_by_2025_is_informational():
    out = run("ranking", {"as_of": "2025-09-01", "year": 2025, "selected_before": 36, "candidates": _cands(15)})
    step = next(s for s in out.trace if s.rule == "cumulative_target")
    assert step.result == {"selected_total": 51, "target": 50, "by_year": 2025, "remaining": 0}
    assert out.status.value == "ok"


def test_ganzhou_art7_publicity_five_working_days_first_day_not_counted_over_national_day():
    out = run("publicity_window", {"as_of": "2025-09-26", "start": "2025-09-26"})
    # counted: 28 (Sunday worked), 29, 30 September, 9, 10 October
    assert (str(out.value["start"]), str(out.value["end"])) == ("2025-09-28", "2025-10-10")


def test_ganzhou_art7_publicity_first_day_counts_when_the_office_says_so():
    out = run("publicity_window", {"as_of": "2025-09-26", "start": "2025-09-26"},
              {"publicity_first_day_counts": True})
    assert str(out.value["end"]) == "2025-10-09"  # 26, 28 (Sunday worked), 29, 30 September, 9 October


def test_ganzhou_art7_publicity_planned_end_too_early_fails():
    out = run("publicity_window", {"as_of": "2026-02-13", "start": "2026-02-13", "planned_end": "2026-02-25"})
    # 14 (Saturday worked), then holiday 15–23, 24, 25 → only 3 working days
    assert out.value["planned_end_ok"] is False
    assert out.value["planned_working_days"] == 3
    assert str(out.value["end"]) == "2026-02-27"
    assert [s.rule for s in out.failures] == ["planned_end_meets_minimum"]
    assert out.failures[0].citation.clause == "（四）"
