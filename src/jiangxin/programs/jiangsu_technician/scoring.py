"""附件4 承训单位考核验收表 (20 items × 5 points), scored by the generic rubric engine.

第二十二条: at the end of each training year the province assesses the training unit; the table of 附件4 is
the assessors' scoring sheet. The document states no pass mark for it, so the outcome is the score (OK).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.policy.rubric import load_rubric, rubric_facts_model, score_rubric
from jiangxin.programs.jiangsu_technician import PROGRAM

UNIT_ACCEPTANCE_RUBRIC = load_rubric(Path(__file__).parent / "rubrics" / "unit_acceptance.yaml")
ART_22 = cite("jiangsu_technician", "第二十二条")
ANNEX_4 = cite("jiangsu_technician", "附件4")

#: as_of plus one judgement score (0–5) per row of 附件4.
UnitAcceptanceFacts: type[Facts] = rubric_facts_model(UNIT_ACCEPTANCE_RUBRIC)


@computation(PROGRAM, "unit_acceptance_score", "承训单位考核验收评分（附件4）", ART_22, UnitAcceptanceFacts)
def unit_acceptance_score(facts: Facts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Total of the 20 rows (out of 100) with the 培训过程 / 学员效果 / 管理服务 subtotals."""
    trace = Trace()
    trace.add("unit_acceptance", ART_22, UNIT_ACCEPTANCE_RUBRIC.key, note="学年结束考核验收，按附件4逐项评分")
    result = score_rubric(UNIT_ACCEPTANCE_RUBRIC, facts, trace)
    value: dict[str, Any] = {
        "total": result.total, "max_total": UNIT_ACCEPTANCE_RUBRIC.max_total, "sections": result.sections,
        "breakdown": result.items}
    return Outcome(value, Status.OK, trace.steps)
