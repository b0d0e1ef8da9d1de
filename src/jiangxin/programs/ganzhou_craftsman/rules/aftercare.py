"""After the title: the three-year cultivation period with its yearly reports, and revocation."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field, model_validator

from jiangxin.policy.errors import ParameterError, UnsetParameterError
from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.publicity import parameter_window
from jiangxin.policy.registry import computation
from jiangxin.programs.ganzhou_craftsman import PROGRAM
from jiangxin.programs.ganzhou_craftsman.rules.common import (
    _STRICT,
    ART_10,
    ART_11,
    ART_12,
    ART_12_FRAUD,
    DOC,
)

# ------------------------------------------------------------------------------------------- cultivation


class CultivationFacts(Facts):
    title_date: dt.date = Field(description="确定为“赣州工匠”（市政府批准）之日")


def _cultivation(title_date: dt.date, params: ParameterSet, t: Trace) -> tuple[dt.date, dt.date]:
    pw = parameter_window(title_date, title_date, params, duration="cultivation_period",
                          first_day_counts="cultivation_first_day_counts")
    w, period, first = pw.window, pw.duration, pw.first_day_counts
    t.add("cultivation_period", ART_10, w, inputs={"title_date": title_date},
          parameters={period.name: period.value, first.name: first.value})
    return w.start, w.end


def _report_due(params: ParameterSet, on: dt.date) -> tuple[int, int] | None:
    """Office-set month and day (``MM-DD``) by which the report on a year is due the following year."""
    try:
        raw = str(params.value("annual_report_due", on))
    except UnsetParameterError:
        return None
    month, sep, day = raw.partition("-")
    if not (sep and month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        raise ParameterError(f"{DOC}.annual_report_due: expected a month-day such as 01-31, got {raw!r}")
    return int(month), int(day)


@computation(PROGRAM, "cultivation_period", "三年培养期与年度报送", ART_10, CultivationFacts)
def cultivation_period(facts: CultivationFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """The 3-year cultivation period from the title date, and the yearly reports the unit sends."""
    t = Trace()
    start, end = _cultivation(facts.title_date, params, t)
    spec = _report_due(params, facts.as_of)
    due_set = spec is not None
    reports = []
    for year in range(start.year, end.year + 1):
        due = None
        if spec is not None:
            month, day = spec
            due = dt.date(year + 1, month, min(day, calendar.monthrange(year + 1, month)[1]))
        reports.append({"year": year, "covers_from": max(start, dt.date(year, 1, 1)),
                        "covers_to": min(end, dt.date(year, 12, 31)), "due": due})
    t.add("annual_reports", ART_11, [r["year"] for r in reports], inputs={"start": start, "end": end},
          note="按自然年度报送（I-TIME-07）" + ("" if due_set else "；报送截止日办法未规定，待主管部门设定"))
    return Outcome({"start": start, "end": end, "reports": reports}, Status.OK, t.steps)


# -------------------------------------------------------------------------------------------- revocation


class RevocationGround(enum.StrEnum):
    PENALTY = "行政或刑事处罚"             # 第十二条（一）
    DISCIPLINE = "撤职或留党察看以上处分"   # （二）
    PUBLIC_MORALS = "严重违反社会公德"      # （三）
    SPEECH_OR_IP = "不当言论或知识产权处罚"  # （四）
    LEFT_GANZHOU = "调离赣州"               # （五）
    OTHER_VIOLATION = "其他违纪违法"        # （六）
    FRAUD = "骗取称号"                      # 第二款


_GROUND_CITE = {g: cite(DOC, "第十二条", c) for g, c in zip(
    list(RevocationGround)[:6], ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"], strict=True)}
_GROUND_CITE[RevocationGround.FRAUD] = ART_12_FRAUD


class RevocationEvent(BaseModel):
    model_config = _STRICT

    ground: RevocationGround = Field(description="情形：第十二条（一）–（六）或骗取称号")
    date: dt.date = Field(description="情形发生（或处罚决定）日期")
    verified: bool = Field(description="已经市人社局核实")
    evidence_refs: list[str] = Field(min_length=1, description="证明材料编号")
    suspected_crime: bool = Field(default=False, description="涉嫌犯罪（骗取称号情形必填：需移交司法机关）")

    @model_validator(mode="after")
    def _fraud_states_crime(self) -> RevocationEvent:
        if self.ground is RevocationGround.FRAUD and "suspected_crime" not in self.model_fields_set:
            raise ValueError("suspected_crime: required (true or false) when the ground is 骗取称号")
        return self


class RevocationFacts(Facts):
    title_date: dt.date = Field(description="确定为“赣州工匠”之日")
    reward_paid: Decimal = Field(ge=0, description="已发放的一次性奖励金额（元）")
    events: list[RevocationEvent] = Field(description="已报告的情形")

    @model_validator(mode="after")
    def _events_not_in_future(self) -> RevocationFacts:
        for i, e in enumerate(self.events):
            if e.date > self.as_of:
                raise ValueError(f"events.{i}.date: {e.date.isoformat()} is after as_of "
                                 f"{self.as_of.isoformat()}; a reported event cannot be in the future")
        return self


@computation(PROGRAM, "revocation", "撤销称号与追回", ART_12, RevocationFacts)
def revocation(facts: RevocationFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Grounds (一)–(六) revoke when verified and within the cultivation period; fraud also recovers."""
    t = Trace()
    start, end = _cultivation(facts.title_date, params, t)
    hits: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    fraud = False
    refer = False
    for e in facts.events:
        citation = _GROUND_CITE[e.ground]
        is_fraud = e.ground is RevocationGround.FRAUD
        in_period = start <= e.date <= end
        counts = is_fraud or in_period
        entry = {"ground": e.ground, "date": e.date, "citation": citation, "evidence": e.evidence_refs}
        if not counts:
            t.add("ground_outside_cultivation_period", citation, False,
                  inputs={"ground": e.ground, "date": e.date, "period": [start, end]},
                  note="情形不在培养期内，不构成本条撤销事由")
            continue
        if not e.verified:
            pending.append(entry)
            t.add("ground_pending_verification", citation, False, inputs={"ground": e.ground, "date": e.date},
                  note="须经市人社局核实")
            continue
        hits.append(entry)
        fraud = fraud or is_fraud
        refer = refer or (is_fraud and e.suspected_crime)
        t.add("ground_verified", citation, True,
              inputs={"ground": e.ground, "date": e.date, "evidence": e.evidence_refs},
              note="" if in_period else "骗取称号不限于培养期（I-TIME-08）")
    revoked = bool(hits)
    recovery = facts.reward_paid if fraud else Decimal(0)
    t.add("revocation", ART_12_FRAUD if fraud else ART_12,
          {"revoked": revoked, "recover_certificate": fraud, "recover_amount": recovery},
          inputs={"grounds": len(hits), "pending": len(pending), "reward_paid": facts.reward_paid})
    value = {"revoked": revoked, "grounds": hits, "pending": pending, "recover_certificate": fraud,
             "recover_amount": recovery, "refer_to_judiciary": refer, "cultivation_period": [start, end]}
    return Outcome(value, Status.FAILED if revoked else Status.PASSED, t.steps)
