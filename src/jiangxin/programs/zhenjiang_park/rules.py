"""镇江技能大师产业创新园: entry conditions, admission vote, rent-free term and fees, monthly presence,
rectification, exit grounds and benefits (镇人社发〔2015〕104号).

Articles are cited as printed: chapter (一、二、三…), then section and item, e.g. 三（一）1.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jiangxin.policy.deadlines import window
from jiangxin.policy.errors import FactsError, UnsetParameterError
from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Citation, Outcome, Status, Trace, cite
from jiangxin.policy.parameters import Duration, ParameterSet
from jiangxin.policy.publicity import parameter_window
from jiangxin.policy.registry import computation
from jiangxin.programs.zhenjiang_park import PROGRAM

ISSUED = dt.date(2015, 10, 8)

LEADER = cite("zhenjiang_park", "三", "（一）1")
SUPPORT = cite("zhenjiang_park", "三", "（一）2")
PLAN = cite("zhenjiang_park", "三", "（一）3")
ENTRY = cite("zhenjiang_park", "三", "（一）")
REVIEW = cite("zhenjiang_park", "三", "（二）2")
CONFIRM = cite("zhenjiang_park", "三", "（二）3")
RENT_FREE = cite("zhenjiang_park", "四", "（一）")
SUBSIDY = cite("zhenjiang_park", "四", "（二）")
REWARD = cite("zhenjiang_park", "四", "（三）")
PRIORITY_HIRE = cite("zhenjiang_park", "四", "（四）")
PRIORITY_AWARD = cite("zhenjiang_park", "四", "（五）")
FEES = cite("zhenjiang_park", "五", "（三）")
EXIT = cite("zhenjiang_park", "五", "（四）")
EXIT_1 = cite("zhenjiang_park", "五", "（四）1")
EXIT_2 = cite("zhenjiang_park", "五", "（四）2")
EXIT_3 = cite("zhenjiang_park", "五", "（四）3")
EXIT_4 = cite("zhenjiang_park", "五", "（四）4")
PRESENCE = cite("zhenjiang_park", "附件2", "基础分第2项")

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_CENT = Decimal("0.01")
_ONE_DAY = dt.timedelta(days=1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ParkFacts(Facts):
    """Facts of the park: the document is in force from its issue date."""

    @field_validator("as_of")
    @classmethod
    def _in_force(cls, value: dt.date) -> dt.date:
        if value < ISSUED:
            raise ValueError(f"a date on or after {ISSUED.isoformat()} (镇人社发〔2015〕104号 issued then)")
        return value


def month_bounds(key: str) -> tuple[dt.date, dt.date]:
    """First and last day of a ``YYYY-MM`` month key; ValueError naming the expected form otherwise."""
    match = _MONTH.match(key)
    if match is None:
        raise ValueError(f"month key {key!r}: expected YYYY-MM (e.g. 2024-02)")
    year, month = int(match.group(1)), int(match.group(2))
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def validate_month_days(value: Mapping[str, int]) -> dict[str, int]:
    """Check a monthly log {YYYY-MM: days}: 0..31 and no more than the days of that month; sorted by month."""
    problems: list[str] = []
    for key, days in value.items():
        try:
            _, last = month_bounds(key)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if days < 0 or days > last.day:
            problems.append(f"{key}: days on site must be 0–{last.day} (days in {key}), got {days}")
    if problems:
        raise ValueError("; ".join(problems))
    return dict(sorted(value.items()))


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


# ---------------------------------------------------------------------------------------------------------
# 3. 场地租金减免 四（一） and fees 五（三）


class RentFreeFacts(ParkFacts):
    admission_date: dt.date = Field(description="入驻日期 — the day the studio was admitted (moved in)")
    months: list[str] = Field(default_factory=list,
                              description="查询月份 — months (YYYY-MM) to report as rent-free or not")

    @field_validator("months")
    @classmethod
    def _months(cls, value: list[str]) -> list[str]:
        for key in value:
            month_bounds(key)
        return value

    @field_validator("admission_date")
    @classmethod
    def _admitted_in_force(cls, value: dt.date) -> dt.date:
        if value < ISSUED:
            raise ValueError(f"a date on or after {ISSUED.isoformat()} (the park opened under this document)")
        return value


@dataclasses.dataclass(frozen=True, slots=True)
class RentFreeTerm:
    first_day: dt.date
    last_day: dt.date


def rent_free_term_of(admission: dt.date, params: ParameterSet, trace: Trace) -> RentFreeTerm:
    """四（一）: the rent-free window: the admission day is day 1 (I-ZJ-03).

    Counted as a Civil Code period running from the eve of admission, so it ends on the day before the
    anniversary — and on 28 February when a 29 February admission has no anniversary day.
    """
    term = params.get("rent_free_term", admission)
    duration: Duration = term.value
    win = window(admission - _ONE_DAY, duration, first_day_counts=False)
    trace.add("rent_free_term", term.citation, {"first_day": win.start, "last_day": win.end},
              inputs={"admission_date": admission}, parameters={term.name: duration}, note=term.interpretation)
    return RentFreeTerm(win.start, win.end)


@computation(PROGRAM, "rent_free_term", "场地租金减免期限", RENT_FREE, RentFreeFacts)
def rent_free_term(facts: RentFreeFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """四（一）: 2 years rent-free from admission; fees (utilities, property) stay due (五（三）)."""
    trace = Trace()
    term = rent_free_term_of(facts.admission_date, params, trace)
    on_as_of = term.first_day <= facts.as_of <= term.last_day
    trace.add("rent_free_on_as_of", RENT_FREE, on_as_of, inputs={"as_of": facts.as_of})
    months: dict[str, Any] = {}
    for key in facts.months:
        first, last = month_bounds(key)
        start, end = max(first, term.first_day), min(last, term.last_day)
        free_days = (end - start).days + 1 if start <= end else 0
        months[key] = {"rent_free_days": free_days, "days_in_month": last.day,
                       "fully_rent_free": free_days == last.day}
    if months:
        trace.add("rent_free_months", RENT_FREE, months)
    trace.add("fees_due", FEES, True, note="水电、物业管理等费用不在减免之列，按时缴纳")
    return Outcome({"first_day": term.first_day, "last_rent_free_day": term.last_day,
                    "rent_free_on_as_of": on_as_of, "months": months, "fees_due": True},
                   Status.OK, trace.steps)


class MonthFees(_Strict):
    due: Decimal = Field(ge=0, decimal_places=2,
                         description="应缴费用 — utilities, property management and other fees due for the month "
                                     "(yuan)")
    paid: Decimal = Field(ge=0, decimal_places=2,
                          description="已缴费用 — payments allocated to this month (yuan)")

    @model_validator(mode="after")
    def _not_overpaid(self) -> MonthFees:
        if self.paid > self.due:
            raise ValueError(f"paid ({self.paid}) exceeds due ({self.due}): allocate each payment to the month "
                             f"it settles")
        return self


class FeeFacts(ParkFacts):
    months: dict[str, MonthFees] = Field(
        description="月度费用 — per month (YYYY-MM): fees due and paid; rent-free months still owe fees")

    @field_validator("months")
    @classmethod
    def _keys(cls, value: dict[str, MonthFees]) -> dict[str, MonthFees]:
        for key in value:
            month_bounds(key)
        return dict(sorted(value.items()))


@computation(PROGRAM, "fee_arrears", "水电物业费欠缴", FEES, FeeFacts)
def fee_arrears(facts: FeeFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """五（三）: fees are always due, rent-free or not; arrears = due − paid per month, and their total."""
    trace = Trace()
    per_month = {key: (fees.due - fees.paid).quantize(_CENT) for key, fees in facts.months.items()}
    total = sum(per_month.values(), Decimal("0.00"))
    trace.add("fee_arrears", FEES, {"per_month": per_month, "total": total},
              inputs={"months": {k: {"due": f.due, "paid": f.paid} for k, f in facts.months.items()}},
              note=f"免租不免费 ({RENT_FREE.label})")
    trace.check("fees_paid", FEES, total == 0)
    return Outcome({"per_month": per_month, "total": total,
                    "months_in_arrears": [k for k, v in per_month.items() if v > 0]},
                   Status.PASSED if total == 0 else Status.FAILED, trace.steps)


# ---------------------------------------------------------------------------------------------------------
# 4. 每月到园时间 附件2 基础分第2项


class PresenceFacts(ParkFacts):
    days_on_site: dict[str, int] = Field(
        description="到园天数 — days on site per month, keyed YYYY-MM (0 to the days of that month)")

    @field_validator("days_on_site")
    @classmethod
    def _days(cls, value: dict[str, int]) -> dict[str, int]:
        return validate_month_days(value)

    @model_validator(mode="after")
    def _not_future(self) -> PresenceFacts:
        limit = f"{self.as_of.year:04d}-{self.as_of.month:02d}"
        future = [k for k in self.days_on_site if k > limit]
        if future:
            raise ValueError(f"days_on_site: months after as_of ({limit}) cannot be logged yet: {future}")
        return self


@dataclasses.dataclass(frozen=True, slots=True)
class Shortfall:
    """Missing days against the monthly minimum (附件2 基础分第2项)."""

    basis: str
    minimum: int
    per_month: dict[str, int]
    missing_days: int


def presence_shortfall(days_on_site: Mapping[str, int], params: ParameterSet, on: dt.date,
                       trace: Trace) -> Shortfall:
    """Total missing days: per month max(0, minimum − days) summed, or (yearly basis) minimum × months − total."""
    minimum_p = params.get("presence_min_days_per_month", on)
    basis_p = params.get("presence_shortfall_basis", on)
    minimum = int(minimum_p.value)
    per_month = {k: max(0, minimum - d) for k, d in days_on_site.items()}
    if basis_p.value == "per_month":
        missing = sum(per_month.values())
    elif basis_p.value == "yearly":
        missing = max(0, minimum * len(days_on_site) - sum(days_on_site.values()))
    else:
        raise ValueError(f"presence_shortfall_basis must be per_month or yearly, got {basis_p.value!r}")
    trace.add("presence_missing_days", PRESENCE, missing,
              inputs={"days_on_site": dict(days_on_site), "missing_per_month": per_month},
              parameters={minimum_p.name: minimum, basis_p.name: basis_p.value}, note=basis_p.interpretation)
    return Shortfall(str(basis_p.value), minimum, per_month, missing)


@computation(PROGRAM, "presence", "每月到园时间扣分", PRESENCE, PresenceFacts)
def presence(facts: PresenceFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """附件2 item 2: at least 10 days a month; 2 points off per missing day, never below 0 of the 20 points."""
    trace = Trace()
    shortfall = presence_shortfall(facts.days_on_site, params, facts.as_of, trace)
    per_day = params.get("presence_points_per_missing_day", facts.as_of)
    item = params.get("presence_item_points", facts.as_of)
    deduction = min(item.value, per_day.value * shortfall.missing_days)
    awarded = item.value - deduction
    trace.add("presence_points", PRESENCE, awarded, inputs={"missing_days": shortfall.missing_days},
              parameters={per_day.name: per_day.value, item.name: item.value},
              note=f"deduction {deduction}, floor 0")
    return Outcome({"missing_per_month": shortfall.per_month, "missing_days": shortfall.missing_days,
                    "deduction": deduction, "points": awarded, "max_points": item.value},
                   Status.OK, trace.steps)


# ---------------------------------------------------------------------------------------------------------
# 6. 限期整改 五（四）4


class RectificationInput(_Strict):
    """A failed evaluation (or fraud) and what followed: notice, re-check (五（四）4)."""

    evaluation_total: Decimal = Field(ge=0, le=200, description="绩效评估总分 — the evaluation's total (of 200)")
    fraud_found: bool = Field(description="弄虚作假 — fraud was found in the studio's work")
    notice_date: dt.date | None = Field(
        default=None, description="整改通知日期 — the day the rectification notice was served (needed once the "
                                  "evaluation failed or fraud was found)")
    recheck_date: dt.date | None = Field(default=None, description="复查日期 — the day of the re-check, if held")
    recheck_total: Decimal | None = Field(default=None, ge=0, le=200,
                                          description="复查总分 — the re-check total (of 200), if held")
    recheck_fraud_corrected: bool | None = Field(
        default=None, description="弄虚作假已纠正 — at the re-check, whether the fraud was corrected (only when "
                                  "fraud goes through rectification, I-ZJ-07)")

    @model_validator(mode="after")
    def _recheck(self) -> RectificationInput:
        if (self.recheck_date is None) != (self.recheck_total is None):
            raise ValueError("recheck_date and recheck_total go together: give both or neither")
        if self.recheck_date is not None:
            if self.notice_date is None:
                raise ValueError("recheck_date needs notice_date (the rectification notice it follows)")
            if self.recheck_date < self.notice_date:
                raise ValueError("recheck_date must not be before notice_date")
        return self


def _not_after(as_of: dt.date, rect: RectificationInput) -> None:
    for name in ("notice_date", "recheck_date"):
        day = getattr(rect, name)
        if day is not None and day > as_of:
            raise ValueError(f"{name} ({day.isoformat()}) must not be after as_of ({as_of.isoformat()})")


class RectificationFacts(RectificationInput, ParkFacts):
    @model_validator(mode="after")
    def _dates_known(self) -> RectificationFacts:
        _not_after(self.as_of, self)
        return self


@dataclasses.dataclass(frozen=True, slots=True)
class RectificationResult:
    stage: str  # not_needed | notice_due | rectifying | recheck_due | rectified | exit
    exit: bool
    deadline: dt.date | None


def rectification_stage(facts: RectificationInput, as_of: dt.date, params: ParameterSet,
                        trace: Trace) -> RectificationResult:
    """五（四）4: a failed evaluation (or fraud) gets a deadline; a re-check after it below the mark → exit."""
    mark = params.get("evaluation_pass_mark", as_of)
    passed = facts.evaluation_total >= mark.value
    trace.check("evaluation_passed", mark.citation, passed, inputs={"evaluation_total": facts.evaluation_total},
                parameters={mark.name: mark.value})
    fraud_rect = params.get("fraud_requires_rectification", as_of)
    if facts.fraud_found:
        trace.check("no_fraud", EXIT_4, False, parameters={fraud_rect.name: fraud_rect.value},
                    note=fraud_rect.interpretation)
        if not fraud_rect.value:
            trace.add("rectification", EXIT_4, "exit", note="弄虚作假：取消入驻资格")
            return RectificationResult("exit", True, None)
    if passed and not facts.fraud_found:
        trace.add("rectification", EXIT_4, "not_needed")
        return RectificationResult("not_needed", False, None)
    if facts.notice_date is None:
        trace.add("rectification", EXIT_4, "notice_due", note="须下达限期整改通知")
        return RectificationResult("notice_due", False, None)
    pw = parameter_window(facts.notice_date, as_of, params, duration="rectification_period",
                          first_day_counts="rectification_first_day_counts")
    win, period, first_day = pw.window, pw.duration, pw.first_day_counts
    trace.add("rectification_deadline", period.citation, win.end, inputs={"notice_date": facts.notice_date},
              parameters={period.name: period.value, first_day.name: first_day.value},
              note=first_day.interpretation)
    if facts.recheck_date is None or facts.recheck_total is None:
        stage = "recheck_due" if as_of > win.end else "rectifying"
        trace.add("rectification", EXIT_4, stage)
        return RectificationResult(stage, False, win.end)
    fixed = facts.recheck_total >= mark.value
    if facts.fraud_found:
        if facts.recheck_fraud_corrected is None:
            raise FactsError([("recheck_fraud_corrected", "true or false: fraud goes through rectification "
                                                          "(fraud_requires_rectification), so the re-check must "
                                                          "say whether it was corrected")])
        fixed = fixed and facts.recheck_fraud_corrected
    trace.check("recheck_meets_standard", EXIT_4, fixed,
                inputs={"recheck_date": facts.recheck_date, "recheck_total": facts.recheck_total},
                parameters={mark.name: mark.value})
    if fixed:
        stage = "rectified"
    elif facts.recheck_date > win.end:
        stage = "exit"
    else:
        stage = "rectifying"
    trace.add("rectification", EXIT_4, stage,
              note="" if fixed or stage == "exit" else "复查早于整改期满：整改期内仍可再复查")
    return RectificationResult(stage, stage == "exit", win.end)


@computation(PROGRAM, "rectification", "考核不合格限期整改", EXIT_4, RectificationFacts)
def rectification(facts: RectificationFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """五（四）4: deadline after a failed evaluation; re-check after it still below the pass mark → exit."""
    trace = Trace()
    result = rectification_stage(facts, facts.as_of, params, trace)
    status = (Status.FAILED if result.exit else
              Status.PASSED if result.stage in {"not_needed", "rectified"} else Status.OK)
    return Outcome({"stage": result.stage, "exit": result.exit, "deadline": result.deadline}, status, trace.steps)


# ---------------------------------------------------------------------------------------------------------
# 7. 取消入驻资格 五（四）1–4


class ExitFacts(ParkFacts):
    studio_deregistered: bool = Field(
        description="工作室被注销或撤销 — the studio was deregistered or revoked after an assessment")
    leader_left: bool = Field(description="领衔大师调离岗位 — the leading master left the post")
    qualified_successor: bool | None = Field(
        default=None, description="符合要求的接替人员 — a qualified successor took over (required when leader_left)")
    serious_loss: bool = Field(
        description="违法违纪或重大过失造成重大损失 — the master or studio caused serious loss or consequences "
                    "through violations of law/discipline or gross negligence")
    rectification: RectificationInput | None = Field(
        default=None, description="绩效评估与整改 — the evaluation and rectification facts (五（四）4), if any")

    @model_validator(mode="after")
    def _successor(self) -> ExitFacts:
        if self.leader_left and self.qualified_successor is None:
            raise ValueError("qualified_successor: true or false is required when leader_left is true")
        if not self.leader_left and self.qualified_successor is not None:
            raise ValueError("qualified_successor applies only when leader_left is true")
        if self.rectification is not None:
            _not_after(self.as_of, self.rectification)
        return self


@computation(PROGRAM, "exit_grounds", "取消入驻资格", EXIT, ExitFacts)
def exit_grounds(facts: ExitFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """五（四）: any one ground ends residency; every ground that applies is listed (as a failed check)."""
    trace = Trace()
    grounds: list[str] = []
    if not trace.check("studio_not_deregistered", EXIT_1, not facts.studio_deregistered):
        grounds.append("studio_deregistered")
    left_unfilled = facts.leader_left and not facts.qualified_successor
    if not trace.check("leader_in_post_or_succeeded", EXIT_2, not left_unfilled,
                       inputs={"leader_left": facts.leader_left, "qualified_successor": facts.qualified_successor}):
        grounds.append("leader_left_without_successor")
    if not trace.check("no_serious_loss", EXIT_3, not facts.serious_loss):
        grounds.append("serious_loss")
    if facts.rectification is not None:
        sub = Trace()
        result = rectification_stage(facts.rectification, facts.as_of, params, sub)
        # the steps explain the stage; only the exit ground itself counts as a failure here
        trace.extend([dataclasses.replace(step, passed=None) for step in sub.steps])
        if not trace.check("not_failed_after_rectification", EXIT_4, not result.exit,
                           inputs={"stage": result.stage}):
            grounds.append("evaluation_failed_or_fraud")
    leave = bool(grounds)
    return Outcome({"exit": leave, "grounds": grounds}, Status.INELIGIBLE if leave else Status.ELIGIBLE,
                   trace.steps)


# ---------------------------------------------------------------------------------------------------------
# 8. 优惠政策 四（二）–（五）


class BenefitFacts(ParkFacts):
    admission_date: dt.date = Field(description="入驻日期 — the day the studio was admitted")
    exit_date: dt.date | None = Field(default=None,
                                      description="取消入驻日期 — the day residency ended, if it has")
    upgraded_to_business: bool = Field(
        description="升级为技能创业 — the studio has become a skill-based business (技能创业)")
    outstanding_in: list[Literal["传授技艺", "人才培养", "竞赛指导"]] = Field(
        description="业绩突出方面 — areas where the office judged results outstanding (may be empty)")

    @model_validator(mode="after")
    def _dates(self) -> BenefitFacts:
        if self.exit_date is not None and self.exit_date < self.admission_date:
            raise ValueError("exit_date must not be before admission_date")
        return self


def _amount(params: ParameterSet, name: str, on: dt.date, trace: Trace, citation: Citation) -> Decimal | None:
    try:
        value = params.get(name, on)
    except UnsetParameterError:
        trace.add(name, citation, None, note="not set by the policy: 依据相关政策，由主管部门设定")
        return None
    trace.add(name, value.citation, value.value, parameters={name: value.value})
    amount: Decimal = value.value
    return amount


@computation(PROGRAM, "benefits", "入驻优惠政策", SUBSIDY, BenefitFacts)
def benefits(facts: BenefitFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """四（二）–（五）: start-up subsidy, performance reward, priority hire/examiner, priority recommendation."""
    trace = Trace()
    resident = facts.admission_date <= facts.as_of and (facts.exit_date is None or facts.as_of < facts.exit_date)
    trace.check("resident", ENTRY, resident,
                inputs={"admission_date": facts.admission_date, "exit_date": facts.exit_date})
    subsidy = resident and facts.upgraded_to_business
    trace.add("startup_subsidy", SUBSIDY, subsidy, inputs={"upgraded_to_business": facts.upgraded_to_business})
    subsidy_amount = _amount(params, "startup_subsidy_amount", facts.as_of, trace, SUBSIDY) if subsidy else None
    reward = resident and bool(facts.outstanding_in)
    trace.add("performance_reward", REWARD, reward, inputs={"outstanding_in": facts.outstanding_in})
    reward_amount = _amount(params, "performance_reward_amount", facts.as_of, trace, REWARD) if reward else None
    trace.add("priority_part_time_teacher", PRIORITY_HIRE, resident, note="职业院校兼职教师优先受聘")
    trace.add("priority_examiner_pool", PRIORITY_HIRE, resident, note="优先进入考评员队伍")
    trace.add("recommend_national_provincial_studio", PRIORITY_AWARD, resident, note="择优推荐")
    trace.add("leader_priority_talent_award", PRIORITY_AWARD, resident, note="市级以上高技能人才评选优先推荐")
    value = {"resident": resident,
             "startup_subsidy": subsidy, "startup_subsidy_amount": subsidy_amount,
             "performance_reward": reward, "performance_reward_amount": reward_amount,
             "priority_part_time_teacher": resident, "priority_examiner_pool": resident,
             "recommend_national_provincial_studio": resident, "leader_priority_talent_award": resident}
    return Outcome(value, Status.ELIGIBLE if resident else Status.INELIGIBLE, trace.steps)
