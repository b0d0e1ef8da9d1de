"""Sanctions and exits (处分与退出) on the grounds the program's document lists, never free text.

:func:`sanction` is the one page action that changes a designation's status: the office picks a ground of the
program's ``sanctions.yaml`` and states the facts it needs; ``policy.sanctions.decide`` checks them against the
records (annual assessments, the yellow card's year, the term) and cites the article. A fraud finding revokes,
books the claw-back of everything paid and records the ban on the register in the same transaction. The
platform acts on what the program declares (action, fraud, ban), never on the program's name — except that the
money of the tranche programs is clawed back by their tranche machine (``ledger.services.find_fraud``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core import answers
from jiangxin.platform.core.transitions import TransitionRefused, transition
from jiangxin.platform.designations.base import _require
from jiangxin.platform.designations.models import Designation, DesignationStatus
from jiangxin.policy import sanctions as policy
from jiangxin.policy.outcome import jsonable

S = DesignationStatus


def results_on_record(designation: Designation) -> dict[int, bool | None]:
    """The designation's annual assessment results by year: published assessments, then the years the ledger's
    yearly run applied (imported history)."""
    from jiangxin.platform.assessments.models import Assessment, AssessmentStatus

    # the years the ledger's yearly run applied, with their results: answered by the ledger app
    results: dict[int, bool | None] = dict(answers.ask("designations.years_applied", designation))
    for year, passed in (Assessment.objects.filter(designation=designation, status=AssessmentStatus.PUBLISHED)
                         .values_list("round__year", "passed")):
        results[int(year)] = passed
    return results


def record_for(designation: Designation, on: dt.date) -> policy.Record:
    from jiangxin.platform.designations.transitions import yellow_card_year

    return policy.Record(status=designation.status, as_of=on, results=results_on_record(designation),
                         yellow_card_year=yellow_card_year(designation) if designation.status == S.YELLOW_CARD
                         else None,
                         period_start=designation.designated_on, period_end=designation.ends_on)


def grounds_for(designation: Designation) -> tuple[policy.Ground, ...]:
    """The grounds the form offers: those of the program's document that apply in the current state."""
    return policy.available(designation.program, designation.status)


#: why a check refused, for the page (the check's rule name → Chinese message)
REFUSALS = {
    "state_allows_ground": gettext_lazy("该命名当前的状态不适用所选情形。"),
    "facts_stated": gettext_lazy("请填写所选情形需要的全部事实。"),
    "failed_in_record": gettext_lazy("考核记录中所填年度的年度考核不是“不合格”，不能以此情形办理。"),
    "consecutive_failures": gettext_lazy("考核记录中所填年度及其上一年度并非均为不合格，不构成连续两年不合格。"),
    "later_pass": gettext_lazy("黄牌之后尚无年度考核合格的记录，不能解除黄牌。"),
    "decision": gettext_lazy("须填写处理决定文号。"),
    "within_period": gettext_lazy("情形发生日期不在培养期（期限）内。"),
    "not_future": gettext_lazy("情形发生日期不能晚于今天。"),
    "deadline_passed": gettext_lazy("整改期限尚未届满，不能以整改后仍不达标为由办理。"),
    "no_successor": gettext_lazy("须确认没有符合要求的人员接替。"),
}


def _refusal(outcome: Any, ground: policy.Ground) -> TransitionRefused:
    reasons = [str(REFUSALS.get(step.rule, step.rule)) for step in outcome.failures]
    return TransitionRefused("".join(dict.fromkeys(reasons)) or _("不符合所选情形。"),
                             citations=[ground.citation.label], outcome=outcome.to_dict())


def _ban_subject(designation: Designation, subject: str) -> dict[str, Any]:
    if subject == "employer":
        person = designation.holder_person
        org = getattr(person, "employer", None) if person is not None else None
        return {"organisation": org or designation.holder_org or designation.scope_org}
    if designation.holder_person_id:
        return {"person": designation.holder_person}
    return {"organisation": designation.holder_org or designation.scope_org}


