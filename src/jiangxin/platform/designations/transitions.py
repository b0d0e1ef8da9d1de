"""Designation transitions (命名状态流转): every status change of a designation is one of these.

- the page's only status action is :func:`jiangxin.platform.designations.sanctions.sanction` — a ground the
  program's document lists (``programs/<program>/sanctions.yaml``), decided by ``policy.sanctions.decide``;
- computations that decide a change themselves (the tranche machine, the park's exit grounds, a term's end) call
  ``services.set_status``, which runs the transition for the target state below;
- the yearly run's bulk path is ``services.set_status_many`` (``designations.apply_yearly_results``);
- naming is ``services.designate`` (``designations.designate``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.transitions import SYSTEM, TransitionRefused, track, transition
from jiangxin.platform.designations import services
from jiangxin.platform.designations.models import Designation, DesignationEvent, DesignationStatus, EventKind

S = DesignationStatus
RECORD = "designations.Designation"
ACTORS = (Role.OFFICE, Role.PARK_OFFICE, SYSTEM)
SANCTIONS = "policy.sanctions.decide（programs/<program>/sanctions.yaml）"

track(Designation, "status")


def _write(target: str, designation: Designation, *, reason: str, citation: str, actor: Any,
           outcome: dict[str, Any] | None, on: dt.date | None, data: dict[str, Any] | None = None) -> Designation:
    if not (citation or "").strip():
        raise TransitionRefused(str(_("须写明依据条款。")))
    return services.write_status(designation, target, reason=reason, citation=citation, actor=actor,
                                 outcome=outcome, on=on, data=data)


@transition("designations.yellow_card", title=_("黄牌警告"), record=RECORD, sources=(S.ACTIVE,),
            target=S.YELLOW_CARD, roles=ACTORS, guard=SANCTIONS + "；policy.funding（年度考核不合格）",
            citation="南昌工匠学院办法 第二十四条；南昌创新工作室办法 第十一条（四）", audit=False)
def yellow_card(designation: Designation, *, reason: str, citation: str, actor: Any,
                outcome: dict[str, Any] | None = None, on: dt.date | None = None,
                data: dict[str, Any] | None = None) -> Designation:
    return _write(S.YELLOW_CARD, designation, reason=reason, citation=citation, actor=actor, outcome=outcome,
                  on=on, data=data)


def yellow_card_year(designation: Designation) -> int | None:
    """The assessment year of the yellow card in force (from its event: the ground's failed year, or the tranche
    machine's event year, else the year it took effect)."""
    event = (DesignationEvent.objects.filter(designation=designation, kind=EventKind.STATUS,
                                             to_status=S.YELLOW_CARD).order_by("-at", "-id").first())
    if event is None:
        return None
    data, outcome = event.data or {}, event.outcome or {}
    for value in (data.get("failed_year"), outcome.get("year")):
        if isinstance(value, int):
            return value
    return event.effective_on.year if event.effective_on else event.at.year


def later_pass(designation: Designation) -> int | None:
    """The first published passing annual assessment after the yellow card's year (None: there is none)."""
    from jiangxin.platform.assessments.models import Assessment, AssessmentStatus

    since = yellow_card_year(designation)
    if since is None:
        return None
    return (Assessment.objects.filter(designation=designation, status=AssessmentStatus.PUBLISHED, passed=True,
                                      round__year__gt=since)
            .order_by("round__year").values_list("round__year", flat=True).first())


@transition("designations.lift_yellow_card", title=_("解除黄牌"), record=RECORD, sources=(S.YELLOW_CARD,),
            target=S.ACTIVE, roles=ACTORS, guard=SANCTIONS + "；黄牌之后年度考核合格（考核记录）",
            citation="南昌工匠学院办法 第二十四条；南昌创新工作室办法 第十一条（二）（四）", audit=False)
def lift_yellow_card(designation: Designation, *, reason: str, citation: str, actor: Any,
                     outcome: dict[str, Any] | None = None, on: dt.date | None = None,
                     data: dict[str, Any] | None = None) -> Designation:
    """Only on the event the document ties it to: a published passing assessment of a later year than the
    yellow card's, read from the assessment records (never from a typed claim)."""
    passed = later_pass(designation)
    if passed is None and (outcome or {}).get("kind") == "tranche_paid":
        # the yearly run: the tranche machine paid the next tranche on that year's passing assessment
        passed = (outcome or {}).get("year")
    if passed is None:
        raise TransitionRefused(str(_("黄牌之后尚无年度考核合格的记录，不能解除黄牌。")), citations=[citation])
    return _write(S.ACTIVE, designation, reason=reason, citation=citation, actor=actor, outcome=outcome, on=on,
                  data=data)


@transition("designations.revoke", title=_("撤销命名"), record=RECORD,
            sources=(S.ACTIVE, S.YELLOW_CARD, S.CYCLE_COMPLETE), target=S.REVOKED, roles=ACTORS,
            guard=SANCTIONS + "；policy.funding（连续不合格、周期后不合格、弄虚作假）",
            citation="南昌工匠学院办法 第二十四条、第二十六条；南昌创新工作室办法 第十一条（四）、第十四条、第十五条；"
                     "赣州工匠办法 第十二条", audit=False)
def revoke(designation: Designation, *, reason: str, citation: str, actor: Any,
           outcome: dict[str, Any] | None = None, on: dt.date | None = None,
           data: dict[str, Any] | None = None) -> Designation:
    return _write(S.REVOKED, designation, reason=reason, citation=citation, actor=actor, outcome=outcome, on=on,
                  data=data)


@transition("designations.exit", title=_("退出（取消入驻资格）"), record=RECORD, sources=(S.ACTIVE, S.YELLOW_CARD),
            target=S.EXITED, roles=ACTORS, guard=SANCTIONS + "；zhenjiang_park/exit_grounds",
            citation="镇江技能大师产业创新园意见 五（四）1–4", audit=False)
def exit_(designation: Designation, *, reason: str, citation: str, actor: Any,
          outcome: dict[str, Any] | None = None, on: dt.date | None = None,
          data: dict[str, Any] | None = None) -> Designation:
    return _write(S.EXITED, designation, reason=reason, citation=citation, actor=actor, outcome=outcome, on=on,
                  data=data)


@transition("designations.complete_cycle", title=_("补助周期届满"), record=RECORD, sources=(S.ACTIVE, S.YELLOW_CARD),
            target=S.CYCLE_COMPLETE, roles=ACTORS, guard="policy.funding（补助周期）",
            citation="南昌工匠学院办法 第二十条；南昌创新工作室办法 第十一条", audit=False)
def complete_cycle(designation: Designation, *, reason: str, citation: str, actor: Any,
                   outcome: dict[str, Any] | None = None, on: dt.date | None = None) -> Designation:
    return _write(S.CYCLE_COMPLETE, designation, reason=reason, citation=citation, actor=actor, outcome=outcome,
                  on=on)


@transition("designations.expire", title=_("期满"), record=RECORD, sources=(S.ACTIVE, S.YELLOW_CARD),
            target=S.EXPIRED, roles=ACTORS,
            guard="ganzhou_craftsman/cultivation_period；zhenjiang_park/rent_free_term；jiangsu_technician tracking_years",
            citation="各项目办法规定的期限（以期限计算结果引用的条款为准）", audit=False)
def expire(designation: Designation, *, reason: str, citation: str, actor: Any,
           outcome: dict[str, Any] | None = None, on: dt.date | None = None) -> Designation:
    return _write(S.EXPIRED, designation, reason=reason, citation=citation, actor=actor, outcome=outcome, on=on)


#: the transition that moves a designation into each state (``services.set_status`` dispatches through it)
BY_TARGET: dict[str, Any] = {S.YELLOW_CARD: yellow_card, S.ACTIVE: lift_yellow_card, S.REVOKED: revoke,
                             S.EXITED: exit_, S.CYCLE_COMPLETE: complete_cycle, S.EXPIRED: expire}

# the page's sanction action (grounds from sanctions.yaml) registers itself on import
from jiangxin.platform.designations import sanctions  # noqa: E402,F401
