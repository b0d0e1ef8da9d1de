"""The park's transitions (镇江技能大师产业创新园 状态流转登记): residency from admission to exit, presence, data
reports, evaluation, rectification and service requests, each with its from-states, roles, guard and article.

The functions in the modules of :mod:`.actions` are registered in place with ``@action("<key>")``; this table is their
declaration (read by ``docs/process.md``). An exit is decided only by ``zhenjiang_park/exit_grounds`` on one of the
four grounds of 五（四）; the form offers nothing else.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.declare import declarer
from jiangxin.platform.core.transitions import track
from jiangxin.platform.park.errors import ParkError

D = "镇江技能大师产业创新园意见"
OFFICE = (Role.PARK_OFFICE,)
STUDIO_OR_OFFICE = (Role.PARK_OFFICE, Role.UNIT)
RESIDENCY = "park.Residency"
IN_PARK = ("active", "rectifying")


def _spec(title: Any, record: str, *, field: str = "status", sources: tuple[str, ...] = ("*",), target: str = "",
          roles: tuple[str, ...] = OFFICE, guard: str = "", citation: str = "") -> dict[str, Any]:
    # the park services write their own audit record; the office's scope check (403) answers before the
    # registry's role check
    who = "jiangxin.platform.park.common:who_office" if roles == OFFICE else ""
    refused = {"exited": "该工作室已取消入驻。"} if sources == IN_PARK else {}
    return {"title": title, "record": record, "field": field, "sources": sources, "target": target,
            "roles": roles, "guard": guard, "citation": citation, "audit": False, "who": who,
            "refused": refused, "error": ParkError}


SPECS: dict[str, dict[str, Any]] = {
    "park.admit": _spec(_("登记入驻"), RESIDENCY, target="active", guard="zhenjiang_park/rent_free_term",
                        citation=f"{D} 三；四（一）"),
    "park.set_obligation": _spec(_("登记应缴费用"), RESIDENCY, guard="zhenjiang_park/fee_arrears",
                                 citation=f"{D} 五（三）"),
    "park.record_payment": _spec(_("登记缴费"), RESIDENCY, guard="zhenjiang_park/fee_arrears",
                                 citation=f"{D} 五（三）"),
    "park.record_presence": _spec(_("登记到园天数"), RESIDENCY, sources=IN_PARK, guard="zhenjiang_park/presence",
                                  citation=f"{D} 附件2"),
    "park.import_presence": _spec(_("导入到园天数"), "park.Presence", field="days",
                                  guard="zhenjiang_park/presence", citation=f"{D} 附件2"),
    "park.submit_report": _spec(_("报送数据"), RESIDENCY, sources=IN_PARK, roles=STUDIO_OR_OFFICE,
                                citation=f"{D} 五（三）；附件2"),
    "park.record_evaluation": _spec(_("登记绩效评估"), RESIDENCY, sources=IN_PARK, guard="zhenjiang_park/evaluation",
                                    citation=f"{D} 五（二）；附件2"),
    "park.open_rectification": _spec(_("下达限期整改"), RESIDENCY, sources=IN_PARK, target="rectifying",
                                     guard="zhenjiang_park/rectification", citation=f"{D} 五（四）4"),
    "park.recheck": _spec(_("整改复查"), "park.Rectification", field="stage", guard="zhenjiang_park/rectification",
                          citation=f"{D} 五（四）4"),
    "park.exit_residency": _spec(_("取消入驻资格"), RESIDENCY, sources=IN_PARK, target="exited",
                                 guard="zhenjiang_park/exit_grounds", citation=f"{D} 五（四）1–4"),
    "park.record_benefits": _spec(_("认定优惠政策"), RESIDENCY, guard="zhenjiang_park/benefits",
                                  citation=f"{D} 四（二）至（五）"),
    "park.publish_offering": _spec(_("发布服务"), RESIDENCY, sources=IN_PARK, roles=STUDIO_OR_OFFICE,
                                   citation=f"{D} 一"),
    "park.move_request": _spec(_("办理服务需求"), "park.ServiceRequest", roles=STUDIO_OR_OFFICE,
                               citation=f"{D} 一"),
}

action = declarer(SPECS)
#: a request from the public form: no signed-in actor, so it is declared directly with the registry
SUBMIT_REQUEST = {k: v for k, v in _spec(_("提交服务需求"), "park.ServiceRequest", target="new", roles=(),
                                         citation=f"{D} 一").items() if k not in ("who", "refused", "error")}

track("park.Residency", "status", "exited_on")
track("park.ServiceRequest", "status")
track("park.Rectification", "stage")


def _register() -> None:
    """Import the action modules so that every declared action is registered (autodiscovery imports this)."""
    from jiangxin.platform.park.actions import (  # noqa: F401
        evaluation,
        exit,
        offerings,
        presence,
        reports,
        requests,
        residency,
    )


_register()
