"""Publicity and naming: opening a round's notice, what may go on a notice, closing the publicity when it has
cleared, and naming the case (the final state, with its designation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangxin.platform.applications.models import Application
from jiangxin.platform.core.transitions import transition
from jiangxin.platform.review.actions._common import (
    _locked,
    _move,
    _require_actor,
    _require_round_actor,
    _stage_of,
    _step,
)
from jiangxin.platform.review.base import OFFICE_ROLES, ReviewError
from jiangxin.platform.review.models import Case, CaseState
from jiangxin.platform.review.selectors import (
    naming_warning,
    require_whole_round,
    round_cases,
    unpublished_cases,
)
from jiangxin.platform.rounds.models import Round
from jiangxin.policy.workflow import Stage, load_workflow


@transition("review.publicity_open", title=gettext_lazy("发布公示（本批次）"), record="review.Case", field="stage", sources=("publicity",),
            target="publicity", roles=OFFICE_ROLES,
            guard="<program>/publicity_window；policy.workflow.round_at_stage",
            citation="各项目公示条款（如南昌工匠学院办法 第十九条（三））")
def open_publicity(rnd: Round, *, actor: Any, start: dt.date, title: str = "", reference: str = "",
                   today: dt.date | None = None) -> Any:
    """Put every case waiting at the publicity stage and not yet on a notice on one notice
    (publicity.services.open_notice); cases already on a running notice are not published twice."""
    from jiangxin.platform.publicity.services import open_notice

    _wf, stage = _stage_of(rnd, "publicity")
    _require_round_actor(rnd, actor, stage)
    cases = unpublished_cases(rnd, actor)
    if not cases:
        raise ReviewError("没有待公示的申报（已在公示中的不再重复公示）。")
    notice = open_notice(rnd, [c.application for c in cases], start=start, actor=actor, stage_key=stage.key,
                         title=title, reference=reference, today=today)
    for case in cases:
        _step(_locked(case), action="publicity_opened", actor=actor, stage_to=stage.key,
              citations=[stage.citation.label], outcome=getattr(notice, "outcome", None),
              data={"notice": notice.pk})
    return notice


def check_publishable(rnd: Round, applications: Sequence[Application], stage_key: str = "") -> Stage:
    """A notice holds only applications whose case waits at the round's publicity stage, and only once the
    whole round has reached it (I-PUB-08, I-WF-05); returns the publicity stage."""
    wf = load_workflow(rnd.program.key)
    stage = wf.stage(stage_key) if stage_key and wf.has_stage(stage_key) else wf.first_of_kind("publicity")
    if stage is None or stage.kind != "publicity":
        raise ReviewError(_("该项目的评审流程没有公示环节。"))
    cases = {c.application_id: c for c in Case.objects.filter(application__in=[a.pk for a in applications])}
    for app in applications:
        c = cases.get(app.pk)
        if c is None or c.state != CaseState.ACTIVE or c.stage != stage.key:
            where = (_("尚未进入评审") if c is None else f"{c.stage_title}，{c.get_state_display()}")
            raise ReviewError(_("“%(t)s”未到达公示环节（当前：%(w)s），不能列入公示。") % {"t": app.title, "w": where},
                              citations=[stage.citation.label])
    require_whole_round(rnd, stage, wf)
    return stage


@transition("review.publicity_close", title=gettext_lazy("公示期满，进入下一环节"), record="review.Case", field="stage", sources=("publicity",),
            target="", roles=OFFICE_ROLES, guard="publicity.clearance（公示期满且异议办结）",
            citation="各项目公示条款；I-PUB-03")
def close_publicity(rnd: Round, *, actor: Any) -> list[Case]:
    """Move every case whose publicity has cleared (window closed, objections settled) to the next stage."""
    from jiangxin.platform.publicity.services import clearance

    wf, stage = _stage_of(rnd, "publicity")
    _require_round_actor(rnd, actor, stage)
    moved = []
    with transaction.atomic():
        for case in round_cases(rnd, stage.key, actor):
            c = clearance(case.application)
            if c.clear:
                moved.append(_move(_locked(case), wf.next_stage(stage.key), action="advance", actor=actor,
                                   data={"window_end": c.window_end.isoformat() if c.window_end else None}))
    return moved


def _inside_publicity(case: Case, on: dt.date) -> None:
    """Refuse a naming date on or before the last day of the case's publicity window (I-PUB-09)."""
    wf = load_workflow(case.program)
    publicity = wf.first_of_kind("publicity")
    if publicity is None:
        return
    from jiangxin.platform.publicity.services import clearance

    end = clearance(case.application).window_end
    if end is not None and on <= end:
        raise ReviewError(_("命名日期%(on)s在公示期内（公示截至%(end)s），公示期满且异议处理完毕后方可命名。") % {
            "on": f"{on:%Y年%m月%d日}", "end": f"{end:%Y年%m月%d日}"},
            citations=[publicity.citation.label, "匠心解释口径 I-PUB-09"])


@transition("review.name", title=gettext_lazy("命名/确定"), record="review.Case", field="state", sources=("active",), target="done",
            roles=OFFICE_ROLES, guard="publicity.clearance；<program>/naming_deadline",
            citation="南昌工匠学院办法 第十九条（四）；南昌创新工作室办法 第七条；赣州工匠办法 第八条")
def name(case: Case, *, actor: Any, on: dt.date | None = None, note: str = "") -> tuple[Case, str]:
    """Name / admit / confer: only after a cleared publicity (where the chain has one); warns when the
    deadline is missed; writes the public directory entry; the case reaches the final state."""
    on = on or timezone.localdate()
    with transaction.atomic():
        case = _locked(case)
        stage = _require_actor(case, actor)
        if stage.kind != "naming":
            raise ReviewError("当前环节不是命名。")
        wf = load_workflow(case.program)
        if wf.first_of_kind("publicity") is not None:
            from jiangxin.platform.publicity.services import clearance

            c = clearance(case.application)
            if not c.clear:
                raise ReviewError("公示尚未结束或异议尚未处理完毕：" + "；".join(c.reasons) + "。",
                                  citations=[wf.first_of_kind("publicity").citation.label])  # type: ignore[union-attr]
            _inside_publicity(case, on)
        warning, outcome = naming_warning(case, on)
        _move(case, None, action="name", actor=actor, reasons=note or warning, outcome=outcome,
              data={"on": on.isoformat(), "warning": warning})
        # the designation (命名/入选/入驻/称号) with its certificate number; it also feeds the public directory
        from jiangxin.platform.designations.services import designate_from_case

        designate_from_case(case, actor=actor, on=on)
    return case, warning
