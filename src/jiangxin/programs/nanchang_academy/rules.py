"""Computations of the Nanchang craftsman academy programme."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.programs.nanchang_academy import PROGRAM

ART_23 = cite("nanchang_academy", "第二十三条")
ANNEX_2 = cite("nanchang_academy", "附件2", "备注2")


class AnnualGradeFacts(Facts):
    score: Decimal = Field(ge=0, le=100, description="年度考核总分 (附件2), 0–100")


@computation(PROGRAM, "annual_grade", "年度考核等次", ANNEX_2, AnnualGradeFacts)
def annual_grade(facts: AnnualGradeFacts, params: ParameterSet) -> Outcome[str]:
    """Grade an annual assessment score: 80 合格, 85 良好, 90 优秀 (以上 includes the number)."""
    trace = Trace()
    bands = params.get("annual_grade_bands", facts.as_of)
    label = bands.value.label_for(facts.score)
    passed = facts.score >= bands.value.minimum_of("合格")
    trace.add("annual_grade", bands.citation, label, inputs={"score": facts.score},
              parameters={bands.name: bands.value})
    return Outcome(label, Status.PASSED if passed else Status.FAILED, trace.steps)
