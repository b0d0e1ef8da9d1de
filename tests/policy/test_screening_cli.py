"""`jiangxin screen`: a population read from CSV/XLSX (English names or Chinese labels), screened column-wise;
each row's verdict matches the per-person computation; unreadable cells are named by row and column."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from jiangxin.cli import main
from jiangxin.policy.registry import get_computation
from jiangxin.policy.screening import get_screener
from jiangxin.screening_table import TableError, read_table

ROWS = [
    # label row uses the Chinese labels of the columns
    ["编号", "培育类别（A/B）", "出生日期", "原法定退休年龄（60/55/50）", "职业技能等级", "B类：经核实符合企业首席技师条件",
     "推荐日期", "前次参加培育计划结束日期"],
    ["甲", "B", "1980-05-12", "60", "高级技师", "是", "2026-11-20", ""],          # qualifies
    ["乙", "B", "1980-05-12", "60", "技师", "是", "2026-11-20", ""],              # one short: skill level
    ["丙", "B", "1966-03-01", "60", "高级技师", "否", "2026-11-20", "2025-12-31"],  # several short
]


def _write(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "people.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_第二条_screen_from_a_table_agrees_row_by_row_with_the_per_person_rule(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, ROWS)
    output = tmp_path / "result.csv"
    assert main(["screen", "jiangsu_technician", "eligibility", "--input", str(path), "--plan-year", "2027",
                 "--as-of", "2026-12-01", "--output", str(output)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["total"], report["eligible"], report["near"]) == (3, 1, 1)
    skill = next(c for c in report["near_by_condition"] if c["condition"] == "skill_level")
    assert skill["count"] == 1 and skill["article"] == "江苏卓越技师办法 第二条（人选技能等级）"
    lines = list(csv.reader(output.read_text(encoding="utf-8-sig").splitlines()))
    assert [line[:2] for line in lines[1:]] == [["甲", "符合"], ["乙", "差一项"], ["丙", "不符合"]]
    screener = get_screener("jiangsu_technician", "eligibility")
    columns, _keys = read_table(screener, path)
    import datetime as dt

    computation = get_computation("jiangsu_technician", "eligibility")
    for row, verdict in enumerate(["符合", "差一项", "不符合"]):
        outcome = computation.run(screener.to_facts(columns, row, dt.date(2026, 12, 1), 2027))
        assert outcome.value.eligible is (verdict == "符合")


def test_unreadable_cells_are_named_by_row_and_column_and_nothing_is_screened(tmp_path: Path) -> None:
    bad = [*ROWS[:2], ["乙", "B", "1980-13-45", "60", "技师", "也许", "2026-11-20", ""]]
    with pytest.raises(TableError) as error:
        read_table(get_screener("jiangsu_technician", "eligibility"), _write(tmp_path, bad))
    problems = {(row, column) for row, column, _ in error.value.problems}
    assert problems == {(3, "出生日期"), (3, "B类：经核实符合企业首席技师条件")}


def test_a_table_without_a_required_column_is_refused(tmp_path: Path) -> None:
    rows = [[cell for i, cell in enumerate(row) if i != 2] for row in ROWS]  # no birth date
    with pytest.raises(TableError, match="缺少必需的列：出生日期"):
        read_table(get_screener("jiangsu_technician", "eligibility"), _write(tmp_path, rows))
