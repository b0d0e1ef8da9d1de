"""江苏省卓越技师培育计划 — year-end grading (第二十、二十一条) and the full cohort down to funding (第二、二十二条)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiangxin.policy.errors import UnsetParameterError
from jiangxin.policy.outcome import Status
from jiangxin.policy.registry import get_computation

GRADING = get_computation("jiangsu_technician", "trainee_grading")
FUNDING = get_computation("jiangsu_technician", "funding")

BANDS = {"below": "不合格", "bands": [{"min": 60, "label": "基本合格"}, {"min": 70, "label": "合格"},
                                       {"min": 80, "label": "良好"}, {"min": 90, "label": "优秀"}]}
OFFICE = {"grade_bands": BANDS}


def trainee(key: str, score: Any, track: str = "A", hours: Any = 200, credits: Any = 40) -> dict[str, Any]:
    return {"key": key, "track": track, "score": str(score), "credits_earned": str(credits),
            "credits_required": "40", "hours_attended": str(hours), "hours_required": "200"}


def grading(*trainees: dict[str, Any], **office: Any) -> Any:
    facts = {"as_of": "2027-10-20", "plan_year": 2027, "training_unit": "某技师学院", "trainees": list(trainees)}
    return GRADING.run(facts, {**OFFICE, **office})


def grades(outcome: Any) -> dict[str, str]:
    return {k: v["grade"] for k, v in outcome.value["trainees"].items()}


def test_jiangsu_art20_grade_bands_are_left_to_the_office():
    facts = {"as_of": "2027-10-20", "plan_year": 2027, "training_unit": "某技师学院",
             "trainees": [trainee("T1", 90)]}
    with pytest.raises(UnsetParameterError) as err:
        GRADING.run(facts)
    assert err.value.name == "grade_bands"


def test_jiangsu_art20_no_more_than_thirty_percent_excellent():
    # ten trainees all scoring 90+: at most 3 优秀 (30% of 10), then at most 3 良好; the rest 合格
    outcome = grading(*(trainee(f"T{i:02}", 90 + i / 2) for i in range(10)))
    assert outcome.value["counts"] == {"优秀": 3, "良好": 3, "合格": 4, "基本合格": 0, "不合格": 0}
    assert {k for k, g in grades(outcome).items() if g == "优秀"} == {"T09", "T08", "T07"}
    demotions = [s for s in outcome.trace if s.rule == "grade_cap"]
    assert len(demotions) == 7 + 4 and all(s.citation.article == "第二十条" for s in demotions)


def test_jiangsu_art20_thirty_percent_is_allowed_exactly():
    outcome = grading(*(trainee(f"T{i}", 95 if i < 3 else 75) for i in range(10)))
    assert outcome.value["counts"]["优秀"] == 3
    assert not any(s.rule == "grade_cap" for s in outcome.trace)


def test_jiangsu_art20_capped_grades_use_floor_of_the_share():
    # 5 trainees → floor(1.5) = 1 优秀 allowed
    outcome = grading(*(trainee(f"T{i}", 91 + i) for i in range(5)))
    assert outcome.value["counts"]["优秀"] == 1 and outcome.value["counts"]["良好"] == 1


def test_jiangsu_art21_sixty_nine_percent_of_hours_fails():
    outcome = grading(trainee("T1", 95, hours=138), trainee("T2", 75), trainee("T3", 75), trainee("T4", 75))
    row = outcome.value["trainees"]["T1"]
    assert (row["proposed"], row["grade"], row["forced_fail"], row["passing"]) == ("优秀", "不合格", True, False)
    assert any("学时138/200" in r for r in row["reasons"])
    assert {s.inputs["trainee"] for s in outcome.failures} == {"T1"}


def test_jiangsu_art21_exactly_seventy_percent_of_hours_and_credits_is_not_forced():
    outcome = grading(trainee("T1", 75, hours=140, credits=28))
    assert grades(outcome) == {"T1": "合格"}


def test_jiangsu_art21_credits_below_seventy_percent_fail_even_with_full_hours():
    outcome = grading(trainee("T1", 85, credits="27.99"))
    assert grades(outcome) == {"T1": "不合格"}
    assert outcome.value["passing_count"] == 0


def test_jiangsu_art22_basic_pass_counts_as_passing_unless_the_office_says_otherwise():
    cohort = (trainee("T1", 65), trainee("T2", 75, track="B"), trainee("T3", 50))
    assert grading(*cohort).value["passing_by_track"] == {"A": 1, "B": 1}
    strict = grading(*cohort, basic_pass_counts_as_passing=False)
    assert strict.value["passing_by_track"] == {"A": 0, "B": 1}
    assert grades(strict)["T1"] == "基本合格"


def test_jiangsu_full_cohort_ten_a_and_ten_b_graded_with_caps_forced_fails_and_funding():
    a_scores = [98, 96, 94, 92, 91, 90, 88, 85, 72, 65]
    b_scores = [97, 93, 89, 87, 84, 82, 81, 78, 61, 55]
    cohort = [trainee(f"A{i + 1:02}", s, "A") for i, s in enumerate(a_scores)]
    cohort += [trainee(f"B{i + 1:02}", s, "B") for i, s in enumerate(b_scores)]
    cohort[3] = trainee("A04", 92, "A", hours=139)          # 69.5% of hours → 不合格
    cohort[9] = trainee("A10", 65, "A", hours=140)          # exactly 70% → graded normally
    cohort[12] = trainee("B03", 89, "B", credits="27.9")    # 69.75% of credits → 不合格
    outcome = grading(*cohort)
    assert grades(outcome) == {
        "A01": "优秀", "A02": "优秀", "A03": "优秀", "A04": "不合格", "A05": "优秀", "A06": "良好",
        "A07": "良好", "A08": "良好", "A09": "合格", "A10": "基本合格",
        "B01": "优秀", "B02": "优秀", "B03": "不合格", "B04": "良好", "B05": "良好", "B06": "良好",
        "B07": "合格", "B08": "合格", "B09": "基本合格", "B10": "不合格"}
    assert outcome.value["counts"] == {"优秀": 6, "良好": 6, "合格": 3, "基本合格": 2, "不合格": 3}
    assert outcome.value["passing_by_track"] == {"A": 9, "B": 8}
    assert outcome.value["passing_count"] == 17
    assert [(s.result["key"], s.result["to"]) for s in outcome.trace if s.rule == "grade_cap"] == [
        ("A06", "良好"), ("B07", "合格")]

    passing = outcome.value["passing_by_track"]
    money = FUNDING.run({"as_of": "2028-12-01", "plan_year": 2027, "training_unit": "某技师学院",
                         "finance_bureau": "某市财政局",
                         "results": [{"year": 2027, "track": "A", "passing": passing["A"]},
                                     {"year": 2027, "track": "B", "passing": passing["B"]},
                                     {"year": 2028, "track": "A", "passing": 9},
                                     {"year": 2028, "track": "B", "passing": 7}]})
    assert money.status is Status.OK
    assert [line["amount"] for line in money.value["lines"]] == [
        Decimal("90000.00"), Decimal("64000.00"), Decimal("90000.00"), Decimal("56000.00")]
    assert money.value["total"] == Decimal("300000.00")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 100), st.integers(100, 200), st.integers(20, 40)), min_size=1, max_size=40))
def test_jiangsu_art20_art21_caps_and_forced_fails_always_hold(rows):
    outcome = grading(*(trainee(f"T{i:02}", s, "AB"[i % 2], hours=h, credits=c) for i, (s, h, c) in enumerate(rows)))
    n = len(rows)
    counts = outcome.value["counts"]
    assert counts["优秀"] <= n * 3 // 10 and counts["良好"] <= n * 3 // 10
    assert sum(counts.values()) == n
    for i, (_s, h, c) in enumerate(rows):
        if h < 140 or c < 28:
            assert outcome.value["trainees"][f"T{i:02}"]["grade"] == "不合格"
    assert outcome.value["passing_count"] == n - counts["不合格"]
