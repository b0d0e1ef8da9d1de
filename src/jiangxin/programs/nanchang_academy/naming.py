"""Naming of a craftsman academy (第十九条): the chain as data, 7-day publicity, naming by 31 December,
and who may apply (第八条, 第十九条, 第二十六条).

Shortlisting on the 附件1 score (80 and the veto items) is the ``naming_score`` computation of
``scoring.py``; it is referred to here by name, not repeated. There is no yearly quota: an academy is
named as soon as it is ready (成熟一家，命名一家).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from pydantic import Field, model_validator

from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Citation, Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.publicity import DeadlineFacts, PublicityFacts, deadline_outcome, publicity
from jiangxin.policy.registry import computation
from jiangxin.programs.nanchang_academy import PROGRAM

__all__ = ["STAGES", "AcademyStage", "application_admissible", "naming_deadline", "publicity_window", "stages"]

DOC = "nanchang_academy"
ART_8 = cite(DOC, "第八条")
ART_19 = cite(DOC, "第十九条")
ART_19_1 = cite(DOC, "第十九条", "（一）")
ART_19_2 = cite(DOC, "第十九条", "（二）")
ART_19_2_1 = cite(DOC, "第十九条", "（二）1")
ART_19_2_2 = cite(DOC, "第十九条", "（二）2")
ART_19_3 = cite(DOC, "第十九条", "（三）")
ART_19_4 = cite(DOC, "第十九条", "（四）")
ART_26 = cite(DOC, "第二十六条")


@dataclasses.dataclass(frozen=True, slots=True)
class AcademyStage:
    """One stage of the chain of 第十九条; ``parts`` are its sub-steps, ``computation`` the rule that decides it."""

    key: str
    title: str
    citation: Citation
    parts: tuple[AcademyStage, ...] = ()
    computation: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "title": self.title, "citation": self.citation.to_dict()}
        if self.parts:
            out["parts"] = [p.to_dict() for p in self.parts]
        if self.computation:
            out["computation"] = self.computation
        return out


STAGES: tuple[AcademyStage, ...] = (
    AcademyStage("recommendation", "推荐申报（初审）", ART_19_1, computation="application_admissible"),
    AcademyStage("central_review", "集中复审", ART_19_2, parts=(
        AcademyStage("field_visit", "实地考察", ART_19_2_1),
        AcademyStage("on_site_review", "现场评审（达到合格标准方能入围）", ART_19_2_2, computation="naming_score"),
    )),
    AcademyStage("publicity", "结果公示7天", ART_19_3, computation="publicity_window"),
    AcademyStage("naming", "发文批准并于当年12月31日前命名挂牌", ART_19_4, computation="naming_deadline"),
)
STAGE_KEYS = tuple(s.key for s in STAGES)
StageKey = Literal["recommendation", "central_review", "publicity", "naming"]


# --- who may apply ------------------------------------------------------------------------------------

class AdmissibleFacts(Facts):
    applicant_type: Literal["enterprise", "college", "other"] = Field(
        description="申报主体 the applicant: enterprise (企业), college (院校), other (any other body)")
    violation_on_record: bool = Field(
        description="违规违纪事件 a breach of law or discipline by the applicant is on record (第八条; I-SEL-12)")
    fraud_found: bool = Field(description="弄虚作假 fraud found in this or any earlier application or assessment")
    previously_revoked: bool = Field(description="曾被撤销命名并摘牌 an academy of the applicant was revoked before")


@computation(PROGRAM, "application_admissible", "工匠学院申报资格", ART_19_1, AdmissibleFacts)
def application_admissible(facts: AdmissibleFacts, params: ParameterSet) -> Outcome[bool]:
    """Every bar to applying is checked and listed: applicant type, violations, fraud ban, revocation."""
    t = Trace()
    ok = t.check("applicant_is_enterprise_or_college", ART_19, facts.applicant_type != "other",
                 inputs={"applicant_type": facts.applicant_type})
    ok &= t.check("no_violation_on_record", ART_8, not facts.violation_on_record,
                  inputs={"violation_on_record": facts.violation_on_record})
    ok &= t.check("no_fraud_ban", ART_26, not facts.fraud_found, inputs={"fraud_found": facts.fraud_found},
                  note="permanent ban" if facts.fraud_found else "")
    ok &= t.check("not_previously_revoked", ART_26, not facts.previously_revoked,
                  inputs={"previously_revoked": facts.previously_revoked})
    return Outcome(ok, Status.ELIGIBLE if ok else Status.INELIGIBLE, t.steps)


# --- the chain ----------------------------------------------------------------------------------------

class StagesFacts(Facts):
    completed_stages: list[StageKey] = Field(
        description="已完成环节 stages completed so far, in order (a prefix of: recommendation, central_review, "
                    "publicity, naming)")
    publicity_objection_upheld: bool | None = Field(
        None, description="公示异议经核实属实 an objection raised in publicity was verified as true; null while "
                          "publicity has not run or no objection was raised")

    @model_validator(mode="after")
    def _prefix(self) -> StagesFacts:
        if tuple(self.completed_stages) != STAGE_KEYS[: len(self.completed_stages)]:
            raise ValueError(f"completed_stages: must be the chain's stages in order: {list(STAGE_KEYS)}")
        if self.publicity_objection_upheld is not None and "central_review" not in self.completed_stages:
            raise ValueError("publicity_objection_upheld: publicity follows the central review; use null")
        if self.publicity_objection_upheld and "publicity" in self.completed_stages:
            raise ValueError("completed_stages: publicity cannot be completed when an objection was upheld")
        return self


@computation(PROGRAM, "stages", "工匠学院评定流程", ART_19, StagesFacts)
def stages(facts: StagesFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """The chain of 第十九条 as data, with the next stage; no yearly quota (成熟一家，命名一家)."""
    t = Trace()
    t.add("chain", ART_19, list(STAGE_KEYS), note="no yearly quota: named when ready")
    done = len(facts.completed_stages)
    next_stage: str | None = STAGES[done].key if done < len(STAGES) else None
    status = Status.OK
    if facts.publicity_objection_upheld is not None:
        passed = t.check("publicity_without_upheld_objection", ART_19_3, not facts.publicity_objection_upheld,
                         inputs={"objection_upheld": facts.publicity_objection_upheld})
        if not passed:
            next_stage = None
            status = Status.FAILED
    value = {"stages": [s.to_dict() for s in STAGES], "completed": list(facts.completed_stages),
             "next_stage": next_stage, "quota": None}
    return Outcome(value, status, t.steps)


# --- dates --------------------------------------------------------------------------------------------
# The window and deadline logic is shared with the other programs (jiangxin.policy.publicity); what is
# the academy's own is the parameters (7 calendar days, 12-31) and the citations of 第十九条.

@computation(PROGRAM, "publicity_window", "结果公示期（7天）", ART_19_3, PublicityFacts)
def publicity_window(facts: PublicityFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """7 calendar days (I-SEL-11); naming may follow from the day after it closes."""
    t = Trace()
    value = publicity(facts.publicity_start, facts.as_of, params, ART_19_3, t)
    return Outcome(value, Status.OK, t.steps)


@computation(PROGRAM, "naming_deadline", "当年12月31日前命名挂牌", ART_19_4, DeadlineFacts)
def naming_deadline(facts: DeadlineFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Naming by 31 December of the round's year (inclusive, I-SEL-10); warns when a plan misses it."""
    return deadline_outcome(facts, params, ART_19_4)
