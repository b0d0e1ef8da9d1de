"""Entering the park: the entry conditions (三（一）) and the admission vote (三（二）2–3)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator

from jiangxin.policy.outcome import Outcome, Status, Trace
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.programs.zhenjiang_park import PROGRAM
from jiangxin.programs.zhenjiang_park.rules.common import (
    CONFIRM,
    ENTRY,
    LEADER,
    PLAN,
    REVIEW,
    SUPPORT,
    ParkFacts,
    _Strict,
)

# ---------------------------------------------------------------------------------------------------------
# 1. 入驻条件 三（一）


class LeaderRoute(_Strict):
    """A reviewer's judgement on one of the leader routes of 三（一）1."""

    met: bool = Field(description="是否符合 — whether the reviewer judged this route met")
    evidence: list[str] = Field(default_factory=list,
                                description="证明材料 — references to the evidence files (required when met)")
    confirmed_by: str | None = Field(default=None,
                                     description="复核人 — the reviewer who confirmed the judgement (required when met)")

    @model_validator(mode="after")
    def _evidenced(self) -> LeaderRoute:
        if self.met and (not self.evidence or not self.confirmed_by):
            raise ValueError("a route judged met needs at least one evidence reference (evidence) and the "
                             "confirming reviewer (confirmed_by)")
        return self


class EntryFacts(ParkFacts):
    leader_field: str = Field(min_length=1, description="职业（领域） — the leader's occupation or field")
    route_unique_skills: LeaderRoute = Field(
        description="绝技绝活 — unique skills recognised nationally/provincially and applied with clear results")
    route_innovation: LeaderRoute = Field(
        description="发明创造、重大技术革新或先进操作法 — inventions, major innovations or advanced operating "
                    "methods widely applied nationally/provincially")
    route_apprentices: LeaderRoute = Field(
        description="传艺带徒 — strong teaching; several apprentices became skill backbones or contest winners")
    business_intent: bool = Field(description="创业发展意愿 — the studio intends to start and grow a business")
    facilities_and_equipment: bool = Field(description="必要的设施和设备 — the facilities and equipment needed")
    working_funds: bool = Field(description="工作经费支持 — working funds are secured")
    working_rules: bool = Field(description="相关工作制度 — working rules are in place")
    work_plan: bool = Field(description="入园后工作规划 — a reasonably complete work plan for after entry")
    projects: bool = Field(description="技术工艺难题或培训项目 — technical problems or training projects brought "
                                       "by enterprises or vocational colleges")
    key_projects: bool = Field(description="重点技术攻关项目 — takes part in national/provincial/city key "
                                           "research projects (favoured, not a condition)")


_ROUTES = (("route_unique_skills", "绝技绝活"), ("route_innovation", "发明革新"),
           ("route_apprentices", "传艺带徒"))


