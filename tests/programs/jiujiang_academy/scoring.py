"""附件一 (naming) and 附件二 (annual) of the fictional 九江工匠学院办法, scored by the generic rubric engine.

* ``naming_score`` — 第九条（二）: shortlisted at ``naming_pass_mark`` (75, included) unless the veto fires.
* ``annual_score`` — 第十四条: graded with ``annual_grade_bands`` (70 合格, 88 优秀); ``passed`` is 合格 or better.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.policy.rubric import load_rubric, rubric_facts_model, score_rubric

from . import PROGRAM

RUBRICS = Path(__file__).parent / "rubrics"
NAMING_RUBRIC = load_rubric(RUBRICS / "naming.yaml")
ANNUAL_RUBRIC = load_rubric(RUBRICS / "annual.yaml")

ART_9_2 = cite("jiujiang_academy", "第九条", "（二）")
ART_14 = cite("jiujiang_academy", "第十四条")

NamingScoreFacts: type[Facts] = rubric_facts_model(NAMING_RUBRIC)
AnnualScoreFacts: type[Facts] = rubric_facts_model(ANNUAL_RUBRIC)


@computation(PROGRAM, "naming_score", "命名评分（附件一）", ART_9_2, NamingScoreFacts)
def naming_score(facts: Facts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    trace = Trace()
    trace.add("naming_review", ART_9_2, NAMING_RUBRIC.key)
    result = score_rubric(NAMING_RUBRIC, facts, trace)
    mark = params.get("naming_pass_mark", facts.as_of)
    pass_mark = Decimal(mark.value)
    reached = trace.check("naming_pass_mark", mark.citation, result.total >= pass_mark,
                          inputs={"total": result.total}, parameters={mark.name: pass_mark})
    shortlisted = reached and not result.vetoed
    value: dict[str, Any] = {
        "total": result.total, "max_total": NAMING_RUBRIC.max_total, "pass_mark": pass_mark,
        "vetoed": result.vetoed, "shortlisted": shortlisted, "sections": result.sections,
        "breakdown": result.items}
    return Outcome(value, Status.PASSED if shortlisted else Status.FAILED, trace.steps)


@computation(PROGRAM, "annual_score", "年度考核评分（附件二）", ART_14, AnnualScoreFacts)
def annual_score(facts: Facts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    trace = Trace()
    trace.add("annual_assessment", ART_14, ANNUAL_RUBRIC.key)
    result = score_rubric(ANNUAL_RUBRIC, facts, trace)
    bands = params.get("annual_grade_bands", facts.as_of)
    grade = bands.value.label_for(result.total)
    trace.add("annual_grade", bands.citation, grade, inputs={"total": result.total},
              parameters={bands.name: bands.value})
    pass_mark = bands.value.minimum_of("合格")
    passed = trace.check("annual_pass", bands.citation, result.total >= pass_mark,
                         inputs={"total": result.total}, parameters={"合格": pass_mark})
    value: dict[str, Any] = {
        "total": result.total, "max_total": ANNUAL_RUBRIC.max_total, "grade": grade, "passed": passed,
        "sections": result.sections, "breakdown": result.items}
    return Outcome(value, Status.PASSED if passed else Status.FAILED, trace.steps)
