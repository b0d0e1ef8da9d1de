"""Studio assessment (考核标准) scored by the generic rubric engine — with an EDITABLE TEMPLATE by default.

The document names a 考核标准 attachment that was not issued with it. Until the office supplies its own,
``rubrics/assessment-template.yaml`` (built on the six conditions of 第二条, points are placeholders) is used
and every result says so: ``official: false`` and the template's notice in the value and in the trace.
An office-confirmed rubric saved as ``rubrics/assessment.yaml`` (``official: true``) replaces the template;
one held elsewhere (e.g. in the platform's database) can be scored with :func:`score_assessment`.
The pass mark is the unset parameter ``scoring_assessment_pass_mark``: without it ``passed`` is null.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from jiangxin.policy.errors import ParameterError, UnsetParameterError
from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.policy.rubric import Rubric, load_rubric, rubric_facts_model, score_rubric
from jiangxin.programs.nanchang_studio import PROGRAM

RUBRICS = Path(__file__).parent / "rubrics"
TEMPLATE_PATH = RUBRICS / "assessment-template.yaml"
OFFICIAL_PATH = RUBRICS / "assessment.yaml"
ASSESSMENT_RUBRIC = load_rubric(OFFICIAL_PATH if OFFICIAL_PATH.exists() else TEMPLATE_PATH)

ANNEX = cite("nanchang_studio", "附件", "（考核标准）")
ART_7 = cite("nanchang_studio", "第七条")
ART_11 = cite("nanchang_studio", "第十一条")
NOT_OFFICIAL = cite("interpretation", "I-RUB-12")
PASS_MARK = "scoring_assessment_pass_mark"

#: as_of plus one field per item of the rubric in use (the template unless the office supplied its own).
AssessmentFacts: type[Facts] = rubric_facts_model(ASSESSMENT_RUBRIC)


def score_assessment(rubric: Rubric, entries: Mapping[str, Any] | BaseModel, as_of: dt.date,
                     params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Score ``entries`` with ``rubric`` (the template or an office rubric) and compare with the office's mark."""
    trace = Trace()
    trace.add("assessment_review", ART_7, rubric.key, note="市总工会依据考核标准组织考评（命名入围、年度考评）")
    if not rubric.official:
        trace.add("assessment_standard_not_official", NOT_OFFICIAL, False,
                  note=f"非正式标准: {rubric.notice}")
    result = score_rubric(rubric, entries, trace)
    pass_mark: Decimal | None
    try:
        mark = params.get(PASS_MARK, as_of)
    except UnsetParameterError:
        pass_mark = None
        trace.add("assessment_pass_mark_unset", ART_11, None,
                  note="合格分数线未随办法印发，须由市总工会设定；未设定时不判定是否合格")
    else:
        pass_mark = Decimal(mark.value)
        if not Decimal(0) <= pass_mark <= rubric.max_total:
            raise ParameterError(f"{PASS_MARK} must be between 0 and {rubric.max_total}, got {pass_mark}")
    passed: bool | None
    if result.vetoed:
        passed = False
    elif pass_mark is None:
        passed = None
    else:
        passed = trace.check("assessment_pass_mark", mark.citation, result.total >= pass_mark,
                             inputs={"total": result.total}, parameters={PASS_MARK: pass_mark},
                             note="考评达到合格标准（含本数）" + ("" if rubric.official else "；按非正式模板计分"))
    value: dict[str, Any] = {
        "official": rubric.official, "notice": rubric.notice, "rubric": rubric.key,
        "total": result.total, "max_total": rubric.max_total, "pass_mark": pass_mark, "passed": passed,
        "vetoed": result.vetoed, "sections": result.sections,
        "breakdown": result.items}
    status = Status.OK if passed is None else Status.PASSED if passed else Status.FAILED
    return Outcome(value, status, trace.steps)


@computation(PROGRAM, "assessment_score", "创新工作室考评评分（考核标准，模板待确认）", ANNEX, AssessmentFacts)
def assessment_score(facts: Facts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Score the studio with the rubric in use; non-official results are flagged in value and trace."""
    return score_assessment(ASSESSMENT_RUBRIC, facts, facts.as_of, params)