def _bans(designation: Designation, ground: policy.Ground, *, reason: str, decision: str, actor: Any,
          on: dt.date) -> list[Any]:
    from jiangxin.platform.people.services import impose_ban

    assert ground.ban is not None
    end = policy.ban_end(on, ground.ban.years)
    programs = [designation.program if p == "own" else p for p in ground.ban.programs]
    return [impose_ban(program=p, reason=reason, citation_label=ground.citation.label, start=on, end=end,
                       decision_reference=decision, actor=actor, **_ban_subject(designation, ground.ban.subject))
            for p in programs]


@transition("designations.sanction", title=gettext_lazy("按办法列明的情形办理处分或退出"),
            record="designations.Designation",
            sources=(S.ACTIVE, S.YELLOW_CARD, S.CYCLE_COMPLETE, S.EXPIRED), target="",
            roles=(Role.OFFICE, Role.PARK_OFFICE), guard="policy.sanctions.decide（programs/<program>/sanctions.yaml）",
            citation="南昌工匠学院办法 第二十四条、第二十六条；南昌创新工作室办法 第十一条（四）、第十四条、第十五条；"
                     "镇江技能大师产业创新园意见 五（四）；赣州工匠办法 第十二条；江苏卓越技师办法 第二十一条")
def sanction(designation: Designation, *, ground: str, facts: dict[str, Any], actor: Any,
             on: dt.date | None = None) -> dict[str, Any]:
    """Carry out ground ``ground`` of the designation's program with ``facts``; refused (nothing written) when the
    document does not list it or the records do not bear it out."""
    on = on or timezone.localdate()
    d = Designation.objects.select_for_update().get(pk=designation.pk)
    _require(actor, d)
    try:
        g = policy.ground(d.program, ground)
    except policy.SanctionError as exc:
        raise TransitionRefused(_("所选情形不在该项目办法列明的情形之中，不能办理。")) from exc
    outcome = policy.decide(d.program, ground, facts, record_for(d, on))
    if not outcome.value["allowed"]:
        raise _refusal(outcome, g)
    out = {**outcome.to_dict(), "computation": "policy.sanctions.decide"}
    label = g.citation.label
    finding = str(facts.get("finding") or "").strip()
    decision = str(facts.get("decision_reference") or "").strip()
    reason = g.title + (f"：{finding}" if finding else "")
    data = {"ground": g.key, **{k: jsonable(v) for k, v in facts.items() if k in g.facts}}
    from jiangxin.platform.designations import transitions

    banned = False
    if g.fraud:
        # fraud revokes, claws the money back and bans through the ledger's tranche machine (the ledger answers)
        answers.ask("designations.fraud_finding", d, actor=actor, reason=reason, citation=label,
                    decision_reference=decision, on=on, outcome=out, data=data)
        banned = answers.ask("designations.bans_on_fraud", d.program)
    elif g.action == "yellow_card":
        transitions.yellow_card(d, reason=reason, citation=label, actor=actor, outcome=out, on=on, data=data)
    elif g.action == "lift_yellow_card":
        transitions.lift_yellow_card(d, reason=reason, citation=label, actor=actor, outcome=out, on=on, data=data)
    elif g.action == "revoke":
        transitions.revoke(d, reason=reason, citation=label, actor=actor, outcome=out, on=on, data=data)
        answers.ask("designations.record_revocation", d, year=on.year, reason=reason, citation=label,
                    decision=decision, actor=actor, outcome=out)
    elif g.action == "exit":
        transitions.exit_(d, reason=reason, citation=label, actor=actor, outcome=out, on=on, data=data)
    bans = _bans(d, g, reason=reason, decision=decision, actor=actor, on=on) if g.ban and not banned else []
    designation.status = Designation.objects.values_list("status", flat=True).get(pk=d.pk)
    return {"ground": g, "outcome": out, "bans": bans}
