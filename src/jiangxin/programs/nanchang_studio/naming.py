"""Naming (第七条): shortlist and ranking against the year's quota, 5-working-day publicity, naming by
31 December, and the change of leader, which runs the same chain.

The studio's 考核标准 attachment is not part of the text, so the shortlist mark (入围标准) is a parameter
the office sets, and so is the year's quota (年度创建任务数量). The party group's decision (党组会研究确定)
is a recorded fact that is checked against the shortlist and the quota, never computed.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiangxin.policy.errors import ParameterError
from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Citation, Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet, ParamValue
from jiangxin.policy.publicity import DeadlineFacts, PublicityFacts, deadline_outcome, publicity
from jiangxin.policy.registry import computation
from jiangxin.policy.selection import Candidate, Ranked, rank, select_within_quota
from jiangxin.programs.nanchang_studio import PROGRAM
from jiangxin.programs.nanchang_studio.eligibility import ART_2, ART_2_1, Honour, Level, leader_check

__all__ = ["STAGES", "Stage", "leader_change", "naming_deadline", "publicity_window", "ranking"]

DOC = "nanchang_studio"
ART_7 = cite(DOC, "第七条")
ART_7_LEADER = cite(DOC, "第七条", "末句")


@dataclasses.dataclass(frozen=True, slots=True)
class Stage:
    """One stage of the naming chain."""

    key: str
    title: str
    citation: Citation

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "citation": self.citation.to_dict()}


#: The chain of 第七条, as data (the same chain applies to a change of leader).
STAGES: tuple[Stage, ...] = (
    Stage("unit_union_application", "所在单位工会申请", ART_7),
    Stage("party_admin_approval", "所在单位党政认可", ART_7),
    Stage("qualification_review", "对照六项条件资格审查并择优推荐", ART_2),
    Stage("city_review", "市总工会审核考评", ART_7),
    Stage("ranking", "入围后按分数排序并结合年度创建任务数", ART_7),
    Stage("party_group_decision", "市总工会党组会研究确定", ART_7),
    Stage("publicity", "公示5个工作日无异议", ART_7),
    Stage("naming", "当年12月31日前命名挂牌", ART_7),
)
STAGE_KEYS = tuple(s.key for s in STAGES)
StageKey = Literal["unit_union_application", "party_admin_approval", "qualification_review", "city_review",
                   "ranking", "party_group_decision", "publicity", "naming"]


# --- ranking ------------------------------------------------------------------------------------------

class ScoredStudio(BaseModel):
    """A recommended studio with its assessment score (考评得分)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(min_length=1, description="申报编号 the application's unique key")
    score: Decimal = Field(ge=0, description="考评得分 score under the office's 考核标准")


class RankingFacts(Facts):
    round_year: int = Field(ge=2023, le=2200, description="年度 the naming round's year (年度创建任务)")
    candidates: list[ScoredStudio] = Field(description="择优推荐上报的工作室及其考评得分 recommended studios and scores")
    party_group_decision: list[str] | None = Field(
        None, description="党组会研究确定的名单 keys the party group decided to name (recorded fact); null while pending")

    @model_validator(mode="after")
    def _keys(self) -> RankingFacts:
        keys = [c.key for c in self.candidates]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"candidates: keys must be unique, repeated: {dup}")
        if self.party_group_decision is not None:
            unknown = sorted(set(self.party_group_decision) - set(keys))
            if unknown:
                raise ValueError(f"party_group_decision: keys not among candidates: {unknown}")
            if len(set(self.party_group_decision)) != len(self.party_group_decision):
                raise ValueError("party_group_decision: a key is listed twice")
        return self


def _count(p: ParamValue) -> int:
    value = p.value
    if not isinstance(value, Decimal) or value != value.to_integral_value() or value < 0:
        raise ParameterError(f"{p.name}: expected a whole number of places (0 or more), got {value!r}")
    return int(value)


def _ranked_dict(r: Ranked) -> dict[str, Any]:
    return {"key": r.key, "rank": r.rank, "score": r.score, "tied": r.tied}


