"""The yearly grading of trainees, with the caps on the top grades (第二十条、第二十一条)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any, Self

from pydantic import BaseModel, Field, model_validator

from jiangxin.policy.errors import ParameterError
from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace
from jiangxin.policy.parameters import Bands, ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.policy.selection import cap_grades
from jiangxin.programs.jiangsu_technician import PROGRAM
from jiangxin.programs.jiangsu_technician.operations.common import _STRICT, ART_20, ART_21_COMPLETION, _unique
from jiangxin.programs.jiangsu_technician.rules import Track

# =========================================================================================================
# trainee_grading — 第二十条 (five grades, 优秀/良好 ≤ 30% each), 第二十一条 (< 70% credits or hours → 不合格)


class Grade(enum.StrEnum):
    EXCELLENT = "优秀"
    GOOD = "良好"
    PASS = "合格"
    BASIC_PASS = "基本合格"
    FAIL = "不合格"


GRADE_ORDER: tuple[str, ...] = tuple(g.value for g in Grade)


class TraineeResult(BaseModel):
    model_config = _STRICT

    key: str = Field(min_length=1, description="培育对象编号 (trainee key)")
    track: Track = Field(description="培育类别 A 或 B")
    score: Decimal = Field(ge=0, description="承训单位量化打分（考勤、研修报告、综合表现）(quantified score)")
    credits_earned: Decimal = Field(ge=0, description="年度累计学分 (credits earned this year)")
    credits_required: Decimal = Field(gt=0, description="年度要求学分 (credits required)")
    hours_attended: Decimal = Field(ge=0, description="参训学时 (hours attended this year)")
    hours_required: Decimal = Field(gt=0, description="要求学时 (hours required)")


class GradingFacts(Facts):
    plan_year: int = Field(ge=2000, le=2100, description="学年 (year graded)")
    training_unit: str = Field(min_length=1, description="承训单位 (training unit whose trainees are graded)")
    trainees: list[TraineeResult] = Field(
        min_length=1, description="本学年该承训单位的全部培育对象（已延期者不列入）(all trainees graded)")

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique((t.key for t in self.trainees), "trainees")
        return self


def _grade_bands(params: ParameterSet, on: dt.date) -> tuple[Any, Bands]:
    bands = params.get("grade_bands", on)
    value: Bands = bands.value
    labels = {b.label for b in value.bands} | {value.below}
    unknown = labels - set(GRADE_ORDER)
    if unknown:
        raise ParameterError(f"grade_bands: labels must be among {list(GRADE_ORDER)}, got {sorted(unknown)}")
    return bands, value


@computation(PROGRAM, "trainee_grading", "培育对象年度评定", ART_20, GradingFacts)
def trainee_grading(facts: GradingFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Score → grade by the office's bands, forced 不合格 under 70%, then the 30% caps; count passes."""
    trace = Trace()
    on = dt.date(facts.plan_year, 1, 1)
    bands_param, bands = _grade_bands(params, on)
    ratio = params.get("min_completion_ratio", on)
    caps_param = params.get("grade_caps", on)
    basic = params.get("basic_pass_counts_as_passing", on)
    min_ratio: Decimal = ratio.value

    per: dict[str, dict[str, Any]] = {}
    items: list[tuple[str, Decimal, str]] = []
    for t in facts.trainees:
        proposed = bands.label_for(t.score)
        reasons = [f"分数{t.score}按分档为{proposed}"]
        trace.add("score_band", bands_param.citation, proposed, inputs={"trainee": t.key, "score": t.score},
                  parameters={bands_param.name: bands})
        credits_short = t.credits_earned < min_ratio * t.credits_required
        hours_short = t.hours_attended < min_ratio * t.hours_required
        trace.check("completion_at_least_70_percent", ART_21_COMPLETION, not (credits_short or hours_short),
                    inputs={"trainee": t.key, "credits": (t.credits_earned, t.credits_required),
                            "hours": (t.hours_attended, t.hours_required)},
                    parameters={ratio.name: min_ratio})
        grade = proposed
        if credits_short:
            reasons.append(f"学分{t.credits_earned}/{t.credits_required}不足{min_ratio:%}，直接认定不合格")
        if hours_short:
            reasons.append(f"学时{t.hours_attended}/{t.hours_required}不足{min_ratio:%}，直接认定不合格")
        if credits_short or hours_short:
            grade = Grade.FAIL.value
        per[t.key] = {"track": t.track.value, "score": t.score, "proposed": proposed,
                      "forced_fail": credits_short or hours_short, "reasons": reasons}
        items.append((t.key, t.score, grade))

    caps = {str(k): Decimal(v) for k, v in caps_param.value.items()}
    final = cap_grades(items, caps, GRADE_ORDER, trace, ART_20)
    passing_grades = {Grade.EXCELLENT.value, Grade.GOOD.value, Grade.PASS.value}
    if basic.value is True:
        passing_grades.add(Grade.BASIC_PASS.value)
    trace.add("passing_grades", basic.citation, sorted(passing_grades, key=GRADE_ORDER.index),
              parameters={basic.name: basic.value, caps_param.name: caps})

    counts = dict.fromkeys(GRADE_ORDER, 0)
    by_track = {"A": 0, "B": 0}
    for key, _score, before_cap in items:
        row = per[key]
        grade = final[key]
        if grade != before_cap:
            row["reasons"].append(f"{before_cap}比例超过上限，按分数由{before_cap}调为{grade}")
        row["grade"] = grade
        row["passing"] = grade in passing_grades
        counts[grade] += 1
        if row["passing"]:
            by_track[row["track"]] += 1
    value = {"training_unit": facts.training_unit, "trainees": per, "counts": counts,
             "passing_count": by_track["A"] + by_track["B"], "passing_by_track": by_track}
    return Outcome(value, Status.OK, trace.steps)
