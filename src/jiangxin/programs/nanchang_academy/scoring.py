"""附件1 命名评定标准 and 附件2 年度考核标准, scored by the generic rubric engine (``rubrics/*.yaml``).

* ``naming_score`` — 第十九条（二）: the experts score the applicant against 附件1; it is shortlisted at
  ``scoring_naming_shortlist_mark`` (80, 附件1 备注2, the mark itself included) unless the veto item fires.
* ``annual_score`` — 第二十三条: the yearly assessment against 附件2, graded with ``annual_grade_bands``
  (80 合格 / 85 良好 / 90 优秀, 附件2 备注2); ``passed`` is 合格 or better.
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
from jiangxin.programs.nanchang_academy import PROGRAM

RUBRICS = Path(__file__).parent / "rubrics"
NAMING_RUBRIC = load_rubric(RUBRICS / "naming.yaml")
ANNUAL_RUBRIC = load_rubric(RUBRICS / "annual.yaml")

ART_19_2 = cite("nanchang_academy", "第十九条", "（二）")
ART_23 = cite("nanchang_academy", "第二十三条")
ANNEX_1 = cite("nanchang_academy", "附件1")
ANNEX_2 = cite("nanchang_academy", "附件2")

#: as_of plus one field per item of 附件1 (see docs/rules-api.md for each item's input shape).
NamingScoreFacts: type[Facts] = rubric_facts_model(NAMING_RUBRIC)
#: as_of plus one field per item of 附件2.
AnnualScoreFacts: type[Facts] = rubric_facts_model(ANNUAL_RUBRIC)


@computation(PROGRAM, "naming_score", "命名评定评分（附件1）", ART_19_2, NamingScoreFacts)
def naming_score(facts: Facts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Score 附件1; shortlisted when the total reaches the mark and the veto item has not fired."""
    trace = Trace()
    trace.add("naming_review", ART_19_2, NAMING_RUBRIC.key, note="现场评审对照命名评定标准评分，达到合格标准方能入围")
    result = score_rubric(NAMING_RUBRIC, facts, trace)
    mark = params.get("scoring_naming_shortlist_mark", facts.as_of)
    pass_mark = Decimal(mark.value)
    reached = trace.check("naming_shortlist_mark", mark.citation, result.total >= pass_mark,
                          inputs={"total": result.total}, parameters={mark.name: pass_mark},
                          note="总分达到合格分数（含本数）")
    shortlisted = reached and not result.vetoed
    value: dict[str, Any] = {
        "total": result.total, "max_total": NAMING_RUBRIC.max_total, "pass_mark": pass_mark,
        "vetoed": result.vetoed, "shortlisted": shortlisted, "sections": result.sections,
        "breakdown": result.items}
    return Outcome(value, Status.PASSED if shortlisted else Status.FAILED, trace.steps)


@computation(PROGRAM, "annual_score", "年度考核评分与等次（附件2）", ART_23, AnnualScoreFacts)
def annual_score(facts: Facts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Score 附件2 and grade the total: 合格 80, 良好 85, 优秀 90 (each mark included)."""
    trace = Trace()
    trace.add("annual_assessment", ART_23, ANNUAL_RUBRIC.key, note="每年第四季度依据年度考核标准考核")
    result = score_rubric(ANNUAL_RUBRIC, facts, trace)
    bands = params.get("annual_grade_bands", facts.as_of)
    grade = bands.value.label_for(result.total)
    trace.add("annual_grade", bands.citation, grade, inputs={"total": result.total},
              parameters={bands.name: bands.value})
    pass_mark = bands.value.minimum_of("合格")
    passed = trace.check("annual_pass", bands.citation, result.total >= pass_mark,
                         inputs={"total": result.total}, parameters={"合格": pass_mark},
                         note="年度考评合格（含本数）")
    value: dict[str, Any] = {
        "total": result.total, "max_total": ANNUAL_RUBRIC.max_total, "grade": grade, "passed": passed,
        "sections": result.sections, "breakdown": result.items}
    return Outcome(value, Status.PASSED if passed else Status.FAILED, trace.steps)