@computation(PROGRAM, "ranking", "入围排序与年度名额", ART_7, RankingFacts)
def ranking(facts: RankingFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Shortlist at the office's mark (以上 includes it), rank by score, cut at the year's quota.

    A tie straddling the cut is left to the party group (I-SEL-01); fewer than the quota may be named
    (宁缺毋滥, 第六条; I-SEL-07).
    """
    t = Trace()
    mark = params.get("naming_shortlist_mark", facts.as_of)
    quota_p = params.get("naming_annual_quota", facts.as_of)
    quota = _count(quota_p)
    mark_value = mark.value
    if not isinstance(mark_value, Decimal):
        raise ParameterError(f"{mark.name}: expected a number of points, got {mark_value!r}")
    shortlisted = [c for c in facts.candidates if c.score >= mark_value]
    short_keys = {c.key for c in shortlisted}
    below = sorted(c.key for c in facts.candidates if c.key not in short_keys)
    t.add("shortlist", ART_7, {"shortlisted": sorted(short_keys), "below_mark": below},
          inputs={"candidates": len(facts.candidates)}, parameters={mark.name: mark_value})
    ranked = rank([Candidate(c.key, c.score) for c in shortlisted])
    sel = select_within_quota(ranked, quota, t, ART_7)
    value: dict[str, Any] = {
        "round_year": facts.round_year, "quota": quota, "shortlist_mark": mark_value,
        "ranking": [_ranked_dict(r) for r in ranked], "below_mark": below,
        "proposed": [r.key for r in sel.selected], "tie_at_cut": [r.key for r in sel.tie_at_cut],
        "reserve": [r.key for r in sel.reserve], "decided": None,
    }
    status = Status.OK
    if facts.party_group_decision is not None:
        decided = sorted(facts.party_group_decision)
        outside = sorted(set(decided) - short_keys)
        ok = t.check("decision_within_shortlist", ART_7, not outside, inputs={"decided": decided,
                                                                             "below_mark": outside})
        ok &= t.check("decision_within_quota", ART_7, len(decided) <= quota,
                      inputs={"decided": len(decided)}, parameters={quota_p.name: quota},
                      note="the year's quota is a ceiling (I-SEL-07)")
        value["decided"] = decided
        status = Status.PASSED if ok else Status.FAILED
    return Outcome(value, status, t.steps)


# --- publicity and naming deadline --------------------------------------------------------------------
# The window and deadline logic is shared with the other programs (jiangxin.policy.publicity); what is
# the studio's own is the parameters (5 working days, 12-31) and the citation of 第七条.

@computation(PROGRAM, "publicity_window", "公示期（5个工作日）", ART_7, PublicityFacts)
def publicity_window(facts: PublicityFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """5 working days on the official calendar; naming may follow from the day after it closes."""
    t = Trace()
    value = publicity(facts.publicity_start, facts.as_of, params, ART_7, t)
    return Outcome(value, Status.OK, t.steps)


@computation(PROGRAM, "naming_deadline", "当年12月31日前命名挂牌", ART_7, DeadlineFacts)
def naming_deadline(facts: DeadlineFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Naming by 31 December of the round's year (inclusive, I-SEL-10); warns when a plan misses it."""
    return deadline_outcome(facts, params, ART_7)


# --- change of leader ---------------------------------------------------------------------------------

class LeaderChangeFacts(Facts):
    studio_named: bool = Field(description="已命名挂牌 the studio is a named 示范性创新工作室")
    studio_revoked: bool = Field(description="已撤销命名 the naming has been revoked")
    new_leader_honours: list[Honour] = Field(description="新领衔人荣誉 honours of the proposed new leader")
    new_leader_profile_confirmed: bool = Field(
        description="新领衔人专长、技能、能力及业绩 confirmed by the reviewer (第二条（一）)")
    new_leader_exception_basis: str | None = Field(
        None, min_length=1, description="原则上: office's recorded reason for a leader without a listed honour")
    completed_stages: list[StageKey] = Field(
        description="已完成环节 stages of the chain already completed, in order (a prefix of the chain)")

    @model_validator(mode="after")
    def _prefix(self) -> LeaderChangeFacts:
        if tuple(self.completed_stages) != STAGE_KEYS[: len(self.completed_stages)]:
            raise ValueError(f"completed_stages: must be the chain's stages in order, starting from "
                             f"{STAGE_KEYS[0]}: {list(STAGE_KEYS)}")
        return self


@computation(PROGRAM, "leader_change", "更换领衔人", ART_7_LEADER, LeaderChangeFacts)
def leader_change(facts: LeaderChangeFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """A change of leader runs the whole chain of 第七条 again (I-SEL-13); the new leader must meet
    第二条（一）. Returns the required stages and the next one."""
    t = Trace()
    named = t.check("studio_named", ART_7_LEADER, facts.studio_named and not facts.studio_revoked,
                    inputs={"studio_named": facts.studio_named, "studio_revoked": facts.studio_revoked})
    min_level = params.get("eligibility_leader_min_level", facts.as_of)
    leader_ok = leader_check(facts.new_leader_honours, facts.new_leader_profile_confirmed,
                             facts.new_leader_exception_basis, Level(min_level.value), t, ART_2_1,
                             rule="new_leader")
    done = len(facts.completed_stages)
    next_stage = STAGES[done].key if done < len(STAGES) else None
    t.add("same_chain", ART_7_LEADER, list(STAGE_KEYS), inputs={"completed": list(facts.completed_stages)},
          note="I-SEL-13")
    ok = named and leader_ok
    value = {"stages": [s.to_dict() for s in STAGES], "completed": list(facts.completed_stages),
             "next_stage": next_stage}
    return Outcome(value, Status.ELIGIBLE if ok else Status.INELIGIBLE, t.steps)