@computation(PROGRAM, "entry_eligibility", "入驻条件审查", ENTRY, EntryFacts)
def entry_eligibility(facts: EntryFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """三（一）: the leader meets one of three routes, plus support (2) and plan/projects (3). Lists every failure."""
    trace = Trace()
    routes: list[str] = []
    evidence: dict[str, Any] = {}
    for field, label in _ROUTES:
        route: LeaderRoute = getattr(facts, field)
        if route.met:
            routes.append(label)
            evidence[label] = {"evidence": route.evidence, "confirmed_by": route.confirmed_by}
    trace.check("leader_route", LEADER, bool(routes), inputs={"leader_field": facts.leader_field,
                                                              "routes_met": evidence},
                note="具备三项条件之一即可")
    trace.check("business_intent", SUPPORT, facts.business_intent)
    trace.check("facilities_and_equipment", SUPPORT, facts.facilities_and_equipment)
    trace.check("working_funds", SUPPORT, facts.working_funds)
    trace.check("working_rules", SUPPORT, facts.working_rules)
    trace.check("work_plan", PLAN, facts.work_plan)
    trace.check("projects", PLAN, facts.projects)
    trace.add("key_projects", PLAN, facts.key_projects, note="重点攻关项目优先考虑，非必备条件")
    eligible = not any(s.passed is False for s in trace.steps)
    return Outcome({"eligible": eligible, "leader_routes_met": routes},
                   Status.ELIGIBLE if eligible else Status.INELIGIBLE, trace.steps)


# ---------------------------------------------------------------------------------------------------------
# 2. 审核认定 三（二）2–3


class VoteFacts(ParkFacts):
    material_review_passed: bool = Field(description="材料初审 — the application materials passed first review")
    site_inspection_done: bool = Field(description="现场考察 — the site inspection took place")
    collective_review_done: bool = Field(description="集中评议 — the experts' collective review took place")
    members_total: int = Field(ge=1, description="评审成员总数 — members of the expert group")
    members_present: int = Field(ge=0, description="到会成员 — members present at the vote")
    votes_for: int = Field(ge=0, description="赞成票 — votes in favour")
    votes_against: int = Field(ge=0, description="反对票 — votes against")
    votes_abstain: int = Field(ge=0, description="弃权票 — abstentions (a present member not voting abstains)")
    work_group_decision: Literal["pending", "approved", "rejected"] = Field(
        description="项目工作小组审核认定 — the park work group's decision on the candidate list")

    @model_validator(mode="after")
    def _counts(self) -> VoteFacts:
        if self.members_present > self.members_total:
            raise ValueError(f"members_present ({self.members_present}) must not exceed members_total "
                             f"({self.members_total})")
        cast = self.votes_for + self.votes_against + self.votes_abstain
        if cast != self.members_present:
            raise ValueError(f"votes_for + votes_against + votes_abstain ({cast}) must equal members_present "
                             f"({self.members_present}): record every present member's vote")
        return self


def _share_reached(count: int, base: int, rule: Mapping[str, Any]) -> bool:
    """count / base against numerator / denominator, exactly; strict means 'more than' (过半数)."""
    left = Decimal(count) * rule["denominator"]
    right = Decimal(base) * rule["numerator"]
    return bool(left > right) if rule["strict"] else bool(left >= right)


@computation(PROGRAM, "admission_vote", "入驻审核投票表决", REVIEW, VoteFacts)
def admission_vote(facts: VoteFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """三（二）2: review → inspection → collective review → vote → candidate list; 三（二）3: work group approval."""
    trace = Trace()
    trace.check("material_review", REVIEW, facts.material_review_passed)
    trace.check("site_inspection", REVIEW, facts.site_inspection_done)
    trace.check("collective_review", REVIEW, facts.collective_review_done)
    quorum = params.get("vote_quorum", facts.as_of)
    trace.check("vote_quorum", quorum.citation,
                _share_reached(facts.members_present, facts.members_total, quorum.value),
                inputs={"members_present": facts.members_present, "members_total": facts.members_total},
                parameters={quorum.name: quorum.value}, note=quorum.interpretation)
    majority = params.get("vote_majority", facts.as_of)
    trace.check("vote_majority", majority.citation,
                facts.members_present > 0
                and _share_reached(facts.votes_for, facts.members_present, majority.value),
                inputs={"for": facts.votes_for, "against": facts.votes_against,
                        "abstain": facts.votes_abstain, "present": facts.members_present},
                parameters={majority.name: majority.value}, note=majority.interpretation)
    candidate = not any(s.passed is False for s in trace.steps)
    trace.add("candidate_list", REVIEW, candidate)
    decision = facts.work_group_decision
    if candidate:
        trace.check("work_group_approval", CONFIRM, decision != "rejected", inputs={"decision": decision},
                    note="pending: 待项目工作小组审核" if decision == "pending" else "")
    else:
        trace.add("work_group_approval", CONFIRM, decision, note="not a candidate: not put to the work group")
    admitted = candidate and decision == "approved"
    ok = candidate and decision != "rejected"
    return Outcome({"candidate": candidate, "admitted": admitted, "work_group_decision": decision},
                   Status.ELIGIBLE if ok else Status.INELIGIBLE, trace.steps)
