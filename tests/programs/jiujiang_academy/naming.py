"""Who may apply (第五条, 第十七条) and the dates of naming (第九条（三）（四）) of the fictional 九江工匠学院办法.

The publicity window and the naming deadline are the shared machines of ``jiangxin.policy.publicity``; what is this
program's own is its parameters (10 calendar days, the publication day counted, naming by 20 December) and its
articles.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.publicity import DeadlineFacts, PublicityFacts, deadline_outcome, publicity
from jiangxin.policy.registry import computation

from . import PROGRAM

DOC = "jiujiang_academy"
ART_5 = cite(DOC, "第五条")
ART_9_1 = cite(DOC, "第九条", "（一）")
ART_9_3 = cite(DOC, "第九条", "（三）")
ART_9_4 = cite(DOC, "第九条", "（四）")
ART_17 = cite(DOC, "第十七条")


class AdmissibleFacts(Facts):
    applicant_type: Literal["enterprise", "other"] = Field(description="申报主体: enterprise (企业) or other")
    serious_violation: bool = Field(description="重大违规 a serious violation of the applicant is on record")
    previously_revoked: bool = Field(description="曾被撤销命名 an academy of the applicant was revoked before")


@computation(PROGRAM, "application_admissible", "九江工匠学院申报资格", ART_9_1, AdmissibleFacts)
def application_admissible(facts: AdmissibleFacts, params: ParameterSet) -> Outcome[bool]:
    """An enterprise without a serious violation, never revoked before."""
    t = Trace()
    ok = t.check("applicant_is_enterprise", ART_5, facts.applicant_type == "enterprise",
                 inputs={"applicant_type": facts.applicant_type})
    ok &= t.check("no_serious_violation", ART_5, not facts.serious_violation,
                  inputs={"serious_violation": facts.serious_violation})
    ok &= t.check("not_previously_revoked", ART_17, not facts.previously_revoked,
                  inputs={"previously_revoked": facts.previously_revoked})
    return Outcome(ok, Status.ELIGIBLE if ok else Status.INELIGIBLE, t.steps)


@computation(PROGRAM, "publicity_window", "结果公示期（10天）", ART_9_3, PublicityFacts)
def publicity_window(facts: PublicityFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """10 calendar days, the publication day included."""
    t = Trace()
    value = publicity(facts.publicity_start, facts.as_of, params, ART_9_3, t)
    return Outcome(value, Status.OK, t.steps)


@computation(PROGRAM, "naming_deadline", "当年12月20日前命名", ART_9_4, DeadlineFacts)
def naming_deadline(facts: DeadlineFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Naming by 20 December of the round's year (the day included)."""
    return deadline_outcome(facts, params, ART_9_4)
