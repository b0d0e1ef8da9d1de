"""Who may act (the cultivation app's own permission checks), run before the registry's role check so that a user
without the right gets the precise Chinese answer (see ``who`` in :mod:`jiangxin.platform.core.declare`)."""

from __future__ import annotations

from typing import Any

from jiangxin.platform.cultivation.access import CultivationError, training_unit_of


def province_office(actor: Any, *_args: Any, **_kwargs: Any) -> None:
    from jiangxin.platform.cultivation.common_setup import _require_office

    _require_office(actor)


def province_office_results(actor: Any, *_args: Any, **_kwargs: Any) -> None:
    from jiangxin.platform.cultivation.common_results import _require_office

    _require_office(actor)


def own_unit(actor: Any, *_args: Any, **_kwargs: Any) -> None:
    if training_unit_of(actor) is None:
        raise CultivationError("只有本承训单位的账号可以办理。")


def expense_unit(actor: Any, year: Any, unit: Any, *_args: Any, **_kwargs: Any) -> None:
    own = training_unit_of(actor)
    if own is None or own.pk != unit.pk:
        raise CultivationError("只有承训单位可以登记本单位的经费支出。")


def attendance_unit(actor: Any, session: Any, *_args: Any, **_kwargs: Any) -> None:
    unit = training_unit_of(actor)
    if unit is None or session.plan.training_unit_id != unit.pk:
        raise CultivationError("只有本承训单位可以登记该课程的考勤。")


def import_unit(actor: Any, *_args: Any, **_kwargs: Any) -> None:
    if training_unit_of(actor) is None:
        raise CultivationError("只有承训单位可以导入考勤。")


def deferral_decider(actor: Any, enrolment: Any, *_args: Any, **_kwargs: Any) -> None:
    from jiangxin.platform.cultivation.selectors.results import can_decide_deferral

    if not can_decide_deferral(actor, enrolment):
        raise CultivationError("只有省级主管部门或该市市级负责人可以审批延期。")


def leave_decider(actor: Any, leave: Any, *_args: Any, **_kwargs: Any) -> None:
    from jiangxin.platform.cultivation.selectors.training import can_decide_leave

    if not can_decide_leave(actor, leave):
        raise CultivationError("只有该学员所在设区市的市级负责人可以审批请假。")


def the_trainee(actor: Any, enrolment: Any, *_args: Any, **_kwargs: Any) -> None:
    from jiangxin.platform.accounts.roles import Role

    if getattr(actor, "role", "") != Role.TRAINEE or getattr(actor, "person_id", None) != enrolment.person_id:
        raise CultivationError("只能由培育对象本人选择。")
