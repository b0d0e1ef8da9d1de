"""Leaving the park: rectification after a failed evaluation (五（四）4) and the exit grounds (五（四）1–4)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator

from jiangxin.policy.errors import FactsError
from jiangxin.policy.outcome import Outcome, Status, Trace
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.publicity import parameter_window
from jiangxin.policy.registry import computation
from jiangxin.programs.zhenjiang_park import PROGRAM
from jiangxin.programs.zhenjiang_park.rules.common import (
    EXIT,
    EXIT_1,
    EXIT_2,
    EXIT_3,
    EXIT_4,
    ParkFacts,
    _Strict,
)

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
